"""The checkers themselves: they must pass correct code and catch wrong code, in plain words."""
import numpy as np
import pytest

from course_lib import Affine, Relu, TwoLayerNet, check_layer, gradient_check, numerical_gradient, rel_error


def test_numerical_gradient_of_a_known_function_restores_x_exactly():
    x = np.array([[0.1, -0.7], [1.3, 2.0]])
    before = x.copy()
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    np.testing.assert_allclose(grad, 3 * before**2, rtol=1e-8)
    assert np.array_equal(x, before)  # bit for bit


def test_numerical_gradient_needs_a_float_array():
    with pytest.raises(TypeError, match="float numpy array"):
        numerical_gradient(lambda v: v.sum(), np.array([1, 2]))


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0
    assert rel_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 4.2)
    with pytest.raises(ValueError, match="shapes differ"):
        rel_error(np.ones(2), np.ones(3))


def test_gradient_check_report_per_parameter():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    report = gradient_check(net, rng.standard_normal((4, 6)), np.array([0, 2, 1, 2]))
    assert list(report) == ["W1", "b1", "W2", "b2"]
    assert report.passed and report.tol == 1e-7
    assert report["W1"].shape == (6, 5) and report["W1"].mean_abs_diff < 1e-9
    table = report.table().splitlines()
    assert table[0].split() == ["param", "shape", "max", "rel", "error", "mean", "|diff|"]
    assert table[1].startswith("W1") and "(6, 5)" in table[1]


def test_gradient_check_catches_a_planted_bug():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    layer = net.layers["Affine2"]
    correct_backward = layer.backward

    def buggy_backward(dout):
        dx = correct_backward(dout)
        layer.db = layer.db * 2  # a wrong bias gradient
        return dx

    layer.backward = buggy_backward
    report = gradient_check(net, rng.standard_normal((4, 6)), np.array([0, 2, 1, 2]))
    assert not report.passed
    assert report["b2"].max_rel_error > 0.1
    assert report["W1"].max_rel_error < 1e-7


class ForgetfulRelu(Relu):
    """A learner's Relu that forgot the mask."""

    def backward(self, dout):
        return dout.copy()


class SwappedAffine(Affine):
    """A learner's Affine that multiplies in the wrong order for dW."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.dW * 0.5
        return dx


def test_check_layer_names_the_wrong_input_in_plain_words():
    x = np.array([[-1.0, 0.5], [2.0, -0.3]])
    result = check_layer(ForgetfulRelu(), x)
    assert not result.passed
    assert "✘ ForgetfulRelu: gradient for input is wrong" in str(result)
    assert "at index (0, 0) backward gives" in str(result) and "numerical gradient is 0" in str(result)
    assert check_layer(Relu(), x).passed


def test_check_layer_names_the_wrong_parameter():
    rng = np.random.default_rng(2)
    layer = SwappedAffine(rng.standard_normal((3, 2)), rng.standard_normal(2))
    result = check_layer(layer, rng.standard_normal((4, 3)))
    lines = str(result).splitlines()
    assert lines[0].startswith("✔ SwappedAffine: gradient for input matches")
    assert lines[1].startswith("✘ SwappedAffine: gradient for W is wrong")
    assert lines[2].startswith("✔ SwappedAffine: gradient for b matches")


def test_check_layer_reports_a_missing_gradient():
    class NoGrad(Relu):
        def backward(self, dout):
            return None

    result = check_layer(NoGrad(), np.array([1.0, -2.0]))
    assert not result.passed and "has shape ()" in str(result)


def test_both_reports_answer_passed_the_same_way_and_cannot_be_misused():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    x, t = rng.standard_normal((4, 6)), np.array([0, 2, 1, 2])
    report, check = gradient_check(net, x, t), check_layer(Relu(), rng.standard_normal((3, 4)))
    assert report.passed is True and check.passed is True
    assert gradient_check(net, x, t, tol=1e-30).passed is False  # the tolerance is fixed when the check runs
    for verdict in (report, check):
        with pytest.raises(TypeError, match="ask for `.passed`"):
            assert verdict  # a report has no truth value: only .passed answers


def test_the_worst_entry_of_a_bug_that_ties_every_entry_is_the_first_on_every_machine():
    """A gradient off by a factor has one relative error everywhere but for rounding, which differs between
    BLAS kernels: the verdict names the first entry of the tie, whatever the rounding."""
    from course_lib.gradcheck import _worst_index

    right = np.random.default_rng(0).standard_normal((3, 3))
    for noise_seed in range(5):  # the numerical gradient, rounded differently each time
        noise = 1 + 1e-12 * np.random.default_rng(noise_seed).standard_normal((3, 3))
        assert _worst_index(right / 4, right * noise) == (0, 0)
        assert _worst_index(-right, right * noise) == (0, 0)
    clear_worst = right.copy()
    clear_worst[2, 1] *= 3  # a real worst entry is still found
    assert _worst_index(clear_worst, right) == (2, 1)

    class QuarterDW(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW / 4
            return dx

    W, b = np.random.default_rng(1).standard_normal((3, 3)), np.zeros(3)
    verdict = str(check_layer(QuarterDW(W, b), np.random.default_rng(2).standard_normal((4, 3))))
    assert "at index (0, 0)" in verdict, verdict
