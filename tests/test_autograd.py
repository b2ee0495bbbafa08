"""course_lib.Value: numerical gradients on random expressions, forks, backward twice, and the one Graph."""
import math
import random

import numpy as np
import pytest

import course_lib
from course_lib import (
    Graph, Value, draw_graph, exp, graph_of, log, maximum, numerical_gradient, record, rel_error, relu, sigmoid, tanh,
)
from course_lib.stepping import BackwardSteps

# ---- random expressions as small programs: each step reads earlier results, so results are shared ----

UNARY = ["neg", "exp", "log", "tanh", "relu", "sigmoid", "pow", "addc", "rsubc", "mulc", "divc", "rdivc"]
BINARY = ["add", "sub", "mul", "div", "max"]


def random_program(rng, n_inputs=3, n_steps=8):
    """[(op, argument indices, constant)]; index i < n_inputs is an input, later ones are earlier steps."""
    program = []
    for step in range(n_steps):
        available = n_inputs + step
        recent = max(0, available - 3)

        def pick():  # mostly one of the last three results, so the program is deep rather than wide
            return rng.randrange(available) if rng.random() < 0.4 else rng.randrange(recent, available)

        if rng.random() < 0.5:
            program.append((rng.choice(BINARY), (pick(), pick()), None))
        else:
            constant = rng.choice([2, 3, 0.5, -1, -2, 1.5]) if rng.random() < 0.5 else round(rng.uniform(-3, 3), 2)
            program.append((rng.choice(UNARY), (pick(),), constant or 1.0))
    return program


def run(program, inputs, ops):
    """Evaluate ``program`` with the operations in ``ops`` (Values or plain floats); return every result."""
    results = list(inputs)
    for op, args, c in program:
        results.append(ops[op](*(results[i] for i in args), c))
    return results


VALUE_OPS = {
    "add": lambda a, b, c: a + b, "sub": lambda a, b, c: a - b, "mul": lambda a, b, c: a * b,
    "div": lambda a, b, c: a / b, "max": lambda a, b, c: maximum(a, b), "neg": lambda a, c: -a,
    "exp": lambda a, c: exp(a), "log": lambda a, c: log(a), "tanh": lambda a, c: tanh(a),
    "relu": lambda a, c: relu(a), "sigmoid": lambda a, c: sigmoid(a), "pow": lambda a, c: a ** c,
    "addc": lambda a, c: a + c, "rsubc": lambda a, c: c - a, "mulc": lambda a, c: c * a, "divc": lambda a, c: a / c,
    "rdivc": lambda a, c: c / a,
}
FLOAT_OPS = dict(VALUE_OPS, exp=lambda a, c: math.exp(a), log=lambda a, c: math.log(a),
                 tanh=lambda a, c: math.tanh(a), relu=lambda a, c: max(a, 0.0),
                 sigmoid=lambda a, c: 1 / (1 + math.exp(-a)), max=lambda a, b, c: max(a, b))


def float_value(program, point):
    return run(program, list(point), FLOAT_OPS)[-1]


def well_behaved(program, point, h=1e-4):
    """Finite, not huge, and no kink (relu, max) or pole within h of the point: a fair numerical gradient."""
    with np.errstate(all="ignore"):
        for shift in (0.0, h, -h):
            for i in range(len(point)):
                moved = list(point)
                moved[i] += shift
                try:
                    results = run(program, moved, FLOAT_OPS)
                except (ValueError, ArithmeticError, TypeError):  # TypeError: a complex number appeared
                    return False
                if not all(isinstance(r, float) and math.isfinite(r) and abs(r) < 1e6 for r in results):
                    return False
        results = run(program, list(point), FLOAT_OPS)
        for op, args, c in program:
            operands = [results[i] for i in args]
            if op in ("relu", "max") and abs(operands[0] - (operands[1] if op == "max" else 0.0)) < 1e-3:
                return False
            if op in ("div", "rdivc", "log", "pow") and abs(operands[-1 if op == "div" else 0]) < 1e-2:
                return False
    return True


