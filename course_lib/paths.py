"""Where the course's own files are: the one place that knows the repository's layout.

The course is a checkout (or an unzipped copy) holding ``notebooks/``, ``data/mnist/`` and
``images/``.  ``course_root()`` finds it, in this order:

1. the environment variable COURSE_ROOT, if set;
2. the folder above this package, when course_lib is used from the checkout (``pip install -e .``);
3. the current directory or one of its parents (a lesson runs in ``notebooks/``), which is how a
   course_lib installed with ``pip install .`` still finds the course it came with.

Everything that needs a path of the course asks here (``mnist_dir``, ``notebooks_dir``, ...).
"""
import os
from pathlib import Path

from .errors import CourseFileNotFoundError

ENV_VAR = "COURSE_ROOT"
PACKAGE_DIR = Path(__file__).resolve().parent
MARKER = Path("data") / "mnist" / "SHA256SUMS"  # a folder holding this is the course


def course_root():
    """The course's top folder (a Path), or None when no copy of the course can be found."""
    candidates = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    here = Path.cwd()
    candidates += [PACKAGE_DIR.parent, here, *here.parents]
    for folder in candidates:
        if (folder / MARKER).is_file():
            return folder.resolve()
    return None


def _in_course(*parts):
    root = course_root()
    if root is None:
        raise CourseFileNotFoundError(
            f"can't find the course folder (one holding {MARKER}): run from inside the course's "
            f"folder, or set {ENV_VAR}=/path/to/the/course"
        )
    return root.joinpath(*parts)


def mnist_dir():
    """The shipped MNIST folder, data/mnist."""
    return _in_course("data", "mnist")


def notebooks_dir():
    """The lessons' folder, notebooks/."""
    return _in_course("notebooks")


def images_dir():
    """The pictures' folder, images/."""
    return _in_course("images")


def edition_path(lesson, lang):
    """Where the ``lang`` edition of the lesson at ``lesson`` lives (``notebooks/<lang>/NAME``; it may not exist
    yet); English is the lesson itself."""
    lesson = Path(lesson)
    return lesson if lang == "en" else lesson.parent / lang / lesson.name


def lesson_paths():
    """Every lesson, ``notebooks/NN_*.ipynb``, in order: lists of lessons are derived from the folder."""
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
