"""Interactive steppers (ipywidgets 8, core widgets only): thin views over ``stepping``/``gate_rules``.

    BackwardStepper(graph)      step through a graph's backward pass; edit its inputs
    LayerStepper(net, x, t)     step through a network's backward pass, layer by layer
    GateExplorer()              one gate (add, mul, copy, max) with number boxes for its inputs
    ExpressionStepper(formula)  type any formula, set its inputs, step its backward pass
    PredictStepper(graph)       the BackwardStepper as a quiz: predict each gradient, then reveal it

Each is a plain object holding its state (``.step``, ``.svg``, ...) and its widget in ``.widget``;
Jupyter displays the object itself (``_repr_mimebundle_`` hands over to the widget).

Stepping never waits for the kernel: every frame (picture + explanation) is precomputed into a
``Stack``, the step box is ``jslink``-ed to the Stack's ``selected_index``, and the Back/Step/Reset
buttons and the predict-then-reveal panel are run by the browser (``browser_controls``, anywidget):
they set the step box's value in the page, so they answer at once while a cell runs, and in a handout
or a static export with no kernel at all.  The kernel hears of each step when it is free, so Python's
``step`` follows.  Editing an input asks the kernel for new frames; the page says so while it waits.
Every control is a native, labelled element: the steppers work from the keyboard alone and a screen
reader names each control.
"""
from html import escape

import ipywidgets as widgets
import numpy as np

from .browser_controls import BrowserButton, PredictPanel, StepButtons, step_texts
from .errors import CourseError
from .expression_steps import ExpressionSteps
from .formatting import fmt
from .gate_rules import DEFAULT_INPUTS, GATE_KINDS, GateRule
from .graph import first_nonfinite_note
from .i18n import N_, _, translate
from .predicting import PredictSteps, texts as predict_texts
from .stepping import BackwardSteps, LayerSteps, lines_html

KERNEL_NOTE_TEXT = N_(
    "The buttons and the step box (type a number, or ↑/↓) step through "
    "the frames in the browser: also while a cell runs, and without a running kernel (e.g. in an exported "
    "page). Editing the inputs needs a running kernel."
)
KERNEL_NOTE = f'<div style="font-size:14px;color:#555">{KERNEL_NOTE_TEXT}</div>'


def kernel_note():
    """KERNEL_NOTE in the current language (course_lib.i18n)."""
    return f'<div style="font-size:14px;color:#555">{escape(_(KERNEL_NOTE_TEXT), quote=False)}</div>'


