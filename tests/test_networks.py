"""TwoLayerNet: the seeds' interface, gradients that match numbers, parameters shared with layers."""
from collections import OrderedDict

import numpy as np
import pytest

from course_lib import TwoLayerNet, gradient_check, one_hot, rel_error, trace_backward


def toy_data(n=40, d=8, c=3, seed=0):
    """Linearly separable-ish blobs: (n, d) float64 inputs and (n,) labels."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, c, size=n)
    centers = rng.standard_normal((c, d)) * 3
    return centers[t] + rng.standard_normal((n, d)), t


def test_shapes_and_layers():
    net = TwoLayerNet(8, 5, 3, seed=0)
    assert {k: v.shape for k, v in net.params.items()} == {"W1": (8, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert net.predict(np.zeros((2, 8))).shape == (2, 3)
    assert all(v.dtype == np.float64 for v in net.params.values())
    assert all(v.dtype == np.float32 for v in TwoLayerNet(8, 5, 3, dtype=np.float32).params.values())


def test_seed_makes_the_init_reproducible_and_he_init_scales():
    a, b = TwoLayerNet(8, 5, 3, seed=3), TwoLayerNet(8, 5, 3, seed=3)
    assert np.array_equal(a.params["W1"], b.params["W1"])
    he = TwoLayerNet(800, 50, 10, weight_init_std="he", seed=0)
    assert he.params["W1"].std() == pytest.approx(np.sqrt(2 / 800), rel=0.05)
    with pytest.raises(ValueError, match="weight_init_std"):
        TwoLayerNet(2, 2, 2, weight_init_std="huge")


@pytest.mark.parametrize("as_one_hot", [False, True])
def test_backprop_gradient_matches_numerical_gradient(as_one_hot):
    x, t = toy_data(n=5)
    net = TwoLayerNet(8, 6, 3, weight_init_std=0.3, seed=1)
    labels = one_hot(t, 3) if as_one_hot else t
    report = gradient_check(net, x, labels)
    for name, check in report.items():
        assert check.max_rel_error < 1e-7, report.table()


def test_layers_see_updates_made_through_params():
    x, t = toy_data(n=4)
    net = TwoLayerNet(8, 5, 3, seed=0)
    before = net.predict(x).copy()
    net.params["b2"] += 1.0  # in place
    np.testing.assert_allclose(net.predict(x), before + 1.0)
    net.params["W2"] = np.zeros((5, 3))  # assignment copies into the shared array
    np.testing.assert_allclose(net.predict(x), np.ones((4, 3)))
    assert net.layers["Affine2"].W is net.params["W2"]
    with pytest.raises(ValueError, match=r"params\['W2'\] has shape \(5, 3\); the new value has shape \(3, 5\)"):
        net.params["W2"] = np.zeros((3, 5))


def test_the_seeds_training_loop_runs_unchanged():
    x_train, t_train = toy_data(n=200, seed=1)
    network = TwoLayerNet(input_size=8, hidden_size=10, output_size=3, seed=0)
    rng = np.random.default_rng(0)
    learning_rate, losses = 0.1, []
    for _ in range(300):  # the seeds' loop, as they wrote it
        batch_mask = rng.choice(200, 20)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        losses.append(network.loss(x_batch, t_batch))
    assert np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20])
    assert network.accuracy(x_train, t_train) > 0.9
    assert network.accuracy(x_train, one_hot(t_train, 3)) == network.accuracy(x_train, t_train)


def test_numerical_gradient_agrees_with_gradient_in_float64():
    x, t = toy_data(n=3)
    net = TwoLayerNet(8, 4, 3, weight_init_std=0.5, seed=2)
    numeric, backprop = net.numerical_gradient(x, t), net.gradient(x, t)
    assert all(rel_error(numeric[k], backprop[k]) < 1e-7 for k in numeric)


# ---- the net's own record of its backward pass ----

def test_trace_backward_records_the_pass_that_gradient_computes():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(784, 50, 10, seed=0)
    x, t = rng.random((3, 784)), np.array([3, 1, 4])
    trace = trace_backward(net, x, t)
    assert [step.layer for step in trace] == ["SoftmaxWithLoss", "Affine2", "Relu1", "Affine1"]
    assert [step.number for step in trace] == [1, 2, 3, 4]
    assert trace.layer_names == ["Affine1", "Relu1", "Affine2", "SoftmaxWithLoss"] and trace.x_shape == (3, 784)
    grads = net.gradient(x, t)
    assert set(trace[1].param_grads) == {"W2", "b2"} and set(trace[3].param_grads) == {"W1", "b1"}
    for step in trace:
        for key, grad in step.param_grads.items():
            assert np.array_equal(grad, grads[key]), key
    assert trace.loss == pytest.approx(net.loss(x, t))
    # each layer's upstream is what the layer after it sent back; the first Affine sends dX too
    for later, earlier in zip(trace, trace[1:]):
        assert np.array_equal(earlier.upstream, later.grad_in)
    assert trace[3].grad_in.shape == (3, 784)
    # softmax: (y - t) / N sums to zero in every row
    assert np.allclose(trace[0].grad_in.sum(axis=1), 0)
    # each step shows its layer's own formulas
    assert trace[1].formulas == net.layers["Affine2"].formulas and trace[0].formulas == net.last_layer.formulas


def test_trace_backward_keeps_copies_and_its_gradients_are_the_nets_own_bit_for_bit():
    x, t = toy_data()
    net = TwoLayerNet(8, 5, 3, weight_init_std=0.5, seed=0)
    trace = trace_backward(net, x, t)
    recorded = {key: grad for step in trace for key, grad in step.param_grads.items()}
    grads = net.gradient(x, t)
    assert list(grads) == ["W1", "b1", "W2", "b2"] and set(recorded) == set(grads)
    for key in grads:
        assert np.array_equal(recorded[key], grads[key]) and recorded[key] is not grads[key], key
    kept = trace[1].param_grads["W2"].copy()
    net.gradient(x[:10], t[:10])  # a later pass must not change what was recorded
    assert np.array_equal(trace[1].param_grads["W2"], kept)


def test_a_learners_own_layer_with_its_own_parameter_names_is_traced_too():
    class Scale:  # out = x * w, with dw: no formulas, a parameter the trace finds by identity
        def __init__(self, w):
            self.w, self.dw, self.x = w, None, None

        def forward(self, x):
            self.x = x
            return x * self.w

        def backward(self, dout):
            self.dw = np.sum(dout * self.x, axis=0)
            return dout * self.w

    x, t = toy_data()
    net = TwoLayerNet(8, 5, 3, seed=0)
    net.params["w0"] = np.full(8, 2.0)
    net.layers = OrderedDict([("Scale0", Scale(net.params["w0"]))] + list(net.layers.items()))
    trace = trace_backward(net, x, t)
    assert [step.layer for step in trace][-1] == "Scale0"
    assert set(trace[-1].param_grads) == {"w0"} and trace[-1].formulas == ()
