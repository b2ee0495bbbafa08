"""Predict, then reveal: a backward pass as questions, the BackwardStepper's quiz mode.

At backward step k the learner (or the whole class) says what node k sends back to each of its
inputs *before* seeing it; ``answer(k, guesses)`` says right or wrong with the rule that gives the
right value, and ``score`` counts the first try of every question.

Frame k shows the graph as it was before step k and asks the question; its answer (the picture
after step k and the step's explanation) sits in a ``<details>`` element, so in an exported page
with no kernel the learner still predicts, then clicks "Show the answer".  Nothing is computed
here: every right value and rule is read from the graph's trace.

``questions()`` hands the same questions to the browser (course_lib/frontend/predict_panel.js): for each
step, each target's accepted range, right value as text and rule, so the page judges a typed answer
with no kernel; ``TEXTS`` are the words both sides write.
"""
import math

from dataclasses import dataclass

from .closeness import ANSWER_TOLERANCE, answer_margin, answer_matches
from .drawing import draw_graph
from .errors import CourseValueError
from .formatting import fmt
from .i18n import N_, _
from .stepping import BackwardSteps, lines_html



# The words of the quiz, in Python (Verdict.text, summary) and in the page (PredictPanel.texts).
TEXTS = {
    "right": N_("✔ to {target}: {guess} is right   ({rule})"),
    "wrong": N_("✘ to {target}: you said {guess}, it is {right}   ({rule})"),
    "partial": N_("score: {right} of {asked} right so far ({left} gradients still to predict)"),
    "done": N_("Done: {right} of {total} gradients predicted right."),
    "empty": N_("Type a gradient for {names} first."),
    "not_a_number": N_("type a number such as 2.2, −0.5 or 1/3; got '{typed}'"),
    "guess_label": N_("to {target} ="),
    "placeholder": N_("your gradient"),
    "check": N_("Check"),
    "check_tooltip": N_("compare your prediction with the backward pass"),
}


def texts():
    """TEXTS in the current language (course_lib.i18n): what PredictPanel's page and the verdicts say."""
    return {key: _(text) for key, text in TEXTS.items()}


def accepted_range(expected, tolerance=ANSWER_TOLERANCE):
    """(low, high): the typed numbers ``answer_matches`` accepts for ``expected``; (None, None) if not finite."""
    if not math.isfinite(expected):
        return None, None
    margin = answer_margin(expected, tolerance)
    return expected - margin, expected + margin


def parse_number(text):
    """A typed number: '2.2', '-0.5', '−1' (true minus), '1/3', '1e-3'.  Raises ValueError otherwise."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text).strip().replace("−", "-").replace(" ", "")
    try:
        if cleaned.count("/") == 1:
            top, bottom = cleaned.split("/")
            return float(top) / float(bottom)
        return float(cleaned)
    except (ValueError, ZeroDivisionError):
        raise CourseValueError(_(TEXTS["not_a_number"]).format(typed=str(text))) from None


@dataclass(frozen=True)
class Verdict:
    """One predicted gradient judged: what was sent to ``target``, the guess, the right value, the rule."""

    target: str
    guess: float
    right_value: float
    correct: bool
    rule: str

    def text(self):
        template = _(TEXTS["right"] if self.correct else TEXTS["wrong"])
        return template.format(target=self.target, guess=fmt(self.guess), right=fmt(self.right_value), rule=self.rule)


class PredictSteps(BackwardSteps):
    """A graph's backward pass as questions: frame k asks what node k sends to each of its inputs."""

    def __init__(self, graph):
        super().__init__(graph)
        self.first_tries = {}  # step -> [Verdict], the first answer given at that step

    def targets(self, step):
        """The inputs node ``step`` sends a gradient to (each once, in order)."""
        return list(self.trace[self.check_step(step) - 1].sent) if step else []

    def answer(self, step, guesses):
        """Judge ``guesses`` ({input: number or text}) for backward step ``step``; returns [Verdict].

        Every input of the node needs a guess.  Only the first answer at a step counts for the score.
        """
        targets = self.targets(step)
        if not targets:
            raise CourseValueError(_("step 0 is the forward pass: there is nothing to predict; step to 1 first"))
        missing = [name for name in targets if name not in guesses]
        if missing:
            raise CourseValueError(_("step {step} asks for the gradient sent to {targets}; missing: {missing}").format(
                step=step, targets=targets, missing=missing))
        record = self.trace[step - 1]
        rules = dict(zip(record.inputs, record.rules))
        verdicts = []
        for name in targets:
            guess = parse_number(guesses[name])
            right = float(record.sent[name])
            verdicts.append(Verdict(name, guess, right, answer_matches(guess, right), rules[name]))
        self.first_tries.setdefault(step, verdicts)
        return verdicts

    @property
    def score(self):
        """(right, asked) over the first tries so far."""
        tries = [verdict for verdicts in self.first_tries.values() for verdict in verdicts]
        return sum(verdict.correct for verdict in tries), len(tries)

    @property
    def n_questions(self):
        return sum(len(self.targets(step)) for step in range(1, self.n_steps + 1))

    def summary(self):
        right, asked = self.score
        template = _(TEXTS["partial"] if asked < self.n_questions else TEXTS["done"])
        return template.format(right=right, asked=asked, total=self.n_questions, left=self.n_questions - asked)

    def questions(self):
        """Every step's questions for the page: [[{target, low, high, right, rule}, ...] for step 0..n].

        ``low``..``high`` is what ``answer_matches`` accepts; ``right`` the right value as the frames write it.
        """
        asked = [[]]
        for record in self.trace:
            rules = dict(zip(record.inputs, record.rules))
            step = []
            for name in dict.fromkeys(record.sent):
                right = float(record.sent[name])
                low, high = accepted_range(right)
                step.append({"target": name, "low": low, "high": high, "right": fmt(right), "rule": rules[name]})
            asked.append(step)
        return asked

    def explanation(self, step):
        if self.check_step(step) == 0:
            return [
                _("Predict, then reveal"),
                _("At every step, say what the node sends back to each of its inputs before you look."),
                _("{n_steps} steps, {n_questions} gradients to predict. Step ▶ to start.").format(
                    n_steps=self.n_steps, n_questions=self.n_questions),
            ]
        record = self.trace[step - 1]
        targets = _(" and ").join(self.targets(step))
        return [
            _("Step {step}: node '{node}' ({op}) receives the upstream gradient {upstream}.").format(
                step=step, node=record.node, op=record.op, upstream=fmt(record.upstream)),
            _("What does it send back to {targets}?").format(targets=targets),
        ]

    def svg(self, step):
        """The graph as it was before this step (the question must not show the answer)."""
        return draw_graph(self.graph, step=max(self.check_step(step) - 1, 0))

    def body_html(self, step):
        question = lines_html(self.explanation(step))
        if step == 0:
            return question
        answer = draw_graph(self.graph, step=step) + lines_html(self.trace[step - 1].explain())
        label = _("Show the answer")
        return (f"{question}<details style=\"font-size:18px;margin-top:6px\"><summary>{label}"
                f"</summary>{answer}</details>")

    def feedback_html(self, verdicts):
        """Verdicts as HTML lines (for the widget's feedback area)."""
        return lines_html([verdict.text() for verdict in verdicts], first_bold=False)