def random_cases(n, seed=0):
    rng = random.Random(seed)
    cases = []
    while len(cases) < n:
        program = random_program(rng)
        point = [round(rng.uniform(-2, 2), 3) for _ in range(3)]
        if well_behaved(program, point):
            cases.append((program, point))
    return cases


CASES = random_cases(300)


def record_program(program, point):
    inputs = [Value(v, name=name) for v, name in zip(point, "xyz")]
    return inputs, run(program, inputs, VALUE_OPS)[-1]


def test_random_expressions_match_numerical_gradients():
    shared = 0
    for program, point in CASES:
        inputs, out = record_program(program, point)
        assert out.data == pytest.approx(float_value(program, point), rel=1e-12, abs=1e-12)
        out.backward()
        f = lambda p: float_value(program, list(p))  # noqa: E731
        numeric = numerical_gradient(f, np.array(point, dtype=float), h=1e-6)
        analytic = np.array([v.grad for v in inputs])
        assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-5), (program, point, analytic, numeric)
        used = [i for _, args, _ in program for i in args]
        shared += len(used) != len(set(used))
    assert shared > 200  # most programs reuse an input or an intermediate result


def test_value_and_graph_backward_agree_exactly():
    for program, point in CASES:
        inputs, out = record_program(program, point)
        out.backward()
        graph = graph_of(out)
        trace_ = graph.backward()
        for value in inputs:
            if value.name in graph.input_names:
                assert trace_.grads[value.name] == value.grad  # the same gates, the same order: bit for bit
            else:
                assert value.grad == 0.0  # not used by the output
        assert graph.values[graph.output] == out.data