class FrameStepper:
    """A step box + Back/Step/Reset buttons over a ``Stack`` of precomputed HTML frames.

    The step box (``step_box``: a BoundedIntText named "step") is ``jslink``-ed to the Stack's
    ``selected_index`` (``links``), so typing a number or pressing ↑/↓ in it steps through the frames
    in the browser alone; the buttons (``buttons``, a ``StepButtons`` run by the page) set the step box
    there too.  ``back_button``, ``step_button`` and ``reset_button`` (BrowserButton) do the same from
    Python: ``click()``.  Everything is a native, labelled control that the keyboard reaches with Tab
    and a screen reader names (ipywidgets' IntSlider handle and Play buttons have no accessible name,
    so they are not used); each frame's explanation is a polite live region (``role="status"``), and
    so is the buttons' status line ("computing…" while an edit waits for the kernel).
    """

    def __init__(self, frames):
        last = len(frames) - 1
        self.pages = [widgets.HTML(value=frame) for frame in frames]
        self.stack = widgets.Stack(children=self.pages, selected_index=0)
        self.step_box = widgets.BoundedIntText(
            value=0, min=0, max=last, step=1, description=_("step"), continuous_update=True,
            tooltip=_("which step to show: 0 is the forward pass, {last} the last backward step (↑/↓ keys)").format(
                last=last),
            style={"description_width": "initial"}, layout=widgets.Layout(width="130px"))
        self.links = (widgets.jslink((self.step_box, "value"), (self.stack, "selected_index")),)
        self.back_button = BrowserButton("back", _("◀ Back"), _("undo one backward step"),
                                         lambda: self.go_to(self.step - 1))
        self.step_button = BrowserButton("step", _("Step ▶"), _("run the next backward step"),
                                         lambda: self.go_to(self.step + 1), primary=True)
        self.reset_button = BrowserButton("reset", _("Reset"), _("back to the forward pass"), lambda: self.go_to(0))
        self.buttons = StepButtons(box=self.step_box, texts=step_texts(), buttons=[
            button.spec() for button in (self.back_button, self.step_button, self.reset_button)],
            layout=widgets.Layout(overflow="visible"))   # its status line runs on under the step box
        self.step_box.observe(self._sync_stack, names="value")
        self.controls = widgets.HBox([self.buttons, self.step_box],
                                     layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                                           overflow="visible"))

    def watch_inputs(self, boxes):
        """The boxes whose edits ask the kernel for new frames (the page says "computing…" meanwhile)."""
        self.buttons.inputs = list(boxes)

    def answer_edit(self):
        """An edit has been handled (frames redrawn, or the edit refused): the page's "computing…" ends."""
        self.buttons.answer_edit()

    @property
    def step(self):
        return self.step_box.value

    def go_to(self, step):
        """Show frame ``step`` (clamped to the valid range), as the step box would."""
        self.step_box.value = max(self.step_box.min, min(self.step_box.max, step))

    def _sync_stack(self, change):
        """Mirror the step box in the Stack kernel-side (the jslink does it in the browser).

        A step that came from the page (ipywidgets locks the property while it applies the page's
        state) is not sent back: the kernel may be late, after a busy cell, and the page already on a
        later step would jump back to this one.  A step set from Python is sent as usual.
        """
        if "value" in self.step_box._property_lock:
            with self.stack._lock_property(selected_index=change["new"]):
                self.stack.selected_index = change["new"]
        else:
            self.stack.selected_index = change["new"]

    def set_frames(self, frames):
        """Replace the frames' content, keeping the current step when it still exists."""
        self.update_frames(len(frames), frames.__getitem__)

    def update_frames(self, count, make_frame):
        """Redraw the ``count`` frames (``make_frame(step)`` gives one), the one on screen first.

        The visible frame is drawn and sent before the others are even drawn, so an edit shows after
        one picture's work, not all of them; the rest follow (the step box needs them all).
        """
        if count == len(self.pages):
            current = self.step
            for step in [current, *(k for k in range(count) if k != current)]:
                frame = make_frame(step)
                if self.pages[step].value != frame:
                    self.pages[step].value = frame
            return
        frames = [make_frame(step) for step in range(count)]
        step = min(self.step, len(frames) - 1)
        self.pages = [widgets.HTML(value=frame) for frame in frames]
        self.step_box.max = len(frames) - 1
        self.stack.children = self.pages
        self.go_to(step)
        self.stack.selected_index = step

    @property
    def frame(self):
        return self.pages[self.step].value


class _Displayed:
    """Lets Jupyter display the object through its ``widget``."""

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class _StepperView(_Displayed):
    """What both steppers share: ``steps`` (the plain logic, a ``stepping.Steps``) shown by ``stepper``.

    ``__init__`` keeps the steps and puts their frames in a FrameStepper; a subclass adds its widget.
    """

    def __init__(self, steps):
        self.steps = steps
        self.stepper = FrameStepper(steps.frames())

    @property
    def step(self):
        return self.stepper.step

    @property
    def explanation_text(self):
        return "\n".join(self.steps.explanation(self.step))

    @property
    def frame(self):
        return self.stepper.frame

    @property
    def svg(self):
        """The picture of the current step (an SVG string)."""
        return self.steps.svg(self.step)


