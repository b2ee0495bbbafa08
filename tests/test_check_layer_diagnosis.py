"""check_layer names the usual wrong answer, not only "wrong": each kind of broken layer is recognised."""
import numpy as np
import pytest

from course_lib import Affine, MulLayer, Relu, check_layer

RNG = np.random.default_rng(0)
N, D = 4, 3


class TransposedDW(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.dW.T  # square W: the shape cannot tell
        return dx


class SignFlipped(Affine):
    def backward(self, dout):
        return -super().backward(dout)


class MeanInsteadOfSum(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.dW / len(dout)
        return dx


class NoSumOverBatch(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.array(dout)  # one row per sample
        return dx


class OneSampleDB(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout[0].copy()  # the first sample's share, not the batch's sum
        return dx


class LastSampleDW(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = np.outer(self.x[-1], dout[-1])
        return dx


class SwappedMul(MulLayer):
    def backward(self, dout):
        dx, dy = super().backward(dout)
        return dy, dx


class InPlaceRelu(Relu):
    def backward(self, dout):
        dout[self.mask] = 0  # the seeds' in-place version
        return dout


def square_affine(cls):
    return cls(RNG.standard_normal((D, D)), RNG.standard_normal(D))


@pytest.mark.parametrize("layer, inputs, expected", [
    (square_affine(TransposedDW), (RNG.standard_normal((N, D)),), "transposed"),
    (square_affine(SignFlipped), (RNG.standard_normal((N, D)),), "wrong sign"),
    (square_affine(MeanInsteadOfSum), (RNG.standard_normal((N, D)),), "N = 4 times too small"),
    (square_affine(NoSumOverBatch), (RNG.standard_normal((N, D)),), "add the rows up over the batch"),
    (square_affine(OneSampleDB), (RNG.standard_normal((N, D)),), "it is the gradient of sample 0 alone, not the sum"),
    (square_affine(LastSampleDW), (RNG.standard_normal((N, D)),), "it is the gradient of sample 3 alone, not the sum"),
    (SwappedMul(), (RNG.standard_normal(3), RNG.standard_normal(3)), "it is the gradient for input 1, not for input 0"),
    (InPlaceRelu(), (RNG.standard_normal((N, D)),), "changed the dout it was given"),
])
def test_each_kind_of_wrong_layer_is_named(layer, inputs, expected):
    report = check_layer(layer, *inputs)
    assert not report.passed
    assert expected in str(report), str(report)


def test_a_right_layer_gets_no_diagnosis():
    report = check_layer(square_affine(Affine), RNG.standard_normal((N, D)))
    assert report.passed and "Likely" not in str(report)


class TransposeMissing(Affine):
    def backward(self, dout):
        super().backward(dout)
        return dout @ self.W  # W not transposed: numpy refuses the product


def test_a_numpy_error_inside_backward_becomes_a_sentence_about_shapes():
    from course_lib.errors import CourseValueError
    layer = TransposeMissing(RNG.standard_normal((3, 2)), RNG.standard_normal(2))
    with pytest.raises(CourseValueError, match="TransposeMissing.backward failed.*transpose is missing"):
        check_layer(layer, RNG.standard_normal((N, 3)))


class ColumnAffine:
    """Y = W X + b with samples as columns (lesson 6, Exercise 2), with a mistake in db chosen by ``db``."""

    def __init__(self, W, b, db):
        self.W, self.b, self.db_of = W, b, db

    def forward(self, x):
        self.x = x
        return self.W @ x + self.b

    def backward(self, dout):
        self.dW = dout @ self.x.T
        self.db = self.db_of(dout)
        return self.W.T @ dout


@pytest.mark.parametrize("db, expected", [
    (lambda dout: dout.sum(axis=1, keepdims=True), None),
    (lambda dout: dout[:, :1].copy(), "gradient of sample 0 alone"),
    (lambda dout: dout[:, 0].copy(), "gradient of sample 0 alone"),
    (lambda dout: dout.mean(axis=1, keepdims=True), "N = 5 times too small"),
    (lambda dout: np.array(dout), "one entry per sample along axis 1"),
    (lambda dout: dout.sum(axis=0, keepdims=True), "summed over the wrong axis"),
    (lambda dout: dout.sum(axis=1), "keepdims=True"),
])
def test_samples_as_columns_are_named_with_batch_axis_1(db, expected):
    rng = np.random.default_rng(1)
    layer = ColumnAffine(rng.standard_normal((3, 4)), rng.standard_normal((3, 1)), db)
    report = check_layer(layer, rng.standard_normal((4, 5)), params=("W", "b"), batch_axis=1)
    if expected is None:
        assert report.passed, str(report)
    else:
        assert not report.passed and expected in str(report), str(report)


def test_batch_axis_must_be_an_axis_of_the_input():
    from course_lib.errors import CourseValueError
    with pytest.raises(CourseValueError, match="batch_axis"):
        check_layer(Relu(), RNG.standard_normal((N, D)), batch_axis=2)
