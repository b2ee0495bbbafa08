"""Lesson 8's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "twolayer-backward-loop": [
        ("only the last Affine layer", "dout = net.last_layer.backward()\nnet.layers['Affine2'].backward(dout)",
         r"no gradient for (W1|b1)"),
        ("layers walked forwards", "dout = net.last_layer.backward()\nfor layer in net.layers.values():\n"
         "    dout = layer.backward(dout)", r"ran forwards"),
        ("dout never updated", "dout = net.last_layer.backward()\nfor layer in reversed(net.layers.values()):\n"
         "    layer.backward(dout)", r"not handed what Affine2's backward returned"),
        ("the reference imported instead of written", "return TwoLayerNet.gradient(net, x, t)",
         r"which is the answer"),
    ],
    "gradcheck-numerical-gradient": [
        ("wrong sign", "original = x[index]\nx[index] = original + h\nf_plus = f(x)\nx[index] = original - h\n"
         "f_minus = f(x)\nx[index] = original\ngrad[index] = (f_minus - f_plus) / (2 * h)", r"wrong sign"),
        ("second evaluation at the original value", "original = x[index]\nx[index] = original + h\nf_plus = f(x)\n"
         "x[index] = original\nf_minus = f(x)\ngrad[index] = (f_plus - f_minus) / (2 * h)", r"half the right one"),
        ("forward difference", "original = x[index]\nx[index] = original + h\nf_plus = f(x)\nx[index] = original\n"
         "grad[index] = (f_plus - f(x)) / h", r"central difference"),
        ("x not restored", "original = x[index]\nx[index] = original + h\nf_plus = f(x)\nx[index] = original - h\n"
         "f_minus = f(x)\ngrad[index] = (f_plus - f_minus) / (2 * h)", r"not put back"),
        ("divided by h instead of 2h", "original = x[index]\nx[index] = original + h\nf_plus = f(x)\n"
         "x[index] = original - h\nf_minus = f(x)\nx[index] = original\ngrad[index] = (f_plus - f_minus) / h",
         r"twice the right one"),
        ("a copy nudged instead of x", "original = x[index]\nnudged = x.copy()\nnudged[index] = original + h\n"
         "f_plus = f(nudged)\nnudged[index] = original - h\nf_minus = f(nudged)\n"
         "grad[index] = (f_plus - f_minus) / (2 * h)", r"not of a copy"),
        ("the reference imported instead of written",
         "from course_lib import numerical_gradient as ng\nreturn ng(f, x)", r"which is the answer"),
    ],
    "gradcheck-rel-error": [
        ("mean for max", "return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))",
         r"np\.max|not the mean"),
        ("no floor", "return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-300)))", r"floor"),
        ("absolute error", "return float(np.max(np.abs(a - b)))", r"absolute error"),
        ("sum for max", "return float(np.sum(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))",
         r"sum of the element-wise errors"),
        ("floor added", "return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))", r"not an addition"),
        ("larger size for the sum of sizes",
         "return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)))",
         r"adds the two sizes"),
        ("|a + b| for |a| + |b|", "return float(np.max(np.abs(a - b) / np.maximum(np.abs(a + b), 1e-8)))",
         r"not \|a \+ b\|"),
        ("no absolute value of a - b", "return float(np.max((a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))",
         r"numerator is \|a − b\|"),
        ("the element-wise errors returned", "return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)",
         r"return one number"),
    ],
    "gradcheck-bug-hunt": [
        ("another option for A's place",
         'broken = {"A": "dW", "B": "dW", "C": "dW", "D": "db"}\n'
         'bug = {"A": "wrong sign", "B": "transposed", "C": "factor N", "D": "missing sum"}', r"layer A"),
        ("C's bug taken for a transpose",
         'broken = {"A": "dx", "B": "dW", "C": "dW", "D": "db"}\n'
         'bug = {"A": "wrong sign", "B": "transposed", "C": "transposed", "D": "missing sum"}', r"layer C"),
    ],
    "twolayer-third-layer": [
        ("no Relu between the layers", 'self.layers += [Affine(self.params["W3"], self.params["b3"])]',
         r"the loss differs"),
        ("third layer left out", "pass", r"the loss differs|shapes|not aligned"),
    ],
}