def test_gradients_accumulate_at_forks():
    x = Value(3.0, name="x")
    y = x * x
    y.backward()
    assert x.grad == 6.0  # not 3: both uses of x send their gradient
    a = Value(-2.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    t = x + 1  # a shared intermediate result
    z = t * t + t
    z.backward()
    assert x.grad == 2 * 4.0 + 1


def test_backward_twice_gives_the_same_gradients():
    x, y = Value(2.0, name="x"), Value(-1.0, name="y")
    z = (x * y + x) ** 2
    z.backward()
    first = (x.grad, y.grad)
    z.backward()
    assert (x.grad, y.grad) == first
    w = x * 3  # a second expression over x starts afresh too
    w.backward()
    assert x.grad == 3.0


def test_numbers_on_either_side_and_unary_minus():
    x = Value(2.0, name="x")
    cases = {2 * x: 4.0, x * 2: 4.0, 1 - x: -1.0, x - 1: 1.0, 1 + x: 3.0, x / 4: 0.5, 8 / x: 4.0, 1 / x: 0.5,
             x ** 3: 8.0, -x: -2.0, x ** 0.5: math.sqrt(2)}
    grads = {2 * x: 2.0, 1 - x: -1.0, x / 4: 0.25, 8 / x: -2.0, 1 / x: -0.25, x ** 3: 12.0, -x: -1.0}
    for value, expected in cases.items():
        assert value.data == pytest.approx(expected)
    for value, expected in grads.items():
        value.backward()
        assert x.grad == pytest.approx(expected)


def test_functions_accept_values_numbers_and_arrays():
    x = Value(0.5)
    for function, numpy_function in [(exp, np.exp), (log, np.log), (tanh, np.tanh)]:
        assert function(x).data == pytest.approx(numpy_function(0.5))
        assert function(0.5) == pytest.approx(numpy_function(0.5))
    assert relu(-2.0) == 0 and relu(Value(-2.0)).data == 0.0
    np.testing.assert_array_equal(relu(np.array([-1.0, 2.0])), [0.0, 2.0])
    np.testing.assert_allclose(sigmoid(np.array([0.0, -1000.0])), [0.5, 0.0])  # the stable array sigmoid, as before
    assert course_lib.sigmoid is sigmoid and sigmoid(Value(0.0)).data == 0.5
    assert maximum(1.0, 2.0) == 2.0 and maximum(Value(1.0), 2.0).data == 2.0 and maximum(3, Value(1.0)).data == 3.0
    m = maximum(Value(1.0, name="a"), Value(2.0, name="b"))
    m.backward()
    assert [p.grad for p in m.parents] == [0.0, 1.0]


def test_record_returns_an_ordinary_graph():
    g = record(lambda x, y: (x + y) ** 2, x=2.0, y=1.0)
    assert isinstance(g, Graph) and g.input_names == ["x", "y"] and g.output == "f"
    assert g.values["f"] == 9.0 and g.trace is None  # forward done, backward for the caller
    steps = g.backward()
    assert g.grads["x"] == 6.0 and g.grads["y"] == 6.0 and steps.grads == g.grads
    assert [step.op for step in steps] == ["**2", "+"]
    assert "<svg" in draw_graph(g)
    frames = BackwardSteps(g).frames()  # the existing stepper logic steps it
    assert len(frames) == 3 and "6" in frames[-1]
    from course_lib.widgets import BackwardStepper

    stepper = BackwardStepper(record(lambda x, y: (x + y) ** 2, x=2.0, y=1.0))
    stepper.stepper.step_button.click()
    assert stepper.highlighted_node == "f" and "1 × 6 = 6" in stepper.explanation_text
    stepper.input_boxes["x"].value = 3.0
    assert "1 × 8 = 8" in stepper.explanation_text


def test_names_given_to_values_become_node_names():
    x = Value(2.0, name="x")
    t = x + 1
    t.name = "t"
    loss = t * t
    loss.name = "loss"
    g = graph_of(loss, "named")
    assert g.input_names == ["x"] and g.node_names == ["t", "loss"] and g.title == "named"
    unnamed = Value(1.0) * Value(2.0) + 1
    assert graph_of(unnamed).node_names == ["n1", "f"] and graph_of(unnamed).input_names == ["v1", "v2"]


def test_clear_errors():
    x = Value(-1.0, name="x")
    with pytest.raises(ValueError, match="log.*not a finite real number"):
        log(x)
    with pytest.raises(ValueError, match="not a finite real number"):
        1 / (x + 1)
    with pytest.raises(ValueError, match="division by the constant 0"):
        x / 0
    with pytest.raises(ValueError, match="not a finite real number"):
        (x - 9) ** 0.5
    with pytest.raises(TypeError, match="exponent must be a number"):
        x ** x
    with pytest.raises(TypeError, match="exponent must be a number"):
        2 ** x
    with pytest.raises(TypeError, match="only Values and plain numbers"):
        x + "1"
    with pytest.raises(TypeError, match="real number"):
        Value("2")
    with pytest.raises(ValueError, match="not used by the expression"):
        record(lambda x, y: x * 2, x=1.0, y=2.0)
    with pytest.raises(ValueError, match="is an input, not an expression"):
        record(lambda x: x, x=1.0)
    with pytest.raises(TypeError, match="expected the Value"):
        graph_of(3.0)
    a, b = Value(1.0, name="a"), Value(2.0, name="a")
    with pytest.raises(ValueError, match="names must be unique"):
        graph_of(a + b)


def test_backward_values_of_the_gates_are_plain_floats():
    x = Value(0.3, name="x")
    y = tanh(exp(x) * sigmoid(x))
    y.backward()
    assert type(x.grad) is float and type(y.data) is float
    s = 1 / (1 + math.exp(-0.3))
    by_hand = (1 - y.data ** 2) * math.exp(0.3) * s * (1 + (1 - s))  # (e^x σ)' = e^x σ + e^x σ (1 − σ)
    assert rel_error(x.grad, by_hand) < 1e-12


def test_recording_a_function_is_record_and_trace_means_only_the_backward_record():
    import course_lib
    from course_lib import autograd

    assert course_lib.record is autograd.record and "record" in course_lib.__all__
    assert not hasattr(course_lib, "trace") and not hasattr(autograd, "trace")  # g.trace is the backward record
    g = record(lambda x: x * 3, x=2.0)
    assert g.backward() is g.trace and not hasattr(Graph, "set_output")  # set_output was never used
