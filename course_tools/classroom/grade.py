"""``grade``: autograde new or changed submissions with nbgrader, write feedback and grades.csv, print a summary.

Submissions are read from nbgrader's own layout, COURSE_DIR/submitted/<student>/<lesson>/<lesson>.ipynb,
which ``nbgrader collect --update`` and ``nbgrader zip_collect`` fill.  A submission graded before from
the same file, timestamp, due date and lesson is not graded again (graded.json remembers; ``force``
grades everything).  Several submissions are graded at once, each in its own process (``jobs``).  One
bad submission never stops the others: each gets its row in grades.csv, with the problem in one line
and no points it did not earn.  A student of the roster who handed nothing in gets a row with 0.
"""
import csv
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from . import course, records
from .course import ClassroomError
from .grading_one import load_lessons
from .workers import run_all

CSV_NAME = "grades.csv"
COLUMNS = ("student", "assignment", "score", "max_score", "problem")
NOTHING_HANDED_IN = "nothing handed in"


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


def default_jobs():
    """How many submissions to grade at once: one per core (each kernel then uses one BLAS thread)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def grade(course_dir, lessons=None, students=None, force=False, jobs=None, timeout=None, feedback=True,
          out=None):
    """Grade the new or changed submissions in COURSE_DIR (of the lessons and students named, or all).

    lessons, students: lists of names, or None for all; force: grade again what was graded before;
    jobs: submissions graded at once (default: one per core).  Returns the Rows graded in this run;
    COURSE_DIR/grades.csv gets every submission's row (and 0 for rostered students who handed nothing in)."""
    course_dir, out = Path(course_dir).resolve(), out or sys.stdout
    _check(course_dir, lessons)
    record = records.Record(course_dir)
    found = submissions(course_dir)
    todo, prints = to_grade(course_dir, found, record, lessons, students, force, out)
    add_students(course_dir, {student for student, _ in todo})
    rows = []
    jobs = min(jobs or default_jobs(), max(1, len(todo)))
    for number, ((student, lesson), row, seconds) in enumerate(run_all(course_dir, todo, jobs, timeout, feedback), 1):
        row = Row(**row)
        record.remember(student, lesson, prints[(student, lesson)], asdict(row))
        rows.append(row)
        print(f"[{number}/{len(todo)}] {student} / {lesson}: {_number(row.score)}/{_number(row.max_score)} "
              f"({seconds:.0f} s)" + (f"  problem: {row.problem}" if row.problem else ""), file=out, flush=True)
    every_row = [Row(**record.row(*item)) for item in found if record.row(*item)]
    every_row += missing_rows(course_dir, every_row)
    write_csv(course_dir / CSV_NAME, sorted(every_row, key=lambda row: (row.assignment, row.student)))
    print_summary(rows, course_dir, out)
    return rows


def _check(course_dir, lessons):
    """Refuse a folder not made by ``release``, or a lesson it did not release."""
    if not course.is_release(course_dir):
        raise ClassroomError(f"{course_dir} is not a course folder made by `release` (no {course.MARKER})")
    released = course.read_marker(course_dir)["lessons"]
    unknown = [name for name in lessons or () if name not in released]
    if unknown:
        raise ClassroomError(f"no lesson {', '.join(unknown)} was released in {course_dir}; "
                             f"the released lessons are: {', '.join(released)}")


def to_grade(course_dir, found, record, lessons, students, force, out):
    """([(student, lesson)] to grade now, {(student, lesson): fingerprint}) among the submissions found:
    those of the lessons and students named that are new or changed (all of them when force)."""
    chosen = [(s, l) for s, l in found if (not lessons or l in lessons) and (not students or s in students)]
    due = due_dates(course_dir, chosen)
    prints = {item: records.fingerprint(course_dir, *item, due[item]) for item in chosen}
    todo = [item for item in chosen if force or record.changed(*item, prints[item])]
    if not found:
        print(f"Nothing to grade: {course_dir / 'submitted'} holds no <student>/<lesson>/ folders.", file=out)
    elif students and not chosen:
        print(f"No submission of {', '.join(students)} in {course_dir / 'submitted'}.", file=out)
    elif len(todo) < len(chosen):
        print(f"{len(chosen) - len(todo)} submissions unchanged since they were graded: not graded again "
              "(--force grades them anyway).", file=out)
    return todo, prints


def due_dates(course_dir, items):
    """{(student, lesson): the due date that applies (with the student's extension) as ISO text, or None}."""
    from nbgrader.api import MissingEntry

    due = {}
    with course.gradebook(course_dir) as gradebook:
        for student, lesson in items:
            try:
                date = gradebook.find_submission(lesson, student).duedate
            except MissingEntry:
                try:
                    date = gradebook.find_assignment(lesson).duedate
                except MissingEntry:
                    date = None
            due[(student, lesson)] = date.isoformat() if date else None
    return due


def add_students(course_dir, students):
    """Put the students in the gradebook before grading (so parallel gradings never both create one)."""
    with course.gradebook(course_dir) as gradebook:
        known = {student.id for student in gradebook.students}
        for student in sorted(set(students) - known):
            gradebook.add_student(student)


def missing_rows(course_dir, rows):
    """Rows with 0 for each rostered student (one with a name or email in the gradebook) and graded lesson
    they handed nothing in for."""
    graded = {(row.student, row.assignment) for row in rows}
    lessons = sorted({row.assignment for row in rows})
    if not lessons:
        return []
    released = load_lessons(course_dir)
    max_scores = {lesson: released[lesson].max_score for lesson in lessons if lesson in released}
    with course.gradebook(course_dir) as gradebook:
        roster = [s.id for s in gradebook.students if s.first_name or s.last_name or s.email]
    return [Row(student, lesson, 0, max_scores.get(lesson, 0), NOTHING_HANDED_IN)
            for student in roster for lesson in lessons if (student, lesson) not in graded]


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
