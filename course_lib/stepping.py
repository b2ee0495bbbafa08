"""Plain (widget-free) logic behind the steppers: the frames to show at each backward step.

``BackwardSteps(graph)``     a graph's backward pass, step by step: picture, explanation, frame.
``record_layer_backward``    runs a network's backward pass once, layer by layer, and keeps a
                             ``LayerBackwardStep`` per layer (upstream gradient, formulas, results).
``LayerSteps(net, x, t)``    the frames of that record.

Frames are HTML strings (an SVG picture plus an explanation), one per step, step 0 being the
forward pass; widgets put them in a ``Stack`` so stepping works without a kernel.  Nothing here
recomputes a derivative: numbers come from the graph's trace or from the layers' own backward.
"""
import re
from dataclasses import dataclass, field
from html import escape, unescape

import numpy as np

from .drawing import GRAD_COLOUR, MUTED, VALUE_COLOUR, draw_graph, draw_layer_chain
from .formatting import fmt
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
    return (f'<div style="{text_style()};font-size:15px;color:{MUTED}">In the picture:'
            f'<ul style="margin:2px 0 6px 0">{items}</ul></div>')


def frame_html(svg, explanation_html):
    """One frame: the picture above, the explanation below, then the picture's values as a list."""
    return (f'<div style="max-width:100%;overflow-x:auto">{svg}</div>{explanation_html}'
            + picture_list_html(svg))


class BackwardSteps:
    """A graph's backward pass as frames 0..n (0 = forward pass only, k = after backward step k)."""

    def __init__(self, graph):
        self.graph = graph
        self.trace = graph.run()

    @property
    def n_steps(self):
        return len(self.trace)

    def set_input(self, name, value):
        """Change an input and re-run forward and backward."""
        self.graph.set_input(name, value)
        self.trace = self.graph.run()

    def check_step(self, step):
        if not 0 <= step <= self.n_steps:
            raise ValueError(f"step must be between 0 and {self.n_steps}, got {step}")
        return step

    def highlighted_node(self, step):
        """The node whose backward runs at ``step`` (None at step 0, the forward pass)."""
        return self.trace[self.check_step(step) - 1].node if step else None

    def explanation(self, step):
        """The step in words and numbers (TraceStep.explain for backward steps)."""
        if self.check_step(step) == 0:
            output = self.graph.labels[self.trace.output]
            return [
                "Step 0: the forward pass",
                f"Every edge carries its value (blue); the output {output} = {fmt(self.trace.values[self.trace.output])}.",
                f"Step ▶ runs the {self.n_steps} backward steps, output first.",
            ]
        return self.trace[step - 1].explain()

    def svg(self, step):
        return draw_graph(self.graph, step=self.check_step(step))

    def frame(self, step):
        return frame_html(self.svg(step), lines_html(self.explanation(step)))

    def frames(self):
        return [self.frame(step) for step in range(self.n_steps + 1)]


# ---- layered networks ----

FORMULAS = {
    "SoftmaxWithLoss": ("dX = (y − t) / N   (y: softmax output, t: one-hot labels, N: batch size)",),
    "Affine": ("dX = dY · Wᵀ", "dW = Xᵀ · dY", "db = Σ dY over the batch (axis 0)"),
    "Relu": ("dX = dY where x > 0, else 0",),
    "Sigmoid": ("dX = dY · y · (1 − y)",),
}


@dataclass
class LayerBackwardStep:
    """One layer's backward call, as recorded: what came in, the rule, what went out."""

    number: int
    layer: str  # its name in the net, e.g. "Affine2"
    kind: str  # its class, e.g. "Affine"
    upstream: object  # dY: the gradient arriving at the layer's output
    grad_in: object  # dX: what backward returned (None if the layer skips it)
    param_grads: dict = field(default_factory=dict)  # {"W2": dW, "b2": db}
    formulas: tuple = ()


