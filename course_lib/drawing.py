"""SVG pictures of computational graphs, read from a ``Graph`` and its backward ``Trace``.

    draw_graph(graph)          every value and every gradient
    draw_graph(graph, step=0)  the forward pass only (values above the edges)
    draw_graph(graph, step=2)  the gradients known after backward steps 1 and 2; the node of
                               step 2 and the edges it just sent gradients along are highlighted
    GraphPicture(graph, step=2)   the same, shown by Jupyter (``_repr_html_``) and saved by ``.save``
    describe_graph(graph, step=2) the same in words: (title, lines), the picture's <title> and <desc>

Accessible: each SVG has ``role="img"``, a ``<title>`` (what the graph computes, which step) and a
``<desc>`` (every input and node in reading order with its value and, once known, its gradient), and
scales down to its page's width (``max-width:100%``).  Text and line sizes follow
``course_lib.presentation_mode``.

Layout (planned by ``course_lib.layout``): left to right, a node's column is the longest path from
the inputs; an edge that skips columns runs through a waypoint in each column it crosses, never
through a node; a graph too deep for a 1024 px projector wraps into bands.  Inputs are labelled at
the left, the output at the right.  Each edge leaves its source horizontally: its forward value is
written above that piece (blue), its gradient below it (bold vermillion; both Okabe-Ito colours,
safe for colour-blind readers).  Where a node feeds several others a small dot marks the copy
(branch) gate: the gradients of its branches add up on the edge before the dot.

Nothing here computes a derivative: every number comes from ``graph.values`` and the trace
(``trace.edge_grads(k)``, ``trace.node_grads(k)``, ``trace.dout``).  The SVG text is hand-written
and deterministic (no ids, no timestamps), so saved pictures are byte-identical run after run.
"""
import re
import textwrap
from dataclasses import dataclass
from html import escape

from .errors import CourseTypeError, CourseValueError, check_count
from .formatting import fmt, formula_text
from .graph import Edge, Graph, Trace
from .i18n import _, language, translate
from .layout import (  # noqa: F401  (layout and text_width are part of this module's interface)
    CAPTION_SIZE, GRAD_SIZE, LABEL_SIZE, MARGIN, MAX_WIDTH, OUTPUT, RADIUS, VALUE_SIZE, layout, text_width,
)
from .presentation import current_style

VALUE_COLOUR = "#0072B2"  # Okabe-Ito blue: forward values (contrast 5.2:1 on white)
GRAD_COLOUR = "#B34700"  # Okabe-Ito vermillion, darkened for WCAG AA text contrast (5.5:1 on white)
INK = "#222222"
MUTED = "#666666"
HIGHLIGHT_FILL = "#FFE9B3"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
# An edition's pictures add fonts that hold Hangul, kana and kanji (after the Latin ones, so Latin text and
# digits look as in English); the English pictures keep FONT, so their stored outputs do not change.
CJK_FONTS = "Noto Sans CJK KR, Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Malgun Gothic"

FIT_WIDTH = "max-width:100%;height:auto"  # a picture shrinks to its page's width (a 1024 px projector)
SMALLEST_SIZE = 15  # no text is smaller: a MAX_WIDTH picture on a 1024 px projector shows it >= 9 px


def font_family():
    """The SVG font-family list for the current language: FONT in English, FONT then CJK_FONTS in an edition."""
    return FONT if language() == "en" else f"{FONT}, {CJK_FONTS}"


