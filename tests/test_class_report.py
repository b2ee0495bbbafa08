"""The class report, on submissions graded by the real nbgrader.

Lessons 05 and 06 are released into a temporary course; lesson 06 (three check_layer tasks) gets seven
submissions with known mistakes (a transposed dW, a missing sum over the batch for db, wrong signs, a blank
notebook, a deleted answer cell, an unnamed wrong db), a student on the roster hands in nothing, and nobody hands
in lesson 05.  ``grade`` grades them; the report must name each mistake with the right number of students.
The class of 300 and the class of 1 are copies of that course whose gradebooks are changed with nbgrader's
own API (``Gradebook.add_submission``, ``remove_submission``), with copies of the autograded notebooks.
"""
import csv
import re
import shutil
from html.parser import HTMLParser

import nbformat
import numpy as np
import pytest

from course_lib import paths
from course_lib.diagnosis import MISTAKES, diagnose, find_mistakes
from course_tools.classroom import grade, release
from course_tools.classroom.course import ClassroomError, nbgrader_api
from course_tools.classroom.report import build
from course_tools.classroom.report_findings import mask_numbers, problem_kinds

L5, L6 = "05_activation_layers", "06_affine_and_batches"
BACKWARD, COLUMNS, SCALE = "affine-backward-test", "affine-columns-square-test", "affine-scale-shift-test"
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)
GRADE_TIMEOUT = 60
DEVNULL = open("/dev/null", "w")

# (answer cell, the right line, the student's line) for each student's mistakes
EDITS = {
    "ada": [],
    "tess": [("affine-backward", "self.dW = self.x.T @ dout", "self.dW = dout.T @ self.x"),          # transposed dW
             ("affine-columns-square", "self.dW = dout @ self.x.T", "self.dW = self.x @ dout.T")],  # ... square
    "tom": [("affine-backward", "self.dW = self.x.T @ dout", "self.dW = dout.T @ self.x"),
            ("affine-scale-shift", "dx = dout * self.gamma", "dx = -dout * self.gamma")],          # wrong sign dx
    "sam": [("affine-backward", "self.db = dout.sum(axis=0)", "self.db = dout"),                   # missing sum db
            ("affine-scale-shift", "self.dbeta = dout.sum(axis=0)", "self.dbeta = dout")],         # ... dbeta
    "wes": [("affine-backward", "dx = dout @ self.W.T", "dx = -(dout @ self.W.T)"),                # wrong sign dx
            ("affine-backward", "self.db = dout.sum(axis=0)", "self.db = dout.sum(axis=0) + 1.0")],  # unnamed
    "del": [],
}


def release_notebook(course, stem):
    return nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)


