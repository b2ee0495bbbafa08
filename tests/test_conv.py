"""Convolution and Pooling: against a plain loop, gradient-checked in float64, and clear errors."""
import numpy as np
import pytest

from course_lib.learner.conv import Convolution, Pooling, col2im, im2col, output_size
from course_lib import BackwardBeforeForwardError, check_layer


def loop_convolution(x, W, b, stride, pad):
    """The definition, one output number at a time."""
    n, _, h, w = x.shape
    fn, _, fh, fw = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = output_size(h, fh, stride, pad), output_size(w, fw, stride, pad)
    out = np.zeros((n, fn, oh, ow))
    for i in range(n):
        for f in range(fn):
            for r in range(oh):
                for s in range(ow):
                    patch = xp[i, :, r * stride:r * stride + fh, s * stride:s * stride + fw]
                    out[i, f, r, s] = np.sum(patch * W[f]) + b[f]
    return out


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 0), (2, 1)])
def test_convolution_matches_the_definition_and_its_gradients_check(stride, pad):
    rng = np.random.default_rng(stride * 10 + pad)
    x = rng.standard_normal((2, 3, 6, 5))
    W, b = rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out = Convolution(W, b, stride, pad).forward(x)
    np.testing.assert_allclose(out, loop_convolution(x, W, b, stride, pad), rtol=1e-12, atol=1e-12)
    result = check_layer(Convolution(W, b, stride, pad), x)
    assert set(result.errors) == {"input", "W", "b"}
    assert result.passed, str(result)


def test_col2im_is_the_transpose_of_im2col():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 6))
    col = im2col(x, 3, 3, stride=2, pad=1)
    y = rng.standard_normal(col.shape)
    assert np.sum(col * y) == pytest.approx(np.sum(x * col2im(y, x.shape, 3, 3, stride=2, pad=1)), rel=1e-12)


@pytest.mark.parametrize("pool, stride, pad", [(2, None, 0), (3, 1, 0), (2, 2, 1)])
def test_pooling_takes_the_max_and_its_gradient_checks(pool, stride, pad):
    rng = np.random.default_rng(pool)
    x = rng.permutation(2 * 2 * 6 * 6).reshape(2, 2, 6, 6) * 0.01 - 0.5  # distinct values: no ties
    layer = Pooling(pool, pool, stride, pad)
    out = layer.forward(x)
    s = pool if stride is None else stride
    if pad == 0:
        assert out[1, 1, 0, 0] == x[1, 1, :pool, :pool].max()
        assert out[0, 1, -1, -1] == x[0, 1, (out.shape[2] - 1) * s:(out.shape[2] - 1) * s + pool,
                                      (out.shape[3] - 1) * s:(out.shape[3] - 1) * s + pool].max()
    result = check_layer(Pooling(pool, pool, stride, pad), x)
    assert result.passed, str(result)


def test_pooling_routes_each_gradient_to_its_window_winner():
    x = np.array([[[[1.0, 5.0], [3.0, 2.0]]]])
    layer = Pooling(2, 2)
    assert layer.forward(x).item() == 5.0
    np.testing.assert_array_equal(layer.backward(np.array([[[[7.0]]]])), [[[[0.0, 7.0], [0.0, 0.0]]]])


def test_clear_errors():
    conv = Convolution(np.zeros((4, 3, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"input has 1 channels \(shape \(2, 1, 5, 5\)\), but W expects 3"):
        conv.forward(np.zeros((2, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"batch of images \(N, C, H, W\), got shape \(5, 5\)"):
        conv.forward(np.zeros((5, 5)))
    with pytest.raises(ValueError, match="smaller than W, 3×3"):
        conv.forward(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match=r"Convolution: W must be \(FN, C, FH, FW\) and b \(FN,\), got W \(4, 3, 3\)"):
        Convolution(np.zeros((4, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"and b \(FN,\), got W \(4, 3, 3, 3\) and b \(3,\)"):
        Convolution(np.zeros((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(BackwardBeforeForwardError):
        Pooling(2, 2).backward(np.zeros((1, 1, 1, 1)))
    conv.forward(np.zeros((2, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"dout has shape \(2, 4, 2, 2\).*\(2, 4, 3, 3\)"):
        conv.backward(np.zeros((2, 4, 2, 2)))
