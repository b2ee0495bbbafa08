"""IntermediateGrads: the right gradient of every line of a hand-written forward pass, and clear verdicts."""
import numpy as np
import pytest

from course_lib.diagnosis import diagnose
from course_lib.errors import WrongAnswer
from course_lib.intermediates import (
    GradientMismatch, IntermediateGrads, Tape, check_my_gradients, check_through_max, check_training, max_path_mistake,
)

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3))
W_START = RNG.standard_normal((3, 2))


def forward(tape):
    W = tape("W", W_START)
    scores = tape("scores", X @ W)
    squashed = tape("squashed", np.tanh(scores))
    return (squashed ** 2).sum() + squashed.sum()  # squashed used twice


@pytest.fixture
def grads():
    return IntermediateGrads(forward, batch_size=4)


def test_records_every_value_in_order_and_the_loss(grads):
    assert grads.names == ["W", "scores", "squashed"]
    assert grads.loss == pytest.approx(forward(Tape()))


def test_the_right_gradients_agree_with_the_chain_rule(grads):
    d_squashed = 2 * grads.values["squashed"] + 1
    d_scores = d_squashed * (1 - grads.values["squashed"] ** 2)
    for name, right in (("squashed", d_squashed), ("scores", d_scores), ("W", X.T @ d_scores)):
        grads.check(name, right)
        assert np.allclose(grads[name], right, atol=1e-8)


def test_a_right_answer_passes_and_a_wrong_one_is_explained(grads, capsys):
    right = 2 * grads.values["squashed"] + 1
    grads.check("squashed", right)
    assert "✔ d_squashed is right" in capsys.readouterr().out
    with pytest.raises(GradientMismatch, match="wrong sign"):
        grads.check("squashed", -right)
    with pytest.raises(GradientMismatch, match=r"must have the shape of W, \(3, 2\); yours has shape \(2, 3\)"):
        grads.check("W", grads._right["W"].T)


def test_a_gradient_is_handed_out_only_after_its_check_judged_an_answer(grads):
    with pytest.raises(KeyError, match=r"handed out by its check, grads.check\('scores', d_scores\)"):
        grads["scores"]
    assert not hasattr(grads, "reveal")  # nothing hands out an answer before it was tried
    with pytest.raises(GradientMismatch, match="d_scores has no value yet"):
        grads.check("scores", None)  # an unanswered exercise: the next one still starts from the right gradient
    assert grads["scores"].shape == (4, 2)
    grads.check("W", grads._right["W"], hand_out=False)
    with pytest.raises(KeyError, match="handed out by its check"):
        grads["W"]
    with pytest.raises(KeyError, match="no intermediate named 'nope'"):
        grads.check("nope", 0)
    with pytest.raises(KeyError, match="no intermediate named 'nope'"):
        grads["nope"]


def test_a_name_recorded_twice_is_refused():
    def twice(tape):
        tape("a", np.ones(2))
        return tape("a", np.ones(2)).sum()

    with pytest.raises(ValueError, match="already holds an intermediate named 'a'"):
        IntermediateGrads(twice)


@pytest.mark.parametrize("mistake, make, expected", [
    ("sign", lambda r: -r, "wrong sign"),
    ("factor N", lambda r: 5 * r, "N = 5 times too large"),
    ("1/N", lambda r: r / 5, "N = 5 times too small"),
    ("constant", lambda r: 2 * r, "2 times the right one"),
    ("missing sum", lambda r: np.tile(r / 5, (5, 1)), "add the rows up over the batch"),
])
def test_diagnose_names_the_usual_mistakes(mistake, make, expected):
    right = RNG.standard_normal(3) + 3
    assert expected in diagnose(make(right), right, batch_size=5)


def test_diagnose_spots_a_transpose_that_fits_only_because_the_matrix_is_square():
    right = RNG.standard_normal((3, 3))
    assert "transposed" in diagnose(right.T, right) and "square" in diagnose(right.T, right)
    assert diagnose(right + RNG.standard_normal((3, 3)), right) is None


def test_agrees_judges_like_check_and_hands_nothing_out(grads, capsys):
    right = grads._right["W"]
    assert grads.agrees("W", right) and not grads.agrees("W", -right) and not grads.agrees("W", right.T)
    assert capsys.readouterr().out == ""
    with pytest.raises(KeyError, match="handed out by its check"):
        grads["W"]


