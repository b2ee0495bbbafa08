"""Every gate: gradient-checked in float64, backward == upstream × local derivative, clear errors."""
import numpy as np
import pytest

from course_lib import (
    AddConstLayer, AddLayer, BackwardBeforeForwardError, CopyLayer, ExpLayer, MaxLayer, MulConstLayer,
    MulLayer, ReciprocalLayer, SquareLayer, check_layer,
)
from course_lib.gates import missing_gate_members

BINARY = [MulLayer, AddLayer, MaxLayer]
UNARY = [lambda: MulConstLayer(-1), lambda: MulConstLayer(2.5), lambda: AddConstLayer(1), ExpLayer,
         ReciprocalLayer, SquareLayer]


@pytest.mark.parametrize("make_gate", BINARY)
def test_binary_gates_match_numerical_gradients(make_gate):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    y = x + rng.choice([-1.0, 1.0], size=x.shape) * rng.uniform(0.1, 1.0, size=x.shape)  # no ties for max
    result = check_layer(make_gate(), x, y)
    assert result.passed, str(result)
    assert max(result.errors.values()) < 1e-7


@pytest.mark.parametrize("make_gate", UNARY)
def test_unary_gates_match_numerical_gradients(make_gate):
    x = np.random.default_rng(1).uniform(0.5, 2.0, size=(2, 5))  # away from 0 for 1/x
    result = check_layer(make_gate(), x)
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
    assert gate.backward(1.0, 2.0, 4.0) == 7.0
    with pytest.raises(ValueError, match="one gradient per copy"):
        gate.backward(1.0)


def test_sigmoid_gates_have_readable_symbols():
    assert MulConstLayer(-1).symbol == "×−1"
    assert AddConstLayer(1).symbol == "+1"
    assert ExpLayer.symbol == "exp" and ReciprocalLayer.symbol == "1/x"


@pytest.mark.parametrize("make_gate", BINARY + UNARY + [CopyLayer])
def test_backward_before_forward_says_so(make_gate):
    gate = make_gate()
    with pytest.raises(BackwardBeforeForwardError, match="before .*forward"):
        gate.backward(*([1.0] * (2 if isinstance(gate, CopyLayer) else 1)))


@pytest.mark.parametrize("make_gate", BINARY + UNARY + [CopyLayer])
def test_every_gate_follows_the_written_protocol(make_gate):
    gate = make_gate()
    assert missing_gate_members(gate) == []
    assert isinstance(gate.symbol, str) and len(gate.rules) == gate.n_inputs
    assert all(rule.startswith(("∂z/∂", "∂y/∂", "each copy")) for rule in gate.rules)  # paper letters
