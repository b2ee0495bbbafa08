"""``grade``: autograde every submission with nbgrader, write feedback and grades.csv, print a summary.

Submissions are read from nbgrader's own layout, COURSE_DIR/submitted/<student>/<lesson>/<lesson>.ipynb,
which ``nbgrader collect`` and ``nbgrader zip_collect`` fill.  One bad submission never stops the others:
each gets its row in grades.csv, with the problem in one line and no points it did not earn.
"""
import csv
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from . import checks, course
from .course import ClassroomError
from .lessons import task_cells

CSV_NAME = "grades.csv"
COLUMNS = ("student", "assignment", "score", "max_score", "problem")


@dataclass
class Row:
    student: str
    assignment: str
    score: float
    max_score: float
    problem: str = ""

    def as_csv(self):
        return {"student": self.student, "assignment": self.assignment, "score": _number(self.score),
                "max_score": _number(self.max_score), "problem": self.problem}


def _number(value):
    return f"{value:g}"


def submissions(course_dir):
    """[(student, lesson)] found in COURSE_DIR/submitted/, sorted."""
    submitted = course_dir / "submitted"
    if not submitted.is_dir():
        return []
    return sorted((student.name, lesson.name) for student in submitted.iterdir() if student.is_dir()
                  for lesson in student.iterdir() if lesson.is_dir())


def grade(course_dir, timeout=None, feedback=True, out=sys.stdout):
    """Grade every submission in COURSE_DIR; returns the rows written to COURSE_DIR/grades.csv."""
    course_dir = Path(course_dir).resolve()
    if not course.is_release(course_dir):
        raise ClassroomError(f"{course_dir} is not a course folder made by `release` (no {course.MARKER})")
    api = course.nbgrader_api(course_dir, timeout)
    timeout = course.load_config(course_dir, timeout).Execute.get("timeout", 30)
    released = {stem: nbformat.read(course_dir / "release" / stem / f"{stem}.ipynb", as_version=4)
                for stem in course.read_marker(course_dir)["lessons"]
                if (course_dir / "release" / stem / f"{stem}.ipynb").is_file()}
    lesson_ids = {stem: set(checks.grade_ids(notebook)) for stem, notebook in released.items()}
    todo = submissions(course_dir)
    if not todo:
        print(f"Nothing to grade: {course_dir / 'submitted'} holds no <student>/<lesson>/ folders.", file=out)
    rows = []
    for number, (student, lesson) in enumerate(todo, start=1):
        start = time.perf_counter()
        print(f"[{number}/{len(todo)}] {student} / {lesson} ...", end=" ", file=out, flush=True)
        row = grade_one(api, course_dir, student, lesson, released, lesson_ids, timeout, feedback)
        rows.append(row)
        print(f"{_number(row.score)}/{_number(row.max_score)} ({time.perf_counter() - start:.0f} s)"
              + (f"  problem: {row.problem}" if row.problem else ""), file=out, flush=True)
    write_csv(course_dir / CSV_NAME, rows)
    print_summary(rows, course_dir, out)
    return rows


def grade_one(api, course_dir, student, lesson, released, lesson_ids, timeout, feedback):
    """Autograde one student's lesson; the Row for grades.csv (score 0 when nothing could be graded)."""
    if lesson not in released:
        return Row(student, lesson, 0, 0, f"no lesson {lesson} was released in this course")
    max_score = sum(points for *_, points in task_cells(released[lesson]))
    path = course_dir / "submitted" / student / lesson / f"{lesson}.ipynb"
    found = checks.before_grading(path, released[lesson], lesson_ids)
    if not found.gradable:
        return Row(student, lesson, 0, max_score, _one_line(found.problems))
    with warnings.catch_warnings():  # nbgrader's gradebook trips a harmless SQLAlchemy warning on new students
        warnings.simplefilter("ignore", category=SAWarning)
        result = api.autograde(lesson, student, force=True, create=True)
    if not result["success"]:
        return Row(student, lesson, 0, max_score, _one_line(found.problems + [_failure(result)]))
    autograded = course_dir / "autograded" / student / lesson / f"{lesson}.ipynb"
    problems = found.problems + checks.after_grading(autograded, timeout)
    score = _score(api, lesson, student, released[lesson], found.deleted_answers)
    if feedback:
        result = api.generate_feedback(lesson, student)
        if not result["success"]:
            problems.append("nbgrader could not write the feedback")
    return Row(student, lesson, score, max_score, _one_line(problems))


def _failure(result):
    """One line saying why nbgrader's autograde failed."""
    text = f"{result.get('log', '')}\n{result.get('error', '')}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died while running it (os._exit(), a crash or too much memory); nothing graded"
    lines = [line for line in text.splitlines() if line.startswith("[ERROR]")] or text.strip().splitlines() or ["?"]
    return f"nbgrader could not grade it: {lines[0].removeprefix('[ERROR] ')}"


def _score(api, lesson, student, released, deleted_answers):
    """The submission's score in the gradebook, after giving 0 to the tests of deleted answer cells.

    A deleted answer cell costs its task even if the answer was written elsewhere: the test's
    autograded score is set to 0 (the next autograde run computes it afresh; a teacher's manual
    score in the gradebook still wins, as always in nbgrader)."""
    with api.gradebook as gradebook:
        for answer, test, _points in task_cells(released):
            if answer in deleted_answers:
                grade = gradebook.find_grade(test, lesson, lesson, student)
                grade.auto_score = 0
        gradebook.db.commit()
        return gradebook.find_submission(lesson, student).score


def _one_line(problems):
    seen = list(dict.fromkeys(problems))  # keep order, drop repeats
    text = "; ".join(seen)
    return text if len(text) <= 400 else text[:397] + "..."


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(row.as_csv() for row in rows)


def print_summary(rows, course_dir, out):
    if not rows:
        return
    print(f"\n{'student':<16} {'lesson':<40} {'score':>9}  problem", file=out)
    for row in rows:
        score = f"{_number(row.score)}/{_number(row.max_score)}"
        problem = row.problem if len(row.problem) <= 70 else row.problem[:67] + "..."
        print(f"{row.student:<16} {row.assignment:<40} {score:>9}  {problem}", file=out)
    with_problems = sum(1 for row in rows if row.problem)
    print(f"\n{len(rows)} submissions, {with_problems} with a problem. Grades: {course_dir / CSV_NAME}; "
          f"feedback: {course_dir / 'feedback'}/<student>/<lesson>/", file=out)
