"""Teach a class with the course, with nbgrader: release the student edition, grade submissions.

    python -m course_tools.classroom release COURSE_DIR      an nbgrader course folder, lessons released
    python -m course_tools.classroom grade COURSE_DIR        autograde COURSE_DIR/submitted/, grades.csv, feedback
    python -m course_tools.classroom self-study [DIR]        the student edition + solutions/ for a learner alone
    python -m course_tools.classroom timing [LESSON ...]     each lesson's kernel time and working-time estimate

Every step is done by nbgrader itself (generate_assignment, autograde, generate_feedback through
``nbgrader.apps.NbGraderAPI``); this package prepares the lessons for it, checks submissions for the
ways they go wrong, and reports.  docs/teachers_guide.md explains the whole cycle.
"""
from .grade import grade
from .release import release, self_study

__all__ = ["grade", "release", "self_study"]
