"""The teacher's command line: ``python -m course_tools.classroom {release,grade,self-study} ...``."""
import argparse
import sys
from pathlib import Path

from . import report
from .course import ClassroomError
from .grade import grade
from .release import release, self_study


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_tools.classroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="build an nbgrader course folder and release every lesson")
    rel.add_argument("course_dir", type=Path)
    rel.add_argument("lessons", nargs="*", help="lesson stems (e.g. 03_gates); default: every lesson")
    grd = commands.add_parser("grade", help="autograde COURSE_DIR/submitted/<student>/<lesson>/, write grades.csv and feedback")
    grd.add_argument("course_dir", type=Path)
    grd.add_argument("--timeout", type=int, default=None,
                     help="seconds a cell may run before it is stopped (default: nbgrader_config.py's Execute.timeout)")
    grd.add_argument("--no-feedback", action="store_true", help="skip generate_feedback")
    study = commands.add_parser("self-study", help="the student edition with solutions/ and hints, for a learner alone")
    study.add_argument("out_dir", type=Path, nargs="?", default=None, help="default: self_study/ in the course folder")
    timing = commands.add_parser("timing", help="measure each lesson's kernel time and estimate its working time")
    timing.add_argument("lessons", nargs="*", help="lesson stems; default: every lesson")
    report.add_parser(commands)
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            release(args.course_dir, args.lessons or None)
        elif args.command == "grade":
            grade(args.course_dir, timeout=args.timeout, feedback=not args.no_feedback)
        elif args.command == "report":
            report.run(args)
        elif args.command == "timing":
            from .timing import main as timing_main
            timing_main(args.lessons or None)
        else:
            self_study(args.out_dir)
    except ClassroomError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
