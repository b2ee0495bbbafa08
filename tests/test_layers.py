"""Layers: gradient checks in float64 over random shapes, shapes, modes, and clear errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import (
    Affine, BackwardBeforeForwardError, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss,
    check_layer, numerical_gradient, one_hot, rel_error, softmax,
)
from course_lib.learner.conv import Convolution, Pooling

small_dims = st.integers(min_value=1, max_value=5)


def away_from_zero(rng, shape):
    """Random values with |x| >= 0.1, so a numerical gradient never straddles Relu's kink."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


@settings(max_examples=25, deadline=None)
@given(n=small_dims, d=small_dims, seed=st.integers(0, 10_000))
def test_relu_and_sigmoid_gradients(n, d, seed):
    rng = np.random.default_rng(seed)
    x = away_from_zero(rng, (n, d))
    for layer in (Relu(), Sigmoid()):
        result = check_layer(layer, x, seed=seed)
        assert result.passed, str(result)


@settings(max_examples=25, deadline=None)
@given(n=small_dims, d=small_dims, m=small_dims, seed=st.integers(0, 10_000))
def test_affine_gradients_for_x_w_and_b(n, d, m, seed):
    rng = np.random.default_rng(seed)
    layer = Affine(rng.standard_normal((d, m)), rng.standard_normal(m))
    result = check_layer(layer, rng.standard_normal((n, d)), seed=seed)
    assert set(result.errors) == {"input", "W", "b"}
    assert result.passed, str(result)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(2, 6), seed=st.integers(0, 10_000), as_one_hot=st.booleans())
def test_softmax_with_loss_gradient_is_y_minus_t_over_n(n, c, seed, as_one_hot):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c))
    t = rng.integers(0, c, size=n)
    labels = one_hot(t, c) if as_one_hot else t
    layer = SoftmaxWithLoss()
    layer.forward(x, labels)
    dx = layer.backward()
    np.testing.assert_allclose(dx, (softmax(x) - one_hot(t, c)) / n, rtol=1e-12, atol=1e-15)
    numeric = numerical_gradient(lambda _: SoftmaxWithLoss().forward(x, labels), x)
    assert rel_error(dx, numeric) < 1e-7


def test_softmax_with_loss_single_sample_and_extreme_logits():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([1e4, 0.0, -1e4]), 0)
    assert loss == 0.0
    assert layer.backward().shape == (3,)
    assert np.isfinite(SoftmaxWithLoss().forward(np.array([[1e4, -1e4]]), np.array([1])))


def test_affine_flattens_any_rank_and_returns_dx_in_the_input_shape():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 2, 2))
    layer = Affine(rng.standard_normal((12, 4)), np.zeros(4))
    out = layer.forward(x)
    assert out.shape == (2, 4)
    dx = layer.backward(np.ones((2, 4)))
    assert dx.shape == x.shape and layer.dW.shape == (12, 4) and layer.db.shape == (4,)
    assert check_layer(Affine(rng.standard_normal((12, 4)), rng.standard_normal(4)), x).passed


def test_affine_flattens_images_and_db_sums_over_the_batch():
    W, b = np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])
    layer = Affine(W, b)
    np.testing.assert_allclose(layer.forward(np.array([[1.0, 0.0, 2.0]])), [[9.0, 10.0]])
    images = np.arange(12.0).reshape(4, 3, 1)  # (N, d1, d2) is flattened to (N, D)...
    out = layer.forward(images)
    np.testing.assert_allclose(out, images.reshape(4, 3) @ W + b)
    assert layer.backward(np.ones((4, 2))).shape == (4, 3, 1)  # ...and dx comes back in x's shape
    layer.forward(np.ones((5, 3)))
    layer.backward(np.ones((5, 2)))
    np.testing.assert_array_equal(layer.db, [5.0, 5.0])


def test_relu_backward_leaves_the_callers_array_alone():
    relu = Relu()
    relu.forward(np.array([-1.0, 2.0, -3.0]))
    dout = np.array([5.0, 6.0, 7.0])
    np.testing.assert_array_equal(relu.backward(dout), [0.0, 6.0, 0.0])
    np.testing.assert_array_equal(dout, [5.0, 6.0, 7.0])
    x = np.array([-1.0, 2.0])
    relu.forward(x)
    np.testing.assert_array_equal(x, [-1.0, 2.0])


def test_dropout_train_and_eval_modes():
    layer = Dropout(0.5, seed=0)
    x = np.ones((200, 50))
    out = layer.forward(x, train_flg=True)
    kept = (out != 0).mean()
    assert 0.45 < kept < 0.55
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), layer.mask)
    np.testing.assert_allclose(layer.forward(x, train_flg=False), 0.5)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), 0.5)
    assert check_layer(lambda: Dropout(0.3, seed=7), np.random.default_rng(1).standard_normal((4, 6))).passed