@dataclass(frozen=True)
class GraphView:
    """What a picture needs to know about a graph: structure, symbols, labels, values, trace."""

    title: str
    input_names: tuple
    nodes: tuple  # gate nodes in topological order
    edges: tuple
    output: str
    ops: dict
    labels: dict
    values: dict
    trace: object  # a Trace, or None before backward

    @classmethod
    def of(cls, graph_or_trace):
        """Read a ``Graph`` (after forward, with its trace if backward ran) or a ``Trace``."""
        if isinstance(graph_or_trace, Trace):
            trace = graph_or_trace
            nodes = tuple(reversed([step.node for step in trace.steps]))
            ops = {step.node: step.op for step in trace.steps}
            names = list(trace.input_names) + list(nodes)
            return cls(trace.title, tuple(trace.input_names), nodes, tuple(trace.edges), trace.output,
                       ops, {name: translate(name) for name in names}, dict(trace.values), trace)
        if not isinstance(graph_or_trace, Graph):
            raise CourseTypeError(f"draw a Graph or a Trace, got {type(graph_or_trace).__name__}")
        graph = graph_or_trace
        if not graph.values:
            raise CourseValueError(f"graph '{graph.title}' has no values yet: run graph.forward() (or graph.run()) first")
        nodes = tuple(graph.topological_order())
        trace = graph.trace
        ops = {name: getattr(graph.gate(name), "symbol", type(graph.gate(name)).__name__) for name in nodes}
        values = dict(trace.values) if trace is not None else dict(graph.values)
        return cls(graph.title, tuple(graph.input_names), nodes, tuple(graph.edges), graph.output,
                   ops, {name: translate(label) for name, label in graph.labels.items()}, values, trace)

    def consumers(self, name):
        """The edges leaving ``name`` (plus the OUTPUT pseudo-edge for the output node)."""
        leaving = [edge for edge in self.edges if edge.src == name]
        if name == self.output:
            leaving.append(Edge(name, OUTPUT, 0))
        return leaving


class _Canvas:
    """Collects SVG elements and the drawn area's bounds."""

    def __init__(self):
        self.items = []
        self.min_x = self.min_y = float("inf")
        self.max_x = self.max_y = float("-inf")

    def grow(self, x0, y0, x1, y1):
        self.min_x, self.min_y = min(self.min_x, x0), min(self.min_y, y0)
        self.max_x, self.max_y = max(self.max_x, x1), max(self.max_y, y1)

    def line(self, points, colour, width):
        width = f"{width * current_style().line_scale:g}"
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.items.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                          f'stroke-width="{width}" stroke-linejoin="round"/>')
        for x, y in points:
            self.grow(x, y, x, y)

    def arrowhead(self, tip, towards_from, colour, size=11):
        (x1, y1), (x0, y0) = tip, towards_from
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * size, y1 - uy * size
        half = size * 0.45
        corners = [(x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
        self.items.append(f'<polygon points="{coords}" fill="{colour}"/>')

    def circle(self, x, y, r, fill, stroke, width):
        width = f"{width * current_style().line_scale:g}"
        self.items.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>')
        self.grow(x - r, y - r, x + r, y + r)

    def text(self, x, y, content, size, colour=INK, anchor="middle", bold=False):
        size = float(f"{size * current_style().font_scale:g}")
        weight = ' font-weight="bold"' if bold else ""
        self.items.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{colour}" '
                          f'text-anchor="{anchor}"{weight}>{escape(content)}</text>')
        width = text_width(content, size)
        left = {"middle": x - width / 2, "start": x, "end": x - width}[anchor]
        self.grow(left, y - size, left + width, y + size * 0.3)

    def svg(self, top_lines=(), bottom_lines=(), title="", description=()):
        """The finished picture; each line is (text, size, colour, bold), above or below the drawing.

        ``title`` (what the picture shows) and ``description`` (lines: the values in reading order)
        become the SVG's ``<title>`` and ``<desc>``: a screen reader announces the picture
        (``role="img"``) by its title and reads the description.  No ids, so many pictures can share a page.
        """
        line_height = 28 * current_style().font_scale
        top = self.min_y - MARGIN - line_height * len(top_lines)
        bottom = self.max_y + MARGIN * 0.5
        for i, (content, size, colour, bold) in enumerate(top_lines):
            self.text(MARGIN, top + MARGIN + line_height * (i + 0.6), content, size, colour, "start", bold)
        for i, (content, size, colour, bold) in enumerate(bottom_lines):
            self.text(MARGIN, bottom + line_height * (i + 0.8), content, size, colour, "start", bold)
        left = min(self.min_x - MARGIN, 0)
        width = self.max_x + MARGIN - left
        height = self.max_y + MARGIN - top
        box = f"{left:.0f} {top:.0f} {width:.0f} {height:.0f}"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="{box}" font-family="{font_family()}" role="img" style="{FIT_WIDTH}">\n'
            f'<title>{escape(title, quote=False)}</title>\n'
            f'<desc>{escape(chr(10).join(description), quote=False)}</desc>\n'
            f'<rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" fill="white"/>\n'
            + "\n".join(self.items) + "\n</svg>\n"
        )