def answered(course, stem, edits=()):
    """The release notebook with the reference answers typed in, each edit (answer, right, wrong) applied."""
    notebook = release_notebook(course, stem)
    source = nbformat.read(paths.notebooks_dir() / f"{stem}.ipynb", as_version=4)
    answers = {cell.metadata["nbgrader"]["grade_id"]: MARKER_LINE.sub("", cell.source) for cell in source.cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    for answer, right, wrong in edits:
        assert right in answers[answer], (answer, right)
        answers[answer] = answers[answer].replace(right, wrong)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def submit(course, student, stem, notebook):
    folder = course / "submitted" / student / stem
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{stem}.ipynb")


def make_graded_course(course, students=tuple(EDITS) + ("blank",)):
    """Release lessons 05 and 06 into ``course``, submit lesson 06 for ``students``, add "absent", grade."""
    release(course, [L5, L6], out=DEVNULL)
    for student in students:
        if student == "blank":
            notebook = release_notebook(course, L6)
        else:
            notebook = answered(course, L6, EDITS[student])
        if student == "del":  # the answer cell deleted, its code in a plain cell: grade gives the task 0
            index = next(i for i, cell in enumerate(notebook.cells)
                         if cell.metadata.get("nbgrader", {}).get("grade_id") == "affine-scale-shift")
            notebook.cells[index] = nbformat.v4.new_code_cell(notebook.cells[index].source)
        submit(course, student, L6, notebook)
    gradebook = nbgrader_api(course).gradebook
    try:
        gradebook.add_student("absent")  # on the roster, hands in nothing
    finally:
        gradebook.close()
    grade(course, timeout=GRADE_TIMEOUT, feedback=False, out=DEVNULL)
    return course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return make_graded_course(tmp_path_factory.mktemp("report") / "course")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


class Tables(HTMLParser):
    """Every <table> of a page as {caption: [row, ...]} (rows of cell texts, header row first)."""

    def __init__(self, text):
        super().__init__()
        self.tables, self._caption, self._row, self._cell, self._in_caption = {}, None, None, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
            self.tables[self._caption] = []
        elif tag in ("td", "th"):
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.tables[self._caption].append(self._row)

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def mistakes_in(rows, lesson=L6):
    """{(task, mistake, gradient): students} of mistakes.csv rows."""
    return {(row["task"], row["mistake"], row["gradient"]): int(row["students"]) for row in rows if row["lesson"] == lesson}


EXPECTED_MISTAKES = {
    (BACKWARD, "transposed", "dW"): 2,
    (BACKWARD, "missing sum over the batch", "db"): 1,
    (BACKWARD, "wrong sign", "dx"): 1,
    (COLUMNS, "transposed", "dW"): 1,
    (SCALE, "wrong sign", "dx"): 1,
    (SCALE, "missing sum over the batch", "dbeta"): 1,
}


# ----------------------------------------------------------------- the one table of mistakes

@pytest.mark.parametrize("name", ["it", "d_scores", None])
def test_every_sentence_diagnose_writes_is_found_again_from_the_table(name):
    rng = np.random.default_rng(0)
    right, square, bias = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)), rng.standard_normal(3)
    cases = [(np.full((4, 3), np.nan), right), (-right, right), (square.T, square), (4 * right, right),
             (right / 4, right), (2.5 * right, right), (np.tile(bias / 4, (4, 1)), bias), (right.T, right)]
    shares = rng.standard_normal((4, 3))  # each sample's share of a bias gradient
    cases = [(mine, truth, None, 0) for mine, truth in cases] + [(shares[2], shares.sum(axis=0), shares, 0)]
    cases += [(np.tile(bias[:, None] / 4, (1, 4)), bias, None, 1),  # samples as columns, the sum missing
              (shares.sum(axis=1), shares.sum(axis=0), shares, 0),  # summed over the wrong axis
              (bias.reshape(3, 1), bias, None, 0)]  # right numbers, wrong shape
    seen = set()
    for mine, truth, per_sample, batch_axis in cases:
        sentence = diagnose(mine, truth, 4, **({} if name is None else {"name": name}), per_sample=per_sample,
                            batch_axis=batch_axis)
        found = find_mistakes(f"✘ Layer: gradient for W is wrong. Likely: {sentence}")
        assert len(found) == 1 and found[0][1] == (name or "the gradient"), sentence
        assert any(p.search(sentence) for p in found[0][0].patterns), sentence
        seen.add(found[0][0].id)
    assert seen == {mistake.id for mistake in MISTAKES}


def test_numbers_are_masked_and_problem_lines_split():
    assert mask_numbers("∂e/∂a is 3, expected 2") == mask_numbers("∂e/∂a is 7, expected 2") == "∂e/∂a is #, expected #"
    assert mask_numbers("d_W2 of 06_affine has shape (4, 2), error 1.3e-05") == "d_W2 of 06_affine has shape (#, #), error #"
    line = ("cell 12 ran longer than 30 s and was stopped; cell 14 called sys.exit(); the notebook was graded on; "
            "answer cell affine-backward was deleted: that task scores 0")
    assert problem_kinds(line) == ["cell # ran longer than # s and was stopped",
                                   "cell # called sys.exit(); the notebook was graded on",
                                   "answer cell affine-backward was deleted: that task scores #"]


