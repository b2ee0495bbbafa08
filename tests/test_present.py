"""The presented edition (COURSE_DIR/present/, made by ``release``): what Voilà runs on the projector.

Lesson 1 has a quiz whose test prints "✔ Right: b. ..."; lesson 10's test cells hand out the gradients
later cells start from.  Both presented lessons run top to bottom without an error, and no cell shows a
verdict or an answer.
"""
import io

import nbformat
import pytest
from nbclient import NotebookClient

from course_lib import paths
from course_tools.classroom import answers, release
from course_tools.classroom.present import presented

LESSONS = ("01_computational_graphs", "10_appendix_backprop_ninja")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return release(tmp_path_factory.mktemp("class") / "course", list(LESSONS), out=io.StringIO())


def _answers_and_verdicts(stem):
    """The lesson's answer lines and the lines its test cells print (stored outputs), normalised."""
    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in paths.lesson_paths()}
    verdicts = {answers.normalise(line) for cell in notebooks[stem].cells
                if cell.metadata.get("nbgrader", {}).get("grade") for output in cell.get("outputs", [])
                for line in answers.output_text(output).splitlines() if len(line.strip()) > 8}
    return answers.answer_lines(notebooks)[stem] | verdicts


@pytest.mark.parametrize("stem", LESSONS)
def test_a_presented_lesson_runs_and_shows_no_answer(course, stem):
    folder = course / "present" / stem
    notebook = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
    assert not [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert "BEGIN SOLUTION" not in "".join(cell.source for cell in notebook.cells)
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = [(number, output.ename) for number, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert errors == []
    tests = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert tests and all(cell.outputs == [] for cell in tests)
    shown = "\n".join(answers.output_text(output) for cell in notebook.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    hidden = _answers_and_verdicts(stem)
    assert hidden and answers.answers_in(shown, hidden) == []


def test_without_silent_tests_lesson_1_would_show_its_verdict(course):
    """The check above can fail: the student edition with its answer typed in, presented, prints no verdict;
    the same cells run plainly print "✔ Right"."""
    stem = LESSONS[0]
    released = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
    for cell in released.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "graphs-tax-doubles":
            cell.source = 'tax_doubles_answer = "b"'
    quiz = [cell for cell in released.cells
            if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("graphs-tax-doubles")]
    plain, quiet = nbformat.v4.new_notebook(cells=quiz), presented(nbformat.v4.new_notebook(cells=quiz))
    quiet.cells.insert(0, quiz[0])  # presented() drops answer cells: type the answer in again
    for notebook in (plain, quiet):
        NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    assert "✔ Right: b." in answers.output_text(plain.cells[-1].outputs[0])
    assert quiet.cells[-1].outputs == []