def draw_graph(graph, step=None, title=None, notes=(), legend=True):
    """The graph as an SVG string.

    graph   a ``Graph`` after ``forward()`` (and ``backward()`` for gradients) or a ``Trace``
    step    None: everything the trace knows;  0: forward values only;
            k: gradients after backward steps 1..k, with step k's node and edges highlighted
    title   text above the picture (default: the graph's title and what is shown)
    notes   extra lines of text below the picture
    """
    view = GraphView.of(graph)
    trace = view.trace
    n_steps, step, show_all = _steps(view, step)
    current = trace[step - 1] if step and not show_all else None
    edge_grads = trace.edge_grads(step) if trace is not None else {}
    node_grads = trace.node_grads(step) if trace is not None else {}
    if step:
        edge_grads[Edge(view.output, OUTPUT, 0)] = trace.dout

    canvas = _Canvas()
    positions = layout(view)
    for name in view.input_names + view.nodes:
        _draw_edges_from(canvas, view, positions, name, edge_grads, node_grads, current)
    for name in view.input_names:
        x, y = positions[name]
        canvas.text(x - 10, y + LABEL_SIZE * 0.35, view.labels[name], LABEL_SIZE, INK, "end", bold=True)
    for name in view.nodes:
        _draw_node(canvas, view, positions[name], name, highlighted=current is not None and current.node == name)
    for x, y, name, anchor in positions.connectors:  # where an edge wraps to the next band
        canvas.text(x, y + CAPTION_SIZE * 0.35, name, CAPTION_SIZE, MUTED, anchor)
    out_x, out_y = positions[OUTPUT]
    canvas.text(out_x + 10, out_y + LABEL_SIZE * 0.35, view.labels[view.output], LABEL_SIZE, INK, "start", bold=True)

    status = _status(view, step, n_steps, current, show_all)
    top = [(line, 20, INK, True) for line in _wrapped(title if title is not None else status, 20)]
    bottom = [(part, 17, INK, False) for line in notes for part in _wrapped(line, 17)]
    if legend:
        bottom.append((_("blue, above an edge: forward value"), 16, VALUE_COLOUR, False))
        if trace is not None:  # at step 0 too, so every frame of a stepper has the same height
            bottom.append((_("vermillion, below an edge: the gradient sent back along it"), 16, GRAD_COLOUR, True))
    heading = status if title is None else f"{title} ({status})"
    return canvas.svg(top, bottom, *_describe(view, step, heading))


def _wrapped(text, size):
    """``text`` cut into lines that fit a picture of MAX_WIDTH at font ``size`` (a long formula as title).

    Hangul, kana and kanji are wider than Latin letters (``text_width``): a text holding them gets
    proportionally fewer characters a line.
    """
    limit = int((MAX_WIDTH - 2 * MARGIN) / text_width("m", size))
    if text and text_width(text, size) != len(text) * text_width("m", size):
        limit = max(1, int(limit * len(text) * text_width("m", size) / text_width(text, size)))
    return textwrap.wrap(text, limit, break_on_hyphens=False) or [""]


