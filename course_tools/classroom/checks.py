"""What can be wrong with a submission, in one line a teacher can read.

``before_grading`` looks at the submitted file against the released lesson (is it a notebook, of
this lesson, with its answer and test cells?); ``after_grading`` reads the notebook nbgrader
autograded (cells stopped by the timeout, ``sys.exit()``, missing modules, floods of output).
Failing tests and unanswered exercises (``NotImplementedError``) are normal grading, not problems.
"""
import json
from dataclasses import dataclass, field

import nbformat

MAX_OUTPUT_CHARS = 1_000_000  # a graded notebook with more output than this is flagged
MAX_NOTEBOOK_BYTES = 50_000_000  # a submitted file above this is not graded at all
TIMEOUT_ERRORS = {"CellTimeoutError", "KeyboardInterrupt", "TimeoutError"}
EXIT_ERRORS = {"SystemExit"}
IMPORT_ERRORS = {"ModuleNotFoundError", "ImportError"}


@dataclass
class Inspection:
    """The problems found (one phrase each), and whether the notebook can be graded at all."""
    problems: list = field(default_factory=list)
    gradable: bool = True
    deleted_answers: list = field(default_factory=list)  # grade_ids of answer cells that were deleted

    def refuse(self, problem):
        self.problems.append(problem)
        self.gradable = False


def grade_ids(notebook):
    """{grade_id: cell} of the notebook's nbgrader cells."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells
            if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})}


def before_grading(path, released, all_lessons_ids):
    """Inspect the submitted notebook at ``path`` against the released notebook of its lesson.

    released: the release notebook (NotebookNode); all_lessons_ids: {lesson stem: set of grade_ids}.
    """
    found = Inspection()
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb"))
        found.refuse(f"no {path.name} in the submission" + (f" (found {', '.join(others)})" if others else ""))
        return found
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        found.refuse(f"{path.name} is {path.stat().st_size / 1e6:.0f} MB; not graded (limit {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB)")
        return found
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        found.refuse(f"{path.name} is not valid JSON ({error}); not a notebook, not graded")
        return found
    try:
        if not isinstance(data, dict) or "cells" not in data:
            raise ValueError("it has no cells")
        notebook = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several kinds
        found.refuse(f"{path.name} is JSON but not a Jupyter notebook ({str(error).splitlines()[0][:120]}); not graded")
        return found
    submitted, expected = grade_ids(notebook), grade_ids(released)
    if not set(submitted) & set(expected):
        other = [stem for stem, ids in all_lessons_ids.items() if set(submitted) & ids]
        if other:
            found.refuse(f"this is lesson {other[0]}'s notebook, not {path.stem}'s; not graded")
            return found
    for grade_id, cell in expected.items():
        meta = cell.metadata["nbgrader"]
        mine = submitted.get(grade_id)
        if meta.get("solution") and mine is None:
            found.deleted_answers.append(grade_id)
            found.problems.append(f"answer cell {grade_id} was deleted: that task scores 0")
        elif meta.get("grade") and mine is None:
            found.problems.append(f"test cell {grade_id} was deleted: nbgrader put it back and ran it")
        elif meta.get("grade") and mine.source != cell.source:
            found.problems.append(f"test cell {grade_id} was edited: nbgrader ran the original")
    return found


def after_grading(path, timeout):
    """Problems seen in the autograded notebook at ``path``: timeouts, exits, missing modules, huge output."""
    problems = []
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        return [f"the autograded notebook cannot be read ({error})"]
    total_chars = 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            total_chars += len(json.dumps(output))
            if output.output_type == "stream" and "... Output truncated ..." in output.text:
                problems.append(f"cell {number} printed too many lines; the graded notebook keeps the first ones")
            if output.output_type != "error":
                continue
            if output.ename in TIMEOUT_ERRORS:
                problems.append(f"cell {number} ran longer than {timeout} s and was stopped")
            elif output.ename in EXIT_ERRORS:
                problems.append(f"cell {number} called sys.exit(); the notebook was graded on")
            elif output.ename in IMPORT_ERRORS:
                problems.append(f"cell {number}: {output.ename}: {output.evalue}")
    if total_chars > MAX_OUTPUT_CHARS:
        problems.append(f"the graded notebook holds {total_chars / 1e6:.1f} MB of output")
    return problems
