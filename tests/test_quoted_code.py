"""Code that a lesson quotes from course_lib is still what course_lib says.

A lesson may show lines of a layer's source as text (a markdown code block after the marker
``<!-- quoted from course_lib``), under a comment naming where they come from (``# Affine.backward``).
The student install ships some of those files without their source, so a lesson cannot read them at
run time; this test keeps the quotes and the layers from drifting apart.
"""
import inspect
import re

import nbformat
import pytest

import course_lib
from course_lib import paths

MARKER = "<!-- quoted from course_lib"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
WHERE = re.compile(r"# (\w+)\.(\w+)$")


def quotes():
    """[(lesson, 'Class.method', line)] for every quoted line of every lesson."""
    found = []
    for path in paths.lesson_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown" or MARKER not in cell.source:
                continue
            for block in BLOCK.findall(cell.source):
                where = None
                for line in block.splitlines():
                    named = WHERE.match(line.strip())
                    if named:
                        where = named.groups()
                    elif line.strip():
                        assert where, f"{path.stem}: the quoted line {line!r} does not say which method it comes from"
                        found.append((path.stem, where, line.split("  #")[0].strip()))
    return found


def test_the_lessons_quote_course_lib_somewhere():
    assert {stem for stem, _, _ in quotes()} >= {"11_appendix_four_equations", "12_appendix_more_layers"}


@pytest.mark.parametrize("stem, where, line", quotes())
def test_every_quoted_line_is_in_the_method_it_names(stem, where, line):
    cls, method = where
    source = [text.split("  #")[0].strip() for text in inspect.getsource(getattr(getattr(course_lib, cls), method)).splitlines()]
    assert line in source, f"{stem} quotes {line!r} from {cls}.{method}, which no longer has that line"
