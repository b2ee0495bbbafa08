"""The steppers' controls that the browser runs alone (anywidget): stepping never waits for the kernel.

    StepButtons    ◀ Back / Step ▶ / Reset, and a status line that says when an edit waits for the kernel
    PredictPanel   predict-then-reveal: a box per gradient asked at the shown step, Check, verdicts, score
    BrowserButton  a button the browser draws; ``click()`` does in Python what a click does in the page

Both widgets act on the stepper's step box (a core ``BoundedIntText``, ``jslink``-ed to the ``Stack`` of
frames): a click sets the box's value in the browser and the link shows the frame, at once, whether the
kernel is idle, busy running a cell, or absent (a handout, a static export).  The kernel hears of every
change when it is free, so Python's ``step`` follows.  Their front ends are the ES modules in
``course_lib/frontend/`` (no build step); they only show what Python made: the frames, the questions'
accepted ranges, the texts.  In an exported page the html-manager loads anywidget's own front end from
the page's lib/ (course_tools/static/widget_renderer/anywidget.js).
"""
from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

from .i18n import N_, _

FRONTEND = Path(__file__).parent / "frontend"  # the ES modules and their stylesheet
WIDGET_REF = "anywidget:"  # how anywidget's front end names another widget's model (host.getModel)

STEP_TEXTS = {
    "computing": N_("computing the new pictures…"),
    "no_kernel": N_("Editing needs a running kernel: the pictures show the values they were made with."),
}


def step_texts():
    """STEP_TEXTS in the current language (course_lib.i18n): what the step buttons' status line says."""
    return {key: _(text) for key, text in STEP_TEXTS.items()}


def widget_ref(widget, _owner=None):
    """``widget`` as anywidget names it on the wire ("anywidget:<model id>"), None for None."""
    return None if widget is None else f"{WIDGET_REF}{widget.model_id}"


def widget_refs(widget_list, _owner=None):
    """A list of widgets as anywidget references."""
    return [widget_ref(widget) for widget in widget_list]


class BrowserButton:
    """A button drawn by the browser (its ``label`` and ``tooltip``); ``click()`` runs ``on_click()`` in Python.

    ``action`` names what the page does on a click (step_buttons.js: "back", "step", "reset").
    """

    def __init__(self, action, label, tooltip, on_click, primary=False):
        self.action, self.label, self.tooltip, self.primary = action, label, tooltip, primary
        self._on_click = on_click
        self.disabled = False

    @property
    def description(self):
        return self.label

    def click(self):
        """Do what a click in the page does (nothing while ``disabled``)."""
        if not self.disabled:
            self._on_click()

    def spec(self):
        """What the browser needs to draw it: {action, label, tooltip, primary}."""
        return {"action": self.action, "label": self.label, "tooltip": self.tooltip, "primary": self.primary}


class StepButtons(anywidget.AnyWidget):
    """Back / Step / Reset over ``box`` (the step box), run in the browser; ``inputs`` are watched for edits.

    ``answered`` goes up each time the kernel has handled an edit (``answer_edit``): the page says
    "computing…" from the edit until then.
    """

    _esm = FRONTEND / "step_buttons.js"
    _css = FRONTEND / "controls.css"
    box = traitlets.Instance(widgets.BoundedIntText).tag(sync=True, to_json=widget_ref)
    buttons = traitlets.List(traitlets.Dict()).tag(sync=True)
    inputs = traitlets.List(traitlets.Instance(widgets.Widget)).tag(sync=True, to_json=widget_refs)
    answered = traitlets.Int(0).tag(sync=True)
    texts = traitlets.Dict(STEP_TEXTS).tag(sync=True)

    def answer_edit(self):
        """Tell the page that the kernel has handled an edit (new frames drawn, or the edit refused)."""
        self.answered += 1

    def __repr__(self):  # the same text on every run (a stored output must not hold a memory address)
        return f"StepButtons({', '.join(button['label'] for button in self.buttons)})"


class PredictPanel(anywidget.AnyWidget):
    """Predict, then reveal, in the browser: the question of the step ``box`` shows, judged in the page.

    questions    [[{target, low, high, right, rule}, ...] for each step] (PredictSteps.questions)
    first_tries  {step (text): {target: typed text}}: the first answer at each step, set by the page
                 or by Python (``PredictStepper.predict``)
    feedback_lines  verdicts written by Python (``predict``), shown in the page
    texts        the words the page shows (PredictSteps.texts)
    """

    _esm = FRONTEND / "predict_panel.js"
    _css = FRONTEND / "controls.css"
    box = traitlets.Instance(widgets.BoundedIntText).tag(sync=True, to_json=widget_ref)
    questions = traitlets.List().tag(sync=True)
    first_tries = traitlets.Dict().tag(sync=True)
    feedback_lines = traitlets.List(traitlets.Unicode()).tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)

    def __repr__(self):
        return f"PredictPanel({len(self.questions)} steps)"
