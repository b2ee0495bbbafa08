"""Graphs and their traces: the seeds' worked numbers, step by step, and clear wiring errors."""
import math

import numpy as np
import pytest

from course_lib import (
    AddLayer, Graph, MaxLayer, MulLayer, SquareLayer, apple_graph, apple_orange_graph, chain_rule_graph,
    numerical_gradient, rel_error, sigmoid, sigmoid_graph,
)
from course_lib.gate_protocol import named_rules

approx = lambda value: pytest.approx(value, rel=1e-12)  # noqa: E731


def test_apple_graph_reproduces_the_seeds_numbers():
    g = apple_graph()
    assert g.forward() == approx(220)
    grads = g.backward().grads
    assert grads["apple"] == approx(2.2)
    assert grads["apple_num"] == approx(110)
    assert grads["tax"] == approx(200)


def test_apple_orange_graph_reproduces_the_seeds_numbers():
    g = apple_orange_graph()
    assert g.forward() == approx(715)
    grads = g.backward().grads
    expected = {"apple_num": 110, "apple": 2.2, "orange": 3.3, "orange_num": 165, "tax": 650,
                "all_price": 1.1, "apple_price": 1.1, "orange_price": 1.1, "price": 1}
    for name, value in expected.items():
        assert grads[name] == approx(value), name


def test_apple_orange_trace_step_by_step():
    trace = apple_orange_graph().run()
    assert [step.node for step in trace] == ["price", "all_price", "orange_price", "apple_price"]
    assert [step.number for step in trace] == [1, 2, 3, 4]
    first = trace[0]
    assert (first.op, first.inputs, first.upstream) == ("×", ("all_price", "tax"), 1)
    assert first.local_grads == approx((1.1, 650))
    assert first.grads_out == approx((1.1, 650))
    assert first.rules == ("∂price/∂all_price = tax", "∂price/∂tax = all_price")
    assert first.value == approx(715)
    add = trace.step_for("all_price")
    assert add.op == "+" and add.upstream == approx(1.1) and add.grads_out == approx((1.1, 1.1))
    apple = trace.step_for("apple_price")
    assert apple.input_values == (100, 2)
    assert apple.sent == approx({"apple": 2.2, "apple_num": 110})
    assert "to apple: 1.1 × 2 = 2.2   (∂apple_price/∂apple = apple_num)" in apple.explain()
    assert "to apple_num: 1.1 × 100 = 110   (∂apple_price/∂apple_num = apple)" in apple.explain()


def test_what_is_known_after_k_steps():
    trace = apple_orange_graph().run()
    assert trace.node_grads(0) == {} and trace.edge_grads(0) == {}
    after_one = trace.node_grads(1)
    assert set(after_one) == {"price", "tax"}
    assert set(trace.node_grads(3)) == {"price", "tax", "all_price", "orange_price", "orange", "orange_num"}
    assert len(trace.edge_grads(2)) == 4
    assert trace.node_grads() == trace.grads and len(trace.edge_grads()) == len(trace.edges) == 8


def test_sigmoid_graph_gives_y_times_one_minus_y():
    for x in (-3.0, 0.0, 1.0, 2.5):
        g = sigmoid_graph(x)
        y = g.forward()
        assert y == approx(sigmoid(x))
        trace = g.backward()
        assert [step.op for step in trace] == ["1/x", "+1", "exp", "×−1"]
        assert trace.grads["x"] == approx(y * (1 - y))
        assert trace[0].local_grads[0] == approx(-(y**2))
        assert trace.step_for("exp_neg_x").local_grads[0] == approx(math.exp(-x))


def test_chain_rule_graph():
    g = chain_rule_graph(x=2.0, y=1.0)
    assert g.forward() == 9.0
    trace = g.backward()
    assert trace.grads == {"z": 1, "t": 6.0, "x": 6.0, "y": 6.0}
    # every rule in the graph's own names: z = t², t = x + y
    assert trace[0].rules == ("∂z/∂t = 2t",)
    assert trace[1].rules == ("∂t/∂x = 1", "∂t/∂y = 1")
    assert "to x: 6 × 1 = 6   (∂t/∂x = 1)" in trace[1].explain()


def test_changing_an_input_updates_everything():
    g = apple_orange_graph()
    g.run()
    g.set_input("orange_num", 4)
    with pytest.raises(RuntimeError, match="fresh forward"):
        g.backward()
    assert g.forward() == approx((200 + 600) * 1.1)
    trace = g.backward(dout=2)
    assert trace.grads["tax"] == approx(1600)
    assert trace.grads["orange"] == approx(2 * 1.1 * 4)
    assert g.values["orange_price"] == 600