def test_a_wrong_answer_is_explained_without_the_right_values(grads):
    right = grads._right["W"]
    mine = right.copy()
    mine[0, 0] = 2 * right[0, 0]
    mine[1, 1] = -right[1, 1]
    with pytest.raises(GradientMismatch) as caught:
        grads.check("W", mine)
    message = str(caught.value)
    assert "2 of its 6 entries differ" in message and "at [0, 0]: yours" in message and "too large" in message
    assert "of the wrong sign" in message
    for value in (right[0, 0], right[1, 1]):
        assert f"{value:.6g}" not in message and f"{value:.4g}" not in message
    with pytest.raises(GradientMismatch, match=r"copied into d_W it earns nothing when the notebook is graded"):
        grads.check("W", None)


def test_a_handed_out_gradient_is_a_copy(grads):
    with pytest.raises(GradientMismatch):
        grads.check("scores", None)
    handed = grads["scores"]
    handed[...] = 0.0  # a learner edits it in place
    assert np.any(grads["scores"] != 0.0)


def _biased(tape):
    b = tape("b", B_START)
    out = tape("out", X @ W_START + b)      # b is broadcast over the 4 samples
    return (np.tanh(out) ** 2).sum()


B_START = RNG.standard_normal(2)


def test_one_sample_instead_of_the_sum_is_named_when_the_shares_are_known():
    grads = IntermediateGrads(_biased, batch_size=4)
    shares = grads.shares("b")
    d_out = 2 * np.tanh(grads.values["out"]) * (1 - np.tanh(grads.values["out"]) ** 2)
    assert shares.shape == (4, 2) and np.allclose(shares, d_out, atol=1e-8)
    for per_sample in (True, d_out):
        with pytest.raises(GradientMismatch, match="gradient of sample 1 alone, not the sum over the batch"):
            grads.check("b", d_out[1], per_sample=per_sample)
    with pytest.raises(GradientMismatch) as caught:
        grads.check("b", d_out[1])  # without the shares, the mistake is not named
    assert "sample 1 alone" not in str(caught.value)
    with pytest.raises(GradientMismatch, match="N = 4 times too small"):
        grads.check("b", d_out.mean(axis=0), per_sample=True)
    grads.check("b", d_out.sum(axis=0), per_sample=True)


def test_no_shares_for_a_value_that_is_not_broadcast_over_the_batch():
    grads = IntermediateGrads(_biased, batch_size=4)
    assert grads.shares("out") is None  # one row per sample already: 4 copies of it do not add up to its gradient
    assert IntermediateGrads(_biased).shares("b") is None  # no batch size


def _through_max_case():
    rng = np.random.default_rng(3)
    logits, upstream = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    rows, winner = np.arange(4), logits.argmax(axis=1)
    right = upstream.copy()
    right[rows, winner] -= upstream.sum(axis=1)
    return logits, upstream, rows, winner, right


@pytest.mark.parametrize("mistake, make, expected", [
    ("max path forgotten", lambda u, l, r, w, right: u, "path through the row maximum is missing"),
    ("wrong sign", lambda u, l, r, w, right: 2 * u - right, "wrong sign"),
    ("every entry", lambda u, l, r, w, right: u - u.sum(axis=1, keepdims=True), "every entry of the row"),
    ("direct path forgotten", lambda u, l, r, w, right: right - u, "direct path is missing"),
    ("axis 0", lambda u, l, r, w, right: u - u.sum(axis=0), "axis=0"),
])
def test_max_path_mistake_names_the_usual_slips(mistake, make, expected):
    logits, upstream, rows, winner, right = _through_max_case()
    assert expected in max_path_mistake(make(upstream, logits, rows, winner, right), upstream, logits)
    assert max_path_mistake(right, upstream, logits) is None


def _grads_with_rows_summing_to_zero():
    rng = np.random.default_rng(1)
    logits, upstream = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    upstream -= upstream.mean(axis=1, keepdims=True)  # as the lesson's ∂L/∂shifted: the max path brings 0
    grads = IntermediateGrads(lambda tape: (upstream * tape("shifted", tape("logits", logits)
                                                          - logits.max(axis=1, keepdims=True))).sum(), batch_size=4)
    grads.check("shifted", upstream)
    return grads


def test_check_through_max_catches_the_forgotten_max_path_that_the_batch_hides(capsys):
    grads = _grads_with_rows_summing_to_zero()

    def right(d_shifted, logits):
        d = d_shifted.copy()
        d[np.arange(len(logits)), logits.argmax(axis=1)] -= d_shifted.sum(axis=1)
        return d

    check_through_max(right, grads)
    assert "✔ and on a made-up case" in capsys.readouterr().out
    with pytest.raises(GradientMismatch, match="path through the row maximum is missing"):
        check_through_max(lambda d_shifted, logits: d_shifted.copy(), grads)
    assert grads["logits"].shape == (4, 3)  # handed out all the same


