"""Questions with immediate feedback: multiple choice, or a number.

    check_choice("tax-doubles", answer, OPTIONS, "5e1f...", hints)   # one of the OPTIONS' keys
    check_number(answer, right, "∂price/∂tax")                       # within 0.5 %

A multiple-choice cell must not print its own answer, so the right option is stored as a digest
(``choice_digest(question, option)``, a SHA-256 of the question's id and the option) and every option
has a hint, shown only when that option is chosen and wrong.  Reading the cell tells which options
exist, not which is right.  A wrong answer raises ``WrongAnswer`` (an AssertionError, so nbgrader
counts it as a failed test) whose message says why; a right one prints ✔ and returns nothing (so a test
cell shows the ✔ line and no stray ``True``), as ``IntermediateGrads.check`` does.
"""
import hashlib

import numpy as np

from .closeness import ANSWER_TOLERANCE, answer_matches
from .errors import WrongAnswer
from .formatting import fmt
from .i18n import N_, _, translate, translate_output

__all__ = ["WrongAnswer", "check_choice", "check_number", "choice_digest"]


def choice_digest(question, option):
    """The digest that stands for "``option`` is the answer to ``question``" (for lesson authors)."""
    text = f"{question.strip().lower()}::{str(option).strip().lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_choice(question, answer, options, right_digest, hints=None):
    """Judge a multiple-choice ``answer`` (a key of ``options``; case and spaces don't matter).

    question: the question's id.  options: {key: text}.  right_digest: ``choice_digest(question, key)``
    of the right key.  hints: {key: why that option is tempting or what to reconsider}.
    Options and hints are the lesson's English; in an edition they are shown from its catalog
    (``i18n.translate``, the English text being the msgid).
    """
    keys = {str(key).strip().lower(): key for key in options}
    if answer is None or answer is Ellipsis:
        raise WrongAnswer(_("choose one of {options} and put it in the answer cell").format(
            options=", ".join(map(str, options))))
    chosen = str(answer).strip().lower()
    if chosen not in keys:
        raise WrongAnswer(_("{answer} is not one of the options {options}").format(
            answer=repr(answer), options=", ".join(map(str, options))))
    if choice_digest(question, chosen) == right_digest:
        print(_("✔ Right: {key}. {option}").format(key=keys[chosen], option=translate(options[keys[chosen]])))
        return
    hint = (hints or {}).get(keys[chosen], "")
    raise WrongAnswer(_("✘ Not {key} ({option}).").format(key=keys[chosen], option=translate(options[keys[chosen]]))
                      + " " + (translate_output(hint) or _("Think again, then try another option.")))


def check_number(answer, right, name=N_("your answer"), tolerance=ANSWER_TOLERANCE, hint=""):
    """Judge a number: right within ``tolerance`` relative (or absolute below 1).  Prints ✔ or raises WrongAnswer."""
    name = translate(name)
    if answer is None or answer is Ellipsis:
        raise WrongAnswer(_("{name}: put a number in the answer cell").format(name=name))
    if isinstance(answer, (bool, np.bool_)) or (isinstance(answer, np.ndarray) and answer.ndim > 0):
        raise WrongAnswer(_("{name} must be one number, got {answer}").format(name=name, answer=repr(answer)))
    try:
        value = float(answer)
    except (TypeError, ValueError, OverflowError):
        raise WrongAnswer(_("{name} must be a number, got {answer}").format(name=name, answer=f"{answer!r:.80}")) from None
    if not np.isfinite(value):
        raise WrongAnswer(_("{name} is {value}: a gradient here is a finite number").format(name=name, value=value))
    right = float(right)
    if answer_matches(value, right, tolerance):
        print(_("✔ {name} = {value} is right").format(name=name, value=fmt(value)))
        return
    if answer_matches(value, -right, tolerance) and right != 0:
        hint = hint or _("the size is right but the sign is not")
    raise WrongAnswer(_("✘ {name} = {value} is not right.").format(name=name, value=fmt(value)) + " "
                      + (translate(hint) or _("Follow the graph backwards once more.")))
