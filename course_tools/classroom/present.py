"""``COURSE_DIR/present/<lesson>/``: a lesson to show on the projector with Voilà, with no answer in it.

    voila COURSE_DIR/present/03_gates/03_gates.ipynb

Voilà runs a notebook and shows its outputs.  The source lesson (notebooks/) would show every exercise
answered and every test's verdict ("✔ Right: b. ..."); the student edition would show a
NotImplementedError for each exercise.  The presented lesson is the student edition (``release/<lesson>/``,
made by ``nbgrader generate_assignment``) without its answer cells (stubs), and with each test cell run
without showing anything (``silent``): what a test prints or displays, and its failure on the unanswered
exercise, are captured and dropped, while what it sets up for later cells stays (lesson 10's check cells
hand out the gradient the next exercise starts from).  The text, the questions, the pictures and the
widgets show; no verdict and no answer does.  Its pictures come with it; its data (MNIST) is linked to
the release's copy, not copied again.
"""
import os
import shutil
from pathlib import Path

import nbformat

from .answers import is_task_cell
from .course import ClassroomError

FOLDER = "present"
SILENT_TEST = """\
# A test cell of the lesson, run without showing its verdict (the presented edition has no answers).
from IPython.utils.capture import capture_output as _capture_output
with _capture_output():
    try:
        exec(compile(get_ipython().transform_cell({source!r}), "<test cell>", "exec"), globals())
    except Exception:
        pass
    if "matplotlib.pyplot" in __import__("sys").modules:
        __import__("matplotlib.pyplot").pyplot.close("all")
"""


def is_answer_cell(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution", False))


def silent(cell):
    """A copy of the test cell ``cell`` whose code runs with every output and error captured and dropped."""
    quiet = nbformat.from_dict(cell)
    quiet.source = SILENT_TEST.format(source=cell.source)
    return quiet


def presented(notebook):
    """A copy of the student edition ``notebook`` (a NotebookNode): no answer cell, every test cell ``silent``."""
    shown = nbformat.from_dict(notebook)
    shown.cells = [silent(cell) if is_task_cell(cell) else cell for cell in shown.cells if not is_answer_cell(cell)]
    return shown


def _link_or_copy(source, target):
    """Hard-link ``source`` to ``target`` (no second copy of MNIST); copy where links are refused."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_present(course_dir, stems):
    """Write COURSE_DIR/present/<stem>/ for each released lesson stem; returns the presented notebooks' paths."""
    course_dir = Path(course_dir)
    written = []
    for stem in stems:
        released = course_dir / "release" / stem
        if not (released / f"{stem}.ipynb").is_file():
            raise ClassroomError(f"lesson {stem} is not released in {course_dir} (no release/{stem}/{stem}.ipynb): "
                                 f"release it first (python -m course_tools.classroom release {course_dir} {stem})")
        folder = course_dir / FOLDER / stem
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(released, folder, copy_function=_link_or_copy)
        path = folder / f"{stem}.ipynb"
        path.unlink()  # a hard link to the release's notebook: write a file of its own
        nbformat.write(presented(nbformat.read(released / f"{stem}.ipynb", as_version=4)), path)
        written.append(path)
    return written
