"""Pictures of graphs: drawn from the graph and its trace, deterministic, right numbers in place."""
import re
import xml.etree.ElementTree as ET

import pytest

from course_lib import ExpLayer, Graph, MulConstLayer, MulLayer
from course_lib.course_graphs import apple_graph, apple_orange_graph, sigmoid_graph
from course_lib.drawing import (
    GRAD_COLOUR, MAX_WIDTH, RADIUS, VALUE_COLOUR, GraphPicture, GraphView, _symbol_lines, draw_graph, draw_layer_chain,
    layout,
)
from course_lib.gate_rules import GATE_KINDS, GateRule, gate_graph

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg, colour=None):
    """The text elements of an SVG; with ``colour``, only the edge labels of that colour (not the legend)."""
    root = ET.fromstring(svg)
    if colour is None:
        return [t.text for t in root.iter(f"{SVG}text")]
    return [t.text for t in root.iter(f"{SVG}text") if t.get("fill") == colour and "edge" not in t.text]


def ran(graph):
    graph.run()
    return graph


def test_apple_backward_shows_every_value_and_gradient():
    svg = draw_graph(ran(apple_graph()))
    assert sorted(texts(svg, VALUE_COLOUR)) == sorted(["100", "2", "1.1", "200", "220"])
    assert sorted(texts(svg, GRAD_COLOUR)) == sorted(["2.2", "110", "1.1", "200", "1"])
    labels = texts(svg)
    for label in ("apple (each)", "apples", "tax", "price", "×"):
        assert label in labels


def test_step_zero_shows_values_but_no_gradient():
    svg = draw_graph(ran(apple_graph()), step=0)
    assert sorted(texts(svg, VALUE_COLOUR)) == sorted(["100", "2", "1.1", "200", "220"])
    assert texts(svg, GRAD_COLOUR) == []
    assert "2.2" not in texts(svg) and "110" not in texts(svg)


def test_step_k_shows_only_gradients_known_after_k_steps_and_highlights_its_node():
    graph = ran(apple_orange_graph())
    svg = draw_graph(graph, step=1)
    # step 1 (node price) sent 1.1 to all_price and 650 to tax; the output edge carries dout = 1
    assert sorted(texts(svg, GRAD_COLOUR)) == sorted(["1.1", "650", "1"])
    highlighted = [c for c in ET.fromstring(svg).iter(f"{SVG}circle") if c.get("stroke") == GRAD_COLOUR]
    assert len(highlighted) == 1
    x_price, y_price = layout(GraphView.of(graph))["price"]
    assert float(highlighted[0].get("cx")) == pytest.approx(x_price, abs=0.05)
    assert float(highlighted[0].get("cy")) == pytest.approx(y_price, abs=0.05)
    full = draw_graph(graph, step=4)
    assert {"2.2", "110", "3.3", "165"} <= set(texts(full, GRAD_COLOUR))


def test_everything_view_highlights_nothing():
    svg = draw_graph(ran(apple_graph()))
    assert not [c for c in ET.fromstring(svg).iter(f"{SVG}circle") if c.get("stroke") == GRAD_COLOUR]


def test_numbers_come_from_the_trace_not_from_recomputation():
    graph = ran(apple_graph())
    # a trace is a record: tamper with it and the picture must show the tampered number
    step = graph.trace.steps[1]
    object.__setattr__(step, "grads_out", (4321, step.grads_out[1]))
    assert "4321" in texts(draw_graph(graph), GRAD_COLOUR)


def test_draw_a_trace_directly_and_a_graph_before_backward():
    graph = apple_graph()
    graph.forward()
    forward_only = draw_graph(graph)
    assert texts(forward_only, GRAD_COLOUR) == [] and "220" in texts(forward_only)
    trace = graph.backward()
    assert "110" in texts(draw_graph(trace), GRAD_COLOUR)


def test_layout_is_layered_left_to_right():
    view = GraphView.of(ran(apple_orange_graph()))
    pos = layout(view)
    assert pos["apple"][0] == pos["tax"][0] < pos["apple_price"][0] == pos["orange_price"][0]
    assert pos["apple_price"][0] < pos["all_price"][0] < pos["price"][0]
    assert pos["apple_price"][1] != pos["orange_price"][1]


def test_svg_is_valid_deterministic_and_projector_sized():
    svg1, svg2 = draw_graph(ran(sigmoid_graph())), draw_graph(ran(sigmoid_graph()))
    assert svg1 == svg2
    root = ET.fromstring(svg1)
    assert root.get("viewBox") and root.get("width")
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
    assert min(sizes) >= 16
    assert "0.1966" in texts(svg1, GRAD_COLOUR)  # dsigmoid/dx at x = 1
    assert " id=" not in svg1  # no ids: many pictures can share one HTML page


def test_bad_step_is_refused():
    with pytest.raises(ValueError, match="between 0 and 2"):
        draw_graph(ran(apple_graph()), step=3)
    with pytest.raises(ValueError, match="forward"):
        draw_graph(apple_graph())


def test_graph_picture_displays_and_saves(tmp_path):
    picture = GraphPicture(ran(apple_graph()), step=1)
    assert picture._repr_html_().startswith("<svg")
    path = picture.save(tmp_path / "apple.svg")
    assert path.read_text(encoding="utf-8") == picture.svg


