"""Grading with real nbgrader: a faked pass earns nothing, and grades.csv names it.

Lessons 07 (check_layer, rel_error, quizzes) and 10 (IntermediateGrads, 19 tasks) are released into a
temporary course; each submission is the reference answers plus one way of fooling the tests, which would
have scored points before the grader read the student's code (the points it would have had are in
``FOOLED``: measured with the checks off).
"""
import csv
import re

import nbformat
import pytest

from course_lib import paths
from course_tools.classroom import grade, release

L7, L10 = "07_softmax_with_loss", "10_appendix_backprop_ninja"
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)
GRADE_TIMEOUT = 30


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course_dir = tmp_path_factory.mktemp("trust") / "course"
    release(course_dir, [L7, L10], out=open("/dev/null", "w"))
    return course_dir


def released(course, stem):
    return nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)


def answered(course, stem):
    notebook = released(course, stem)
    source = {cell.metadata["nbgrader"]["grade_id"]: cell.source
              for cell in nbformat.read(paths.notebooks_dir() / f"{stem}.ipynb", as_version=4).cells
              if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in source:
            cell.source = MARKER_LINE.sub("", source[grade_id])
    return notebook


def with_code(notebook, grade_id, code):
    """The notebook with the answer cell grade_id's code replaced by ``code``."""
    cell = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = code
    return notebook


def submit(course, student, stem, notebook):
    folder = course / "submitted" / student / stem
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{stem}.ipynb")


@pytest.fixture(scope="module")
def rows(course):
    blank10 = released(course, L10)
    # every d_x copied from the checker: the hand-out first asked for with a junk answer
    cheat10 = released(course, L10)
    for cell in cheat10.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            name = meta["grade_id"].removeprefix("ninja-")
            cell.source = (f"try:\n    grads.check({name!r}, 0)\nexcept AssertionError:\n    pass\n"
                           f"d_{name} = grads[{name!r}]\n")
    reveal10 = released(course, L10)
    for cell in reveal10.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            name = meta["grade_id"].removeprefix("ninja-")
            cell.source = f"d_{name} = grads.reveal({name!r})\n"
    # lesson 7: blank answers, but the first answer cell makes the checkers always pass
    patch7 = with_code(released(course, L7), "softmax-gradient-number",
                       "answer = -0.341\nrel_error = lambda a, b: 0.0\n"
                       "import course_lib.gradcheck\ncourse_lib.gradcheck.LayerCheck.passed = True")
    submit(course, "honest", L10, answered(course, L10))
    submit(course, "honest", L7, answered(course, L7))
    submit(course, "blank", L10, blank10)
    submit(course, "handout", L10, cheat10)
    submit(course, "reveal", L10, reveal10)
    submit(course, "patcher", L7, patch7)
    with open(course / "grade-log.txt", "w") as out:
        grade(course, timeout=GRADE_TIMEOUT, feedback=False, out=out)
    with open(course / "grades.csv", newline="") as file:
        return {(row["student"], row["assignment"]): row for row in csv.DictReader(file)}


def test_honest_answers_keep_full_marks_and_no_problem(rows):
    for stem in (L7, L10):
        row = rows[("honest", stem)]
        assert float(row["score"]) == float(row["max_score"]) > 0 and row["problem"] == "", row


def test_an_unanswered_lesson_10_scores_nothing_though_each_check_hands_out_its_gradient(rows):
    assert float(rows[("blank", L10)]["score"]) == 0


def test_gradients_taken_from_the_checker_earn_nothing_and_are_named(rows):
    row = rows[("handout", L10)]
    assert float(row["score"]) == 0, row
    assert "check not trusted" in row["problem"] and "calls grads.check itself, which hands out answers" in row["problem"]
    row = rows[("reveal", L10)]
    assert float(row["score"]) == 0 and "grads.reveal" in row["problem"], row


def test_patched_checkers_earn_nothing_and_are_named(rows):
    row = rows[("patcher", L7)]
    assert float(row["score"]) == 0, row  # the patch is in the first answer cell: every test after it is untrusted
    assert "rebinds rel_error" in row["problem"] and "changes course_lib.gradcheck.LayerCheck.passed" in row["problem"]


def test_the_class_report_counts_the_untrusted_checks(course, rows):
    from course_tools.classroom import report

    page = report.build(course, L10, out=open("/dev/null", "w"))
    problems = (page.parent / f"{L10}-problems.csv").read_text(encoding="utf-8")
    assert "check not trusted" in problems and "calls grads.check itself" in problems and "grads.reveal" in problems
    assert "check not trusted" in page.read_text(encoding="utf-8")
