"""Teach a class with the course, with nbgrader: release the student edition, grade submissions.

    python -m course_tools.classroom release COURSE_DIR      an nbgrader course folder, lessons released
    python -m course_tools.classroom grade COURSE_DIR [LESSON ...] [--student S] [--force] [--jobs N]
                                                             autograde what is new or changed in COURSE_DIR/submitted/,
                                                             grades.csv, feedback
    python -m course_tools.classroom extend COURSE_DIR LESSON STUDENT --days N   one student's extension
    python -m course_tools.classroom solutions COURSE_DIR LESSON    nbgrader generate_solution for one lesson, after its deadline
    python -m course_tools.classroom self-study [DIR]        the student edition + solutions/ for a learner alone
    python -m course_tools.classroom timing [LESSON ...]     each lesson's kernel time and working-time estimate

Every step is done by nbgrader itself (generate_assignment, autograde, generate_feedback,
generate_solution through ``nbgrader.apps.NbGraderAPI`` and its converters; the gradebook's extensions;
``nbgrader export`` with lms.LmsExport; late penalties with late.PercentPerDay); this package prepares
the lessons for it, checks submissions for the ways they go wrong, remembers what it graded, and reports.  docs/teachers_guide.md explains the whole cycle.
"""
from .grade import grade
from .release import release, self_study

__all__ = ["grade", "release", "self_study"]
