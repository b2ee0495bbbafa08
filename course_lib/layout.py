"""Where each part of a graph's picture goes: a layered layout that keeps any DAG readable.

    plan = layout(view)        view: a drawing.GraphView (inputs, nodes, edges, values, trace)
    plan[name]                 (x, y): an input's edge start, a node's circle centre (OUTPUT: the output label)
    plan.routes[edge]          the edge's polylines (one, or one per band it crosses), the last ending at its arrow tip
    plan.connectors            (x, y, text, anchor): where an edge leaves a band and enters the next, its source's name
    plan.label_at[edge]        (x, y): where its value (above) and gradient (below) are written
    plan.copies[name]          (start, dot, label point) of the stem of a node that feeds several others

The classic layered ("Sugiyama") method, in four steps:

1. Columns.  A node's column is the longest path from the inputs (inputs in column 0).
2. Waypoints.  An edge that skips columns gets a placeholder ("waypoint") in each column it crosses,
   so it runs between the nodes of those columns, never through them.
3. Rows.  Column by column, every node and waypoint wants the mean height of what feeds it (the
   barycentre: this keeps hops few and long edges straight), in that order; then they are
   pushed apart until each one's band (its circle, caption and labels) is clear of its neighbours'.
4. Widths and wrapping.  Between two columns lies first a label zone (each edge leaves its source
   horizontally there, with its value and gradient written on that piece, wide enough for them),
   then a zone where edges bend to their next stop.  A graph too deep for a projector wraps: its
   columns continue in a new band below; an edge crossing the break ends at the band's right edge
   at its source's name, and starts again from that name at the next band's left edge.

Nothing is drawn here; ``course_lib.drawing`` draws what this plans.  Text widths are estimated
(``text_width``), so the plan is deterministic and fast (a widget redraws on every input edit).
"""
import unicodedata
from dataclasses import dataclass, field

from .formatting import fmt
from .presentation import current_style

RADIUS = 30  # node circles
VALUE_SIZE = 18  # edge labels: value above the edge, gradient below it
GRAD_SIZE = 20
LABEL_SIZE = 20  # input and output labels
CAPTION_SIZE = 16  # a node's name under its circle
MARGIN = 24

INPUT_GAP = 130  # inputs are declared this far apart (then spread like everything else)
LANE = 70  # distance between the branches leaving a copy dot
BRANCH_RISE = 30  # from the copy dot to a branch's own height
MIN_RUN = 110  # shortest horizontal piece carrying labels
MIN_STEM = 100  # shortest stem from a node to its copy dot
LABEL_PAD = 12  # free space either side of an edge label
MIN_BEND, MAX_BEND = 70, 150  # width of the zone where edges bend towards their next column
BAND_GAP = 10  # vertical space between two neighbours' bands
BREAK_GAP = 40  # vertical space between two bands of a wrapped picture
MAX_WIDTH = 1650  # px; wider pictures wrap (on a 1024 px projector 15 px text stays >= 9.3 px)

OUTPUT = "\0output"  # the pseudo-consumer standing for the output label at the right


def text_width(text, size):
    """A rough, deterministic width estimate of ``text`` at font ``size`` (px).

    A Latin letter is about 0.6 em wide; a Hangul syllable, a kana or a kanji (East Asian "wide"
    or "fullwidth") a whole em.
    """
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return 0.6 * size * (len(text) - wide) + size * wide


@dataclass(frozen=True)
class Waypoint:
    """The place an edge takes in a column it crosses without stopping."""

    edge: object
    column: int


@dataclass
class Plan:
    """The geometry of one picture (see the module's docstring); ``plan[name]`` is ``plan.positions[name]``."""

    positions: dict = field(default_factory=dict)
    routes: dict = field(default_factory=dict)
    label_at: dict = field(default_factory=dict)
    copies: dict = field(default_factory=dict)
    zone: list = field(default_factory=list)  # width of the label zone after each column
    connectors: list = field(default_factory=list)

    def __getitem__(self, name):
        return self.positions[name]


