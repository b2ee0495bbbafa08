"""The nbgrader course folder: its config file, its marker, and nbgrader's API bound to it.

COURSE_DIR/
    nbgrader_config.py        settings a teacher may edit (per-cell timeout, output limit, ...)
    .classroom.json           marks the folder as made by ``release`` (so a re-release may overwrite it)
    README.md                 what is here; generated
    source/<lesson>/          each lesson prepared for nbgrader, with its pictures and data
    release/<lesson>/         the student edition, made by ``nbgrader generate_assignment``
    gradebook.db              nbgrader's gradebook
    submitted/<student>/<lesson>/   what students hand in (``nbgrader collect`` or zip import put it here)
    autograded/, feedback/    made by ``grade``; grades.csv too
    graded.json               what ``grade`` graded: each submission's hash, timestamp, due date and row
    solution/<lesson>/        a lesson's solutions, made by ``solutions`` after its deadline
"""
import json
import logging
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course_lib.errors import CourseError

from .lms import CANVAS_REGEXP

MARKER = ".classroom.json"
CONFIG_FILE = "nbgrader_config.py"
COURSE_ID = "backprop"
DB_WAIT_SECONDS = 60  # how long a grading process waits for the gradebook while another writes to it
DEFAULT_TIMEOUT = 120  # seconds per cell; lesson 08's training cell needs about 10 s on a laptop

CONFIG_TEXT = f'''\
# nbgrader's settings for this course folder.  Made by `python -m course_tools.classroom release`;
# edit freely (a re-release keeps this file).  nbgrader reads it when run from this folder.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "{COURSE_ID}"

# Autograding: a cell that runs longer than this many seconds is interrupted and counts as failed
# (an infinite loop then costs only its own task).  `grade --timeout N` overrides it for one run.
c.Execute.timeout = {DEFAULT_TIMEOUT}
c.Execute.interrupt_on_timeout = True

# A deleted test cell is put back from the gradebook before grading, so deleting a test cannot
# turn a blank answer into points.  Edited test cells are always restored (they are locked).
c.OverwriteCells.add_missing_cells = True

# A cell that prints a flood of lines is cut to this many in the graded notebook and the feedback.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}

# On JupyterHub with nbgrader's exchange, name the shared exchange folder here, e.g.
# c.Exchange.root = "/srv/nbgrader/exchange"

# Late work (a lesson's due date: `nbgrader db assignment add LESSON --duedate="2027-03-01 17:00 Europe/Berlin"`).
# nbgrader's own plugin: "none" (no penalty) or "zero" (a late submission scores 0):
# c.LateSubmissionPlugin.penalty_method = "zero"
# or the course's plugin: so many percent of the score per started day late (10 % a day, 0 after 10 days):
# c.AssignLatePenalties.plugin_class = "course_tools.classroom.late.PercentPerDay"
# c.PercentPerDay.percent = 10

# `nbgrader zip_collect LESSON`: how a downloaded file's name carries the student (docs/teachers_guide.md
# gives the lines for Canvas and Moodle), e.g. for Canvas:
# c.FileNameCollectorPlugin.named_regexp = r"{CANVAS_REGEXP}"
'''


class ClassroomError(CourseError):
    """Something a teacher must fix (the message says what); the command exits with status 2."""


def is_release(course_dir):
    """True when COURSE_DIR was made by ``release`` (it holds the marker file)."""
    return (Path(course_dir) / MARKER).is_file()


def read_marker(course_dir):
    return json.loads((Path(course_dir) / MARKER).read_text(encoding="utf-8"))


def write_marker(course_dir, lessons, lang="en"):
    data = {"made_by": "python -m course_tools.classroom release", "course_id": COURSE_ID, "lessons": lessons,
            "lang": lang}
    (Path(course_dir) / MARKER).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_config(course_dir, timeout=None):
    """nbgrader's Config for COURSE_DIR: its nbgrader_config.py, rooted at COURSE_DIR."""
    course_dir = Path(course_dir).resolve()
    config = Config()
    if (course_dir / CONFIG_FILE).is_file():
        config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(course_dir)).load_config())
    config.CourseDirectory.root = str(course_dir)
    if "db_url" not in config.CourseDirectory:  # several grading processes share the one sqlite file:
        # a writer waits up to a minute for another's short transaction instead of failing at once
        config.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}?timeout={DB_WAIT_SECONDS}"
    if timeout is not None:
        config.Execute.timeout = int(timeout)
    return config


def gradebook(course_dir):
    """nbgrader's Gradebook of COURSE_DIR (a context manager: ``with course.gradebook(d) as gb: ...``)."""
    from nbgrader.api import Gradebook

    config = load_config(course_dir)
    return Gradebook(config.CourseDirectory.db_url, COURSE_ID)


def nbgrader_api(course_dir, timeout=None):
    """nbgrader's own API (``nbgrader.apps.NbGraderAPI``) working on COURSE_DIR, logging warnings only."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course_dir, timeout)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    api.log_level = logging.WARNING
    return api
