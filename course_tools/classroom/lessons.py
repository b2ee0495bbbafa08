"""A lesson prepared for nbgrader: the notebook with its pictures and data beside it.

In the course a lesson links pictures as ``../images/x.svg`` and finds MNIST in the course's
``data/mnist``.  A released lesson is a folder of its own, so ``prepare`` copies the pictures it
uses into ``images/`` (rewriting the links), copies MNIST into ``data/mnist`` when the lesson loads
it (course_lib.paths finds a ``data/mnist`` in the folder a lesson runs in), and drops the stored
widget state, which holds views of the source's outputs and is no use without them.
"""
import re
import shutil

import nbformat

from course_lib import paths
from course_lib.datasets import CHECKSUMS, FILES

IMAGE_LINK = re.compile(r"\.\./images/([\w./-]+\.(?:svg|png|jpg|gif))")
MNIST_FILES = ("README.md", CHECKSUMS, *FILES.values())  # the data files are named once, in datasets.FILES


def lessons(names=None):
    """{stem: path} of the course's lessons (every one, or those named by stem), in order."""
    found = {path.stem: path for path in paths.lesson_paths()}
    if names is None:
        return found
    unknown = [name for name in names if name not in found]
    if unknown:
        from .course import ClassroomError
        raise ClassroomError(f"no lesson named {', '.join(unknown)}; the lessons are: {', '.join(found)}")
    return {name: found[name] for name in names}


def images_used(notebook):
    """The names of the pictures in images/ that the notebook links as ../images/NAME."""
    return sorted({name for cell in notebook.cells for name in IMAGE_LINK.findall(cell.source)})


def needs_mnist(notebook):
    return any("load_mnist" in cell.source for cell in notebook.cells if cell.cell_type == "code")


def prepare(lesson_path, folder):
    """Write folder/<stem>.ipynb (links to images/, no widget state), its images/ and, if it loads MNIST, data/mnist/."""
    notebook = nbformat.read(lesson_path, as_version=4)
    folder.mkdir(parents=True, exist_ok=True)
    for name in images_used(notebook):
        (folder / "images" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.images_dir() / name, folder / "images" / name)
    for cell in notebook.cells:
        cell.source = IMAGE_LINK.sub(r"images/\1", cell.source)
    notebook.metadata.pop("widgets", None)
    if needs_mnist(notebook):
        (folder / "data" / "mnist").mkdir(parents=True, exist_ok=True)
        for name in MNIST_FILES:
            shutil.copyfile(paths.mnist_dir() / name, folder / "data" / "mnist" / name)
    nbformat.write(notebook, folder / lesson_path.name)
    return notebook


def task_cells(notebook):
    """[(answer grade_id, test grade_id, points)] of the notebook's nbgrader tasks, in order.

    A test belongs to the answer cell before it (the course names it ``<answer id>-test``)."""
    tasks, answer = [], None
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            answer = meta["grade_id"]
        elif meta.get("grade") and not meta.get("solution"):
            tasks.append((answer, meta["grade_id"], meta.get("points", 0)))
            answer = None
    return tasks