def layout(view):
    """The ``Plan`` of ``view``'s picture: positions, edge routes, label points, copy stems."""
    columns, column_of, feeders, next_stop = _columns_and_waypoints(view)
    hops = _hops(columns, column_of, next_stop)
    lanes = {name: _lane_offsets(len(view.consumers(name))) for name in _real(columns)}
    y = _rows(view, columns, feeders, lanes)
    grads = _known_grads(view)
    runs = {name: _run_lengths(view, name, *grads) for name in _real(columns)}
    zone = [max([sum(runs[s]) for s in column if s in runs] + [MIN_RUN]) for column in columns]
    bend = [_bend_width(hops[c], y) for c in range(len(columns))]
    x, bands = _columns_x(view, columns, zone, bend, hops)
    if len(bands) > 1:  # a new band starts compactly at its top, not at the heights of the band before
        y = _rows(view, columns, feeders, lanes, band_starts={band[0] for band in bands[1:]})
        _stack_bands(columns, bands, y, lanes)

    plan = Plan(zone=zone)
    for name in _real(columns):
        plan.positions[name] = (x[column_of[name]], y[name])
    for c, column in enumerate(columns):
        zone_start = x[c] + (RADIUS if c else 0)
        zone_end = zone_start + zone[c]
        for stop in column:
            if not isinstance(stop, Waypoint):
                _plan_leaving(plan, view, stop, (zone_start, y[stop]), zone_end, runs[stop], lanes[stop], y, next_stop)
    breaks = _band_breaks(view, bands, hops, x, zone, y)
    for edge in list(plan.routes):
        _finish_route(plan, view, edge, next_stop, column_of, x, y, breaks)
    return plan


def _real(columns):
    return [stop for column in columns for stop in column if not isinstance(stop, Waypoint)]


def _columns_and_waypoints(view):
    """(columns, column_of, feeders, next_stop).

    columns    list of columns, each a list of inputs/nodes and Waypoints
    column_of  {name or Waypoint: column index}
    feeders    {name or Waypoint: what feeds it in the previous column (nodes or waypoints)}
    next_stop  {edge: [the edge's waypoints, then its destination]}
    """
    column_of = {name: 0 for name in view.input_names}
    for name in view.nodes:
        column_of[name] = 1 + max(column_of[edge.src] for edge in view.edges if edge.dst == name)
    columns = [[] for _ in range(max(column_of.values()) + 1)]
    for name in list(view.input_names) + list(view.nodes):
        columns[column_of[name]].append(name)
    feeders = {name: [] for name in column_of}
    next_stop = {}
    for edge in view.edges:
        stops = [Waypoint(edge, c) for c in range(column_of[edge.src] + 1, column_of[edge.dst])]
        for stop in stops:
            columns[stop.column].append(stop)
            column_of[stop] = stop.column
        chain = [edge.src] + stops + [edge.dst]
        for before, after in zip(chain, chain[1:]):
            feeders.setdefault(after, []).append(before)
        next_stop[edge] = stops + [edge.dst]
    return columns, column_of, feeders, next_stop


def _lane_offsets(n_leaving):
    """Heights of the branches leaving a copy dot, relative to their node (one edge: no dot)."""
    if n_leaving <= 1:
        return [0.0]
    return [(i - (n_leaving - 1) / 2) * LANE for i in range(n_leaving)]


def _band(stop, lanes):
    """(above, below): how far a node's or waypoint's drawing reaches above and below its row."""
    if isinstance(stop, Waypoint):
        return 22, 22
    spread = max(abs(offset) for offset in lanes[stop])
    return max(55, spread + 30), max(65, spread + 38)  # labels, circle and caption


def _rows(view, columns, feeders, lanes, band_starts=()):
    """{stop: y}: inputs in declared order, then each column at its barycentres, pushed apart;
    the first column of a band (``band_starts``) packed from the top, in its barycentres' order."""
    y = {}
    for c, column in enumerate(columns):
        if c == 0:
            wanted = {name: row * INPUT_GAP for row, name in enumerate(column)}
        else:
            wanted = {stop: _mean([y[f] for f in feeders[stop]]) for stop in column}
        if c in band_starts:
            order = sorted(wanted, key=lambda stop: (wanted[stop], _order_key(stop)))
            wanted = {stop: rank * 1e-6 for rank, stop in enumerate(order)}
        y.update(_spread(wanted, lanes))
    return y


def _mean(numbers):
    return sum(numbers) / len(numbers)


def _order_key(stop):
    if isinstance(stop, Waypoint):
        return f"{stop.edge.src}>{stop.edge.dst}:{stop.edge.position}"
    return stop


