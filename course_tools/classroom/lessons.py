"""A lesson prepared for nbgrader: the notebook with its pictures and data beside it.

In the course a lesson links pictures as ``../images/x.svg`` and finds MNIST in the course's
``data/mnist``.  A released lesson is a folder of its own, so ``prepare`` copies the pictures it
uses into ``images/`` (rewriting the links), copies MNIST into ``data/mnist`` when the lesson loads
it (course_lib.paths finds a ``data/mnist`` in the folder a lesson runs in), and drops the stored
widget state, which holds views of the source's outputs and is no use without them.

A Korean or Japanese lesson (``lang``: its edition in ``notebooks/<lang>/``, built by
``course_tools.translations``) is prepared the same way, with its pictures drawn in that language
(``images/<lang>/``), and with what makes course_lib speak it in the lesson's folder: the
edition's ``course_language.txt`` and the compiled catalogs it reads (``locale/<lang>/LC_MESSAGES/``:
course_lib's and the lesson's own).  Its code cells are the English ones, so its nbgrader ids and
points are the English lesson's (checked), and grading and the class report work the same.
"""
import re
import shutil

import nbformat

from course_lib import paths
from course_lib.datasets import CHECKSUMS, FILES
from course_lib.i18n import COURSE_DOMAIN, LANGUAGES, MARKER_FILE

IMAGE_LINK = re.compile(r"\.\./images/([\w./-]+\.(?:svg|png|jpg|gif))")
MNIST_FILES = ("README.md", CHECKSUMS, *FILES.values())  # the data files are named once, in datasets.FILES


def lessons(names=None, lang="en"):
    """{stem: path} of the course's lessons (every one, or those named by stem), in order.

    lang  "ko" or "ja": the paths of the lessons' editions in ``notebooks/<lang>/``; with no names, the
          lessons that have one (a named lesson without one is an error).
    """
    from .course import ClassroomError

    if lang not in LANGUAGES:
        raise ClassroomError(f"no {lang!r} edition: the language must be one of {', '.join(LANGUAGES)}")
    found = {path.stem: path for path in paths.lesson_paths()}
    unknown = [name for name in names or () if name not in found]
    if unknown:
        raise ClassroomError(f"no lesson named {', '.join(unknown)}; the lessons are: {', '.join(found)}")
    chosen = found if names is None else {name: found[name] for name in names}
    if lang == "en":
        return chosen
    editions = {stem: paths.edition_path(path, lang) for stem, path in chosen.items()}
    missing = [stem for stem, path in editions.items() if not path.is_file()]
    if names is not None and missing:
        raise ClassroomError(f"no {lang} edition of {', '.join(missing)} (notebooks/{lang}/ has none): translate "
                             f"it first (python -m course_tools.translations start {lang} LESSON; see docs/maintaining.md)")
    editions = {stem: path for stem, path in editions.items() if stem not in missing}
    if not editions:
        raise ClassroomError(f"notebooks/{lang}/ holds no lesson: build the {lang} edition first "
                             f"(python -m course_tools.translations build)")
    for stem, path in editions.items():
        english = task_cells(nbformat.read(chosen[stem], as_version=4))
        if task_cells(nbformat.read(path, as_version=4)) != english:
            raise ClassroomError(f"notebooks/{lang}/{path.name} does not have the English lesson's nbgrader tasks "
                                 f"and points: rebuild it (python -m course_tools.translations build)")
    return editions


def images_used(notebook):
    """The names of the pictures in images/ that the notebook links as ../images/NAME."""
    return sorted({name for cell in notebook.cells for name in IMAGE_LINK.findall(cell.source)})


def needs_mnist(notebook):
    return any("load_mnist" in cell.source for cell in notebook.cells if cell.cell_type == "code")


def prepare(lesson_path, folder, lang="en"):
    """Write folder/<stem>.ipynb (links to images/, no widget state), its images/ and, if it loads MNIST, data/mnist/;
    for a Korean or Japanese lesson also its language marker and catalogs (``course_language.txt``, ``locale/``)."""
    notebook = nbformat.read(lesson_path, as_version=4)
    folder.mkdir(parents=True, exist_ok=True)
    for name in images_used(notebook):
        (folder / "images" / name).parent.mkdir(parents=True, exist_ok=True)
        drawn = paths.images_dir() / lang / name
        shutil.copyfile(drawn if lang != "en" and drawn.is_file() else paths.images_dir() / name,
                        folder / "images" / name)
    if lang != "en":
        (folder / MARKER_FILE).write_text(lang + "\n", encoding="utf-8")
        messages = folder / "locale" / lang / "LC_MESSAGES"
        messages.mkdir(parents=True, exist_ok=True)
        for domain in (COURSE_DOMAIN, lesson_path.stem):  # the lesson's own words, no other lesson's
            compiled = paths.course_root() / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"
            if compiled.is_file():
                shutil.copyfile(compiled, messages / compiled.name)
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
