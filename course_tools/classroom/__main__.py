"""The teacher's command line: ``python -m course_tools.classroom {release,grade,extend,solutions,self-study,timing,report}``."""
import argparse
import sys
from pathlib import Path

from . import report
from .course import ClassroomError
from .grade import grade
from .release import release, self_study


def _parser():
    parser = argparse.ArgumentParser(prog="python -m course_tools.classroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="build an nbgrader course folder and release every lesson")
    rel.add_argument("course_dir", type=Path)
    rel.add_argument("lessons", nargs="*", help="lesson stems (e.g. 03_gates); default: every lesson")
    rel.add_argument("--lang", choices=("en", "ko", "ja"), default="en",
                     help="release the Korean or Japanese edition (notebooks/LANG/); default: English")
    grd = commands.add_parser("grade", help="autograde new or changed COURSE_DIR/submitted/<student>/<lesson>/, "
                                            "write grades.csv and feedback")
    grd.add_argument("course_dir", type=Path)
    grd.add_argument("lessons", nargs="*", help="lesson stems to grade; default: every lesson")
    grd.add_argument("--student", action="extend", nargs="+", default=None, metavar="STUDENT",
                     help="grade only these students' submissions (after the lessons: grade DIR 03_gates --student a b)")
    grd.add_argument("--force", action="store_true", help="grade again submissions that did not change")
    grd.add_argument("--jobs", type=int, default=None,
                     help="submissions graded at once, each in its own process (default: one per core)")
    grd.add_argument("--timeout", type=int, default=None,
                     help="seconds a cell may run before it is stopped (default: nbgrader_config.py's Execute.timeout)")
    grd.add_argument("--no-feedback", action="store_true",
                     help="skip generate_feedback (faster; run `grade --force` later for the feedback)")
    ext = commands.add_parser("extend", help="give one student more time on one lesson (nbgrader's extension)")
    ext.add_argument("course_dir", type=Path)
    ext.add_argument("lesson")
    ext.add_argument("student")
    ext.add_argument("--days", type=float, default=0)
    ext.add_argument("--hours", type=float, default=0)
    sol = commands.add_parser("solutions", help="nbgrader generate_solution for one lesson, after its deadline")
    sol.add_argument("course_dir", type=Path)
    sol.add_argument("lesson")
    sol.add_argument("--before-deadline", action="store_true", help="make them even though the deadline is ahead")
    study = commands.add_parser("self-study", help="the student edition with solutions/ and hints, for a learner alone")
    study.add_argument("out_dir", type=Path, nargs="?", default=None, help="default: self_study/ in the course folder")
    study.add_argument("--lang", choices=("en", "ko", "ja"), default="en",
                       help="the Korean or Japanese edition (the lessons translated so far); default: English")
    timing = commands.add_parser("timing", help="measure each lesson's kernel time and estimate its working time")
    timing.add_argument("lessons", nargs="*", help="lesson stems; default: every lesson")
    report.add_parser(commands)
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        if args.command == "release":
            release(args.course_dir, args.lessons or None, lang=args.lang)
        elif args.command == "grade":
            grade(args.course_dir, lessons=args.lessons or None, students=args.student, force=args.force,
                  jobs=args.jobs, timeout=args.timeout, feedback=not args.no_feedback)
        elif args.command == "extend":
            from .term import extend
            extend(args.course_dir, args.lesson, args.student, days=args.days, hours=args.hours)
        elif args.command == "solutions":
            from .term import solutions
            solutions(args.course_dir, args.lesson, before_deadline=args.before_deadline)
        elif args.command == "report":
            report.run(args)
        elif args.command == "timing":
            from .timing import main as timing_main
            timing_main(args.lessons or None)
        else:
            self_study(args.out_dir, lang=args.lang)
    except ClassroomError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