def _spread(wanted, lanes):
    """{stop: y}: the stops of one column in the order of their wanted heights, bands clear of each
    other, centred where they wanted to be."""
    order = sorted(wanted, key=lambda stop: (wanted[stop], _order_key(stop)))
    placed, last = {}, None
    for stop in order:
        above, _below = _band(stop, lanes)
        lowest = wanted[stop] if last is None else placed[last] + _band(last, lanes)[1] + BAND_GAP + above
        placed[stop] = max(wanted[stop], lowest)
        last = stop
    if len(order) < 2:
        return placed
    shift = _mean(list(wanted.values())) - _mean(list(placed.values()))
    return {stop: y + shift for stop, y in placed.items()}


def _known_grads(view):
    """{edge: gradient} of every edge once backward is done (label widths do not change per step)."""
    if view.trace is None:
        return {}, {}
    return view.trace.edge_grads(), view.trace.node_grads()


def _labels_width(value, grad):
    scale = current_style().font_scale
    widths = [text_width(fmt(value), VALUE_SIZE * scale)]
    if grad is not None:
        widths.append(text_width(fmt(grad), GRAD_SIZE * scale))
    return max(widths) + 2 * LABEL_PAD


def _run_lengths(view, name, edge_grads, node_grads):
    """(stem, branch run) for a node feeding several others, (run,) for one: the label zone it needs."""
    value = view.values[name]
    leaving = view.consumers(name)
    dout = view.trace.dout if view.trace is not None else None
    if not leaving:  # an input the graph does not use: only its label is drawn
        return (MIN_RUN,)
    if len(leaving) == 1:
        grad = dout if leaving[0].dst == OUTPUT else edge_grads.get(leaving[0])
        return (max(MIN_RUN, _labels_width(value, grad)),)
    stem = max(MIN_STEM, _labels_width(value, node_grads.get(name)))
    branch = max(_labels_width(value, edge_grads.get(edge)) for edge in leaving)
    return stem, BRANCH_RISE + max(MIN_RUN - BRANCH_RISE, branch)


def _bend_width(hops_out, y):
    """Width of the zone after a column where its edges (``hops_out``) bend: wider for steeper bends."""
    rises = [abs(y[after] - y[before]) for _edge, before, after in hops_out]
    return min(MAX_BEND, max([MIN_BEND] + [0.45 * rise for rise in rises]))


def _hops(columns, column_of, next_stop):
    """[[(edge, stop before, stop after)] for each column]: the hops of edges from each column to the next."""
    found = [[] for _ in columns]
    for edge, stops in next_stop.items():
        chain = [edge.src] + stops
        for before, after in zip(chain, chain[1:]):
            if after != OUTPUT:
                found[column_of[before]].append((edge, before, after))
    return found


def _columns_x(view, columns, zone, bend, hops):
    """({column: x}, bands): x of every column, and the columns grouped into bands (wrapping)."""
    scale = current_style().font_scale
    inputs_width = max([text_width(view.labels[name], LABEL_SIZE * scale) for name in view.input_names] + [0])
    output_width = text_width(view.labels[view.output], LABEL_SIZE * scale) + 20
    x, bands = {}, [[]]
    here = MARGIN + inputs_width + 12
    for c in range(len(columns)):
        last = c == len(columns) - 1
        tail = output_width if last else _connectors_width(view, hops[c]) + 20
        right = here + (RADIUS if c else 0) + zone[c] + tail + MARGIN
        if right > MAX_WIDTH and bands[-1]:
            here = MARGIN + _connectors_width(view, hops[c - 1]) + 12 + MIN_BEND + RADIUS
            bands.append([])
        x[c] = here
        bands[-1].append(c)
        here += (RADIUS if c else 0) + zone[c] + bend[c] + RADIUS
    return x, bands


def _connectors_width(view, hops_out):
    """Width of the widest source name written where ``hops_out`` edges leave or enter a band."""
    scale = current_style().font_scale
    return max([text_width(view.labels[edge.src], CAPTION_SIZE * scale) for edge, _, _ in hops_out] + [0])