def test_no_two_labels_overlap_on_the_course_graphs():
    def boxes(svg):
        out = []
        for t in ET.fromstring(svg).iter(f"{SVG}text"):
            size, x, y = float(t.get("font-size")), float(t.get("x")), float(t.get("y"))
            width = 0.6 * size * len(t.text)
            left = {"middle": x - width / 2, "start": x, "end": x - width}[t.get("text-anchor")]
            out.append((t.text, left, y - size * 0.75, left + width, y))
        return out

    for graph in (apple_graph(), apple_orange_graph(), sigmoid_graph(), gate_graph("copy")):
        found = boxes(draw_graph(ran(graph)))
        for i, a in enumerate(found):
            for b in found[i + 1:]:
                overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
                assert not overlap, f"{graph.title}: '{a[0]}' overlaps '{b[0]}'"


@pytest.mark.parametrize(
    "kind, sent",
    [("add", {"x": 1.5, "y": 1.5}), ("mul", {"x": 4.5, "y": 3.0}), ("max", {"x": 0.0, "y": 1.5}), ("copy", {"x": 6.0, "y": 3.0})],
)
def test_gate_rules(kind, sent):
    rule = GateRule(kind, x=2, y=3, upstream=1.5)
    assert rule.sent == pytest.approx(sent)
    gradient_labels = texts(rule.svg(), GRAD_COLOUR)
    assert "1.5" in gradient_labels  # the upstream gradient on the output edge
    for value in sent.values():
        assert f"{value:g}" in gradient_labels


def test_copy_gate_adds_its_branches():
    rule = GateRule("copy", x=2, y=3, upstream=1)
    assert rule.lines[-1].startswith("arriving at x: ∂L/∂x = 1 + 3 = 4")  # a sum of gradients, not a local derivative
    assert len(rule.graph.edges) == 4 and sum(e.src == "x" for e in rule.graph.edges) == 2
    assert {"1", "3", "4"} <= set(texts(rule.svg(), GRAD_COLOUR))


def test_unknown_gate_kind():
    with pytest.raises(ValueError, match="one of"):
        gate_graph("sub")
    assert GATE_KINDS == ("add", "mul", "copy", "max")


def test_layer_chain_highlights_one_layer():
    svg = draw_layer_chain(["Affine1", "Relu1", "Affine2"], highlighted="Relu1", done=["Affine2"])
    rects = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.get("stroke") == GRAD_COLOUR]
    assert len(rects) == 1
    assert re.search(r">Relu1<", svg)


def test_an_edge_that_skips_columns_runs_through_waypoints_not_nodes():
    graph = ran(apple_orange_graph())
    plan = layout(GraphView.of(graph))
    tax_to_price = next(edge for edge in graph.edges if edge.src == "tax")
    (points,) = plan.routes[tax_to_price]  # one polyline: the picture is not wrapped
    all_price_x, all_price_y = plan["all_price"]
    at_all_price = [y for x, y in points if abs(x - all_price_x) <= RADIUS]
    assert at_all_price and all(abs(y - all_price_y) > 2 * RADIUS for y in at_all_price)


def chain_graph(n):
    """x -> ×−1 -> exp -> ×−1 -> exp ...: n gates in a row, far too deep for one band."""
    graph = Graph("deep chain")
    graph.add_input("x", 0.1)
    previous = "x"
    for k in range(n):
        graph.add_node(f"g{k}", ExpLayer() if k % 2 else MulConstLayer(-1), [previous])
        previous = f"g{k}"
    return ran(graph)


def test_a_deep_graph_wraps_into_bands_joined_by_its_source_names():
    graph = chain_graph(30)
    plan = layout(GraphView.of(graph))
    svg = draw_graph(graph)
    assert float(ET.fromstring(svg).get("width")) <= MAX_WIDTH
    rows = sorted({round(y) for name, (x, y) in plan.positions.items() if name in graph.node_names})
    assert len(rows) >= 3  # bands one below the other
    wrapped = [edge for edge, pieces in plan.routes.items() if len(pieces) == 2]
    assert len(wrapped) == len(rows) - 1
    for edge in wrapped:  # the edge leaves one band at its source's name and enters the next from it
        names = [(text, anchor) for x, y, text, anchor in plan.connectors if text == graph.labels[edge.src]]
        assert names == [(edge.src, "start"), (edge.src, "end")]
        assert {edge.src, edge.dst} <= set(texts(svg))


def test_an_unused_input_is_drawn_as_its_label_only():
    graph = Graph("unused input")
    graph.add_input("x", 1.0)
    graph.add_input("y", 2.0)
    graph.add_input("z", 3.0)
    graph.add_node("b", MulLayer(), ["x", "y"])
    svg = draw_graph(ran(graph))
    assert "z" in texts(svg) and "3" not in texts(svg, VALUE_COLOUR)


@pytest.mark.parametrize("symbol, lines", [
    ("×", ["×"]), ("tanh", ["tanh"]), ("**0.5", ["**0.5"]), ("×3.14159", ["×3.14"]),
    ("max−0.761594", ["max", "−0.762"]), ("÷−123456.7", ["÷", "−1.2e5"]),
])
def test_a_long_gate_symbol_is_rounded_to_fit_its_circle(symbol, lines):
    assert _symbol_lines(symbol) == lines
