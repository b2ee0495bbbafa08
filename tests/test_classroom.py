"""The classroom pipeline with the real nbgrader: release, the student edition, grade.

One release of every lesson into a temporary course folder (module fixture) serves all tests.
Every lesson's student edition is run top to bottom from its release folder alone (COURSE_ROOT set
to it, so its pictures and MNIST must travel with it).  Grading uses lessons 01 and 03 (three
tasks each), with a submission for each kind of bad submission.
"""
import copy
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_lib import paths
from course_tools.classroom import grade, release, self_study
from course_tools.classroom.__main__ import main
from course_tools.classroom.course import ClassroomError
from course_tools.classroom.lessons import task_cells
from course_tools.classroom.lms import CANVAS_REGEXP, MOODLE_REGEXP

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)
GRADE_TIMEOUT = 10  # seconds per cell while grading; lessons 01 and 03 need well under 1 s a cell


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course_dir = tmp_path_factory.mktemp("class") / "course"
    release(course_dir, out=open("/dev/null", "w"))
    return course_dir


def lessons():
    return [path.stem for path in paths.lesson_paths()]


def source_notebook(stem):
    return nbformat.read(paths.notebooks_dir() / f"{stem}.ipynb", as_version=4)


def release_notebook(course, stem):
    return nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)


def without_solutions(notebook):
    return "\n".join(HIDDEN.sub("", SOLUTION.sub("", cell.source)) for cell in notebook.cells)


def distinctive_solution_lines(notebook):
    """Lines of the solutions and hidden tests that the course's lessons show nowhere else.

    (Lesson 09 quotes Affine's backward as lesson text, so lesson 05's `self.dW = ...` is not distinctive.)"""
    hidden_text = [m for cell in notebook.cells for m in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source)]
    rest = "\n".join(without_solutions(source_notebook(stem)) for stem in lessons())
    lines = {line.strip() for text in hidden_text for line in text.splitlines() if len(line.strip()) > 8}
    return {line for line in lines if line not in rest}


def test_every_lesson_is_released_with_its_tasks(course):
    for stem in lessons():
        released, source = release_notebook(course, stem), source_notebook(stem)
        assert task_cells(released) == task_cells(source) != [], stem
        assert (course / "source" / stem / f"{stem}.ipynb").is_file()
    assert (course / "gradebook.db").is_file() and (course / "nbgrader_config.py").is_file()
    assert (course / "release" / "09_training_on_mnist" / "data" / "mnist" / "SHA256SUMS").is_file()
    assert (course / "release" / "03_gates" / "images" / "gate_mul.svg").is_file()


def test_no_solution_code_or_output_in_any_release_file(course):
    files = [path for path in (course / "release").rglob("*") if path.is_file()]
    contents = {path: path.read_bytes() for path in files}
    for stem in lessons():
        lines = distinctive_solution_lines(source_notebook(stem))
        assert lines, f"{stem}: no distinctive solution lines found"
        for line in lines:
            hits = [path.name for path, data in contents.items() if line.encode() in data]
            assert not hits, f"{stem}: solution line {line!r} is in {hits}"
        notebook = release_notebook(course, stem)
        assert "widgets" not in notebook.metadata, stem
        for cell in notebook.cells:
            assert "attachments" not in cell, stem
            assert cell.cell_type != "code" or cell.outputs == [], f"{stem}: a cell of the release keeps its output"
            assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source, stem


@pytest.mark.parametrize("stem", lessons())
def test_student_edition_runs_with_only_exercise_cells_failing(course, stem, monkeypatch):
    folder = course / "release" / stem
    monkeypatch.setenv("COURSE_ROOT", str(folder))  # the lesson's folder must be enough (its data, its pictures)
    notebook = release_notebook(course, stem)
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    failing = {}
    for cell in notebook.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors:
            failing[cell.metadata.get("nbgrader", {}).get("grade_id", cell.source[:60])] = errors[0].ename
    tests = {test for _, test, _ in task_cells(notebook)}
    assert set(failing) >= tests, f"{stem}: a test passed on an unanswered exercise"
    answers = {answer for answer, _, _ in task_cells(notebook)}
    unexpected = {cell: ename for cell, ename in failing.items() if cell not in tests | answers}
    assert not unexpected, f"{stem}: cells that are not exercises failed: {unexpected}"
    assert all(failing[answer] == "NotImplementedError" for answer in answers if answer in failing)


