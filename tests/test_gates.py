"""Every gate: gradient-checked in float64, its derivatives against the maths done by hand, clear errors."""
import math

import numpy as np
import pytest

from course_lib import (
    AddConstLayer, AddLayer, BackwardBeforeForwardError, CopyLayer, ExpLayer, MaxLayer, MulConstLayer,
    MulLayer, ReciprocalLayer, SquareLayer, check_layer,
)
from course_lib.gate_protocol import input_gradients, missing_gate_members
from course_lib.learner.gates import (
    DivConstLayer, DivLayer, LogLayer, MaxConstLayer, PowerLayer, ReluLayer, SigmoidLayer, SubLayer, TanhLayer,
)

BINARY = [MulLayer, AddLayer, MaxLayer, SubLayer, DivLayer]
UNARY = [lambda: MulConstLayer(-1), lambda: MulConstLayer(2.5), lambda: AddConstLayer(1), ExpLayer,
         ReciprocalLayer, SquareLayer, lambda: DivConstLayer(-4), lambda: PowerLayer(2), lambda: PowerLayer(3),
         lambda: PowerLayer(0.5), lambda: PowerLayer(-1), lambda: PowerLayer(-2.5), LogLayer, TanhLayer, ReluLayer,
         SigmoidLayer, lambda: MaxConstLayer(1.0)]

# ∂output/∂input at x = 1.5 (and y = 0.5), worked out by hand from each gate's formula
SIGMOID = 1 / (1 + math.exp(-1.5))
BY_HAND = [
    (MulLayer, (0.5, 1.5)), (AddLayer, (1, 1)), (MaxLayer, (1, 0)), (SubLayer, (1, -1)),
    (DivLayer, (1 / 0.5, -1.5 / 0.5**2)),
    (lambda: MulConstLayer(-1), (-1,)), (lambda: AddConstLayer(1), (1,)), (ExpLayer, (math.exp(1.5),)),
    (ReciprocalLayer, (-1 / 1.5**2,)), (SquareLayer, (2 * 1.5,)), (lambda: DivConstLayer(-4), (-0.25,)),
    (lambda: PowerLayer(3), (3 * 1.5**2,)), (lambda: PowerLayer(0.5), (0.5 / math.sqrt(1.5),)),
    (lambda: PowerLayer(-2.5), (-2.5 * 1.5**-3.5,)), (lambda: PowerLayer(0), (0,)), (LogLayer, (1 / 1.5,)),
    (TanhLayer, (1 - math.tanh(1.5) ** 2,)), (ReluLayer, (1,)), (SigmoidLayer, (SIGMOID * (1 - SIGMOID),)),
    (lambda: MaxConstLayer(2.0), (0,)),
]


@pytest.mark.parametrize("make_gate", BINARY)
def test_binary_gates_match_numerical_gradients(make_gate):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    y = rng.choice([-1.0, 1.0], size=x.shape) * rng.uniform(0.5, 2.0, size=x.shape)  # away from 0 for x / y
    result = check_layer(make_gate(), x, y)
    assert result.passed, str(result)
    assert max(result.errors.values()) < 1e-7


@pytest.mark.parametrize("make_gate", UNARY)
def test_unary_gates_match_numerical_gradients(make_gate):
    x = np.random.default_rng(1).uniform(0.5, 2.0, size=(2, 5))  # away from 0 for 1/x, log and x ** 0.5
    x = np.where(np.abs(x - 1.0) < 0.1, x + 0.3, x)  # and from MaxConstLayer(1.0)'s kink
    result = check_layer(make_gate(), x)
    assert result.passed, str(result)


@pytest.mark.parametrize("make_gate, by_hand", BY_HAND)
def test_derivatives_are_the_ones_worked_out_by_hand(make_gate, by_hand):
    gate = make_gate()
    gate.forward(*(1.5, 0.5)[: gate.n_inputs])
    assert gate.local_grads() == pytest.approx(by_hand, rel=1e-12)
    assert input_gradients(gate, 3.0) == pytest.approx(tuple(3.0 * d for d in by_hand), rel=1e-12)
    assert len(gate.rules) == gate.n_inputs


def test_mul_swaps_and_add_distributes_with_the_seeds_numbers():
    mul = MulLayer()
    assert mul.forward(100, 2) == 200
    assert mul.backward(1.1) == pytest.approx((2.2, 110))
    add = AddLayer()
    add.forward(200, 450)
    assert add.backward(1.1) == (1.1, 1.1)


def test_max_routes_the_gradient_to_the_larger_input():
    gate = MaxLayer()
    assert gate.forward(3.0, 5.0) == 5.0
    assert gate.backward(2.0) == (0.0, 2.0)
    out = gate.forward(np.array([1.0, 4.0]), np.array([2.0, 3.0]))
    np.testing.assert_array_equal(out, [2.0, 4.0])
    dx, dy = gate.backward(np.array([10.0, 20.0]))
    np.testing.assert_array_equal(dx, [0.0, 20.0])
    np.testing.assert_array_equal(dy, [10.0, 0.0])


def test_copy_sums_the_gradients_of_its_branches():
    gate = CopyLayer(3)
    assert gate.forward(7.0) == (7.0, 7.0, 7.0)
    assert gate.backward((1.0, 2.0, 4.0)) == 7.0
    assert gate.backward([1.0, 2.0, 4.0]) == 7.0
    with pytest.raises(ValueError, match="one gradient per copy"):
        gate.backward((1.0,))
    gate.forward(np.zeros(2))  # an array's rows are the copies' gradients: the N copies of a bias
    np.testing.assert_array_equal(gate.backward(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])), [9.0, 12.0])


def test_sigmoid_gates_have_readable_symbols():
    assert MulConstLayer(-1).symbol == "×−1"
    assert AddConstLayer(1).symbol == "+1"
    assert ExpLayer.symbol == "exp" and ReciprocalLayer.symbol == "1/x"


@pytest.mark.parametrize("make_gate", BINARY + UNARY + [CopyLayer])
def test_backward_before_forward_says_so(make_gate):
    gate = make_gate()
    with pytest.raises(BackwardBeforeForwardError, match="before .*forward"):
        gate.backward([1.0] * 2 if isinstance(gate, CopyLayer) else 1.0)


@pytest.mark.parametrize("make_gate", BINARY + UNARY + [CopyLayer])
def test_every_gate_follows_the_written_protocol(make_gate):
    gate = make_gate()
    assert missing_gate_members(gate) == []
    assert isinstance(gate.symbol, str) and len(gate.rules) == gate.n_inputs
    assert all(rule.startswith(("∂z/∂", "∂y/∂", "each copy")) for rule in gate.rules)  # paper letters


def test_symbols_and_rules_read_like_maths():
    assert SubLayer.symbol == "−" and DivLayer.symbol == "/"
    assert PowerLayer(2).symbol == SquareLayer().symbol == "**2" and PowerLayer(2).rules == SquareLayer().rules == ("∂y/∂x = 2x",)
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
