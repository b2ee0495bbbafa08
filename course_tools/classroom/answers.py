"""The lines that answer the exercises: what no student edition may hold.

A lesson's answers are the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` and its hidden
tests (``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``).  Not every such line gives anything away:
``return out`` is everywhere, and some are quoted as lesson text.  So a line counts when, compared
without its comment and with its whitespace collapsed (``normalise``), it is longer than 8 characters and
the lessons do not show it outside their solutions and hidden tests (in a cell's text, or in
the stored output of a cell that is neither an answer nor a test):

- ``distinctive_lines``: shown in no lesson at all (what a built page of the whole course must not hold);
- ``answer_lines``: shown neither in its own lesson nor in an earlier one (what a student working through
  the lessons in order must not find in the library they installed: lesson 9 quotes Affine's backward,
  which is lesson 6's exercise).
"""
import io
import re
import tokenize

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MIN_CHARS = 8


def normalise(text):
    """``text`` with every run of whitespace made one space, and no space at either end."""
    return " ".join(text.split())


def code_of(line):
    """A line of Python without its trailing ``# comment`` (the line itself if it does not tokenize alone)."""
    stripped = line.strip()
    try:
        for token in tokenize.generate_tokens(io.StringIO(stripped + "\n").readline):
            if token.type == tokenize.COMMENT:
                return stripped[:token.start[1]].strip()
    except (tokenize.TokenError, SyntaxError):  # a line of a bracket spread over several lines
        pass
    return stripped


def hidden_texts(notebook):
    """The solutions and hidden tests of ``notebook`` (a NotebookNode), as texts."""
    return [text for cell in notebook.cells
            for text in SOLUTION.findall(cell.source) + HIDDEN_TESTS.findall(cell.source)]


def output_text(output):
    """The text of one stored output: a stream, an error's traceback, or its text/* data."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", []))
    return "\n".join(value if isinstance(value, str) else "".join(value)
                     for kind, value in output.get("data", {}).items() if kind.startswith("text/"))


def is_task_cell(cell):
    """True for an nbgrader answer or test cell (``metadata.nbgrader.solution`` or ``.grade``)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution", False) or meta.get("grade", False))


def shown_text(notebook):
    """Everything the lesson shows outside its solutions and hidden tests, normalised: every cell's source
    without them, and the stored outputs of the cells that are neither answer nor test cells."""
    sources = [HIDDEN_TESTS.sub("", SOLUTION.sub("", cell.source)) for cell in notebook.cells]
    outputs = [output_text(output) for cell in notebook.cells if cell.cell_type == "code" and not is_task_cell(cell)
               for output in cell.get("outputs", [])]
    return normalise("\n".join(sources + outputs))


def candidate_lines(notebook):
    """The normalised code of every solution and hidden-test line of ``notebook`` longer than MIN_CHARS."""
    lines = {normalise(code_of(line)) for text in hidden_texts(notebook) for line in text.splitlines()}
    return {line for line in lines if len(line) > MIN_CHARS}


def distinctive_lines(notebooks):
    """{stem: lines of its solutions and hidden tests that no lesson shows elsewhere}.

    notebooks: {stem: NotebookNode} of every lesson."""
    shown = "\n".join(shown_text(notebook) for notebook in notebooks.values())
    return {stem: {line for line in candidate_lines(notebook) if line not in shown}
            for stem, notebook in notebooks.items()}


def answer_lines(notebooks):
    """{stem: lines of its solutions and hidden tests that neither it nor an earlier lesson shows elsewhere}.

    notebooks: {stem: NotebookNode} of every lesson, in the lessons' order."""
    found, shown = {}, []
    for stem, notebook in notebooks.items():
        shown.append(shown_text(notebook))
        seen = "\n".join(shown)
        found[stem] = {line for line in candidate_lines(notebook) if line not in seen}
    return found


def lines_answered_before_shown(notebooks):
    """{stem: lines of its solutions and hidden tests that nothing shows before the learner meets them}.

    Stricter than ``answer_lines``, for what students hold from the first day (the student install): a line
    counts unless an earlier lesson shows it, or its own lesson shows it before the exercise's cell; a line
    the lesson shows only after the exercise (a summary, a quote of the library) is still an answer.
    notebooks: {stem: NotebookNode} of every lesson, in the lessons' order."""
    found, earlier = {}, []
    for stem, notebook in notebooks.items():
        before, lines = [], set()
        for cell in notebook.cells:
            if hidden_texts(nbformat_cell_notebook(cell)):
                seen = normalise("\n".join(earlier + before))
                lines |= {line for line in candidate_lines(nbformat_cell_notebook(cell)) if line not in seen}
            before.append(HIDDEN_TESTS.sub("", SOLUTION.sub("", cell.source)))
            if cell.cell_type == "code" and not is_task_cell(cell):
                before += [output_text(output) for output in cell.get("outputs", [])]
        found[stem] = lines
        earlier.append(shown_text(notebook))
    return found


def nbformat_cell_notebook(cell):
    """A one-cell stand-in notebook, so the notebook-level helpers read a single cell."""
    return type("OneCell", (), {"cells": [cell]})()


def answers_in(text, lines):
    """The lines (normalised, as ``answer_lines`` gives them) that occur in ``text`` once it is normalised."""
    text = normalise(text)
    return sorted(line for line in lines if line in text)
