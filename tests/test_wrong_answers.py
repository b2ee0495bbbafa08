"""Every task's typical wrong answers fail its test, and the failure names the mistake.

The wrong answers are data, one file per lesson: ``tests/wrong_answers/lesson_NN.py`` holds ``WRONG``,
{grade_id of an answer cell: [(mistake, code, pattern), ...]}. ``code`` goes between the answer cell's
``### BEGIN SOLUTION`` and ``### END SOLUTION`` instead of the answer (written unindented: it takes the
indentation of the ``### BEGIN SOLUTION`` line); a cell with several solution regions takes a tuple, one
string per region, ``None`` keeping the right one. ``pattern`` is a regular expression the first error must
match (searched in ``"ename: evalue"``): it names the mistake, so "wrong" alone is not enough.

Each lesson runs top to bottom in one kernel, as nbval runs it. At each answer cell, every wrong answer runs in
place of the answer, followed by the cells up to the task's last test cell; the first error they raise is the
verdict. Then the lesson goes on with the real answer. One test per wrong answer, so a failure says which
task accepted which mistake, or what it said instead.
"""
import copy
import functools
import importlib.util
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from course_lib import paths

DATA = Path(__file__).parent / "wrong_answers"
LESSONS = {path.name[:2]: path for path in paths.lesson_paths()}
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n?", re.S | re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT = 300


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def answer_cells(notebook):
    """[(index, grade_id)] of every answer cell (code, nbgrader solution) of ``notebook``."""
    return [(i, _meta(cell)["grade_id"]) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and _meta(cell).get("solution")]


def last_test_cell(cells, index):
    """Index of the last graded test cell after answer cell ``index`` of ``cells``, before the next answer cell."""
    last = None
    for j in range(index + 1, len(cells)):
        meta = _meta(cells[j])
        if meta.get("solution"):
            break
        if meta.get("grade"):
            last = j
    if last is None:
        raise AssertionError(f"answer cell {index} ({_meta(cells[index])['grade_id']}) has no test cell")
    return last


def with_wrong(source, code):
    """``source`` with each solution region replaced by the wrong code given for it (``None`` keeps it)."""
    regions = code if isinstance(code, tuple) else (code,)
    found = SOLUTION.findall(source)
    if len(found) != len(regions):
        raise AssertionError(f"the cell has {len(found)} solution regions, the wrong answer gives {len(regions)}")
    pieces = iter(regions)

    def put(match):
        piece = next(pieces)
        if piece is None:
            return match.group(0)
        return textwrap.indent(textwrap.dedent(piece).strip("\n") + "\n", match.group(1))
    return SOLUTION.sub(put, source)


def wrong_answers(stem):
    """WRONG of tests/wrong_answers/lesson_<stem>.py, or None if the lesson has no such file."""
    path = DATA / f"lesson_{stem}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"wrong_answers_lesson_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG


def _cases():
    for stem in LESSONS:
        for grade_id, wrongs in (wrong_answers(stem) or {}).items():
            for mistake, _code, _pattern in wrongs:
                yield pytest.param(stem, grade_id, mistake, id=f"lesson_{stem}-{grade_id}-{mistake}")


def _error_text(error):
    return ANSI.sub("", f"{error.ename}: {error.evalue}")


@functools.lru_cache(maxsize=None)
def verdicts(stem):
    """{(grade_id, mistake): the first error its wrong answer raised, or None if it raised none}.

    Raises if the lesson itself fails with its real answers (nbval would too)."""
    notebook = nbformat.read(LESSONS[stem], as_version=4)
    wrong = wrong_answers(stem) or {}
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(LESSONS[stem].parent)}})
    found = {}
    cells = [nbformat.from_dict(copy.deepcopy(cell)) for cell in notebook.cells]  # nbclient writes into its own
    with client.setup_kernel():
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            grade_id = _meta(cell).get("grade_id") if _meta(cell).get("solution") else None
            for mistake, code, _pattern in wrong.get(grade_id, []):
                found[grade_id, mistake] = _run_wrong(client, cells, index, code)
            client.execute_cell(cell, index)
    return found


def _run_wrong(client, cells, index, code):
    """Run answer cell ``index`` with ``code`` instead of its answer, then the cells up to its last test."""
    answer = cells[index]
    run = [nbformat.from_dict({**copy.deepcopy(answer), "source": with_wrong(answer.source, code), "outputs": []})]
    run += [nbformat.from_dict({**copy.deepcopy(cells[j]), "outputs": []})
            for j in range(index + 1, last_test_cell(cells, index) + 1) if cells[j].cell_type == "code"]
    for cell in run:
        try:
            client.execute_cell(cell, index)
        except CellExecutionError as error:
            return _error_text(error)
    return None


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_every_task_has_its_wrong_answers(stem):
    wrong = wrong_answers(stem)
    assert wrong is not None, f"lesson {stem} has no tests/wrong_answers/lesson_{stem}.py"
    notebook = nbformat.read(LESSONS[stem], as_version=4)
    tasks = [grade_id for _, grade_id in answer_cells(notebook)]
    missing = [grade_id for grade_id in tasks if not wrong.get(grade_id)]
    unknown = sorted(set(wrong) - set(tasks))
    assert not missing, f"lesson {stem}: no wrong answers for the tasks {missing}"
    assert not unknown, f"lesson {stem}: wrong answers for tasks the lesson does not have: {unknown}"
    for grade_id, wrongs in wrong.items():
        mistakes = [mistake for mistake, _, _ in wrongs]
        assert len(mistakes) == len(set(mistakes)), f"lesson {stem}, {grade_id}: a mistake is listed twice"


@pytest.mark.parametrize("stem, grade_id, mistake", list(_cases()))
def test_wrong_answer_fails_and_names_the_mistake(stem, grade_id, mistake):
    pattern = next(p for m, _, p in wrong_answers(stem)[grade_id] if m == mistake)
    said = verdicts(stem)[grade_id, mistake]
    assert said is not None, f"lesson {stem}, task {grade_id}: the test accepted a wrong answer ({mistake})"
    assert re.search(pattern, said), (
        f"lesson {stem}, task {grade_id}: the wrong answer ({mistake}) failed, but the message does not match "
        f"{pattern!r}; it said:\n{said[:2000]}")


def test_with_wrong_keeps_the_indentation_and_the_other_regions():
    source = ("def f(x):\n    ### BEGIN SOLUTION\n    y = x\n    ### END SOLUTION\n    return y\n"
              "### BEGIN SOLUTION\nz = 1\n### END SOLUTION\n")
    assert with_wrong(source, ("y = -x\nprint(y)", None)) == (
        "def f(x):\n    y = -x\n    print(y)\n    return y\n### BEGIN SOLUTION\nz = 1\n### END SOLUTION\n")
    with pytest.raises(AssertionError, match="2 solution regions"):
        with_wrong(source, "y = 0")
