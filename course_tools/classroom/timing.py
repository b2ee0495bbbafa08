"""How long a lesson takes: measured kernel time plus a reading and exercise estimate.

    python -m course_tools.classroom timing [LESSON ...]

For each lesson: the seconds a fresh kernel needs to run it top to bottom (measured here, with the
solutions), the words of prose and lines of code a learner reads (counted), its exercises and their points (counted),
and an estimate in minutes = words / 100 (reading technical prose with maths at 100 words a minute)
+ code lines / 10 (reading code at 10 lines a minute) + 8 per exercise (attempt, hints, test)
+ the kernel time.  The rates are assumptions, stated so a teacher can redo the sum with their own.
"""
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

from .lessons import lessons, task_cells

WORDS_PER_MINUTE = 100
CODE_LINES_PER_MINUTE = 10
MINUTES_PER_EXERCISE = 8


def measure(path):
    """{run_s, words, code_lines, exercises, points, minutes} for the lesson notebook at path."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    run_s = time.perf_counter() - start
    prose = " ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    words = len(re.findall(r"[A-Za-z]+", re.sub(r"\$[^$]*\$", " x ", prose)))
    code_lines = sum(1 for cell in notebook.cells if cell.cell_type == "code" for line in cell.source.splitlines() if line.strip())
    tasks = task_cells(notebook)
    exercises, points = len(tasks), sum(points for *_, points in tasks)
    minutes = words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE + MINUTES_PER_EXERCISE * exercises + run_s / 60
    return {"run_s": run_s, "words": words, "code_lines": code_lines, "exercises": exercises, "points": points,
            "minutes": minutes}


def main(names=None, out=sys.stdout):
    print(f"{'lesson':<40} {'kernel s':>8} {'words':>6} {'code lines':>10} {'exercises':>9} {'points':>6} {'minutes':>7}", file=out)
    for stem, path in lessons(names).items():
        m = measure(path)
        print(f"{stem:<40} {m['run_s']:>8.1f} {m['words']:>6} {m['code_lines']:>10} {m['exercises']:>9} {m['points']:>6g} {m['minutes']:>7.0f}",
              file=out, flush=True)
