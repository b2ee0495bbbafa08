"""The teacher's guide follows the lessons: its timing table's exercises and points are the notebooks' own."""
import re

import nbformat

from course_lib import paths
from course_tools.classroom.lessons import task_cells

ROW = re.compile(r"^\| (\d\d) [^|]+\| [^|]+\| [^|]+\| [^|]+\| (\d+) \((\d+)\) \|", re.M)


def test_the_guide_s_table_has_each_lesson_s_exercises_and_points():
    guide = (paths.course_root() / "docs" / "teachers_guide.md").read_text(encoding="utf-8")
    table = {number: (int(tasks), int(points)) for number, tasks, points in ROW.findall(guide)}
    lessons = {path.name[:2]: task_cells(nbformat.read(path, as_version=4)) for path in paths.lesson_paths()}
    wrong = {number: (table.get(number), (len(tasks), sum(p for *_, p in tasks)))
             for number, tasks in lessons.items() if table.get(number) != (len(tasks), sum(p for *_, p in tasks))}
    assert not wrong, f"docs/teachers_guide.md's table (exercises, points) vs the notebooks: {wrong}; " \
                      "re-measure with python -m course_tools.classroom timing"
    total_tasks = sum(len(t) for t in lessons.values())
    total_points = sum(p for t in lessons.values() for *_, p in t)
    assert f"In all: {total_tasks} exercises, {total_points} points" in guide