def _steps(view, step):
    """(n_steps, step, show_all) for ``step`` (None: everything) of ``view``'s trace, checked."""
    n_steps = len(view.trace) if view.trace is not None else 0
    show_all = step is None
    step = n_steps if show_all else check_count(step, "draw_graph", "step", minimum=0)
    if not 0 <= step <= n_steps:
        raise CourseValueError(f"step must be None or between 0 and {n_steps} (the trace's length), got {step}")
    return n_steps, step, show_all


def describe_graph(graph, step=None):
    """(title, lines): what ``draw_graph(graph, step)`` shows, in words, for a screen reader.

    title  what the graph computes and which step is shown
    lines  one per input, then one per node (reading order: left to right): its formula, its value
           and, when the trace knows it at ``step``, its gradient
    The picture carries them as its ``<title>`` and ``<desc>``; the steppers also show them as a list.
    """
    view = GraphView.of(graph)
    n_steps, step, show_all = _steps(view, step)
    current = view.trace[step - 1] if step and not show_all else None
    return _describe(view, step, _status(view, step, n_steps, current, show_all))


def _describe(view, step, heading):
    output = view.labels[view.output]
    # TRANSLATORS: the separator of a list of names (", " in English and Korean, "、" in Japanese)
    inputs = _(", ").join(view.labels[name] for name in view.input_names)
    title = _("{heading}. The graph computes {output} from {inputs}.").format(heading=heading, output=output, inputs=inputs)
    grads = view.trace.node_grads(step) if view.trace is not None else {}
    unknown = "" if view.trace is None else _(", gradient not known yet")
    lines = []
    for name in view.input_names + view.nodes:
        label = view.labels[name]
        value = fmt(view.values[name])
        if name in view.input_names:
            text = _("input {label} = {value}").format(label=label, value=value)
        elif name == view.output:
            text = _("output {label} = {formula} = {value}").format(label=label, formula=_formula(view, name), value=value)
        else:
            text = _("node {label} = {formula} = {value}").format(label=label, formula=_formula(view, name), value=value)
        text += _(", gradient {grad}").format(grad=fmt(grads[name])) if name in grads else unknown
        lines.append(text)
    return title, lines


def _formula(view, name):
    """The node's operation on its inputs' labels (``formatting.formula_text``): 'apple × n', 'exp(x)', 'x + 1'."""
    args = [view.labels[edge.src] for edge in sorted((e for e in view.edges if e.dst == name),
                                                      key=lambda e: e.position)]
    return formula_text(view.ops[name], args)


def _status(view, step, n_steps, current, show_all):
    name = translate(view.title) if view.title else _("graph")
    if view.trace is None:
        return _("{name}: forward pass").format(name=name)
    if show_all:
        return _("{name}: forward and backward pass").format(name=name)
    if step == 0:
        return _("{name}: forward pass (backward step 0 of {n_steps})").format(name=name, n_steps=n_steps)
    return _("{name}: backward step {step} of {n_steps}, node '{node}' ({op})").format(
        name=name, step=step, n_steps=n_steps, node=current.node, op=current.op)


def _draw_node(canvas, view, centre, name, highlighted):
    x, y = centre
    fill, stroke, width = (HIGHLIGHT_FILL, GRAD_COLOUR, 4) if highlighted else ("white", INK, 2)
    canvas.circle(x, y, RADIUS, fill, stroke, width)
    symbol = view.ops[name]
    lines = _symbol_lines(symbol)
    if len(lines) == 1:
        text = lines[0]
        size = 28 if len(text) == 1 else 20 if len(text) <= 3 else SMALLEST_SIZE
        canvas.text(x, y + size * 0.36, text, size, INK, bold=len(text) == 1)
    else:
        for line, line_y in zip(lines, (y - 3, y + 14)):
            canvas.text(x, line_y, line, SMALLEST_SIZE, INK)
    if name != view.output:
        canvas.text(x, y + RADIUS + CAPTION_SIZE + 4, view.labels[name], CAPTION_SIZE, MUTED)


