"""Grading a class: N answered submissions of one lesson, graded by `grade` with real nbgrader.

    python benchmarks/grading.py --submissions 30                    lesson 9, one grading process per core
    python benchmarks/grading.py --submissions 4 --jobs 1            one at a time, for comparison
    python benchmarks/grading.py --submissions 6 --looping 1 --timeout 20   one endless loop among them

It releases the lesson into a temporary course folder, writes N submissions with the reference
answers typed into the student edition (as tests/test_classroom.py's `answered` does; --looping K
of them have `while True: pass` in their first answer cell instead), grades them all with feedback,
checks every answered one got full marks and every looping one lost only its task, then grades again
to show an unchanged class costs nothing.  The last line printed is one JSON object:
submissions, jobs, seconds, seconds_per_submission, regrade_seconds, cpu_seconds (of the
grading processes and their kernels: over jobs, the floor for seconds) and the machine's load average
(other work on the machine slows grading).  A benchmark, not a test.
"""
import argparse
import io
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib import paths  # noqa: E402
from course_tools.classroom import grade, release  # noqa: E402
from course_tools.classroom.grade import default_jobs  # noqa: E402

MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)


def answered(course_dir, stem, looping=False):
    """The student edition of the lesson with the reference answers typed in (or an endless loop in the first)."""
    notebook = nbformat.read(course_dir / "release" / stem / f"{stem}.ipynb", as_version=4)
    source = {cell.metadata["nbgrader"]["grade_id"]: cell.source
              for cell in nbformat.read(paths.notebooks_dir() / f"{stem}.ipynb", as_version=4).cells
              if cell.metadata.get("nbgrader", {}).get("solution")}
    first = True
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in source:
            cell.source = "while True:\n    pass\n" if looping and first else MARKER_LINE.sub("", source[grade_id])
            first = False
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=None, help="default: one per core")
    parser.add_argument("--lesson", default="09_training_on_mnist")
    parser.add_argument("--looping", type=int, default=0, help="how many submissions hold an endless loop")
    parser.add_argument("--timeout", type=int, default=None, help="per-cell timeout (default: the course's, 120 s)")
    args = parser.parse_args()
    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        course_dir = Path(tmp) / "course"
        release(course_dir, [args.lesson], out=io.StringIO())
        for number in range(args.submissions):
            folder = course_dir / "submitted" / f"student{number:02d}" / args.lesson
            folder.mkdir(parents=True)
            nbformat.write(answered(course_dir, args.lesson, looping=number < args.looping), folder / f"{args.lesson}.ipynb")
        log = io.StringIO()
        start = time.perf_counter()
        rows = grade(course_dir, jobs=jobs, timeout=args.timeout, out=log)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the grading processes and their kernels
        cpu_seconds = usage.ru_utime + usage.ru_stime
        start = time.perf_counter()
        again = grade(course_dir, jobs=jobs, timeout=args.timeout, out=io.StringIO())
        regrade_seconds = time.perf_counter() - start
        full = [row for row in rows if row.score == row.max_score and not row.problem]
        looping = [row for row in rows if "longer than" in row.problem]
        if len(full) != args.submissions - args.looping or len(looping) != args.looping or again:
            print(log.getvalue(), file=sys.stderr)
            raise SystemExit(f"unexpected grades: {len(full)} full marks, {len(looping)} stopped loops, "
                             f"{len(again)} graded again")
    print(json.dumps({"lesson": args.lesson, "submissions": args.submissions, "looping": args.looping,
                      "jobs": jobs, "seconds": round(seconds, 1),
                      "seconds_per_submission": round(seconds / args.submissions, 2),
                      "regrade_seconds": round(regrade_seconds, 1), "cpu_seconds": round(cpu_seconds, 1),
                      "load_average_1min": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
