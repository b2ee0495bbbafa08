"""Time the whole lesson series under nbval, as the README's test command runs it.

    python benchmarks/notebooks.py

Runs `python -m pytest notebooks/` once (nbval strict, the project's settings) and prints, as its
last line, one JSON object: the wall time of the run and the time of each notebook's cells
(from pytest's JUnit XML).  Target: the whole series in under 60 s on a 2-core machine.
A benchmark, not a test: nothing here asserts on time.
"""
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "nbval.xml"
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "notebooks", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
            cwd=ROOT, capture_output=True, text=True,
        )
        wall = time.perf_counter() - start
        per_notebook = defaultdict(float)
        for case in ElementTree.parse(report).iter("testcase"):
            notebook = case.get("classname", "?").removeprefix("notebooks.")  # e.g. 02_chain_rule.ipynb
            per_notebook[notebook] += float(case.get("time", 0))
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:])
    print(json.dumps({
        "nbval_series_seconds": round(wall, 1),
        "passed": run.returncode == 0,
        "cells_seconds_per_notebook": {name: round(seconds, 1) for name, seconds in sorted(per_notebook.items())},
    }))


if __name__ == "__main__":
    main()