class BackwardStepper(_StepperView):
    """Step through ``graph``'s backward pass; FloatText boxes edit its inputs.

    State: ``step`` (0 = forward pass), ``highlighted_node``, ``explanation_text``, ``svg``,
    ``frame`` (the current HTML frame); widgets: ``widget``, ``stepper`` (a FrameStepper),
    ``input_boxes`` ({input name: FloatText}, for the inputs that are single numbers) and ``message``
    (an HTML line saying why an edit was refused, empty otherwise).
    """

    def __init__(self, graph):
        super().__init__(BackwardSteps(graph))
        self.input_boxes = {}
        self.message = widgets.HTML("")
        self._showing_input = False  # True while the widget itself writes a box (not the learner)
        for name, value in graph.inputs.items():
            if np.ndim(value) != 0:  # an array input: stepped and drawn, but not edited in a box
                continue
            box = widgets.FloatText(value=value, description=translate(graph.labels[name]),
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="200px"))
            box.observe(lambda change, name=name: self.set_input(name, change["new"]), names="value")
            self.input_boxes[name] = box
        self.stepper.watch_inputs(self.input_boxes.values())
        self.widget = widgets.VBox([
            widgets.HBox(list(self.input_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.message,
            self.stepper.controls,
            self.stepper.stack,
            widgets.HTML(kernel_note()),
        ])

    @property
    def highlighted_node(self):
        return self.steps.highlighted_node(self.step)

    def set_input(self, name, value):
        """Change an input: re-run forward and backward and redraw every frame, keeping the step.

        A value the graph refuses (nan, inf, text, ...) changes nothing: ``message`` says why, and
        the input's box shows the value it keeps.
        """
        if self._showing_input:
            return
        try:
            self.steps.set_input(name, value)
        except CourseError as error:
            if name not in self.steps.graph.inputs:  # no such input: a mistake in code, not in a box
                raise
            self.message.value = lines_html([_("⚠ Not applied: {error}").format(error=error)], first_bold=False)
            self._show_input(name, self.steps.graph.inputs[name])
            self.stepper.answer_edit()
            return
        self.message.value = overflow_message(self.steps.trace.values)
        self._show_input(name, value)
        self.stepper.update_frames(self.steps.n_steps + 1, self.steps.frame)
        self.stepper.answer_edit()

    def _show_input(self, name, value):
        show_in_box(self, self.input_boxes.get(name), value)


def overflow_message(values):
    """The message line after an edit whose forward pass overflowed: which node first became inf or nan."""
    note = first_nonfinite_note(values)
    return "" if note is None else lines_html([_("⚠ Applied, but {note}").format(note=note)], first_bold=False)


def show_in_box(view, box, value):
    """Put ``value`` in ``box`` without it counting as a new edit: ``view._showing_input`` is True meanwhile.

    nan != nan, so a plain ``if box.value != value: box.value = value`` in an observer would loop forever.
    """
    both_nan = box is not None and box.value != box.value and isinstance(value, (float, np.floating)) and value != value
    same = box is None or np.ndim(value) != 0 or box.value == value or both_nan
    if same:
        return
    view._showing_input = True
    try:
        box.value = value
    finally:
        view._showing_input = False


class LayerStepper(_StepperView):
    """Step through ``net``'s backward pass on a batch (x, t), one layer at a time.

    State: ``step``, ``layer`` (the layer whose backward runs, None at step 0), ``record``
    (its ``LayerTraceStep`` from the net's ``LayerTrace``), ``explanation_text``, ``frame``;
    widgets: ``widget``, ``stepper``.
    """

    def __init__(self, net, x, t):
        super().__init__(LayerSteps(net, x, t))
        self.widget = widgets.VBox([self.stepper.controls, self.stepper.stack, widgets.HTML(kernel_note())])

    @property
    def layer(self):
        return self.steps.layer_name(self.step)

    @property
    def record(self):
        return self.steps.trace[self.step - 1] if self.step else None


GATE_BOX_LABELS = {"x": "x", "y": "y", "upstream": N_("upstream")}  # the explorer's number boxes, by input
GATE_NAMES = {"add": N_("add"), "mul": N_("mul"), "copy": N_("copy"), "max": N_("max")}  # the explorer's buttons


class GateExplorer(_Displayed):
    """One gate with number boxes for x, y and the upstream gradient; shows the picture and what it sends.

    State: ``rule`` (a GateRule), ``kind``, ``sent`` ({"x": ..., "y": ...}), ``svg``,
    ``explanation_text``; widgets: ``widget``, ``gate_picker``, ``number_boxes`` ({"x", "y", "upstream"}).
    Needs a running kernel (every change runs the gate again).
    """

    def __init__(self, kind="mul"):
        self.gate_picker = widgets.ToggleButtons(options=[(_(GATE_NAMES[name]), name) for name in GATE_KINDS], value=kind,
                                                 description=_("gate"))
        self.number_boxes = {  # ↑/↓ change by 0.5: labelled for screen readers, unlike slider handles
            name: widgets.BoundedFloatText(value=value, min=-5, max=5, step=0.5, description=_(GATE_BOX_LABELS[name]),
                                           layout=widgets.Layout(width="190px"))
            for name, value in DEFAULT_INPUTS.items()
        }
        self.picture = widgets.HTML()
        self.gate_picker.observe(self._update, names="value")
        for box in self.number_boxes.values():
            box.observe(self._update, names="value")
        self.widget = widgets.VBox([self.gate_picker, widgets.HBox(list(self.number_boxes.values())), self.picture])
        self._update()

    def _update(self, _change=None):
        if getattr(self, "_showing_input", False):
            return
        values = {name: box.value for name, box in self.number_boxes.items()}
        try:
            self.rule = GateRule(self.gate_picker.value, **values)
        except CourseError as error:  # e.g. a box set to nan from code: keep the last picture and values
            self.picture.value = getattr(self, "svg", "") + lines_html([f"⚠ Not applied: {error}"], first_bold=False)
            for name, value in getattr(self, "_values", {}).items():
                show_in_box(self, self.number_boxes[name], value)
            return
        self._values = values
        self.svg = self.rule.svg(notes=False)
        sent = ", ".join(f"∂L/∂{name} = {fmt(grad)}" for name, grad in self.sent.items())
        self.picture.value = self.svg + lines_html([_("gradients sent back: {sent}").format(sent=sent)] + self.rule.lines)

    @property
    def kind(self):
        return self.rule.kind

    @property
    def sent(self):
        return self.rule.sent

    @property
    def explanation_text(self):
        return "\n".join(self.rule.lines)


# ---- ExpressionStepper: type any formula and step its backward pass ----

ERROR_STYLE = "font-family:DejaVu Sans,Helvetica,Arial,sans-serif;font-size:16px;color:#b00020"


class ExpressionStepper(_StepperView):
    """Type a formula (``+ - * / **``, exp, log, tanh, relu, sigmoid, maximum), set its inputs, step its backward pass.

    State: ``step``, ``formula`` (as typed), ``values``, ``error_text`` ('' when the picture is current),
    ``highlighted_node``, ``explanation_text``, ``svg``, ``frame``; widgets: ``widget``, ``formula_box``,
    ``input_boxes`` ({name: FloatText}, one per name in the formula), ``error_box``, ``stepper``.
    A formula or input that does not work is shown as an error; the frames keep the last graph that worked.
    """

    def __init__(self, formula="(x + y) ** 2 * exp(-x)", **values):
        super().__init__(ExpressionSteps(formula, **values))
        self.formula_box = widgets.Text(value=formula, description="f =", continuous_update=False,
                                        layout=widgets.Layout(width="560px"),
                                        style={"description_width": "initial"})
        self.formula_box.observe(lambda change: self.set_formula(change["new"]), names="value")
        self.input_boxes = {}
        self.inputs_row = widgets.HBox([], layout=widgets.Layout(flex_flow="row wrap"))
        self.error_box = widgets.HTML("")
        self._sync_input_boxes()
        self.widget = widgets.VBox([self.formula_box, self.inputs_row, self.error_box, self.stepper.controls,
                                    self.stepper.stack, widgets.HTML(kernel_note())])

    @property
    def formula(self):
        return self.steps.formula

    @property
    def values(self):
        return dict(self.steps.values)

    @property
    def error_text(self):
        return "" if self.steps.error is None else str(self.steps.error)

    @property
    def highlighted_node(self):
        return self.steps.highlighted_node(self.step)

    def set_formula(self, formula):
        """Use a new formula: input boxes follow its names, and every frame is redrawn (or the error shown)."""
        try:
            self.steps.set_formula(formula)
            error = None
        except CourseError as refused:  # shown to the learner, not raised
            error = refused
        if self.formula_box.value != formula:
            self.formula_box.value = formula
        self._sync_input_boxes()
        self._show(error)

    def set_input(self, name, value):
        """Change one input: re-run forward and backward and redraw every frame (or show the error)."""
        if getattr(self, "_showing_input", False):
            return
        try:
            self.steps.set_input(name, value)
            error = None
        except CourseError as refused:  # shown to the learner, not raised
            if name not in self.input_boxes:  # no such input: a mistake in code, not in a box
                raise
            error = refused
        show_in_box(self, self.input_boxes[name], value)
        self._show(error)

    def _show(self, error):
        """Redraw the frames (the last graph that worked) and show ``error``, or no error."""
        self.stepper.set_frames(self.steps.frames())
        if error is None:
            self.error_box.value = ""
        else:
            self.error_box.value = (
                f'<div style="{ERROR_STYLE}">⚠ {escape(str(error))}<br>'
                f"The picture still shows the last formula that worked: {escape(self.steps.shown_formula)}</div>")
        self.stepper.answer_edit()

    def _sync_input_boxes(self):
        """One FloatText per input of the formula as typed, in the formula's order."""
        for name, value in self.steps.values.items():
            if name not in self.input_boxes:
                box = widgets.FloatText(value=value, description=name, style={"description_width": "initial"},
                                        layout=widgets.Layout(width="160px"))
                box.observe(lambda change, name=name: self.set_input(name, change["new"]), names="value")
                self.input_boxes[name] = box
        self.input_boxes = {name: self.input_boxes[name] for name in self.steps.values}
        self.inputs_row.children = list(self.input_boxes.values())
        self.stepper.watch_inputs([self.formula_box, *self.input_boxes.values()])


# ---- predict, then reveal (the BackwardStepper's quiz mode) ----


class TypedGuess:
    """What the learner typed in one guess box (``value``, text); the page draws the box itself."""

    def __init__(self, value=""):
        self.value = value


class PredictStepper(_StepperView):
    """The BackwardStepper as a quiz: at each step, type the gradients the node sends back, then Check.

    The page asks, judges and scores by itself (``panel``, a PredictPanel fed with the questions
    ``PredictSteps`` made from the trace), so it works while the kernel is busy and in an exported page;
    each step's frame also holds its answer under "Show the answer".  When there is a kernel, the
    page's first tries reach it and count in ``score``.

    State: ``step``, ``score`` ((right, asked) over first tries), ``feedback_text``; from Python,
    ``guess_boxes`` ({input name: TypedGuess}) and ``check_button`` (a BrowserButton) do what typing
    and Check do in the page, and so does ``predict(**guesses)``; widgets: ``widget``, ``stepper``, ``panel``.
    """

    def __init__(self, graph):
        super().__init__(PredictSteps(graph))
        words = predict_texts()
        self.check_button = BrowserButton("check", words["check"], words["check_tooltip"], self.check)
        self.feedback_text = ""
        self.panel = PredictPanel(box=self.stepper.step_box, questions=self.steps.questions(),
                                  texts=words)
        self.panel.observe(self._judge_page_tries, names="first_tries")
        self.stepper.step_box.observe(lambda _change: self._ask(), names="value")
        self._ask()
        self.widget = widgets.VBox([self.stepper.controls, self.stepper.stack, self.panel,
                                    widgets.HTML(kernel_note())])

    @property
    def score(self):
        return self.steps.score

    def _ask(self):
        """New (empty) guesses for the current step's question (none at step 0), as the page does."""
        self.guess_boxes = {name: TypedGuess() for name in self.steps.targets(self.step)}
        self.check_button.disabled = not self.guess_boxes
        self.feedback_text = ""

    def check(self):
        """Judge what the boxes hold; an empty or non-numeric box is pointed out, not counted."""
        typed = {name: box.value for name, box in self.guess_boxes.items()}
        empty = [name for name, text in typed.items() if not str(text).strip()]
        if empty:
            self._say([predict_texts()["empty"].format(names=", ".join(empty))])
            return
        self.predict(**typed)

    def predict(self, **guesses):
        """Judge ``guesses`` for the current step and show the verdicts and the score (in the page too)."""
        try:
            verdicts = self.steps.answer(self.step, guesses)
        except ValueError as error:
            self._say([str(error)])
            return []
        self._say([verdict.text() for verdict in verdicts])
        if str(self.step) not in self.panel.first_tries:
            self.panel.first_tries = {**self.panel.first_tries, str(self.step): {
                verdict.target: str(guesses[verdict.target]) for verdict in verdicts}}
        return verdicts

    def _say(self, lines):
        self.feedback_text = lines_html(lines, first_bold=False) if lines else ""
        self.panel.feedback_lines = lines

    def _judge_page_tries(self, change):
        """The page's first tries (``panel.first_tries``), judged here too so ``score`` agrees."""
        for step, typed in change["new"].items():
            if int(step) not in self.steps.first_tries:
                try:
                    self.steps.answer(int(step), typed)
                except CourseError:  # the page refuses what Python refuses; nothing to count
                    pass
