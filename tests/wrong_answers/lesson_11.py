"""Lesson 11's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
_BP1 = "delta2 = (a2 - T) / N * a2 * (1 - a2)"
_BP2 = "delta1 = (delta2 @ W2.T) * a1 * (1 - a1)"
_BP3 = "db2, db1 = delta2.sum(axis=0), delta1.sum(axis=0)"
_BP4 = "dW2, dW1 = a1.T @ delta2, X.T @ delta1"


def _four(bp1=_BP1, bp2=_BP2, bp3=_BP3, bp4=_BP4):
    """The answer of appendix-four-equations-batch with some of its four lines replaced."""
    return "\n".join((bp1, bp2, bp3, bp4))


WRONG = {
    "appendix-which-line-bp4": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("another quiz option: a, Nielsen's layout", 'answer = "a"', r"Not a .*transposed"),
        ("another quiz option: c, divided by N twice", 'answer = "c"', r"Not c .*second time"),
        ("another quiz option: d, products across samples", 'answer = "d"', r"Not d .*n ≠ m"),
    ],
    "appendix-bp2-columns": [
        ("W not transposed", "return (w_next @ delta_next) * (z > 0)", r"not transposed"),
        ("the Relu factor left out", "return w_next.T @ delta_next", r"left out the factor"),
        ("the sigmoid's slope for a Relu layer",
         "s = 1 / (1 + np.exp(-z))\nreturn (w_next.T @ delta_next) * s * (1 - s)", r"sigmoid's slope"),
        ("Relu applied to the error", "return np.maximum(w_next.T @ delta_next, 0)", r"applied to the error"),
        ("Relu's output for its slope", "return (w_next.T @ delta_next) * np.maximum(z, 0)", r"output max\(0"),
        ("wrong sign", "return -(w_next.T @ delta_next) * (z > 0)", r"wrong sign"),
        ("a row, not a column", "return ((w_next.T @ delta_next) * (z > 0)).T", r"shape \(3, 1\)"),
        ("the reference implementation instead of written",
         "relu = Relu()\nrelu.forward(z.T)\nreturn relu.backward((w_next.T @ delta_next).T).T", r"course_lib's Relu"),
    ],
    "appendix-four-equations-batch": [
        ("wrong sign (trask's t − a)", _four(bp1="delta2 = (T - a2) / N * a2 * (1 - a2)"), r"BP1, delta2: .*wrong sign"),
        ("factor N: the mean's 1/N left out", _four(bp1="delta2 = (a2 - T) * a2 * (1 - a2)"), r"BP1, delta2: .*N = 3 times too large"),
        ("BP1 without σ′(z²)", _four(bp1="delta2 = (a2 - T) / N"), r"BP1, delta2: this is ∇ₐC"),
        ("σ′ applied to a instead of z", _four(bp1="delta2 = (a2 - T) / N * sigmoid(a2) * (1 - sigmoid(a2))"),
         r"BP1, delta2: σ′ was applied to a²"),
        ("σ′ as z(1 − z)", _four(bp1="delta2 = (a2 - T) / N * z2 * (1 - z2)"), r"BP1, delta2: .*not z\(1 − z\)"),
        ("matrix product for BP1's Hadamard product", _four(bp1="delta2 = (a2 - T) / N @ (a2 * (1 - a2))"),
         r"BP1, delta2: a matrix product \(@\) where BP1's ⊙"),
        ("BP2: W2 not transposed", _four(bp2="delta1 = (delta2 @ W2) * a1 * (1 - a1)"), r"BP2, delta1: .*untransposed"),
        ("BP2: Nielsen's column order on rows", _four(bp2="delta1 = (W2.T @ delta2) * a1 * (1 - a1)"),
         r"BP2, delta1: Nielsen's column form"),
        ("BP2 without σ′(z¹)", _four(bp2="delta1 = delta2 @ W2.T"), r"BP2, delta1: this is ∂C/∂a¹"),
        ("BP2 with the wrong layer's σ′", _four(bp2="delta1 = (delta2 @ W2.T) * a2 * (1 - a2)"),
         r"BP2, delta1: the slope is layer 2's"),
        ("matrix product for BP2's Hadamard product", _four(bp2="delta1 = (delta2 @ W2.T) @ (a1 * (1 - a1))"),
         r"BP2, delta1: a matrix product \(@\) where BP2's ⊙"),
        ("factor 1/N: divided by N again in BP2", _four(bp2="delta1 = (delta2 @ W2.T) * a1 * (1 - a1) / N"),
         r"BP2, delta1: .*N = 3 times too small"),
        ("BP3: missing sum over the batch", _four(bp3="db2, db1 = delta2, delta1"), r"BP3, db2: .*one row per sample"),
        ("BP3: one sample instead of the sum", _four(bp3="db2, db1 = delta2[0], delta1[0]"),
         r"BP3, db2: .*sample 0 alone"),
        ("BP3: mean for sum", _four(bp3="db2, db1 = delta2.mean(axis=0), delta1.mean(axis=0)"),
         r"BP3, db2: .*N = 3 times too small"),
        ("BP3: summed over the wrong axis", _four(bp3="db2, db1 = delta2.sum(axis=1), delta1.sum(axis=1)"),
         r"BP3, db2: summed over the units"),
        ("BP3: the hidden layer's sum left out", _four(bp3="db2, db1 = delta2.sum(axis=0), delta1"),
         r"BP3, db1: .*one row per sample"),
        ("BP4 transposed", _four(bp4="dW2, dW1 = delta2.T @ a1, delta1.T @ X"), r"BP4, dW2: .*transposed"),
        ("BP4 with the layer's own output a²", _four(bp4="dW2, dW1 = a2.T @ delta2, X.T @ delta1"),
         r"BP4, dW2: built from a²"),
        ("BP4 with the network's input for layer 2", _four(bp4="dW2, dW1 = X.T @ delta2, X.T @ delta1"),
         r"BP4, dW2: built from the network's input"),
        ("BP4 with a¹ for layer 1", _four(bp4="dW2, dW1 = a1.T @ delta2, a1.T @ delta1"), r"BP4, dW1: built from a¹"),
        ("BP4: mean for sum (divided by N again)", _four(bp4="dW2, dW1 = a1.T @ delta2 / N, X.T @ delta1 / N"),
         r"BP4, dW2: .*N = 3 times too small"),
        ("the reference implementation instead of written",
         _four(bp4="second = Affine(W2, b2)\nsecond.forward(a1)\nsecond.backward(delta2)\ndW2, dW1 = second.dW, X.T @ delta1"),
         r"course_lib's Affine"),
    ],
}
