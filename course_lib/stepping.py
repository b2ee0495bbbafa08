"""Plain (widget-free) logic behind the steppers: the frames to show at each backward step.

``BackwardSteps(graph)``     a graph's backward pass, step by step, read from its ``Trace``.
``LayerSteps(net, x, t)``    a network's backward pass, layer by layer, read from its ``LayerTrace``
                             (``trace_backward(net, x, t)``).

Both are ``Steps``: frames 0..n, HTML strings (an SVG picture plus an explanation), step 0 being
the forward pass; widgets put them in a ``Stack`` so stepping works without a kernel.  Nothing here
recomputes a derivative or a rule: numbers and rules come from the traces.
"""
import re
from html import escape, unescape

import numpy as np

from .drawing import GRAD_COLOUR, MUTED, VALUE_COLOUR, draw_graph, draw_layer_chain
from .errors import CourseError, CourseTypeError, CourseValueError, as_number_array, check_count, check_finite_values
from .formatting import fmt
from .graph import Graph, nonfinite_notes
from .i18n import _, translate
from .layer_trace import trace_backward
from .presentation import current_style

TEXT_STYLE = "font-family:DejaVu Sans,Helvetica,Arial,sans-serif;font-size:18px;line-height:1.5"


def text_style():
    """TEXT_STYLE at the current presentation style's text size (course_lib.presentation_mode)."""
    return TEXT_STYLE.replace("font-size:18px", f"font-size:{current_style().text_px}px")


def lines_html(lines, first_bold=True, live=True):
    """Lines of text as HTML paragraphs (the first one bold).

    live: mark them as a polite live region (``role="status"``), so a screen reader announces a
    step's explanation when the stepper shows it.
    """
    parts = []
    for i, line in enumerate(lines):
        text = escape(line)
        parts.append(f"<div><b>{text}</b></div>" if i == 0 and first_bold else f"<div>{text}</div>")
    role = ' role="status" aria-live="polite"' if live else ""
    return f'<div{role} style="{text_style()}">' + "".join(parts) + "</div>"


