"""Pictures of any DAG are readable, checked geometrically (not by eye) over many random graphs.

Random graphs of up to 40 gate nodes are built with course_lib.Graph and the course's gates (binary
×, +, max; unary ones), with fan-out (a node feeding several others) and edges that skip columns;
so are 100 random formulas read by parse_expression and 20 programs recorded by record that reuse
their intermediate values.  In every picture, at every step shown: no two node boxes overlap, no
edge passes through a node box other than its own ends, no two labels overlap, no label sits on a
node box and a node's symbol fits inside it, and the picture fits a 1024 px projector at a readable
scale (it scales down by ``max-width:100%``; text stays >= 9 px; deep graphs wrap into bands).
"""
import math
import random
import xml.etree.ElementTree as ET

import pytest

from course_lib import (
    parse_expression, record, AddConstLayer, AddLayer, ExpLayer, Graph, MaxLayer, MulConstLayer, MulLayer, SquareLayer,
)
from course_lib.course_graphs import apple_graph, apple_orange_graph, chain_rule_graph, sigmoid_graph
from course_lib.drawing import draw_graph, text_width
from course_lib.expressions import ExpressionError
from course_lib.gate_rules import GATE_KINDS, GateRule

SVG = "{http://www.w3.org/2000/svg}"
PROJECTOR = 1024
UNARY = [lambda: MulConstLayer(-1), lambda: AddConstLayer(1), lambda: MulConstLayer(2), ExpLayer, SquareLayer]
BINARY = [MulLayer, AddLayer, MaxLayer]


def random_graph(rng, n_nodes, n_inputs):
    """A random DAG: every input and node is used; fan-out and long edges happen often."""
    graph = Graph(f"random {n_nodes}")
    names = []
    for i in range(n_inputs):
        graph.add_input(f"x{i}", round(rng.uniform(-1, 1), 2))
        names.append(f"x{i}")
    unused = list(names)
    for k in range(n_nodes):
        left = n_nodes - k
        if left <= len(unused) - 1 or (len(unused) > 1 and rng.random() < 0.5):
            pick = rng.sample(unused, 2)
            inputs, gate = pick, rng.choice(BINARY)()
        elif rng.random() < 0.4:
            inputs, gate = [rng.choice(unused)], rng.choice(UNARY)()
        else:
            inputs, gate = [rng.choice(unused), rng.choice(names)], rng.choice(BINARY)()
        if len(inputs) == 2 and inputs[0] == inputs[1]:
            inputs = inputs[:1]
            gate = rng.choice(UNARY)()
        name = f"n{k}"
        graph.add_node(name, gate, inputs)
        for used in inputs:
            if used in unused:
                unused.remove(used)
        names.append(name)
        unused.append(name)
    while len(unused) > 1:  # join what is left, so every node reaches the output
        a, b = unused.pop(0), unused.pop(0)
        name = f"n{len(names) - n_inputs}"
        graph.add_node(name, AddLayer(), [a, b])
        names.append(name)
        unused.append(name)
    return graph


def geometry(svg):
    """(width, circles, segments, texts) of a picture: node boxes (cx, cy, r), edge segments, text boxes."""
    root = ET.fromstring(svg)
    width = float(root.get("width"))
    circles = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.iter(f"{SVG}circle")]
    segments = []
    for line in root.iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        segments += list(zip(points, points[1:]))
    texts = []
    for t in root.iter(f"{SVG}text"):
        size, x, y = float(t.get("font-size")), float(t.get("x")), float(t.get("y"))
        w = text_width(t.text, size)
        left = {"middle": x - w / 2, "start": x, "end": x - w}[t.get("text-anchor")]
        texts.append((t.text, size, (left, y - size * 0.75, left + w, y + size * 0.2)))
    return width, circles, segments, texts


def overlap(a, b, gap=0.0):
    return a[0] < b[2] - gap and b[0] < a[2] - gap and a[1] < b[3] - gap and b[1] < a[3] - gap


def segment_hits_circle(p, q, circle, shrink=3.0):
    (x1, y1), (x2, y2), (cx, cy, r) = p, q, circle
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy or 1e-9
    t = max(0.0, min(1.0, ((cx - x1) * dx + (cy - y1) * dy) / length2))
    return math.hypot(x1 + t * dx - cx, y1 + t * dy - cy) < r - shrink


def problems(svg):
    width, circles, segments, texts = geometry(svg)
    nodes = [c for c in circles if c[2] >= 20]  # the copy dots (r 6) are points on edges, not boxes
    found = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if math.hypot(a[0] - b[0], a[1] - b[1]) < a[2] + b[2]:
                found.append(f"node boxes overlap at {a[:2]} and {b[:2]}")
    for p, q in segments:
        for node in nodes:
            if segment_hits_circle(p, q, node):
                found.append(f"edge {p}->{q} passes through the node at {node[:2]}")
    boxes = [(text, box) for text, _size, box in texts]
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            if overlap(a, b):
                found.append(f"labels {text_a!r} and {text_b!r} overlap")
    for text, box in boxes:
        for cx, cy, r in nodes:
            inside_own_node = abs((box[0] + box[2]) / 2 - cx) < 1 and abs(box[1] - cy) < r
            if not inside_own_node and overlap(box, (cx - r, cy - r, cx + r, cy + r), gap=2):
                found.append(f"label {text!r} on the node box at {(cx, cy)}")
            if inside_own_node and box[2] - box[0] > 2 * r - 4:
                found.append(f"symbol {text!r} is wider than its node at {(cx, cy)}")
    scale = min(1.0, PROJECTOR / width)
    smallest = min(size for _text, size, _box in texts) * scale
    if smallest < 9:
        found.append(f"{width:.0f} px wide: on a {PROJECTOR} px projector its text shrinks to {smallest:.1f} px")
    return found


