"""The gates added for recorded expressions: gradient-checked in float64, backward == upstream × local."""
import numpy as np
import pytest

from course_lib import BackwardBeforeForwardError, check_layer
from course_lib.gates import (
    DivConstLayer, DivLayer, LogLayer, MaxConstLayer, PowerLayer, ReluLayer, SigmoidLayer, SubLayer, TanhLayer,
)

BINARY = [SubLayer, DivLayer]
UNARY = [lambda: DivConstLayer(-4), lambda: PowerLayer(2), lambda: PowerLayer(3), lambda: PowerLayer(0.5),
         lambda: PowerLayer(-1), lambda: PowerLayer(-2.5), LogLayer, TanhLayer, ReluLayer, SigmoidLayer,
         lambda: MaxConstLayer(1.0)]


@pytest.mark.parametrize("make_gate", BINARY)
def test_binary_gates_match_numerical_gradients(make_gate):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    y = rng.choice([-1.0, 1.0], size=x.shape) * rng.uniform(0.5, 2.0, size=x.shape)  # away from 0 for x / y
    result = check_layer(make_gate(), x, y)
    assert result.passed, str(result)


@pytest.mark.parametrize("make_gate", UNARY)
def test_unary_gates_match_numerical_gradients(make_gate):
    rng = np.random.default_rng(1)
    x = rng.uniform(0.2, 2.5, size=(2, 5)) * rng.choice([-1.0, 1.0], size=(2, 5))
    gate = make_gate()
    if isinstance(gate, (LogLayer, PowerLayer)):
        x = np.abs(x)  # log and fractional powers need x > 0
    if isinstance(gate, MaxConstLayer):
        x = np.where(np.abs(x - 1.0) < 0.1, x + 0.3, x)  # no ties with the constant
    result = check_layer(gate, x)
    assert result.passed, str(result)


@pytest.mark.parametrize("make_gate", BINARY + UNARY)
def test_backward_is_upstream_times_local_derivative(make_gate):
    gate = make_gate()
    inputs = (1.5, 0.5)[: gate.n_inputs]
    gate.forward(*inputs)
    grads = gate.backward(3.0)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(gate.local_grads()) == len(gate.rules) == gate.n_inputs
    for grad, local in zip(grads, gate.local_grads()):
        assert grad == pytest.approx(3.0 * local)
    assert all(rule.startswith("∂") and " = " in rule for rule in gate.rules)


@pytest.mark.parametrize("make_gate", BINARY + UNARY)
def test_backward_before_forward_says_so(make_gate):
    with pytest.raises(BackwardBeforeForwardError, match="before .*forward"):
        make_gate().backward(1.0)


def test_symbols_and_rules_read_like_maths():
    assert SubLayer.symbol == "−" and DivLayer.symbol == "/"
    assert PowerLayer(2).symbol == "**2" and PowerLayer(2).rules == ("∂y/∂x = 2·x",)
    assert PowerLayer(-1).rules == ("∂y/∂x = −1·x^−2",)
    assert DivConstLayer(3).symbol == "÷3" and MaxConstLayer(0).symbol == "max0"
    assert SigmoidLayer.symbol == "σ" and LogLayer.symbol == "log"


def test_kinks_and_extremes():
    relu = ReluLayer()
    assert relu.forward(0.0) == 0.0 and relu.backward(2.0) == 0.0  # 0 at the kink, as layers.Relu
    assert relu.forward(-3.0) == 0.0 and relu.forward(2.5) == 2.5
    maxc = MaxConstLayer(1.0)
    assert maxc.forward(1.0) == 1.0 and maxc.backward(2.0) == 2.0  # a tie goes to x, as MaxLayer
    sig = SigmoidLayer()
    assert sig.forward(-1000.0) == 0.0 and sig.forward(1000.0) == 1.0  # stable, no overflow warning
    power = PowerLayer(0)
    assert power.forward(0.0) == 1.0 and power.local_grads() == (0.0,)
    with pytest.raises(ZeroDivisionError):
        DivConstLayer(0)