def picture_text(svg):
    """(title, lines) of a picture drawn by course_lib.drawing: its ``<title>`` and ``<desc>``."""
    title = re.search(r"<title>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S)
    lines = unescape(desc.group(1)).splitlines() if desc else []
    return (unescape(title.group(1)) if title else ""), [line for line in lines if line]


def picture_list_html(svg):
    """The picture's values (its ``<desc>``) as a small list beside it: readable by a screen reader,
    searchable, copyable.  Empty when the picture has no description."""
    _title, lines = picture_text(svg)
    if not lines:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    heading = escape(_("In the picture:"))
    return (f'<div style="{text_style()};font-size:15px;color:{MUTED}">{heading}'
            f'<ul style="margin:2px 0 6px 0">{items}</ul></div>')


def frame_html(svg, explanation_html):
    """One frame: the picture above, the explanation below, then the picture's values as a list."""
    return (f'<div style="max-width:100%;overflow-x:auto">{svg}</div>{explanation_html}'
            + picture_list_html(svg))


class Steps:
    """What both kinds of steps share: a ``trace`` shown as frames 0..n (0 = the forward pass).

    A subclass says what frame k shows: ``explanation(k)`` (lines of text), ``svg(k)`` and, if it
    shows more than the text, ``body_html(k)``.
    """

    @property
    def n_steps(self):
        return len(self.trace)

    def check_step(self, step):
        """``step`` if it is a whole number from 0 to n_steps; otherwise a clear error."""
        check_count(step, type(self).__name__, "step", minimum=0)
        if not 0 <= step <= self.n_steps:
            raise CourseValueError(f"step must be between 0 and {self.n_steps}, got {step}")
        return int(step)

    def body_html(self, step):
        """What goes under the picture: the explanation."""
        return lines_html(self.explanation(step))

    def frame(self, step):
        return frame_html(self.svg(self.check_step(step)), self.body_html(step))

    def frames(self):
        return [self.frame(step) for step in range(self.n_steps + 1)]


class BackwardSteps(Steps):
    """A graph's backward pass as frames 0..n (0 = forward pass only, k = after backward step k)."""

    def __init__(self, graph):
        if not isinstance(graph, Graph):
            raise CourseTypeError(f"a backward stepper steps through a Graph (e.g. apple_graph()), got {type(graph).__name__}")
        self.graph = graph
        self.trace = graph.run()

    def set_input(self, name, value):
        """Change an input and re-run forward and backward.

        If the graph refuses the value (a CourseError: nan, text, a wrong shape, 1/0 ...), the input
        keeps its old value and the error is raised for the caller to show.
        """
        old_value = self.graph.inputs[name] if name in self.graph.inputs else None
        try:
            self.graph.set_input(name, value)
            self.trace = self.graph.run()
        except CourseError:
            if old_value is not None:
                self.graph.set_input(name, old_value)
                self.trace = self.graph.run()
            raise

    def highlighted_node(self, step):
        """The node whose backward runs at ``step`` (None at step 0, the forward pass)."""
        return self.trace[self.check_step(step) - 1].node if step else None

    def explanation(self, step):
        """The step in words and numbers (TraceStep.explain for backward steps)."""
        if self.check_step(step) == 0:
            output = translate(self.graph.labels[self.trace.output])
            return [
                _("Step 0: the forward pass"),
                _("Every edge carries its value (blue); the output {output} = {value}.").format(
                    output=output, value=fmt(self.trace.values[self.trace.output])),
                _("Step ▶ runs the {n} backward steps, output first.").format(n=self.n_steps),
            ] + nonfinite_notes({_("the value of {node}").format(node=name): value
                                 for name, value in self.trace.values.items()})
        return self.trace[step - 1].explain()

    def svg(self, step):
        return draw_graph(self.graph, step=self.check_step(step))


SMALL_ARRAY = 40  # arrays with at most this many numbers are shown whole


def array_html(array, name):
    """A small array as a coloured table of numbers; a large one as a summary and its corner."""
    array = as_number_array(array, "array_html", name).astype(float)
    table = np.atleast_2d(array)
    head = f"<b>{escape(name)}</b>  " + _("shape {shape}").format(shape=tuple(array.shape))
    if array.size == 0:
        return f'<div style="{TEXT_STYLE};margin:6px 0">{head}: ' + _("empty") + "</div>"
    if array.size > SMALL_ARRAY:
        head += _(": min {low}, max {high}, mean {mean}").format(
            low=fmt(array.min()), high=fmt(array.max()), mean=fmt(array.mean()))
        rows, cols = min(table.shape[0], 3), min(table.shape[1], 8)
        head += _("; the first {rows}×{cols} numbers:").format(rows=rows, cols=cols)
        table = table[:rows, :cols]
    scale = float(np.abs(table).max()) or 1.0
    cells = "".join(
        "<tr>" + "".join(_cell(value, scale) for value in row) + "</tr>" for row in table
    )
    return (f'<div style="{text_style()};margin:6px 0">{head}'
            f'<table style="border-collapse:collapse;font-size:15px">'
            f'<caption style="position:absolute;left:-9999px">{escape(name)}</caption>{cells}</table></div>')


def _cell(value, scale):
    """A table cell tinted blue (negative) or vermillion (positive) by size."""
    colour = GRAD_COLOUR if value > 0 else VALUE_COLOUR
    alpha = min(abs(value) / scale, 1.0) * 0.55
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return (f'<td style="border:1px solid #ccc;padding:2px 6px;text-align:right;'
            f'background:rgba({red},{green},{blue},{alpha:.2f})">{fmt(value, 3)}</td>')


class LayerSteps(Steps):
    """A network's backward pass layer by layer, as frames 0..n (0 = the forward pass).

    ``trace`` is the net's own record of its backward pass (``trace_backward(net, x, t)``).
    """

    def __init__(self, net, x, t):
        self.net = net
        x = check_finite_values(as_number_array(x, "LayerStepper", "x"), "LayerStepper", "x")
        self.trace = trace_backward(net, x, t)

    @property
    def loss(self):
        return self.trace.loss

    def layer_name(self, step):
        """The layer whose backward runs at ``step`` (None at step 0)."""
        return self.trace[self.check_step(step) - 1].layer if step else None

    def explanation(self, step):
        """The step as text lines (no arrays): which layer, upstream shape, formulas, results."""
        if self.check_step(step) == 0:
            return [
                _("Step 0: the forward pass"),
                _("x {shape} → {layers} → loss L = {loss}").format(
                    shape=self.trace.x_shape, layers=" → ".join(self.trace.layer_names), loss=fmt(self.loss)),
                _("Step ▶ runs backward one layer at a time, from the loss to the input."),
            ]
        record = self.trace[step - 1]
        kind = "" if record.kind == record.layer else f" ({record.kind})"
        lines = [_("Step {step}: backward through {layer}").format(step=step, layer=record.layer + kind)]
        if np.ndim(record.upstream) == 0:
            lines.append(_("upstream gradient dout = ∂L/∂L = {value}").format(value=fmt(record.upstream)))
        else:
            lines.append(_("upstream gradient dY = ∂L/∂(output of {layer}), shape {shape}").format(
                layer=record.layer, shape=np.shape(record.upstream)))
        lines += [_("rule: {formula}").format(formula=_(formula)) for formula in record.formulas]
        if record.grad_in is not None:
            lines.append(_("sends dX, shape {shape}, to the layer before").format(shape=record.grad_in.shape))
        lines += [_("parameter gradient d{name}: shape {shape}").format(name=key, shape=grad.shape)
                  for key, grad in record.param_grads.items()]
        return lines

    def svg(self, step):
        step = self.check_step(step)
        done = [record.layer for record in self.trace[: max(step - 1, 0)]]
        title = _("forward pass") if step == 0 else _("backward step {step} of {n}: {layer}").format(
            step=step, n=self.n_steps, layer=self.layer_name(step))
        return draw_layer_chain(self.trace.layer_names, self.layer_name(step), done, title)

    def body_html(self, step):
        """The explanation, then the step's arrays as tables: dY, dX and the parameter gradients."""
        body = lines_html(self.explanation(step))
        if step:
            record = self.trace[step - 1]
            if np.ndim(record.upstream) > 0:
                body += array_html(record.upstream, _("dY (upstream)"))
            if record.grad_in is not None:
                body += array_html(record.grad_in, _("dX (sent back)"))
            for key, grad in record.param_grads.items():
                body += array_html(grad, f"d{key}")
        return body