def _symbol_lines(symbol):
    """A gate's symbol as the lines written in its circle: one line, or for a long one such as
    'max−0.761594' the operation and its constant, rounded until it fits ('max', '−0.762')."""
    fits = 2 * RADIUS - 6
    if text_width(symbol, SMALLEST_SIZE) <= fits:
        return [symbol]
    match = re.fullmatch(r"(.*?)([−+-]?[0-9.]+(?:e[+-]?[0-9]+)?)", symbol)
    if match is None:
        return [symbol]
    operation, constant = match.groups()
    number = float(constant.replace("−", "-"))
    for digits in (3, 2, 1):
        short = ("+" if constant[0] == "+" else "") + _short_number(number, digits)
        if text_width(operation + short, SMALLEST_SIZE) <= fits:
            return [operation + short]
        if text_width(short, SMALLEST_SIZE) <= fits:
            break
    return [operation, short] if operation else [short]


def _short_number(number, digits):
    """-123456.7, 2 -> '−1.2e5': a number in ``digits`` significant digits, with a short exponent."""
    text = f"{number:.{digits}g}"
    for long, short in (("e+0", "e"), ("e-0", "e-"), ("e+", "e")):
        text = text.replace(long, short)
    return text.replace("-", "−")


def _draw_edges_from(canvas, view, plan, name, edge_grads, node_grads, current):
    """The edges leaving ``name`` along their planned routes; through a copy dot when it feeds several."""
    value = view.values[name]
    if name in plan.copies:
        start, dot, label_at = plan.copies[name]
        stem_hot = current is not None and current.node == name
        canvas.line([start, dot], GRAD_COLOUR if stem_hot else INK, 3.5 if stem_hot else 2)
        _edge_labels(canvas, *label_at, value, node_grads.get(name))
        canvas.circle(dot[0], dot[1], 6, INK, INK, 1)
    for edge in view.consumers(name):
        hot = current is not None and edge.dst == current.node
        colour, width = (GRAD_COLOUR, 3.5) if hot else (INK, 2)
        for points in plan.routes[edge]:
            canvas.line(points, colour, width)
            canvas.arrowhead(points[-1], points[-2], colour)
        _edge_labels(canvas, *plan.label_at[edge], value, edge_grads.get(edge))


def _edge_labels(canvas, x, y, value, grad):
    canvas.text(x, y - 9, fmt(value), VALUE_SIZE, VALUE_COLOUR)
    if grad is not None:
        canvas.text(x, y + GRAD_SIZE + 5, fmt(grad), GRAD_SIZE, GRAD_COLOUR, bold=True)


class GraphPicture:
    """A picture of a graph that Jupyter displays (inline SVG) and that can be saved to a file.

    GraphPicture(graph_or_trace, step=None, **options): the options are those of ``draw_graph``.
    ``.svg`` holds the SVG text.
    """

    def __init__(self, graph_or_trace, step=None, **options):
        self.svg = draw_graph(graph_or_trace, step=step, **options)
        self.title = graph_or_trace.title
        self.step = step

    def _repr_html_(self):  # inline, so a screen reader gets its title and description (an <img> would not)
        return self.svg

    def __repr__(self):  # stable text (no memory address), so stored notebook outputs never change
        shown = "every step" if self.step is None else f"step {self.step}"
        return f"<GraphPicture of '{self.title}', {shown}>"

    def save(self, path):
        """Write the SVG to ``path`` (UTF-8, '\\n' line ends) and return the path."""
        with open(path, "w", encoding="utf-8", newline="\n") as file:
            file.write(self.svg)
        return path


