"""An accessibility audit with axe-core (WCAG 2.1 A and AA) of the class report: no serious or critical finding.

The report is made from the same graded course as tests/test_class_report.py (lessons 05 and 06 released,
seven submissions of lesson 06 graded by nbgrader), both as the whole class's page and as one lesson's page,
opened from disk with every outside request refused.
"""
import sys
from pathlib import Path

import pytest

from test_axe import audit, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the graded course of test_class_report
from test_class_report import DEVNULL, L6, make_graded_course  # noqa: E402

from course_tools.classroom.report import build  # noqa: E402


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory):
    course = make_graded_course(tmp_path_factory.mktemp("report-axe") / "course")
    return [build(course, out=DEVNULL), build(course, L6, out=DEVNULL)]


def test_the_class_report_passes_axe(page, report_pages):
    outside = []
    page.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
               if not route.request.url.startswith("file:") else route.continue_())
    problems = {}
    for path in report_pages:
        for width in (1280, 480):  # a projector and a phone
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path.as_uri())
            assert page.locator("svg[role=img] > title").count() >= 3
            found = audit(page)
            if found:
                problems[f"{path.name} at {width} px"] = found
    assert problems == {}, report(problems)
    assert outside == []