def failed_cell(error, printed=""):
    """A test cell as nbgrader's autograde leaves it: what it printed, then the error it raised."""
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)] if printed else []
    outputs.append(nbformat.v4.new_output("error", ename=type(error).__name__, evalue=str(error), traceback=[]))
    return nbformat.v4.new_code_cell("check()", outputs=outputs)


def raised(check):
    try:
        check()
    except AssertionError as error:
        return error
    raise AssertionError("the check passed")


def test_intermediate_grads_and_plain_assertions_are_read_from_the_error():
    from course_lib.intermediates import IntermediateGrads
    from course_tools.classroom.report_findings import FAILURE, MISTAKE, cell_findings

    x = np.random.default_rng(1).standard_normal((4, 3))
    grads = IntermediateGrads(lambda tape: float(np.sum(tape("scores", x) ** 2)), batch_size=4)
    wrong_sign = raised(lambda: grads.check("scores", -2 * x))
    assert [(f.kind, f.label, f.gradient) for f in cell_findings(failed_cell(wrong_sign))] == [
        (MISTAKE, "wrong sign", "d_scores")]
    summed = raised(lambda: grads.check("scores", np.tile(2 * x, (5, 1, 1)) / 5))
    assert [(f.kind, f.label, f.gradient) for f in cell_findings(failed_cell(summed))] == [
        (MISTAKE, "missing sum over the batch", "d_scores")]
    three, seven = (cell_findings(failed_cell(AssertionError(f"∂e/∂a is {n}, expected d = b + 1 = 2"))) for n in (3, 7))
    assert three[0].key == seven[0].key == (FAILURE, "∂e/∂a is #, expected d = b + # = #", "")
    assert three[0].example == "∂e/∂a is 3, expected d = b + 1 = 2"
    typo = cell_findings(failed_cell(NameError("name 'MyAffine' is not defined")))
    assert typo[0].label == "NameError: name 'MyAffine' is not defined"


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_check_layer_verdicts_are_read_in_every_edition_s_language(lang):
    """A Korean or Japanese class's autograded notebooks hold check_layer's verdicts in that language: the report
    finds the same mistakes, on the same gradients, as in English."""
    from course_lib.gradcheck import check_layer
    from course_lib.i18n import using_language
    from course_tools.classroom.report_findings import MISTAKE, cell_findings

    class Swapped:  # dW transposed (square W), db one row per sample, dx of the wrong sign
        def __init__(self):
            self.W, self.b = np.random.default_rng(2).standard_normal((3, 3)), np.zeros(3)

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW, self.db = (self.x.T @ dout).T, dout.copy()
            return -(dout @ self.W.T)

    x = np.random.default_rng(3).standard_normal((4, 3))
    with using_language(lang):
        printed = str(check_layer(Swapped(), x))
    assert ("✘ Swapped: gradient for input is wrong" in printed) == (lang == "en")
    findings = cell_findings(failed_cell(AssertionError("check_layer failed"), printed=printed + "\n"))
    assert sorted((f.kind, f.label, f.gradient) for f in findings) == [
        (MISTAKE, "missing sum over the batch", "db"), (MISTAKE, "transposed", "dW"), (MISTAKE, "wrong sign", "dx")]


# ----------------------------------------------------------------- a class of eight

def test_the_report_names_each_mistake_with_its_students(graded):
    page = build(graded, out=DEVNULL)
    assert page == graded / "report" / "index.html"
    assert mistakes_in(read_csv(graded / "report" / "mistakes.csv")) == EXPECTED_MISTAKES
    rows = read_csv(graded / "report" / "mistakes.csv")
    assert [int(row["students"]) for row in rows] == sorted((int(row["students"]) for row in rows), reverse=True)
    names = {(row["task"], row["mistake"], row["gradient"]): row["names"] for row in rows}
    assert names[(BACKWARD, "transposed", "dW")] == "tess tom"
    tables = Tables(page.read_text(encoding="utf-8")).tables
    shown = tables[f"{L6}: named mistakes, by students hit: the numbers"]
    assert shown[0] == ["task", "mistake", "gradient", "students"]
    assert shown[1] == [BACKWARD, "transposed", "dW", "2"]
    assert {(task, mistake, gradient): int(count) for task, mistake, gradient, count in shown[1:]} == EXPECTED_MISTAKES
    across = tables["Named mistakes across the lessons, by students hit: the numbers"]
    assert across[1] == [L6, BACKWARD, "transposed", "dW", "2"] and len(across) == 1 + len(EXPECTED_MISTAKES)


