"""Late work: a LateSubmissionPlugin for nbgrader that takes so many percent of the score per started day late.

nbgrader's own ``LateSubmissionPlugin`` knows "none" and "zero"; a course that wants a gentler rule
names this one in nbgrader_config.py::

    c.AssignLatePenalties.plugin_class = "course_tools.classroom.late.PercentPerDay"
    c.PercentPerDay.percent = 10

nbgrader calls it while autograding a submission whose timestamp (its ``timestamp.txt``) is after the
lesson's due date plus the student's extension, and subtracts the returned penalty from the score.
"""
import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

SECONDS_PER_DAY = 24 * 3600


class PercentPerDay(LateSubmissionPlugin):
    """A penalty of ``percent`` % of the notebook's score for every started day late (never more than the score)."""

    percent = Float(10.0, help="percent of the score taken per started day (24 h) late").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """The points to subtract: score × percent/100 × days late (rounded up), at most the score."""
        if total_seconds_late <= 0:
            return 0.0
        days = math.ceil(total_seconds_late / SECONDS_PER_DAY)
        return min(score, score * self.percent / 100 * days)