def test_self_study_edition_has_stubs_hints_and_solutions(course, tmp_path):
    out = self_study(tmp_path / "self_study", course_dir=course, out=open("/dev/null", "w"))
    assert "GENERATED" in (out / "README.md").read_text()
    for stem in lessons():
        student = nbformat.read(out / f"{stem}.ipynb", as_version=4)
        assert "NotImplementedError" in "".join(cell.source for cell in student.cells), stem
        assert "Hint 1" in "".join(cell.source for cell in student.cells), stem
        solutions = "".join(cell.source for cell in nbformat.read(out / "solutions" / f"{stem}.ipynb", as_version=4).cells)
        assert all(line in solutions for line in distinctive_solution_lines(source_notebook(stem))), stem
    assert (out / "images" / "gate_mul.svg").is_file()


def test_release_refuses_a_folder_it_did_not_make_and_updates_one_it_made(tmp_path, capsys):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(ClassroomError, match="not empty"):
        release(tmp_path, ["01_computational_graphs"])
    assert main(["release", str(tmp_path)]) == 2 and "was not made by `release`" in capsys.readouterr().err
    assert (tmp_path / "thesis.tex").read_text() == "precious"

    course_dir = tmp_path / "course"
    release(course_dir, ["02_chain_rule"], out=open("/dev/null", "w"))
    (course_dir / "nbgrader_config.py").write_text((course_dir / "nbgrader_config.py").read_text() + "# mine\n")
    release(course_dir, ["02_chain_rule"], out=open("/dev/null", "w"))
    assert (course_dir / "nbgrader_config.py").read_text().endswith("# mine\n")


# ------------------------------------------------------------------ grading

def answered(course, stem, skip=()):
    """The release notebook with the reference answers typed in (except the answer cells named in skip)."""
    notebook = release_notebook(course, stem)
    source = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in source_notebook(stem).cells
              if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in source and grade_id not in skip:
            cell.source = MARKER_LINE.sub("", source[grade_id])
    return notebook


