"""What the class report is made of, read from the course folder.

For each released lesson: the class (the gradebook's students and everyone in grades.csv), who handed it
in and their score, which test cells (tasks) each student passed, in nbgrader's gradebook
(``nbgrader.api.Gradebook``), what each failed test cell printed or raised, in
COURSE_DIR/autograded/<student>/<lesson>/<lesson>.ipynb (read by ``report_findings``), and the problems
grades.csv names for the submission.
"""
import csv
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from . import course
from .checks import grade_ids
from .course import ClassroomError
from .grade import CSV_NAME
from .lessons import task_cells
from .report_findings import cell_findings, problem_kinds


@dataclass(frozen=True)
class Task:
    """One nbgrader task of a lesson: its answer cell, its test cell (the graded one) and its points."""
    answer: str
    test: str
    points: float


@dataclass
class LessonData:
    """Everything the report says about one lesson.

    handed_in: {student: score}.  passed: {test id: students with full points}.  findings: {(test id,
    Finding key): students}, examples: {the same key: one message as written}.  problems: {problem: students}.
    """
    stem: str
    tasks: list
    roster: list
    handed_in: dict = field(default_factory=dict)
    passed: dict = field(default_factory=lambda: defaultdict(set))
    findings: dict = field(default_factory=lambda: defaultdict(set))
    examples: dict = field(default_factory=dict)
    problems: dict = field(default_factory=lambda: defaultdict(set))

    @property
    def max_score(self):
        return sum(task.points for task in self.tasks)

    @property
    def absent(self):
        """The students of the class who handed in nothing for this lesson."""
        return [student for student in self.roster if student not in self.handed_in]


def read_course(course_dir, lesson=None):
    """[LessonData] for every lesson released into COURSE_DIR (or just ``lesson``, a stem), in order."""
    course_dir = Path(course_dir).resolve()
    if not course.is_release(course_dir):
        raise ClassroomError(f"{course_dir} is not a course folder made by `release` (no {course.MARKER})")
    released = course.read_marker(course_dir)["lessons"]
    if lesson is not None and lesson not in released:
        raise ClassroomError(f"lesson {lesson} was not released into {course_dir}; released: {', '.join(released)}")
    stems = [lesson] if lesson else released
    csv_rows = _grades_csv(course_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SAWarning)
        gradebook = course.nbgrader_api(course_dir).gradebook
        try:
            roster = sorted({student.id for student in gradebook.students} | {row["student"] for row in csv_rows})
            return [_read_lesson(course_dir, stem, roster, gradebook, csv_rows) for stem in stems]
        finally:
            gradebook.close()


def _grades_csv(course_dir):
    path = course_dir / CSV_NAME
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _read_lesson(course_dir, stem, roster, gradebook, csv_rows):
    release_path = course_dir / "release" / stem / f"{stem}.ipynb"
    notebook = nbformat.read(release_path if release_path.is_file() else course_dir / "source" / stem / f"{stem}.ipynb",
                             as_version=4)
    tasks = [Task(answer, test, float(points)) for answer, test, points in task_cells(notebook)]
    data = LessonData(stem, tasks, roster)
    grades = _gradebook_grades(gradebook, stem)
    rows = {row["student"]: row for row in csv_rows if row["assignment"] == stem}
    for student in sorted(set(grades) | set(rows)):
        score, by_cell = grades.get(student, (None, {}))
        row = rows.get(student)
        data.handed_in[student] = score if score is not None else float(row["score"] or 0)
        failed = []
        for task in tasks:
            got, most = by_cell.get(task.test, (0.0, task.points))
            if most > 0 and got >= most - 1e-9:
                data.passed[task.test].add(student)
            else:
                failed.append(task)
        if row and row["problem"]:
            for problem in problem_kinds(row["problem"]):
                data.problems[problem].add(student)
        if failed and student in grades:
            _read_failures(course_dir / "autograded" / student / stem / f"{stem}.ipynb", student, failed, data)
    return data


def _gradebook_grades(gradebook, stem):
    """{student: (submission score, {grade cell: (score, max score)})} of the lesson in the gradebook."""
    from nbgrader.api import MissingEntry

    try:
        assignment = gradebook.find_assignment(stem)
    except MissingEntry:  # not in the gradebook: nobody was graded
        return {}
    found = {}
    for submission in assignment.submissions:
        cells = {grade.name: (float(grade.score or 0), float(grade.max_score or 0))
                 for submitted in submission.notebooks for grade in submitted.grades}
        found[submission.student.id] = (float(submission.score or 0), cells)
    return found


def _read_failures(path, student, failed, data):
    """Add what the autograded notebook at ``path`` shows about each failed task to ``data.findings``."""
    if not path.is_file():
        return
    try:
        cells = grade_ids(nbformat.read(path, as_version=4))
    except Exception:  # an unreadable notebook: grades.csv names the problem
        return
    for task in failed:
        test = cells.get(task.test)
        if test is None:
            continue
        for finding in cell_findings(test, cells.get(task.answer)):
            key = (task.test, finding.key)
            data.findings[key].add(student)
            data.examples.setdefault(key, finding.example)