def _stack_bands(columns, bands, y, lanes):
    """Move each band (and all after it) below the previous band."""
    for previous, band in zip(bands, bands[1:]):
        bottom = max(y[stop] + _band(stop, lanes)[1] for c in previous for stop in columns[c])
        top = min(y[stop] - _band(stop, lanes)[0] for c in band for stop in columns[c])
        for c in range(band[0], len(columns)):
            for stop in columns[c]:
                y[stop] += bottom + BREAK_GAP - top


def _band_breaks(view, bands, hops, x, zone, y):
    """{(edge, stop before the break): (x where it leaves, x where it enters, height offset there)}."""
    breaks = {}
    for previous, band in zip(bands, bands[1:]):
        last = previous[-1]
        leave_x = x[last] + RADIUS + zone[last] + 10
        enter_x = MARGIN + _connectors_width(view, hops[last]) + 12
        arriving = {}
        for edge, _before, after in hops[last]:
            arriving.setdefault(after, []).append(edge)
        for edge, before, after in hops[last]:
            into = sorted(arriving[after], key=lambda e: e.position)
            offset = 0 if len(into) == 1 else (into.index(edge) - (len(into) - 1) / 2) * 44
            breaks[(edge, before)] = (leave_x, enter_x, offset)
    return breaks


def _plan_leaving(plan, view, name, start, zone_end, runs, lane_offsets, y, next_stop):
    """The first pieces of the edges leaving ``name``: horizontal runs carrying their labels,
    through a copy dot when it feeds several places."""
    leaving = view.consumers(name)
    sx, sy = start
    if not leaving:
        return
    if len(leaving) == 1:
        plan.routes[leaving[0]] = [start, (zone_end, sy)]
        plan.label_at[leaving[0]] = ((sx + zone_end) / 2, sy)
        return
    dot = (sx + runs[0], sy)
    plan.copies[name] = (start, dot, ((sx + dot[0]) / 2, sy))
    ordered = sorted(leaving, key=lambda edge: (_first_stop_y(edge, y, next_stop), _order_key(edge.dst), edge.position))
    for edge, offset in zip(ordered, lane_offsets):
        lane = sy + offset
        lane_start = dot[0] + BRANCH_RISE if offset else dot[0]
        plan.routes[edge] = [dot] + ([(lane_start, lane)] if offset else []) + [(zone_end, lane)]
        plan.label_at[edge] = ((lane_start + zone_end) / 2, lane)


def _first_stop_y(edge, y, next_stop):
    return y[next_stop[edge][0]] if edge.dst != OUTPUT else 0


def _finish_route(plan, view, edge, next_stop, column_of, x, y, breaks):
    """Continue an edge from the end of its label run through its waypoints to its arrow tip;
    at a band break, end this polyline at the source's name and start a new one in the next band."""
    pieces = [plan.routes[edge]]
    if edge.dst == OUTPUT:
        plan.positions[OUTPUT] = pieces[0][-1]
        plan.routes[edge] = pieces
        return
    before = edge.src
    for stop in next_stop[edge]:
        points = pieces[-1]
        if (edge, before) in breaks:
            leave_x, enter_x, offset = breaks[(edge, before)]
            name = view.labels[edge.src]
            points.append((leave_x, points[-1][1]))
            plan.connectors.append((leave_x + 6, points[-1][1], name, "start"))
            plan.connectors.append((enter_x - 6, y[stop] + offset, name, "end"))
            points = [(enter_x, y[stop] + offset)]
            pieces.append(points)
        px, py = points[-1]
        sx, sy = x[column_of[stop]], y[stop]
        if isinstance(stop, Waypoint):
            points += [(sx - RADIUS, sy), (sx + RADIUS, sy)]
            run_end = sx + RADIUS + _zone_width(plan, stop)
            points.append((run_end, sy))
        else:
            length = ((sx - px) ** 2 + (sy - py) ** 2) ** 0.5 or 1
            points.append((sx - (sx - px) * RADIUS / length, sy - (sy - py) * RADIUS / length))
        before = stop
    plan.routes[edge] = [_without_repeats(points) for points in pieces]


def _zone_width(plan, stop):
    return plan.zone[stop.column]


def _without_repeats(points):
    kept = [points[0]]
    for point in points[1:]:
        if abs(point[0] - kept[-1][0]) > 0.01 or abs(point[1] - kept[-1][1]) > 0.01:
            kept.append(point)
    return kept
