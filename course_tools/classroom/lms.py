"""What a learning platform (Canvas, Moodle) gives and takes: its download names, and the grade sheet it imports.

``nbgrader zip_collect`` reads a platform's bulk download of submissions; its ``FileNameCollectorPlugin``
finds the student and the notebook in each file's path (an absolute path: the patterns begin with ``.*/``):

- Canvas names a download ``<name>_<user id>_<submission id>_<file>.ipynb``, with ``late_`` after the
  name for a late one, and ``-1``, ``-2`` after the file for a re-upload;
- Moodle names it ``<Full Name>_<participant id>_assignsubmission_file_<file>.ipynb`` (or puts
  ``<file>.ipynb`` in a folder ``<Full Name>_<id>_assignsubmission_file_``).

``LmsExport`` is an nbgrader ``ExportPlugin``: ``nbgrader export --exporter=course_tools.classroom.lms.LmsExport
--to=lms_grades.csv`` writes one row per student of the gradebook, one column per lesson and the total.
"""
import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin

CANVAS_REGEXP = r".*/[^/]+?_(?:late_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$"
MOODLE_REGEXP = r".*/[^/]+?_(?P<student_id>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+)\.ipynb$"
IDENTITY_COLUMNS = ("Student", "ID", "SIS User ID", "Email")
TOTAL_COLUMN = "Total"


def student_name(student):
    """'Last, First' as Canvas shows a student, or the id when the roster gave no name."""
    names = [name for name in (student.last_name, student.first_name) if name]
    return ", ".join(names) if names else student.id


def final_score(gradebook, lesson, student_id):
    """The points a student has for a lesson after the late penalty (0 when nothing was handed in)."""
    try:
        submission = gradebook.find_submission(lesson, student_id)
    except MissingEntry:
        return 0.0
    return max(0.0, submission.score - submission.late_submission_penalty)


def graded_lessons(gradebook, chosen=()):
    """The lessons to export, in the course's order: those chosen (``--assignment``), else every lesson
    someone handed in."""
    return sorted(assignment.name for assignment in gradebook.assignments
                  if (assignment.name in chosen if chosen else assignment.num_submissions > 0))


class LmsExport(ExportPlugin):
    """One row per student, one column per lesson (points after the late penalty) and the total, as a CSV.

    Canvas imports it in Grades > Import (rows matched by ``ID`` or ``SIS User ID``: use the platform's
    user id as the nbgrader student id); Moodle in Grades > Import > CSV file (map ``Email`` or ``ID``)."""

    def export(self, gradebook):
        dest = self.to or "lms_grades.csv"
        lessons = graded_lessons(gradebook, [str(name) for name in self.assignment])
        wanted = {str(student) for student in self.student}
        with open(dest, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow([*IDENTITY_COLUMNS, *lessons, TOTAL_COLUMN])
            for student in gradebook.students:
                if wanted and student.id not in wanted:
                    continue
                scores = [final_score(gradebook, lesson, student.id) for lesson in lessons]
                writer.writerow([student_name(student), student.id, student.id, student.email or "",
                                 *map(_number, scores), _number(sum(scores))])
        self.log.info("Exported %d lessons to %s", len(lessons), dest)


def _number(value):
    return f"{value:g}"
