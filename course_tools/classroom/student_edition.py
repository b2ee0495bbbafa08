"""The student edition of any notebooks, made by ``nbgrader generate_assignment`` in a temporary course folder.

``release`` makes it for the course's lessons, in a course folder a teacher keeps; the handouts need it
for whatever notebooks they are given, and nothing else of a course folder.  Both ask nbgrader's own API
(``course.nbgrader_api``) with the course's settings (``course.CONFIG_TEXT``), so the two editions are
made by the same preprocessors with the same stub.
"""
import io
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import nbformat

from . import course
from .course import ClassroomError


def generate(notebook_paths):
    """{path: student edition (NotebookNode)} of each notebook, as ``nbgrader generate_assignment`` writes it.

    notebook_paths: notebooks with distinct file names (each becomes an assignment named by its stem).
    Nothing is written outside a temporary folder; the notebooks themselves are only read.
    """
    paths = [Path(path) for path in notebook_paths]
    stems = [path.stem for path in paths]
    if len(set(stems)) != len(stems):
        repeated = sorted({stem for stem in stems if stems.count(stem) > 1})
        raise ClassroomError(f"two notebooks are named {', '.join(repeated)}: give notebooks with distinct names")
    editions = {}
    with tempfile.TemporaryDirectory(prefix="student-edition-") as tmp:
        course_dir = Path(tmp) / "course"
        course_dir.mkdir()
        (course_dir / course.CONFIG_FILE).write_text(course.CONFIG_TEXT, encoding="utf-8")
        api = course.nbgrader_api(course_dir)
        for path in paths:
            (course_dir / "source" / path.stem).mkdir(parents=True)
            (course_dir / "source" / path.stem / path.name).write_bytes(path.read_bytes())
            with redirect_stdout(io.StringIO()):
                result = api.generate_assignment(path.stem, force=True, create=True)
            if not result["success"]:
                raise ClassroomError(f"nbgrader generate_assignment failed for {path}:\n"
                                     f"{result.get('error') or result.get('log')}")
            editions[path] = nbformat.read(course_dir / "release" / path.stem / path.name, as_version=4)
    return editions
