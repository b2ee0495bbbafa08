"""What ``grade`` has graded: COURSE_DIR/graded.json, so a later run grades only new or changed submissions.

For each submission (``<student>/<lesson>``) it keeps the fingerprint it was graded with and the row it got:

    {"ada/03_gates": {"fingerprint": {"notebook": "<sha256>", "timestamp": "2027-03-01 16:59:02 UTC",
                                      "due": "2027-03-01T17:00:00", "lesson": "<sha256>"},
                      "graded_at": "2027-03-02T09:14:55Z", "row": {"student": "ada", ...}}}

The fingerprint changes when the student hands in another notebook (its SHA-256), when nbgrader's
``timestamp.txt`` changes (a resubmission), when the due date that applies to the student changes
(a new due date or an extension), or when the lesson itself is released again.
"""
import hashlib
import json
import time
from pathlib import Path

FILE_NAME = "graded.json"


def key(student, lesson):
    return f"{student}/{lesson}"


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def fingerprint(course_dir, student, lesson, due):
    """{notebook, timestamp, due, lesson}: what a submission was graded from (due: ISO text or None)."""
    folder = Path(course_dir) / "submitted" / student / lesson
    stamp = folder / "timestamp.txt"
    return {"notebook": _sha256(folder / f"{lesson}.ipynb"),
            "timestamp": stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None,
            "due": due,
            "lesson": _sha256(Path(course_dir) / "source" / lesson / f"{lesson}.ipynb")}


class Record:
    """graded.json of one course folder: ``changed(student, lesson, print)``, ``remember(...)``, ``row(...)``."""

    def __init__(self, course_dir):
        self.path = Path(course_dir) / FILE_NAME
        self.entries = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}

    def changed(self, student, lesson, print_now):
        """True when the submission was never graded, or was graded from another fingerprint."""
        entry = self.entries.get(key(student, lesson))
        return entry is None or entry["fingerprint"] != print_now

    def row(self, student, lesson):
        """The row (a dict of grades.csv's columns) the submission got when last graded, or None."""
        entry = self.entries.get(key(student, lesson))
        return entry["row"] if entry else None

    def remember(self, student, lesson, print_now, row):
        """Keep the fingerprint and row of a submission just graded, and write graded.json at once."""
        self.entries[key(student, lesson)] = {"fingerprint": print_now, "row": row,
                                              "graded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.path)