def test_pass_shares_follow_the_gradebook_in_the_lessons_order(graded):
    build(graded, out=DEVNULL)
    tasks = [row for row in read_csv(graded / "report" / "tasks.csv") if row["lesson"] == L6]
    assert [(row["task"], row["points"], row["handed_in"], row["passed"]) for row in tasks] == [
        (BACKWARD, "3", "7", "2"), (COLUMNS, "3", "7", "5"), (SCALE, "2", "7", "3")]
    assert [float(row["share_passed"]) for row in tasks] == [28.6, 71.4, 42.9]
    table = Tables((graded / "report" / "index.html").read_text(encoding="utf-8")).tables[f"{L6}: tasks in the lesson's order"]
    assert table[1:] == [[BACKWARD, "3", "2", "7", "29 %"], [COLUMNS, "3", "5", "7", "71 %"], [SCALE, "2", "3", "7", "43 %"]]


def test_scores_unanswered_failures_problems_and_who_handed_in_nothing(graded):
    page = build(graded, out=DEVNULL).read_text(encoding="utf-8")
    scores = {row["student"]: row for row in read_csv(graded / "report" / "scores.csv") if row["lesson"] == L6}
    assert {student: row["score"] for student, row in scores.items()} == {
        "ada": "8", "del": "6", "tess": "2", "tom": "3", "sam": "3", "wes": "5", "blank": "0", "absent": ""}
    assert scores["absent"]["handed_in"] == "no"
    distribution = {row["score_from"]: int(row["students"]) for row in read_csv(graded / "report" / "distribution.csv")
                    if row["lesson"] == L6}
    assert distribution == {"0": 1, "1": 0, "2": 1, "3": 2, "4": 0, "5": 1, "6": 1, "7": 0, "8": 1}
    failures = [(row["task"], row["kind"], row["students"], row["names"]) for row in read_csv(graded / "report" / "failures.csv")]
    assert failures == [(BACKWARD, "unanswered", "1", "blank"), (BACKWARD, "failure", "1", "wes"),
                        (COLUMNS, "unanswered", "1", "blank"), (SCALE, "unanswered", "1", "blank")]
    unnamed = [row for row in read_csv(graded / "report" / "failures.csv") if row["kind"] == "failure"][0]
    assert unnamed["message"].startswith("✘ MyAffine: gradient for b is wrong (relative error #)")
    problems = read_csv(graded / "report" / "problems.csv")
    assert [(row["problem"], row["names"]) for row in problems] == [
        ("answer cell affine-scale-shift was deleted: that task scores #", "del")]
    assert "7 of 8 students handed it in; 1 handed in nothing." in page
    assert f"Nobody has handed in {L5} yet (8 students in the class)" in page
    for student in ("tess", "tom", "absent"):
        assert f">{student}<" not in page and f" {student} " not in page  # the page names nobody


def test_one_lesson_gets_its_own_page_and_csvs(graded, capsys):
    from course_tools.classroom.__main__ import main

    assert main(["report", str(graded), L6]) == 0
    page = graded / "report" / f"{L6}.html"
    assert str(page) in capsys.readouterr().out
    assert mistakes_in(read_csv(graded / "report" / f"{L6}-mistakes.csv")) == EXPECTED_MISTAKES
    assert L5 not in page.read_text(encoding="utf-8")
    assert main(["report", str(graded), "no_such_lesson"]) == 2
    assert "was not released" in capsys.readouterr().err