@pytest.mark.parametrize("train_flg", [True, False])
def test_batch_normalization_gradients_in_both_modes(train_flg):
    rng = np.random.default_rng(3)
    layer = BatchNormalization(rng.standard_normal(5), rng.standard_normal(5),
                               running_mean=rng.standard_normal(5), running_var=rng.uniform(0.5, 2, 5))
    result = check_layer(layer, rng.standard_normal((6, 5)), forward_kwargs={"train_flg": train_flg})
    assert set(result.errors) == {"input", "gamma", "beta"}
    assert result.passed, str(result)


def test_batch_normalization_normalises_in_training_and_tracks_running_stats():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((100, 3)) * 4 + 10
    layer = BatchNormalization(np.ones(3), np.zeros(3), momentum=0.0)
    out = layer.forward(x, train_flg=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-6)
    np.testing.assert_allclose(layer.running_mean, x.mean(axis=0))
    np.testing.assert_allclose(layer.forward(x, train_flg=False), out, atol=1e-6)


# ---- clear errors ----

def test_affine_with_the_wrong_number_of_features_names_layer_and_shapes():
    layer = Affine(np.zeros((4, 3)), np.zeros(3), name="Affine1")
    with pytest.raises(ValueError, match=r"Affine1: input of shape \(2, 5\) has 5 features.*W has shape \(4, 3\).*expects 4"):
        layer.forward(np.zeros((2, 5)))


def test_affine_rejects_mismatched_w_and_b():
    with pytest.raises(ValueError, match=r"Affine: W must be \(D, M\) and b \(M,\), got W \(4, 3\) and b \(4,\)"):
        Affine(np.zeros((4, 3)), np.zeros(4))


RNG = np.random.default_rng(3)
RUNS = {  # a layer, and a forward call it can take
    "Relu": (Relu, lambda layer: layer.forward(RNG.standard_normal((2, 3)))),
    "Sigmoid": (Sigmoid, lambda layer: layer.forward(RNG.standard_normal((2, 3)))),
    "Affine": (lambda: Affine(RNG.standard_normal((3, 2)), np.zeros(2)), lambda layer: layer.forward(np.ones((2, 3)))),
    "SoftmaxWithLoss": (SoftmaxWithLoss, lambda layer: layer.forward(RNG.standard_normal((2, 3)), np.array([0, 2]))),
    "Dropout": (lambda: Dropout(seed=0), lambda layer: layer.forward(np.ones((2, 3)))),
    "BatchNormalization": (lambda: BatchNormalization(np.ones(3), np.zeros(3)),
                           lambda layer: layer.forward(RNG.standard_normal((4, 3)))),
    "Convolution": (lambda: Convolution(RNG.standard_normal((2, 1, 2, 2)), np.zeros(2)),
                    lambda layer: layer.forward(RNG.standard_normal((1, 1, 3, 3)))),
    "Pooling": (lambda: Pooling(2, 2), lambda layer: layer.forward(RNG.standard_normal((1, 1, 4, 4)))),
}
GRADIENT_SYMBOLS = {"dW": "dW", "db": "db", "dgamma": "dγ", "dbeta": "dβ"}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_layers_formulas_name_every_gradient_its_backward_makes(name):
    """What a stepper shows for a layer (its formulas) covers dX and each parameter gradient backward sets."""
    make, run = RUNS[name]
    layer = make()
    out = run(layer)
    before = {key for key, value in vars(layer).items() if value is not None}
    layer.backward(np.ones_like(out) if np.ndim(out) else 1)
    made = sorted(key for key, value in vars(layer).items() if key in GRADIENT_SYMBOLS and value is not None)
    assert not set(made) & before  # set by backward, not before
    starts = [formula.split(" = ")[0] for formula in layer.formulas]
    assert sorted(starts) == sorted([GRADIENT_SYMBOLS[key] for key in made] + ["dX"]), (starts, made)


@pytest.mark.parametrize("layer", [Relu(), Sigmoid(), Affine(np.zeros((2, 2)), np.zeros(2)), SoftmaxWithLoss(),
                                   Dropout(), BatchNormalization(np.ones(2), np.zeros(2))])
def test_backward_before_forward_says_so(layer):
    with pytest.raises(BackwardBeforeForwardError, match=rf"{type(layer).__name__}.backward\(\) was called before"):
        layer.backward(np.ones((1, 2)))


def test_dout_of_the_wrong_shape_is_named():
    layer = Affine(np.zeros((3, 2)), np.zeros(2), name="Affine2")
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"Affine2.backward: dout has shape \(4, 3\).*\(4, 2\)"):
        layer.backward(np.zeros((4, 3)))
    relu = Relu()
    relu.forward(np.zeros(3))
    with pytest.raises(ValueError, match="Relu.backward: dout has shape"):
        relu.backward(np.zeros(4))


@pytest.mark.parametrize(
    "t, message",
    [(np.array([0, 5]), "SoftmaxWithLoss: label 5 is out of range for 3 classes"),
     (np.zeros((2, 4)), r"SoftmaxWithLoss: labels of shape \(2, 4\) do not fit scores of shape \(2, 3\)"),
     (np.array([0.0, 2.0]), "class-index labels must be integers")],
)
def test_softmax_with_loss_rejects_bad_labels(t, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), t)
