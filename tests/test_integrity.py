"""The grader's second opinion: code that could fool a lesson's tests is found in the source, never run.

Each case starts from a lesson's reference answers typed into its release (what an honest student hands
in: no finding) and adds one way of making tests pass without the right answer.
"""
import copy
import re

import nbformat
import pytest

from course_lib import paths
from course_tools.classroom.integrity import untrusted

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)
L7, L10 = "07_softmax_with_loss", "10_appendix_backprop_ninja"


def source(stem):
    return nbformat.read(paths.notebooks_dir() / f"{stem}.ipynb", as_version=4)


def release_of(notebook):
    """What generate_assignment makes of the cells' sources (stubs for solutions, hidden tests gone)."""
    released = copy.deepcopy(notebook)
    for cell in released.cells:
        cell.source = HIDDEN.sub("", SOLUTION.sub("# YOUR CODE HERE\nraise NotImplementedError()\n", cell.source))
    return released


def answered(notebook):
    """The release with the reference answers typed in."""
    submission = release_of(notebook)
    for cell, original in zip(submission.cells, notebook.cells):
        if original.metadata.get("nbgrader", {}).get("solution"):
            cell.source = MARKER_LINE.sub("", original.source)
    return submission


def index_of(notebook, grade_id):
    return next(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def findings_with(stem, answer_id, code, where="before"):
    """The findings for the answered lesson with ``code`` added to the answer cell ``answer_id``."""
    lesson = source(stem)
    submission = answered(lesson)
    cell = submission.cells[index_of(submission, answer_id)]
    cell.source = code + "\n" + cell.source if where == "before" else cell.source + "\n" + code
    return untrusted(submission, release_of(lesson), lesson)


def later_tests(stem, answer_id):
    lesson = source(stem)
    start = index_of(lesson, answer_id)
    return [cell.metadata.nbgrader["grade_id"] for cell in lesson.cells[start:]
            if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata.nbgrader.get("solution")]


@pytest.mark.parametrize("stem", [path.stem for path in paths.lesson_paths()])
def test_the_reference_answers_and_the_untouched_release_are_trusted(stem):
    lesson = source(stem)
    assert untrusted(answered(lesson), release_of(lesson), lesson) == []
    assert untrusted(release_of(lesson), release_of(lesson), lesson) == []


def test_rebinding_a_name_the_tests_call_fools_only_the_tests_that_use_it():
    found = findings_with(L7, "softmax-gradient-number", "rel_error = lambda a, b: 0.0")
    assert len(found) == 1 and found[0].what == "rebinds rel_error, which the tests use"
    assert found[0].tests == ["softmax-jacobian-test", "softmax-jacobian-vector-product-test", "stable-softmax-loss-test"]
    assert found[0].sentence().startswith("check not trusted: cell ") and "(softmax-gradient-number) rebinds rel_error" in found[0].sentence()


@pytest.mark.parametrize("code, phrase", [
    ("import course_lib.gradcheck\ncourse_lib.gradcheck.LayerCheck.passed = True", "changes course_lib.gradcheck.LayerCheck.passed"),
    ("np.allclose = lambda *args, **kwargs: True", "changes np.allclose"),
    ("exec('rel_' + 'error = lambda a, b: 0.0')", "calls exec()"),
    ("setattr(np, 'allclose', print)", "calls setattr()"),
    ("globals()['check_layer'] = print", "calls globals()"),
    ("import sys\nsys.modules['course_lib'].check_layer = print", "reaches sys.modules"),
    ("check_layer.__code__ = print.__code__", "check_layer.__code__"),
    ("%run my_checks.py", "calls get_ipython()"),
    ("!cp /tmp/x.py .", "calls get_ipython()"),
    ("import json", "imports json"),  # installed, so it could run: not a module the lessons need
    ("from importlib import reload", "imports importlib"),
    ("x = getattr(np, 'all' + 'close')", "getattr() with a computed name"),
])
def test_patching_or_reaching_into_what_the_tests_use_fools_every_later_test(code, phrase):
    found = findings_with(L7, "softmax-jacobian", code)
    assert any(phrase in finding.what for finding in found), [finding.what for finding in found]
    assert all(finding.tests == later_tests(L7, "softmax-jacobian") for finding in found)


def test_a_cell_the_student_added_or_an_edited_lesson_cell_counts_too():
    lesson = source(L7)
    submission = answered(lesson)
    submission.cells.insert(2, nbformat.v4.new_code_cell("def rel_error(a, b):\n    return 0.0"))
    submission.cells[1].source = submission.cells[1].source.replace("rel_error,", "check_layer as rel_error,")
    found = untrusted(submission, release_of(lesson), lesson)
    assert [(f.cell, f.label, f.what) for f in found] == [(2, None, "rebinds rel_error, which the tests use"), (3, None, "rebinds rel_error, which the tests use")]
    assert found[0].tests == found[1].tests == ["softmax-jacobian-test", "softmax-jacobian-vector-product-test", "stable-softmax-loss-test"]


def test_the_checker_s_hand_out_cannot_be_called_from_an_answer():
    found = findings_with(L10, "ninja-sums", 'd_sums = grads.reveal("sums")')
    assert "calls grads.reveal itself" in found[0].what
    found = findings_with(L10, "ninja-sums", 'try:\n    grads.check("sums", 0)\nexcept AssertionError:\n    pass\nd_sums = grads["sums"]')
    assert "calls grads.check itself, which hands out answers" in found[0].what
    assert "ninja-sums-test" in found[0].tests and "ninja-log_probs-test" not in found[0].tests
    assert "private grads._right" in findings_with(L10, "ninja-exps", 'd_exps = grads._right["exps"]')[0].what


def test_a_student_s_own_variables_and_helpers_are_not_the_lesson_s():
    code = ("import math\nimport numpy as np\n"
            "def helper(out, x):\n    out.grad = 1.0\n    x = x + 1\n    return x\n"
            "class Scratch:\n    rel_error = 3\n    def __init__(self):\n        self.check = 1\n")
    assert findings_with(L7, "softmax-jacobian", code) == []


def test_code_after_the_last_test_fools_nothing():
    lesson = source(L7)
    submission = answered(lesson)
    submission.cells.append(nbformat.v4.new_code_cell("rel_error = None\nnp.allclose = None"))
    assert untrusted(submission, release_of(lesson), lesson) == []


def test_an_import_that_can_only_fail_changes_nothing_but_a_module_handed_in_beside_the_notebook_could(tmp_path):
    assert findings_with(L7, "softmax-jacobian", "import no_such_module_for_the_course") == []
    lesson = source(L7)
    submission = answered(lesson)
    cell = submission.cells[index_of(submission, "softmax-jacobian")]
    cell.source = "import my_helpers\n" + cell.source
    (tmp_path / "my_helpers.py").write_text("import numpy\nnumpy.allclose = lambda *a, **k: True\n")
    found = untrusted(submission, release_of(lesson), lesson, folder=tmp_path)
    assert any("imports my_helpers" in finding.what for finding in found)



def test_the_answer_s_own_fresh_objects_may_change_but_the_lesson_s_may_not():
    # Lesson 4's training task binds w, b afresh and updates w.data, b.data: honest.
    assert findings_with("04_build_your_own_autograd", "autograd-train-neuron", "w, b = Tiny(1.0), Tiny(2.0)\nb.data = 3") == []
    # The same attribute change on an object the lesson made, not rebound by the cell, is flagged.
    found = findings_with("04_build_your_own_autograd", "autograd-train-neuron", "points.append((0.0, 0.0))\nnp.pi = 3", where="after")
    assert [finding.what for finding in found] == ["changes np.pi, which the tests may use"]
