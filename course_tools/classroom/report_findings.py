"""What one failed test cell says went wrong, read from its outputs in the autograded notebook.

A failed test cell is one of three kinds of finding:

- ``mistake``: a sentence of ``course_lib.diagnosis.MISTAKES`` (the one table of named mistakes) in what
  the cell printed (check_layer's verdict lines) or raised (IntermediateGrads', the quizzes'); the
  gradient it names comes from check_layer's "gradient for W" or from the sentence itself (``d_scores``);
- ``unanswered``: the exercise still raises the stub's NotImplementedError;
- ``failure``: anything else, grouped by its message with the numbers masked (``#``), so
  "∂e/∂a is 3, expected 2" and "∂e/∂a is 7, expected 2" are one group.
"""
import re
from dataclasses import dataclass

from course_lib import gradcheck
from course_lib.diagnosis import IT, find_mistakes, unnamed
from course_lib.errors import WrongAnswer
from course_lib.i18n import PLACEHOLDER, in_every_language
from course_lib.intermediates import GradientMismatch

MISTAKE, UNANSWERED, FAILURE = "mistake", "unanswered", "failure"
STUB_ERROR = "NotImplementedError"
ASSERTIONS = {"AssertionError", WrongAnswer.__name__, GradientMismatch.__name__}  # their message says it all
FAILED_MARK = "✘"  # check_layer's mark on a gradient that is wrong
NUMBER = re.compile(r"(?<![\w.])[-+−]?(?:\d+\.?\d*|\.\d+)(?:e[-+−]?\d+)?(?![\w])")
MAX_MESSAGE = 300
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Finding:
    """kind: MISTAKE, UNANSWERED or FAILURE; label: the mistake's label or the masked message;
    gradient: the gradient a mistake is in (``dW``), else ""; example: one message as it was written."""
    kind: str
    label: str
    gradient: str = ""
    example: str = ""

    @property
    def key(self):
        return (self.kind, self.label, self.gradient)


def mask_numbers(text):
    """The text with every number replaced by #: "∂e/∂a is 3, expected 2" -> "∂e/∂a is #, expected #"."""
    return NUMBER.sub("#", text)


def _up_to_what(template):
    """A regex of a check_layer verdict template, up to the text after its ``{what}``: ``what`` a named group."""
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:match.start()]))
        if match.group(1) == "what":
            following = PLACEHOLDER.split(template[match.end():], maxsplit=1)[0]
            return re.compile("".join(parts) + r"(?P<what>.+?)" + re.escape(following))
        parts.append(r".*?")
        last = match.end()
    raise ValueError(f"no {{what}} in {template!r}")


def verdict_gradient(line):
    """The gradient a check_layer ✘ line names, in English terms ("W", "input", "input 1"), in any language; or None.

    "✘ MyAffine: gradient for W is wrong ..." -> "W"; "✘ MyAffine: 입력의 기울기가 ..." -> "input"."""
    for template in (gradcheck.WRONG, gradcheck.WRONG_SHAPE):
        for text in in_every_language(template):
            match = _up_to_what(text).search(line)
            if match:
                return _english_label(match.group("what"))
    return None


def _english_label(what):
    if what in in_every_language(gradcheck.INPUT):
        return "input"
    for text in in_every_language(gradcheck.INPUT_NUMBER):
        number = re.fullmatch(re.escape(text).replace(re.escape("{number}"), r"(\d+)"), what)
        if number:
            return f"input {number.group(1)}"
    return what


def gradient_name(what):
    """check_layer's "W" -> "dW", "input" -> "dx", "input 1" -> "dx (input 1)"; a d_name stays as it is;
    "it" and diagnose's default name (which name no gradient), in any language -> ""."""
    if what in unnamed():
        return ""
    if what.startswith("d_"):
        return what
    if what.startswith("input"):
        return "dx" + (f" ({what})" if what != "input" else "")
    return f"d{what}"


def _one_line(text):
    line = next((line.strip() for line in ANSI.sub("", text).splitlines() if line.strip()), "")
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE - 3] + "..."


def _errors(cell):
    return [output for output in (cell.get("outputs") or []) if output.get("output_type") == "error"]


def _printed(cell):
    return "".join(output.get("text", "") for output in (cell.get("outputs") or []) if output.get("output_type") == "stream")


def cell_findings(test_cell, answer_cell=None):
    """[Finding] of a failed test cell (an nbformat cell with outputs); answer_cell: its exercise's cell."""
    errors = _errors(test_cell)
    answer_errors = _errors(answer_cell) if answer_cell is not None else []
    if any(error.ename == STUB_ERROR for error in errors + answer_errors):
        return [Finding(UNANSWERED, "not answered (the stub's NotImplementedError)")]
    evalue = "\n".join(f"{error.evalue}" for error in errors)
    found, explained = [], False
    for line in (_printed(test_cell) + "\n" + evalue).splitlines():
        named = find_mistakes(line)
        what = verdict_gradient(line) if named else None
        for mistake, name in named:
            gradient = gradient_name(what) if what and name in in_every_language(IT) else gradient_name(name)
            found.append(Finding(MISTAKE, mistake.label, gradient, line.strip()))
        if line.lstrip().startswith(FAILED_MARK):
            explained = True
            if not named:
                found.append(Finding(FAILURE, mask_numbers(_one_line(line)), "", _one_line(line)))
        explained = explained or bool(named)
    if not explained and errors:
        found.append(_failure(errors[0], answer_errors))
    return list({finding.key: finding for finding in found}.values())


def _failure(error, answer_errors):
    """The Finding of a test cell's error that no checker explained."""
    if answer_errors:  # the exercise's own cell failed first (a typo, a wrong name): say that
        first = answer_errors[0]
        message = f"the answer cell raised {first.ename}: {_one_line(first.evalue)}"
    elif error.ename in ASSERTIONS:
        message = _one_line(error.evalue) or f"{error.ename} with no message"
    else:
        message = f"{error.ename}: {_one_line(error.evalue)}"
    return Finding(FAILURE, mask_numbers(message), "", message)


# ----------------------------------------------------------------- grades.csv's problem column

# grade.py joins a submission's problems with "; ", and a few of checks.py's and grade.py's sentences hold
# "; " themselves: a piece that begins so continues the problem before it.
CONTINUATIONS = ("not ", "nothing ", "the notebook was graded on", "the graded notebook keeps")


def problem_kinds(problem_line):
    """The problems of one grades.csv ``problem`` cell, each with its numbers masked."""
    problems = []
    for piece in (piece.strip() for piece in problem_line.split("; ")):
        if problems and piece.startswith(CONTINUATIONS):
            problems[-1] += "; " + piece
        elif piece:
            problems.append(piece)
    return [mask_numbers(problem) for problem in problems]
