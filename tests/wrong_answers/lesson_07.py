"""Lesson 7's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "softmax-gradient-number": [
        ("wrong sign", "answer = 0.341", r"sign"),
        ("the probability, not minus the truth", "answer = 0.659", r"prediction minus truth"),
    ],
    "softmax-jacobian": [
        ("wrong sign", "J = np.outer(y, y) - np.diag(y)", r"diagonal"),
        ("diagonal only", "J = np.diag(y * (1 - y))", r"entries off it"),
        ("identity for the diagonal", "J = np.eye(len(y)) - np.outer(y, y)", r"diagonal"),
    ],
    "softmax-jacobian-vector-product": [
        # two solution regions: the body of vector_jacobian_product, then dL_dy
        ("transposed", ("return J @ upstream", None), r"transposed"),
        ("hard-coded y − t", ("return y_vjp - t_one_hot", None), r"whatever J"),
        ("wrong sign", ("return -J.T @ upstream", None), r"wrong sign"),
        ("wrong sign of ∂L/∂y", (None, "dL_dy = t_one_hot / y_vjp"), r"wrong sign"),
        ("log instead of its slope", (None, "dL_dy = -t_one_hot * np.log(y_vjp)"), r"slope of −log"),
    ],
    "softmax-backward": [
        ("wrong sign", "dx[np.arange(n), self.t] += 1", r"does not match"),
        ("= for -=", "dx[np.arange(n), self.t] = -1", r"does not match"),
        ("one sample: only row 0", "dx[0, self.t[0]] -= 1", r"does not match"),
    ],
}
