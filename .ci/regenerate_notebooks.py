"""Re-run every lesson on a fresh kernel and store its outputs (what nbval compares against).

    python .ci/regenerate_notebooks.py                 # all notebooks
    python .ci/regenerate_notebooks.py notebooks/03_gates.ipynb

Run it after any change to course_lib that can alter a lesson's output, then `python -m pytest`.
Widget state is stored in the notebook, so the steppers still step in a static export.
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def regenerate(path):
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", record_timing=False, store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def main(paths):
    paths = [Path(p).resolve() for p in paths] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        regenerate(path)
        print(f"{path.name}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