def cell_index(notebook, grade_id):
    return next(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def submit(course, student, stem, notebook=None, text=None, name=None):
    folder = course / "submitted" / student / stem
    folder.mkdir(parents=True)
    path = folder / (name or f"{stem}.ipynb")
    if text is not None:
        path.write_text(text)
    else:
        nbformat.write(notebook, path)


def build_submissions(course):
    L1, L3 = "01_computational_graphs", "03_gates"
    submit(course, "ada", L1, answered(course, L1))
    submit(course, "ada", L3, answered(course, L3))
    submit(course, "blank", L3, release_notebook(course, L3))
    submit(course, "half", L3, answered(course, L3, skip={"gates-fruit-backward"}))
    submit(course, "badjson", L1, text='{"cells": [')
    submit(course, "notnb", L1, text='{"hello": "world"}')
    submit(course, "wronglesson", L1, answered(course, L3))

    looping = answered(course, L3)
    looping.cells[cell_index(looping, "gates-mul-layer")].source = "while True:\n    pass\n"
    submit(course, "looping", L3, looping)

    missing_module = answered(course, L1)
    index = cell_index(missing_module, "graphs-olah")
    missing_module.cells[index].source = "import no_such_module_for_the_course\n" + missing_module.cells[index].source
    submit(course, "nomodule", L1, missing_module)

    exits = answered(course, L3)
    index = cell_index(exits, "gates-mul-layer")
    exits.cells[index].source = "import sys\nsys.exit()\n" + exits.cells[index].source
    submit(course, "exits", L3, exits)

    cheat = release_notebook(course, L3)  # blank answers; one test deleted, the other edited to pass
    cheat.cells[cell_index(cheat, "gates-fruit-backward-test")].source = "print('all good')"
    del cheat.cells[cell_index(cheat, "gates-mul-layer-test")]
    submit(course, "cheat", L3, cheat)

    no_answer_cell = answered(course, L3)  # the answer cell deleted, the right code in a plain cell instead
    index = cell_index(no_answer_cell, "gates-mul-layer")
    no_answer_cell.cells[index] = nbformat.v4.new_code_cell(no_answer_cell.cells[index].source)
    submit(course, "noanswercell", L3, no_answer_cell)

    crash = answered(course, L1)  # the kernel dies: nothing can be graded, the other submissions go on
    crash.cells.insert(1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    submit(course, "crash", L1, crash)

    flood = answered(course, L1)
    flood.cells.insert(1, nbformat.v4.new_code_cell("for i in range(200_000):\n    print(i)"))
    submit(course, "flood", L1, flood)


@pytest.fixture(scope="module")
def graded(course):
    build_submissions(course)
    log = course / "grade-log.txt"
    with open(log, "w") as out:
        grade(course, timeout=GRADE_TIMEOUT, jobs=2, out=out)  # two processes share the gradebook
    with open(course / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    return {(row["student"], row["assignment"]): row for row in rows}, log.read_text()


def score(rows, student, stem="03_gates"):
    row = rows[(student, stem)]
    return float(row["score"]), float(row["max_score"]), row["problem"]


def test_grades_csv_has_one_row_per_submission(graded, course):
    rows, log = graded
    assert len(rows) == 14
    with open(course / "grades.csv", newline="") as file:
        assert next(csv.reader(file)) == ["student", "assignment", "score", "max_score", "problem"]
    assert "14 submissions" in log and "[14/14]" in log


def test_reference_answers_get_full_marks_and_feedback(graded, course):
    rows, _ = graded
    assert score(rows, "ada", "01_computational_graphs") == (5, 5, "")
    assert score(rows, "ada") == (6, 6, "")
    assert (course / "feedback" / "ada" / "03_gates" / "03_gates.html").is_file()


def test_untouched_release_gets_zero_and_one_blank_task_costs_only_its_points(graded):
    rows, _ = graded
    assert score(rows, "blank") == (0, 6, "")
    assert score(rows, "half") == (4, 6, "")


@pytest.mark.parametrize("student, stem, expected_score, problem", [
    ("badjson", "01_computational_graphs", 0, "not valid JSON"),
    ("notnb", "01_computational_graphs", 0, "not a Jupyter notebook"),
    ("wronglesson", "01_computational_graphs", 0, "lesson 03_gates's notebook"),
    ("looping", "03_gates", 4, f"longer than {GRADE_TIMEOUT} s"),
    ("nomodule", "01_computational_graphs", 3, "No module named 'no_such_module_for_the_course'"),
    ("exits", "03_gates", 4, "sys.exit()"),
    ("cheat", "03_gates", 0, "test cell gates-mul-layer-test was deleted"),
    ("noanswercell", "03_gates", 4, "answer cell gates-mul-layer was deleted"),
    ("flood", "01_computational_graphs", 5, "too many lines"),
    ("crash", "01_computational_graphs", 0, "the kernel died"),
])
def test_bad_submissions_get_a_problem_and_no_unearned_points(graded, student, stem, expected_score, problem):
    rows, _ = graded
    got, max_score, text = score(rows, student, stem)
    assert problem in text and got == expected_score, (student, got, text)


def test_an_edited_test_cell_is_restored(graded):
    rows, _ = graded
    assert "test cell gates-fruit-backward-test was edited" in score(rows, "cheat")[2]


# ------------------------------------------------------------------ a term

L1, L3 = "01_computational_graphs", "03_gates"
ROSTER = "id,first_name,last_name,email\nada,Ada,Lovelace,ada@example.org\nbob,Bob,Babbage,bob@example.org\n" \
         "cy,Cy,Young,cy@example.org\n"
L3_DUE = "2026-01-10 12:00:00 UTC"  # past: its solutions may be released; lesson 1 is due in 2099


def nbgrader(cwd, *args, config_dir):
    """Run the real `nbgrader ARGS` in cwd (reading cwd's nbgrader_config.py and config_dir's); its stdout+stderr."""
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config_dir),
               PYTHONPATH=os.pathsep.join([str(paths.course_root()), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def hand_in(term, student, stem, notebook, timestamp):
    """A submission as `nbgrader collect` leaves it: the notebook and nbgrader's timestamp.txt."""
    folder = term / "submitted" / student / stem
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{stem}.ipynb")
    (folder / "timestamp.txt").write_text(timestamp)


def csv_rows(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def term(course, tmp_path_factory):
    """A term's course folder with lessons 1 and 3, a roster, due dates, the exchange in a temp folder."""
    root = tmp_path_factory.mktemp("term")
    term, exchange = root / "course", root / "exchange"
    exchange.mkdir()
    release(term, [L1, L3], out=open("/dev/null", "w"))
    with open(term / "nbgrader_config.py", "a") as config:
        config.write(f'c.Exchange.root = "{exchange}"\n'
                     'c.AssignLatePenalties.plugin_class = "course_tools.classroom.late.PercentPerDay"\n'
                     "c.PercentPerDay.percent = 10\n")
    students_config = root / "students_jupyter"  # the students' ~/.jupyter/nbgrader_config.py
    students_config.mkdir()
    (students_config / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.course_id = "backprop"\nc.Exchange.root = "{exchange}"\n')
    teacher_config = root / "teacher_jupyter"
    teacher_config.mkdir()
    (term / "roster.csv").write_text(ROSTER)
    nbgrader(term, "db", "student", "import", "roster.csv", config_dir=teacher_config)
    nbgrader(term, "db", "assignment", "add", L1, "--duedate=2099-01-01 12:00:00 UTC", config_dir=teacher_config)
    nbgrader(term, "db", "assignment", "add", L3, f"--duedate={L3_DUE}", config_dir=teacher_config)
    return {"dir": term, "root": root, "students_config": students_config, "teacher_config": teacher_config}


def student_submits(term, student, stem, notebook):
    """The student fetches the lesson from the exchange (once), puts `notebook` in its place and submits it."""
    home = term["root"] / f"home_{student}"
    home.mkdir(exist_ok=True)
    if not (home / stem).is_dir():
        nbgrader(home, "fetch_assignment", stem, config_dir=term["students_config"])
    nbformat.write(notebook, home / stem / f"{stem}.ipynb")
    nbgrader(home, "submit", stem, f"--CourseDirectory.student_id={student}", config_dir=term["students_config"])


def test_a_term_release_collect_resubmit_grade_late_extend_roster_export_solutions(term, course, capsys):
    folder, teacher = term["dir"], term["teacher_config"]
    # release through nbgrader's exchange; ada hands in a blank lesson 1, bob an answered one
    nbgrader(folder, "release_assignment", L1, config_dir=teacher)
    student_submits(term, "ada", L1, release_notebook(course, L1))
    student_submits(term, "bob", L1, answered(course, L1))
    nbgrader(folder, "collect", L1, config_dir=teacher)
    graded_now = grade(folder, [L1], jobs=2, timeout=GRADE_TIMEOUT, out=open("/dev/null", "w"))
    assert {(row.student, row.score) for row in graded_now} == {("ada", 0), ("bob", 5)}

    # ada resubmits: a plain collect keeps the old file; collect --update takes the new one
    student_submits(term, "ada", L1, answered(course, L1))
    nbgrader(folder, "collect", L1, config_dir=teacher)
    assert grade(folder, [L1], timeout=GRADE_TIMEOUT, out=open("/dev/null", "w")) == []
    nbgrader(folder, "collect", "--update", L1, config_dir=teacher)
    graded_now = grade(folder, [L1], timeout=GRADE_TIMEOUT, out=open("/dev/null", "w"))
    assert [(row.student, row.score) for row in graded_now] == [("ada", 5)]  # bob's unchanged: not graded again

    # lesson 3, handed in two days late (timestamps as nbgrader's timestamp.txt); ada has a 3-day extension
    assert main(["extend", str(folder), L3, "ada", "--days", "3"]) == 0
    hand_in(folder, "ada", L3, answered(course, L3), "2026-01-12 12:00:00.000000 UTC")
    hand_in(folder, "bob", L3, answered(course, L3), "2026-01-12 13:00:00.000000 UTC")
    graded_now = {row.student: row for row in grade(folder, timeout=GRADE_TIMEOUT, out=open("/dev/null", "w"))}
    assert set(graded_now) == {"ada", "bob"}  # lesson 3 only: lesson 1 is unchanged
    assert (graded_now["ada"].score, graded_now["ada"].problem) == (6, "")
    assert graded_now["bob"].score == pytest.approx(6 * 0.7)  # 2 days 1 hour late: 3 started days at 10 %
    assert "2.0 days after the due date: late penalty 1.8 points" in graded_now["bob"].problem

    rows = {(row["student"], row["assignment"]): row for row in csv_rows(folder / "grades.csv")}
    assert len(rows) == 6  # every submission, and the rostered student who handed nothing in
    assert (rows[("cy", L1)]["score"], rows[("cy", L3)]["score"]) == ("0", "0")
    assert rows[("cy", L3)]["problem"] == "nothing handed in" and rows[("ada", L1)]["score"] == "5"
    record = json.loads((folder / "graded.json").read_text())
    assert record[f"ada/{L1}"]["fingerprint"]["timestamp"] and record[f"bob/{L3}"]["fingerprint"]["notebook"]

    # an extension given after grading changes bob's due date: his lesson 3 alone is graded again
    capsys.readouterr()
    assert main(["extend", str(folder), L3, "bob", "--days", "3"]) == 0 and "2026-01-13 12:00" in capsys.readouterr().out
    assert [(row.student, row.score) for row in grade(folder, students=["bob"], out=open("/dev/null", "w"))] == [("bob", 6)]
    assert main(["grade", str(folder), L3, "--student", "ada", "--force", "--no-feedback", "--jobs", "1"]) == 0
    log = capsys.readouterr().out
    assert "[1/1] ada / 03_gates: 6/6" in log and "\n1 submissions, 0 with a problem" in log

    # the grade sheet for Canvas or Moodle, by nbgrader's export with the course's plugin
    nbgrader(folder, "export", "--exporter=course_tools.classroom.lms.LmsExport", "--to=lms.csv", config_dir=teacher)
    sheet = {row["ID"]: row for row in csv_rows(folder / "lms.csv")}
    assert list(sheet["ada"]) == ["Student", "ID", "SIS User ID", "Email", L1, L3, "Total"]
    assert (sheet["ada"]["Student"], sheet["ada"]["Total"]) == ("Lovelace, Ada", "11")
    assert (sheet["bob"][L1], sheet["bob"][L3], sheet["bob"]["Total"]) == ("5", "6", "11")
    assert (sheet["cy"][L1], sheet["cy"][L3], sheet["cy"]["Total"]) == ("0", "0", "0")

    # solutions: lesson 3's deadline (with the longest extension) has passed; lesson 1's has not
    assert main(["solutions", str(folder), L1]) == 2 and "not released yet" in capsys.readouterr().err
    out = main(["solutions", str(folder), L3])
    assert out == 0 and not (folder / "solution" / L1).exists()
    solution = nbformat.read(folder / "solution" / L3 / f"{L3}.ipynb", as_version=4)
    assert all(line in "".join(cell.source for cell in solution.cells)
               for line in distinctive_solution_lines(source_notebook(L3)))


@pytest.mark.parametrize("regexp, path, student, file_id", [
    (CANVAS_REGEXP, "/x/extracted/lovelaceada_12345_67890_03_gates.ipynb", "12345", "03_gates"),
    (CANVAS_REGEXP, "/x/extracted/lovelace_ada_late_12345_67890_03_gates-1.ipynb", "12345", "03_gates"),
    (MOODLE_REGEXP, "/x/extracted/Ada Lovelace_4321_assignsubmission_file_03_gates.ipynb", "4321", "03_gates"),
    (MOODLE_REGEXP, "/x/extracted/Ada Lovelace_4321_assignsubmission_file_/03_gates.ipynb", "4321", "03_gates"),
])
def test_zip_collect_patterns_of_the_guide_find_student_and_lesson(regexp, path, student, file_id):
    from nbgrader.plugins import FileNameCollectorPlugin

    guide = (paths.course_root() / "docs" / "teachers_guide.md").read_text()
    assert f'c.FileNameCollectorPlugin.named_regexp = r"{regexp}"' in guide
    found = FileNameCollectorPlugin(named_regexp=regexp).collect(path)
    assert (found["student_id"], found["file_id"]) == (student, file_id)