def test_the_checker_sees_overlaps():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
           '<circle cx="10" cy="10" r="30"/><circle cx="20" cy="10" r="30"/>'
           '<polyline points="0,10 100,10"/>'
           '<text x="50" y="50" font-size="20" text-anchor="middle">abc</text>'
           '<text x="52" y="52" font-size="20" text-anchor="middle">abc</text></svg>')
    found = " | ".join(problems(svg))
    assert "node boxes overlap" in found and "passes through" in found and "labels 'abc' and 'abc'" in found


@pytest.mark.parametrize("make", [apple_graph, apple_orange_graph, sigmoid_graph, chain_rule_graph])
def test_the_course_graphs_draw_readably(make):
    graph = make()
    graph.run()
    for step in [None, *range(len(graph.trace) + 1)]:
        assert problems(draw_graph(graph, step)) == []
    for kind in GATE_KINDS:
        assert problems(GateRule(kind).svg()) == []


CASES = [(seed, n) for seed, n in enumerate([3, 5, 8, 12, 16, 20, 25, 30, 35, 40] * 4)]


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")  # exp(exp(...))
@pytest.mark.parametrize("seed, n_nodes", CASES)
def test_random_dags_draw_readably(seed, n_nodes):
    rng = random.Random(seed)
    graph = random_graph(rng, n_nodes, n_inputs=rng.randint(1, 5))
    graph.run()
    assert any(len([e for e in graph.edges if e.src == name]) > 1 for name in graph.input_names + graph.node_names) or n_nodes < 8
    steps = sorted({0, len(graph.trace) // 2, len(graph.trace)})
    for step in [None, *steps]:
        found = problems(draw_graph(graph, step))
        assert not found, f"seed {seed}, {n_nodes} nodes, step {step}: {len(found)} problems, e.g. {found[:5]}"


FUNCTIONS = ["exp", "log", "tanh", "relu", "sigmoid"]


def random_formula(rng, budget, names):
    """Formula text with about ``budget`` operations on ``names`` (names repeat: fan-out from the inputs)."""
    if budget <= 1 or rng.random() < 0.15:
        return rng.choice(names) if rng.random() < 0.85 else str(rng.choice([1, 2, 0.5, 3]))
    kind = rng.random()
    left = rng.randint(1, budget - 1)
    if kind < 0.55:
        op = rng.choice(["+", "-", "*", "/", "+", "*"])
        return f"({random_formula(rng, left, names)} {op} {random_formula(rng, budget - 1 - left, names)})"
    if kind < 0.65:
        return f"({random_formula(rng, budget - 1, names)}) ** {rng.choice([2, 3, 0.5])}"
    if kind < 0.72:
        return f"-{random_formula(rng, budget - 1, names)}"
    if kind < 0.8:
        return f"maximum({random_formula(rng, left, names)}, {random_formula(rng, budget - 1 - left, names)})"
    return f"{rng.choice(FUNCTIONS)}({random_formula(rng, budget - 1, names)})"


def parsed_formulas(count, seed=14):
    """``count`` random formulas that parse and run backward, as recorded graphs (the parser's own limit
    of 60 numbers, names and operations keeps them under about 30 nodes; traced programs go to 40)."""
    rng = random.Random(seed)
    graphs = []
    while len(graphs) < count:
        names = ["x", "y", "z", "w"][:rng.randint(1, 4)]
        text = random_formula(rng, rng.randint(2, 45), names)
        try:
            graph = parse_expression(text, **{name: round(rng.uniform(0.2, 2), 2) for name in names})
            graph.backward()
        except ExpressionError:  # log of a negative number, an overflow, too big: not a picture to test
            continue
        if len(graph.node_names) <= 40:
            graphs.append(graph)
    return graphs


def test_parsed_formulas_draw_readably():
    graphs = parsed_formulas(100)
    assert max(len(graph.node_names) for graph in graphs) >= 20
    for graph in graphs:
        for step in [None, 0, len(graph.trace) // 2]:
            found = problems(draw_graph(graph, step))
            assert not found, f"{graph.title!r}, step {step}: {len(found)} problems, e.g. {found[:5]}"


def random_program(rng, n_operations):
    """A function of x, y that reuses its intermediate values (shared subexpressions, long edges)."""
    def program(x, y):
        made = [x, y, x * y]
        for _ in range(n_operations):
            a, b = rng.choice(made), rng.choice(made[-4:])
            op = rng.randrange(5)
            made.append(a * b if op == 0 else a + b if op == 1 else a - b if op == 2 else (a * 0.5).tanh()
                        if op == 3 else b.sigmoid())
        return made[-1] + made[-2] + made[len(made) // 2] + made[2]
    return program


@pytest.mark.parametrize("seed", range(20))
def test_traced_programs_with_shared_values_draw_readably(seed):
    rng = random.Random(seed)
    graph = record(random_program(rng, 12 + seed % 10 * 4 - seed // 10), x=0.5, y=-0.3)
    assert 8 <= len(graph.node_names) <= 40
    graph.backward()
    for step in [None, 0, len(graph.trace) // 2]:
        found = problems(draw_graph(graph, step))
        assert not found, f"seed {seed}, step {step}: {len(found)} problems, e.g. {found[:5]}"