def test_check_through_max_hands_out_even_when_the_function_fails():
    grads = _grads_with_rows_summing_to_zero()

    def unanswered(d_shifted, logits):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        check_through_max(unanswered, grads)
    assert grads["logits"].shape == (4, 3)


def test_slips_name_a_usual_wrong_answer():
    slips = {"scores": [("only the path through the square", lambda g, v, N: g("squashed") * 0)]}
    grads = IntermediateGrads(forward, batch_size=4, slips=slips)
    with pytest.raises(GradientMismatch, match="only the path through the square"):
        grads.check("scores", np.zeros((4, 2)))


# Lesson 10's network, small: the same names as the lesson's fourteen lines
NET_RNG = np.random.default_rng(5)
NET_X, NET_T = NET_RNG.standard_normal((6, 3)), NET_RNG.integers(0, 3, size=6)
NET_START = {"W1": 0.5 * NET_RNG.standard_normal((3, 4)), "b1": np.zeros(4), "gamma": np.ones(4),
             "beta": np.zeros(4), "W2": 0.5 * NET_RNG.standard_normal((4, 3)), "b2": np.zeros(3)}


def net_forward(tape, p=NET_START):
    W1, b1, W2, b2, gamma, beta = (tape(name, p[name]) for name in ("W1", "b1", "W2", "b2", "gamma", "beta"))
    h_pre = tape("h_pre", NET_X @ W1 + b1)
    centered = h_pre - h_pre.mean(axis=0)
    inv_std = tape("inv_std", ((centered ** 2).mean(axis=0) + 1e-7) ** -0.5)
    x_hat = tape("x_hat", centered * inv_std)
    h_bn = tape("h_bn", gamma * x_hat + beta)
    h = tape("h", np.maximum(h_bn, 0))
    logits = tape("logits", h @ W2 + b2)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(6), NET_T].mean()


def net_values(p):
    tape = Tape()
    return net_forward(tape, p), tape.values


def net_gradients(p, vals):
    y = np.exp(vals["logits"] - vals["logits"].max(axis=1, keepdims=True))
    d_logits = (y / y.sum(axis=1, keepdims=True) - np.eye(3)[NET_T]) / 6
    d_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)
    g, x_hat = d_h_bn, vals["x_hat"]
    d_h_pre = p["gamma"] * vals["inv_std"] / 6 * (6 * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return {"W1": NET_X.T @ d_h_pre, "b1": d_h_pre.sum(axis=0), "gamma": (g * x_hat).sum(axis=0),
            "beta": g.sum(axis=0), "W2": vals["h"].T @ d_logits, "b2": d_logits.sum(axis=0)}


def test_check_my_gradients_passes_the_right_ones_and_names_a_flipped_sign(capsys):
    check_my_gradients(net_gradients, net_forward, NET_START, batch_size=6)
    assert "✔ your six gradients are right" in capsys.readouterr().out
    with pytest.raises(GradientMismatch, match=r"at start: d_W2 is not right(.|\n)*d_W2 has the wrong sign"):
        check_my_gradients(lambda p, vals: {**net_gradients(p, vals), "W2": -net_gradients(p, vals)["W2"]},
                           net_forward, NET_START, batch_size=6)


def _train(update):
    def train(gradients, steps=200, lr=0.5):
        p = {name: value.copy() for name, value in NET_START.items()}
        losses = []
        for step in range(steps):
            loss, vals = net_values(p)
            g = gradients(p, vals)
            for name in p:
                p[name] = update(p[name], lr, g[name])
            losses.append(loss)
        return p, losses
    return train


def test_check_training_passes_gradient_descent_and_names_the_usual_slips(capsys):
    check_training(_train(lambda w, lr, g: w - lr * g), net_gradients, net_values, NET_START, NET_X, NET_T, steps=20)
    assert "✔ 20 steps with your gradients: the loss fell" in capsys.readouterr().out
    with pytest.raises(WrongAnswer, match="wrong sign"):
        check_training(_train(lambda w, lr, g: w + lr * g), net_gradients, net_values, NET_START, NET_X, NET_T, steps=20)
    with pytest.raises(WrongAnswer, match="= where -= belongs"):
        check_training(_train(lambda w, lr, g: -lr * g), net_gradients, net_values, NET_START, NET_X, NET_T, steps=20)
    with pytest.raises(WrongAnswer, match="lr = 0.5 was left out"):
        check_training(_train(lambda w, lr, g: w - g), net_gradients, net_values, NET_START, NET_X, NET_T, steps=20)
