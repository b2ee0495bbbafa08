"""Grading one submission with nbgrader: check it, autograde it, score it, write its feedback.

``grade_one`` is what each grading process runs for one <student>/<lesson>; it returns the row of
grades.csv as a dict (score 0 when nothing could be graded), so it can cross a process boundary.
"""
import warnings
from pathlib import Path
from dataclasses import dataclass

import nbformat
from sqlalchemy.exc import SAWarning

from . import checks, course, integrity
from .lessons import task_cells

SECONDS_PER_DAY = 24 * 3600


@dataclass
class ReleasedLesson:
    """A released lesson as grading needs it: its student notebook, its tasks' total points, its grade_ids,
    and its source (solutions and hidden tests: what nbgrader's tests really run)."""
    notebook: object
    max_score: float
    grade_ids: set
    source: object = None


def load_lessons(course_dir):
    """{stem: ReleasedLesson} of the lessons released in COURSE_DIR."""
    found = {}
    for stem in course.read_marker(course_dir)["lessons"]:
        path = course_dir / "release" / stem / f"{stem}.ipynb"
        if path.is_file():
            notebook = nbformat.read(path, as_version=4)
            source = course_dir / "source" / stem / f"{stem}.ipynb"
            found[stem] = ReleasedLesson(notebook, sum(points for *_, points in task_cells(notebook)),
                                         set(checks.grade_ids(notebook)),
                                         nbformat.read(source, as_version=4) if source.is_file() else notebook)
    return found


def grade_one(api, course_dir, student, lesson, released, timeout, feedback):
    """Autograde one student's lesson; its row {student, assignment, score, max_score, problem}."""
    def row(score, max_score, problems):
        return {"student": student, "assignment": lesson, "score": score, "max_score": max_score,
                "problem": _one_line(problems)}

    if lesson not in released:
        return row(0, 0, [f"no lesson {lesson} was released in this course"])
    max_score = released[lesson].max_score
    path = course_dir / "submitted" / student / lesson / f"{lesson}.ipynb"
    found = checks.before_grading(path, released[lesson].notebook,
                                  {stem: info.grade_ids for stem, info in released.items()})
    if not found.gradable:
        return row(0, max_score, found.problems)
    with warnings.catch_warnings():  # nbgrader's gradebook trips a harmless SQLAlchemy warning on new students
        warnings.simplefilter("ignore", category=SAWarning)
        result = api.autograde(lesson, student, force=True, create=True)
    if not result["success"]:
        return row(0, max_score, found.problems + [_failure(result)])
    autograded = course_dir / "autograded" / student / lesson / f"{lesson}.ipynb"
    problems = found.problems + checks.after_grading(autograded, timeout)
    zeroed = deleted_answer_tests(released[lesson].notebook, found.deleted_answers)
    zeroed.update(untrusted_tests(path, released[lesson]))
    score, penalty, seconds_late = _score(api, lesson, student, zeroed)
    problems += list(zeroed.values()) + _lateness(seconds_late, penalty)
    if feedback:
        result = api.generate_feedback(lesson, student)
        if not result["success"]:
            problems.append("nbgrader could not write the feedback")
    return row(max(0.0, score - penalty), max_score, problems)


def untrusted_tests(path, lesson):
    """{test grade_id: reason} for the tests the student's code could have fooled (``integrity.untrusted``):
    they score 0, whatever they printed, and the reason names the cell and what it does."""
    submitted = nbformat.read(path, as_version=4)
    zeroed = {}
    for finding in integrity.untrusted(submitted, lesson.notebook, lesson.source, folder=Path(path).parent):
        for test in finding.tests:
            zeroed.setdefault(test, finding.sentence())
    return zeroed


def deleted_answer_tests(released, deleted_answers):
    """{test grade_id: reason} for the tests whose answer cell was deleted (they score 0)."""
    return {test: f"answer cell {answer} was deleted: that task scores 0"
            for answer, test, _points in task_cells(released) if answer in deleted_answers}


def _score(api, lesson, student, zeroed):
    """(score, late penalty, seconds late) of the submission in the gradebook, after setting to 0 the
    autograded score of each test in ``zeroed`` ({test grade_id: reason}; the caller reports the reasons).

    A deleted answer cell costs its task even if the answer was written elsewhere; any other finding
    that must cost a task adds its tests to ``zeroed``.  The next autograde run computes the scores
    afresh; a teacher's manual score in the gradebook still wins, as always in nbgrader."""
    with api.gradebook as gradebook:
        for test in zeroed:
            gradebook.find_grade(test, lesson, lesson, student).auto_score = 0
        gradebook.db.commit()
        submission = gradebook.find_submission(lesson, student)
        return submission.score, submission.late_submission_penalty, submission.total_seconds_late


def _lateness(seconds_late, penalty):
    """[] for work on time, else one phrase: how late, and the penalty nbgrader's late-work plugin gave."""
    if not seconds_late:
        return []
    late = (f"{seconds_late / SECONDS_PER_DAY:.1f} days" if seconds_late >= SECONDS_PER_DAY
            else f"{seconds_late / 3600:.1f} hours")
    return [f"handed in {late} after the due date: late penalty {penalty:g} points" if penalty
            else f"handed in {late} after the due date (no late penalty is set)"]


def _failure(result):
    """One line saying why nbgrader's autograde failed."""
    text = f"{result.get('log', '')}\n{result.get('error', '')}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died while running it (os._exit(), a crash or too much memory); nothing graded"
    lines = [line for line in text.splitlines() if line.startswith("[ERROR]")] or text.strip().splitlines() or ["?"]
    return f"nbgrader could not grade it: {lines[0].removeprefix('[ERROR] ')}"


def _one_line(problems):
    seen = list(dict.fromkeys(problems))  # keep order, drop repeats
    text = "; ".join(seen)
    return text if len(text) <= 400 else text[:397] + "..."