def test_the_page_is_self_contained_and_every_picture_is_described(graded):
    text = build(graded, out=DEVNULL).read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "<h1>" in text
    assert not re.search(r"""(src|href)=["']?https?:""", text) and "<script" not in text
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    assert len(svgs) == 4  # across the class; lesson 06's tasks, scores and mistakes
    for svg in svgs:
        opening = re.match(r"<svg\b[^>]*>", svg).group(0)
        assert 'role="img"' in opening
        title, desc = re.search(r'aria-labelledby="(\S+) (\S+)"', opening).groups()
        assert f'<title id="{title}">' in svg and f'<desc id="{desc}">' in svg
    assert "transposed: dW (affine-backward-test): 2 students" in text  # the mistakes plot's description
    assert len(set(re.findall(r'\bid="([^"]+)"', text))) == len(re.findall(r'\bid="([^"]+)"', text))


def test_report_refuses_a_folder_that_is_not_a_course(tmp_path):
    with pytest.raises(ClassroomError, match="not a course folder"):
        build(tmp_path, out=DEVNULL)


# ----------------------------------------------------------------- a class of 300, a class of 1

def copy_course(graded, folder):
    course = folder / "course"
    shutil.copytree(graded, course, ignore=shutil.ignore_patterns("report"))
    return course


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission, harmless (as in grade.py)
def test_a_class_of_300(graded, tmp_path):
    course = copy_course(graded, tmp_path)
    templates = ["tess", "sam", "ada"]  # student i hands in what templates[i % 3] did
    gradebook = nbgrader_api(course).gradebook
    try:
        scores = {name: {grade.name: grade.auto_score for grade in
                         gradebook.find_submission_notebook(L6, L6, name).grades} for name in templates}
        for number in range(300):
            student, template = f"s{number:03d}", templates[number % 3]
            gradebook.add_student(student)
            submission = gradebook.add_submission(L6, student)
            for grade_ in submission.notebooks[0].grades:
                grade_.auto_score = scores[template][grade_.name]
            shutil.copytree(course / "autograded" / template / L6, course / "autograded" / student / L6)
        gradebook.db.commit()
    finally:
        gradebook.close()
    build(course, out=DEVNULL)
    expected = dict(EXPECTED_MISTAKES)
    expected[(BACKWARD, "transposed", "dW")] += 100
    expected[(COLUMNS, "transposed", "dW")] += 100
    expected[(BACKWARD, "missing sum over the batch", "db")] += 100
    expected[(SCALE, "missing sum over the batch", "dbeta")] += 100
    assert mistakes_in(read_csv(course / "report" / "mistakes.csv")) == expected
    tasks = [row for row in read_csv(course / "report" / "tasks.csv") if row["lesson"] == L6]
    assert [(row["handed_in"], row["passed"]) for row in tasks] == [("307", "102"), ("307", "205"), ("307", "203")]
    page = (course / "report" / "index.html").read_text(encoding="utf-8")
    assert "307 of 308 students handed it in; 1 handed in nothing." in page


def test_a_class_of_one(graded, tmp_path):
    course = copy_course(graded, tmp_path)
    gradebook = nbgrader_api(course).gradebook
    try:
        for student in [student.id for student in gradebook.students if student.id != "tess"]:
            if student != "absent":
                gradebook.remove_submission(L6, student)
            gradebook.remove_student(student)
    finally:
        gradebook.close()
    rows = [row for row in read_csv(course / "grades.csv") if row["student"] == "tess"]
    with open(course / "grades.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    page = build(course, out=DEVNULL).read_text(encoding="utf-8")
    assert mistakes_in(read_csv(course / "report" / "mistakes.csv")) == {
        (BACKWARD, "transposed", "dW"): 1, (COLUMNS, "transposed", "dW"): 1}
    tasks = [row for row in read_csv(course / "report" / "tasks.csv") if row["lesson"] == L6]
    assert [(row["handed_in"], row["passed"], row["share_passed"]) for row in tasks] == [
        ("1", "0", "0.0"), ("1", "0", "0.0"), ("1", "1", "100.0")]
    assert "1 of 1 students handed it in." in page and "1 student in the class" in page