def test_fan_out_adds_gradients_with_the_copy_gate():
    g = Graph("fan-out")
    g.add_input("x", 3.0)
    g.add_input("y", 2.0)
    g.add_node("a", MulLayer(), ["x", "y"])
    g.add_node("b", AddLayer(), ["a", "x"])
    g.add_node("c", MulLayer(), ["a", "b"])  # c = a (a + x) = xy (xy + x)
    g.forward()
    trace = g.backward()
    x, y = 3.0, 2.0
    assert trace.grads["x"] == approx(2 * x * y * y + 2 * x * y)
    assert trace.grads["y"] == approx(2 * x * x * y + x * x)
    step_a = trace.step_for("a")
    assert [part[0] for part in step_a.upstream_parts] == ["c", "b"]
    assert "copy: gradients add up" in step_a.explain()[1]


def test_graph_on_arrays_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    values = {name: rng.standard_normal(4) for name in ("apple", "apple_num", "orange", "orange_num", "tax")}
    g = apple_orange_graph(**values)
    g.forward()
    grads = g.backward(dout=np.ones(4)).grads
    for name, value in values.items():
        def total(_):
            g.set_input(name, value)
            return g.forward().sum()
        assert rel_error(grads[name], numerical_gradient(total, value)) < 1e-7


# ---- wiring errors name what is wrong ----

def test_a_cycle_is_rejected_with_its_path():
    g = Graph("loop")
    g.add_input("x", 1.0)
    g.add_node("a", AddLayer(), ["x", "b"])
    g.add_node("b", MulLayer(), ["a", "x"])
    with pytest.raises(ValueError, match="has a cycle: a -> b -> a"):
        g.forward()


def test_an_unknown_input_name_is_named():
    g = Graph("typo")
    g.add_input("tax", 1.1)
    g.add_node("price", MulLayer(), ["tax", "taxx"])
    with pytest.raises(ValueError, match="node 'price' reads 'taxx', which is neither an input nor a node"):
        g.forward()
    with pytest.raises(ValueError, match="'apples' is not an input"):
        apple_graph().set_input("apples", 3)


def test_a_missing_input_value_is_named():
    g = apple_graph(tax=None)
    with pytest.raises(ValueError, match=r"input 'tax' of graph 'apple' has no value.*set_input\('tax'"):
        g.forward()


def test_other_wiring_mistakes():
    g = Graph("bad")
    g.add_input("x", 1.0)
    with pytest.raises(ValueError, match="already has a node named 'x'"):
        g.add_input("x", 2.0)
    with pytest.raises(ValueError, match="MulLayer takes 2 input"):
        g.add_node("m", MulLayer(), ["x"])
    with pytest.raises(TypeError, match="is not a gate"):
        g.add_node("m", object(), ["x"])
    with pytest.raises(ValueError, match="no gate nodes"):
        g.forward()
    with pytest.raises(RuntimeError, match="run forward"):
        apple_graph().backward()


class HalfAGate:
    """A learner's gate with forward and backward only."""

    n_inputs = 1

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


def test_a_gate_missing_part_of_the_protocol_is_named():
    g = Graph("half")
    g.add_input("x", 1.0)
    with pytest.raises(TypeError, match=r"HalfAGate is not a gate: it lacks local_grads, symbol, rules"):
        g.add_node("h", HalfAGate(), ["x"])
    gate = SquareLayer()
    gate.rules = ("∂y/∂x = 2x", "one too many")
    with pytest.raises(ValueError, match=r"1 input\(s\) but 2 rule\(s\)"):
        g.add_node("s", gate, ["x"])


def test_rules_use_the_graphs_names_and_old_style_rules_still_work():
    sigmoid = sigmoid_graph(1.0).run()
    assert sigmoid.step_for("exp_neg_x").rules == ("∂exp_neg_x/∂neg_x = exp(neg_x)",)  # exp itself untouched
    assert sigmoid.step_for("y").rules == ("∂y/∂denominator = −1/denominator² = −y²",)

    class LogLayer:  # a gate written in the old style, paper letters y = log(x)
        symbol, n_inputs, rules = "log", 1, ("∂y/∂x = 1/x",)

        def forward(self, x):
            self.x = x
            return math.log(x)

        def backward(self, dout):
            return dout / self.x

        def local_grads(self):
            return (1 / self.x,)

    g = Graph("log")
    g.add_input("a", 2.0)
    g.add_node("b", LogLayer(), ["a"])
    assert g.run()[0].rules == ("∂b/∂a = 1/a",)
    # letters are swapped all at once, and a long name after a number gets a dot
    assert named_rules(MulLayer(), "x", ("y", "z")) == ("∂x/∂y = z", "∂x/∂z = y")
    assert named_rules(SquareLayer(), "area", ("side",)) == ("∂area/∂side = 2·side",)
    assert named_rules(MaxLayer(), "m", ("a", "b")) == ("∂m/∂a = 1 if a ≥ b else 0", "∂m/∂b = 1 if b > a else 0")