class SavedPicture:
    """A picture saved by ``GraphPicture.save`` (or ``python -m course_tools.images``), shown inline.

    ``SavedPicture("../images/apple_backward.svg")``: Jupyter shows the SVG inline (``_repr_html_``),
    so a screen reader gets its title and description; ``IPython.display.SVG`` would be shown by
    JupyterLab as an ``<img>`` without alt text.
    """

    def __init__(self, path):
        with open(_edition_picture(path), encoding="utf-8") as file:
            self.svg = file.read()
        if "<svg" not in self.svg:
            raise CourseValueError(f"{path} is not an SVG picture (no <svg> element)")
        self.path = str(path)

    def _repr_html_(self):
        return self.svg

    def __repr__(self):
        return f"<SavedPicture {self.path}>"


def _edition_picture(path):
    """The file to show for ``path``: in a Korean or Japanese edition its drawing in that language.

    A lesson names its pictures ``../images/NAME.svg`` (from notebooks/).  From an edition's folder
    (notebooks/ko/) that path does not exist; the picture is then the course's ``images/<lang>/NAME.svg``
    (``python -m course_tools.images --lang ko``), or ``images/NAME.svg`` when no drawing in the
    language exists.  An English lesson's path is used as it is.
    """
    from pathlib import Path

    from .i18n import language
    from .paths import images_dir

    path = Path(path)
    if path.is_file() or path.parent.name != "images":
        return path
    folder = images_dir()
    for candidate in (folder / language() / path.name, folder / path.name):
        if candidate.is_file():
            return candidate
    return path


def draw_layer_chain(names, highlighted=None, done=(), title=""):
    """A network as a row of layer boxes, input x at the left and the loss L at the right.

    names        the layers in forward order, e.g. ["Affine1", "Relu1", "Affine2", "SoftmaxWithLoss"]
    highlighted  the layer whose backward is running (drawn in vermillion)
    done         layers whose backward already ran (their incoming gradient arrow is drawn)
    """
    canvas = _Canvas()
    box_w, box_h, gap = 170, 54, 56
    canvas.text(MARGIN + 10, box_h / 2 + 7, "x", LABEL_SIZE, INK, "middle", bold=True)
    x = MARGIN + 10 + gap
    _chain_arrow(canvas, MARGIN + 22, x, box_h / 2, INK)
    for name in names:
        hot = name == highlighted
        fill, stroke, width = (HIGHLIGHT_FILL, GRAD_COLOUR, 4) if hot else ("white", INK, 2)
        canvas.items.append(f'<rect x="{x:.1f}" y="0" width="{box_w}" height="{box_h}" rx="8" '
                            f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>')
        canvas.grow(x, 0, x + box_w, box_h)
        size = 18 if len(name) <= 14 else 15
        canvas.text(x + box_w / 2, box_h / 2 + size * 0.35, name, size, INK, bold=hot)
        if name in done or hot:
            canvas.text(x + box_w / 2, box_h + 26, _("gradient ←") if hot else _("done ✓"), 16, GRAD_COLOUR, bold=hot)
        _chain_arrow(canvas, x + box_w, x + box_w + gap, box_h / 2, INK)
        x += box_w + gap
    canvas.text(x + 8, box_h / 2 + 7, "L", LABEL_SIZE, INK, "start", bold=True)
    top = [(title, 20, INK, True)] if title else []
    description = [_("x → {layers} → loss L").format(layers=" → ".join(names))]
    if highlighted is not None:
        description.append(_("backward running through {layer} (highlighted)").format(layer=highlighted))
    if done:
        description.append(_("backward done through {layers}").format(layers=", ".join(done)))
    heading = _("A network's layers, {title}").format(title=title) if title else _("A network's layers")
    return canvas.svg(top, title=heading, description=description)


def _chain_arrow(canvas, x0, x1, y, colour):
    canvas.line([(x0, y), (x1 - 2, y)], colour, 2)
    canvas.arrowhead((x1 - 2, y), (x0, y), colour)
