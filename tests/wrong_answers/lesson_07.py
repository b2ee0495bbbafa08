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
        ("squares for the outer product", "J = np.diag(y) - y ** 2", r"entries off it"),
    ],
    "softmax-jacobian-vector-product": [
        # two solution regions: the body of vector_jacobian_product, then dL_dy
        ("transposed", ("return J @ upstream", None), r"transposed"),
        ("hard-coded y − t", ("return y_vjp - t_one_hot", None), r"whatever J"),
        ("the cell's dL_dy, not the argument", ("return J.T @ dL_dy", None), r"own arguments"),
        ("sum over the inputs", ("return (J * upstream[:, None]).sum(axis=1)", None), r"transposed"),
        ("wrong sign", ("return -J.T @ upstream", None), r"wrong sign"),
        ("wrong sign of ∂L/∂y", (None, "dL_dy = t_one_hot / y_vjp"), r"wrong sign"),
        ("log instead of its slope", (None, "dL_dy = -t_one_hot * np.log(y_vjp)"), r"slope of −log"),
    ],
    "softmax-backward": [
        ("wrong sign", "dx[np.arange(n), self.t] += 1", r"wrong sign of t"),
        ("= for -=", "dx[np.arange(n), self.t] = -1", r"= for −="),
        ("one sample: only row 0", "dx[0, self.t[0]] -= 1", r"one sample, not the batch"),
        ("':' for the rows", "dx[:, self.t] -= 1", r"np\.arange\(n\), one per label"),
        ("factor N: divided twice", "dx[np.arange(n), self.t] -= 1\ndx /= n", r"N = 3 times too small"),
        ("index for one-hot, whole row", "dx -= self.t[:, None]", r"one-hot vs index"),
        ("index for one-hot, right entry", "dx[np.arange(n), self.t] -= self.t", r"one-hot vs index"),
        ("index as a one-hot row", "dx -= self.t", r"class indices"),
        ("labels as rows", "dx[self.t] -= 1", r"column of row n, not a row"),
    ],
}
WRONG["stable-softmax-loss"] = [
    # two solution regions: my_softmax's body, then my_cross_entropy's body
    ("no shift", ("e = np.exp(a)\nreturn e / e.sum(axis=1, keepdims=True)", None), r"overflows"),
    ("one shift for the whole batch", ("e = np.exp(a - a.max())\nreturn e / e.sum(axis=1, keepdims=True)", None), r"its own\s+largest"),
    ("sum over the wrong axis", ("e = np.exp(a - a.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=0, keepdims=True)", None), r"wrong axis"),
    ("the reference imported", ("return softmax(a)", None), r"course_lib|own"),
    ("wrong sign", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn (s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[np.arange(len(t)), t].mean()"), r"wrong sign"),
    ("sum for mean", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn -(s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[np.arange(len(t)), t].sum()"), r"factor N"),
    ("log of the probability", (None, "return -np.log(my_softmax(a)[np.arange(len(t)), t]).mean()"), r"log 0"),
    ("max without keepdims", ("e = np.exp(a - a.max(axis=1))\nreturn e / e.sum(axis=1, keepdims=True)", None), r"keepdims"),
    ("shift by each column's max", ("e = np.exp(a - a.max(axis=0))\nreturn e / e.sum(axis=1, keepdims=True)", None), r"each column"),
    ("small number in the log", (None, "return -np.log(my_softmax(a)[np.arange(len(t)), t] + 1e-7).mean()"), r"small number"),
    ("':' for the rows", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn -(s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[:, t].mean()"), r"np\.arange\(N\), one per label"),
    ("one sample instead of the mean", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn -(s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[0, t[0]]"), r"one sample"),
    ("mean over every class", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn -(s - np.log(np.exp(s).sum(axis=1, keepdims=True))).mean()"), r"every class"),
    ("log-sum over the wrong axis", (None, "s = a - a.max(axis=1, keepdims=True)\nreturn -(s - np.log(np.exp(s).sum(axis=0, keepdims=True)))[np.arange(len(t)), t].mean()"), r"wrong axis"),
    ("loss without the shift", (None, "return -(a - np.log(np.exp(a).sum(axis=1, keepdims=True)))[np.arange(len(t)), t].mean()"), r"overflows"),
    ("loss shifted by the batch's max", (None, "s = a - a.max()\nreturn -(s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[np.arange(len(t)), t].mean()"), r"its\s+own\s+largest"),
]
