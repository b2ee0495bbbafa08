"""Steps of a term that nbgrader has no command for: one student's extension, one lesson's solutions.

``extend``: nbgrader's gradebook keeps an extension on each student's submission
(``SubmittedAssignment.extension``, set by ``Gradebook.grant_extension``); late work is measured from
the due date plus it.  ``solutions``: nbgrader's ``generate_solution`` for one lesson, into
COURSE_DIR/solution/<lesson>/, once its deadline (with every extension) has passed.
"""
import datetime
import sys
import warnings
from pathlib import Path

from nbgrader.api import MissingEntry
from sqlalchemy.exc import SAWarning

from . import course
from .course import ClassroomError


def _check_course(course_dir, lesson):
    course_dir = Path(course_dir).resolve()
    if not course.is_release(course_dir):
        raise ClassroomError(f"{course_dir} is not a course folder made by `release` (no {course.MARKER})")
    released = course.read_marker(course_dir)["lessons"]
    if lesson not in released:
        raise ClassroomError(f"no lesson {lesson} was released in {course_dir}; the released lessons are: "
                             f"{', '.join(released)}")
    return course_dir


def extend(course_dir, lesson, student, days=0, hours=0, out=None):
    """Give STUDENT an extension of days + hours on LESSON's due date (0 and 0 remove it); returns the
    student's new due date (a naive UTC datetime, as nbgrader keeps it) or None when the lesson has none."""
    course_dir, out = _check_course(course_dir, lesson), out or sys.stdout
    with course.gradebook(course_dir) as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SAWarning)  # nbgrader's harmless warning on a new submission
        try:
            gradebook.find_student(student)
        except MissingEntry:
            gradebook.add_student(student)
        gradebook.update_or_create_submission(lesson, student)  # the extension lives on the submission
        gradebook.grant_extension(lesson, student, days=days, hours=hours)
        due = gradebook.find_submission(lesson, student).duedate
    print(f"{student} / {lesson}: due {due:%Y-%m-%d %H:%M} UTC" if due else
          f"{student} / {lesson}: extension of {days} days {hours} hours kept, but {lesson} has no due date yet "
          f"(nbgrader db assignment add {lesson} --duedate=...)", file=out)
    return due


def latest_deadline(course_dir, lesson):
    """The lesson's due date plus the longest extension any student has (naive UTC), or None if it has none."""
    with course.gradebook(course_dir) as gradebook:
        assignment = gradebook.find_assignment(lesson)
        if assignment.duedate is None:
            return None
        extensions = [s.extension for s in assignment.submissions if s.extension is not None]
        return assignment.duedate + max(extensions, default=datetime.timedelta(0))


def solutions(course_dir, lesson, before_deadline=False, out=None):
    """Run nbgrader's generate_solution for LESSON alone; returns COURSE_DIR/solution/<lesson>/.

    Refuses before the lesson's latest deadline (due date + longest extension) unless before_deadline."""
    from nbgrader.converters import GenerateSolution
    from nbgrader.utils import capture_log, temp_attrs

    course_dir, out = _check_course(course_dir, lesson), out or sys.stdout
    deadline = latest_deadline(course_dir, lesson)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if not before_deadline and (deadline is None or deadline > now):
        when = f"its last deadline is {deadline:%Y-%m-%d %H:%M} UTC" if deadline else "it has no due date"
        raise ClassroomError(f"the solutions of {lesson} are not released yet: {when} "
                             "(set one with `nbgrader db assignment add LESSON --duedate=...`, "
                             "or pass --before-deadline)")
    api = course.nbgrader_api(course_dir)
    with temp_attrs(api.coursedir, assignment_id=lesson):
        app = GenerateSolution(coursedir=api.coursedir, parent=api)
        app.force = True
        result = capture_log(app)
    if not result["success"]:
        raise ClassroomError(f"nbgrader generate_solution failed for {lesson}:\n{result.get('error') or result.get('log')}")
    folder = course_dir / "solution" / lesson
    print(f"Solutions of {lesson} in {folder}: hand this folder out (zip it, or copy it to the students).", file=out)
    return folder