def record_layer_backward(net, x, t):
    """Run ``net``'s forward, then its backward once, layer by layer; return (loss, steps)."""
    loss = net.loss(x, t)
    last = net.last_layer
    dout = last.backward(1)
    steps = [LayerBackwardStep(1, type(last).__name__, type(last).__name__, 1, dout.copy(),
                               formulas=FORMULAS.get(type(last).__name__, ()))]
    for name, layer in reversed(net.layers.items()):
        upstream = dout
        dout = layer.backward(upstream)
        kind = type(layer).__name__
        params = {}
        for key, array in net.params.items():
            if array is getattr(layer, "W", None):
                params[key] = layer.dW.copy()
            if array is getattr(layer, "b", None):
                params[key] = layer.db.copy()
        grad_in = None if dout is None else dout.copy()
        steps.append(LayerBackwardStep(len(steps) + 1, name, kind, upstream, grad_in, params, FORMULAS.get(kind, ())))
    return float(loss), steps


SMALL_ARRAY = 40  # arrays with at most this many numbers are shown whole


def array_html(array, name):
    """A small array as a coloured table of numbers; a large one as a summary and its corner."""
    array = np.asarray(array, dtype=float)
    table = np.atleast_2d(array)
    head = f"<b>{escape(name)}</b>  shape {tuple(array.shape)}"
    if array.size > SMALL_ARRAY:
        head += f": min {fmt(array.min())}, max {fmt(array.max())}, mean {fmt(array.mean())}"
        rows, cols = min(table.shape[0], 3), min(table.shape[1], 8)
        head += f"; the first {rows}×{cols} numbers:"
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


class LayerSteps:
    """A network's backward pass layer by layer, as frames 0..n (0 = the forward pass)."""

    def __init__(self, net, x, t):
        self.net = net
        self.x = np.asarray(x)
        self.loss, self.steps = record_layer_backward(net, x, t)
        self.layer_names = list(net.layers) + [type(net.last_layer).__name__]

    @property
    def n_steps(self):
        return len(self.steps)

    def layer_name(self, step):
        """The layer whose backward runs at ``step`` (None at step 0)."""
        return self.steps[step - 1].layer if step else None

    def explanation(self, step):
        """The step as text lines (no arrays): which layer, upstream shape, formulas, results."""
        if step == 0:
            return [
                "Step 0: the forward pass",
                f"x {tuple(self.x.shape)} → " + " → ".join(self.layer_names) + f" → loss L = {fmt(self.loss)}",
                "Step ▶ runs backward one layer at a time, from the loss to the input.",
            ]
        record = self.steps[step - 1]
        kind = "" if record.kind == record.layer else f" ({record.kind})"
        lines = [f"Step {step}: backward through {record.layer}{kind}"]
        if np.ndim(record.upstream) == 0:
            lines.append(f"upstream gradient dout = ∂L/∂L = {fmt(record.upstream)}")
        else:
            lines.append(f"upstream gradient dY = ∂L/∂(output of {record.layer}), shape {np.shape(record.upstream)}")
        lines += [f"rule: {formula}" for formula in record.formulas]
        if record.grad_in is not None:
            lines.append(f"sends dX, shape {record.grad_in.shape}, to the layer before")
        lines += [f"parameter gradient d{key}: shape {grad.shape}" for key, grad in record.param_grads.items()]
        return lines

    def svg(self, step):
        done = [record.layer for record in self.steps[: max(step - 1, 0)]]
        title = "forward pass" if step == 0 else f"backward step {step} of {self.n_steps}: {self.layer_name(step)}"
        return draw_layer_chain(self.layer_names, self.layer_name(step), done, title)

    def frame(self, step):
        body = lines_html(self.explanation(step))
        if step:
            record = self.steps[step - 1]
            if np.ndim(record.upstream) > 0:
                body += array_html(record.upstream, "dY (upstream)")
            if record.grad_in is not None:
                body += array_html(record.grad_in, "dX (sent back)")
            for key, grad in record.param_grads.items():
                body += array_html(grad, f"d{key}")
        return frame_html(self.svg(step), body)

    def frames(self):
        return [self.frame(step) for step in range(self.n_steps + 1)]
