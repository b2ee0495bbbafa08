"""sigmoid, softmax and cross-entropy: right values, stable at extremes, both label formats."""
import warnings

import numpy as np
import pytest

from course_lib import cross_entropy_error, log_softmax, one_hot, sigmoid, softmax


def test_sigmoid_values_and_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid(1000.0) == 1.0
        values = sigmoid(np.array([-2.0, 0.0, 2.0]))
    np.testing.assert_allclose(values, 1 / (1 + np.exp(-np.array([-2.0, 0.0, 2.0]))), rtol=1e-15)


def test_softmax_of_huge_logits_is_finite_and_exact():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = softmax(np.array([[1e4, 1e4 - 1, -1e4], [-1e4, -1e4, -1e4]]))
    expected_first = np.exp([0.0, -1.0]) / np.exp([0.0, -1.0]).sum()
    np.testing.assert_allclose(probs[0, :2], expected_first, rtol=1e-15)
    assert probs[0, 2] == 0.0
    np.testing.assert_allclose(probs[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_log_softmax_agrees_with_log_of_softmax_where_both_are_finite():
    x = np.random.default_rng(0).standard_normal((4, 6)) * 5
    np.testing.assert_allclose(log_softmax(x), np.log(softmax(x)), rtol=1e-12)


def test_cross_entropy_is_finite_when_a_probability_is_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy_error(np.array([0.0, 1.0]), 0)
    assert np.isfinite(loss) and loss > 700


@pytest.mark.parametrize("as_one_hot", [False, True])
def test_cross_entropy_takes_either_label_format_single_or_batch(as_one_hot):
    y = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]])
    t = np.array([1, 0])
    labels = one_hot(t, 3) if as_one_hot else t
    expected = -(np.log(0.7) + np.log(0.5)) / 2
    assert cross_entropy_error(y, labels) == pytest.approx(expected, rel=1e-15)
    single = one_hot([1], 3)[0] if as_one_hot else 1
    assert cross_entropy_error(y[0], single) == pytest.approx(-np.log(0.7), rel=1e-15)


@pytest.mark.parametrize(
    "t, message",
    [
        (np.array([0, 3]), "label 3 is out of range for 3 classes"),
        (np.array([0, -1]), "label -1 is out of range"),
        (np.array([0, 1, 2]), r"labels of shape \(3,\) do not fit scores of shape \(2, 3\)"),
        (np.array([0.0, 1.0]), "class-index labels must be integers"),
    ],
)
def test_bad_labels_are_rejected_with_a_message(t, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy_error(np.full((2, 3), 1 / 3), t)


def test_float_precision_is_kept():
    assert sigmoid(1.0).dtype == np.float64
    assert softmax(np.array([1, 2])).dtype == np.float64
    assert softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float32
