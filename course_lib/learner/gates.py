"""Gates: the smallest nodes of a computational graph.

Naming: the seeds ("Deep Learning from Scratch") call their gates ``MulLayer`` and ``AddLayer``, and so
do we: every gate here ends in ``Layer`` (``MulLayer``, ``ExpLayer``, ...).  The network layers in
``layers`` (``Affine``, ``Relu``, ...) have no suffix.  Both have the seeds' shape:

    forward(x, y)   computes the output and remembers on ``self`` what backward needs;
    backward(dout)  takes the upstream gradient and returns the gradient for each input:
                    (dx, dy) for two inputs, dx for one (the ``Gate`` protocol, gate_protocol.py).

Inputs may be Python numbers or numpy arrays of one shape (the operations are element-wise);
lists become arrays, and text, None or True/False are refused with a clear error (``errors``).

MulLayer and AddLayer are written out in full, as the seeds write them.  Every other gate states only
its forward and its local derivatives; ``ElementwiseGate`` gives them all the same backward,
upstream gradient × local derivative, input by input.

Rules are written in paper-style letters: a two-input gate is z = f(x, y), a one-input gate is
y = f(x).  In a graph those letters become the node's own names: the add node t = x + y of
z = (x + y)² shows "∂t/∂x = 1", the square node z = t² shows "∂z/∂t = 2t".
"""
import numpy as np

from ..errors import (
    CourseValueError, DivisionByZeroError, check_copy_douts, check_count, check_dout, check_finite_number,
    check_gate_inputs, require_forward,
)
from .functions import sigmoid


class MulLayer:
    """z = x * y.  Backward swaps the inputs: dx = dout * y, dy = dout * x."""

    symbol = "×"
    n_inputs = 2
    rules = ("∂z/∂x = y", "∂z/∂y = x")

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        x, y = check_gate_inputs("MulLayer", x, y)
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, np.shape(self.x))
        dx = dout * self.y  # the gradient for x is scaled by the *other* input
        dy = dout * self.x
        return dx, dy

    def local_grads(self):
        require_forward(self, "x", method="local_grads")
        return self.y, self.x


class AddLayer:
    """z = x + y.  Backward passes the upstream gradient unchanged to both inputs."""

    symbol = "+"
    n_inputs = 2
    rules = ("∂z/∂x = 1", "∂z/∂y = 1")

    def __init__(self):
        self.shape = None

    def forward(self, x, y):
        x, y = check_gate_inputs("AddLayer", x, y)
        self.shape = np.shape(x)
        out = x + y
        return out

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        dx = dout * 1
        dy = dout * 1
        return dx, dy

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        return 1, 1


class ElementwiseGate:
    """The skeleton of every gate below: forward checks the inputs, backward is dout × local derivative.

    A gate states ``symbol``, ``n_inputs``, ``rules``, and two methods:
        compute(*inputs)   the output, keeping on ``self`` what ``derivatives`` needs
        derivatives()      ∂output/∂input for each input (a tuple)
    """

    def __init__(self):
        self.shape = None  # the inputs' shape, set by forward

    def forward(self, *inputs):
        inputs = check_gate_inputs(type(self).__name__, *inputs)
        self.shape = np.shape(inputs[0])
        with np.errstate(all="ignore"):  # a value that overflows is inf; the graph's trace says so in words
            return _plain(self.compute(*inputs))

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        grads = tuple(_times(dout, local) for local in self.local_grads())
        return grads if self.n_inputs > 1 else grads[0]

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        with np.errstate(all="ignore"):
            return tuple(_plain(local) for local in self.derivatives())


class MaxLayer(ElementwiseGate):
    """z = max(x, y), element-wise.  Backward routes the whole gradient to the larger input.

    On a tie the gradient goes to x (any choice is a valid subgradient; this one is fixed).
    nan wins, in either position: max(nan, 1) and max(1, nan) are both nan, and the nan input gets
    the gradient (as numpy's maximum does).
    """

    symbol = "max"
    n_inputs = 2
    rules = ("∂z/∂x = 1 if x ≥ y else 0", "∂z/∂y = 1 if y > x else 0")

    def compute(self, x, y):
        self.x_wins = (np.asarray(x) >= np.asarray(y)) | np.isnan(x)
        return np.where(self.x_wins, x, y)

    def derivatives(self):
        return self.x_wins.astype(float), (~self.x_wins).astype(float)


class SubLayer(ElementwiseGate):
    """z = x − y.  dx = dout, dy = −dout."""

    symbol = "−"
    n_inputs = 2
    rules = ("∂z/∂x = 1", "∂z/∂y = −1")

    def compute(self, x, y):
        return x - y

    def derivatives(self):
        return 1, -1


class DivLayer(ElementwiseGate):
    """z = x / y.  dx = dout / y, dy = −dout · x / y²."""

    symbol = "/"
    n_inputs = 2
    rules = ("∂z/∂x = 1/y", "∂z/∂y = −x/y²")

    def compute(self, x, y):
        self.x, self.y = x, y
        return np.divide(x, y)

    def derivatives(self):
        return np.divide(1, self.y), np.divide(-self.x, np.square(self.y))


class MulConstLayer(ElementwiseGate):
    """y = c · x for a fixed number c (the sigmoid graph uses c = −1).  dx = dout · c."""

    n_inputs = 1

    def __init__(self, c):
        super().__init__()
        self.c = check_finite_number(c, "MulConstLayer", "the constant c")
        self.symbol = f"×{_signed(c)}"
        self.rules = (f"∂y/∂x = {_signed(c)}",)

    def compute(self, x):
        return self.c * x

    def derivatives(self):
        return (self.c,)


class AddConstLayer(ElementwiseGate):
    """y = x + c for a fixed number c (the sigmoid graph uses c = 1).  dx = dout."""

    n_inputs = 1

    def __init__(self, c):
        super().__init__()
        self.c = check_finite_number(c, "AddConstLayer", "the constant c")
        self.symbol = f"+{c:g}" if c >= 0 else f"−{-c:g}"
        self.rules = ("∂y/∂x = 1",)

    def compute(self, x):
        return x + self.c

    def derivatives(self):
        return (1,)


class DivConstLayer(ElementwiseGate):
    """y = x / c for a fixed number c ≠ 0.  dx = dout / c."""

    n_inputs = 1

    def __init__(self, c):
        super().__init__()
        check_finite_number(c, "DivConstLayer", "the constant c")
        if c == 0:
            raise DivisionByZeroError("DivConstLayer: division by the constant 0")
        self.c = c
        self.symbol = f"÷{_signed(c)}"
        self.rules = (f"∂y/∂x = 1/{_signed(c)}",)

    def compute(self, x):
        return x / self.c

    def derivatives(self):
        return (1 / self.c,)


class MaxConstLayer(ElementwiseGate):
    """y = max(x, c) for a fixed number c.  dx = dout if x ≥ c else 0 (a tie goes to x, as in MaxLayer)."""

    n_inputs = 1

    def __init__(self, c):
        super().__init__()
        self.c = check_finite_number(c, "MaxConstLayer", "the constant c")
        self.symbol = f"max{_signed(c)}"
        self.rules = (f"∂y/∂x = 1 if x ≥ {_signed(c)} else 0",)

    def compute(self, x):
        self.x_wins = (np.asarray(x) >= self.c) | np.isnan(x)  # nan in, nan out (as in MaxLayer)
        return np.where(self.x_wins, x, self.c)

    def derivatives(self):
        return (self.x_wins.astype(float),)


class ExpLayer(ElementwiseGate):
    """y = exp(x).  The derivative of exp is exp itself: dx = dout · y.

    exp(x) overflows to inf above x ≈ 709.8, yet it is a finite number for every finite x; so where
    the upstream gradient is 0, dx is 0 (not 0 × inf = nan).  That keeps the sigmoid graph at
    x = −1000 at the right gradient, 0, as the ``sigmoid`` function is.
    """

    symbol = "exp"
    n_inputs = 1
    rules = ("∂y/∂x = exp(x)",)

    def compute(self, x):
        self.out = np.exp(x)
        return self.out

    def derivatives(self):
        return (self.out,)


class LogLayer(ElementwiseGate):
    """y = log(x), the natural logarithm.  dx = dout / x."""

    symbol = "log"
    n_inputs = 1
    rules = ("∂y/∂x = 1/x",)

    def compute(self, x):
        self.x = x
        return np.log(x)

    def derivatives(self):
        return (np.divide(1, self.x),)


class ReciprocalLayer(ElementwiseGate):
    """y = 1 / x.  dx = dout · (−1 / x²) = dout · (−y²)."""

    symbol = "1/x"
    n_inputs = 1
    rules = ("∂y/∂x = −1/x² = −y²",)

    def compute(self, x):
        if np.any(np.asarray(x) == 0):
            raise DivisionByZeroError("ReciprocalLayer: 1/x is undefined at x = 0 (an input is 0)")
        self.out = np.divide(1, x)
        return self.out

    def derivatives(self):
        return (-np.square(self.out),)


class PowerLayer(ElementwiseGate):
    """y = x ** p for a fixed number p (the exponent).  dx = dout · p · x^(p − 1)."""

    n_inputs = 1

    def __init__(self, p):
        super().__init__()
        self.p = check_finite_number(p, "PowerLayer", "the exponent p")
        self.symbol = f"**{_signed(p)}"
        rule = {0: "0", 1: "1", 2: "2x"}.get(p, f"{_signed(p)}·x^{_signed(p - 1)}")
        self.rules = (f"∂y/∂x = {rule}",)

    def compute(self, x):
        self.x = x
        return np.power(x, self.p)

    def derivatives(self):
        if self.p == 0:
            return (0 * self.x,)  # x⁰ = 1 is constant, even at x = 0
        return (self.p * np.power(self.x, self.p - 1),)


class SquareLayer(PowerLayer):
    """y = x², PowerLayer(2) by its own name: the outer function of the chain-rule example z = (x + y)²."""

    def __init__(self):
        super().__init__(2)


class TanhLayer(ElementwiseGate):
    """y = tanh(x).  dx = dout · (1 − y²)."""

    symbol = "tanh"
    n_inputs = 1
    rules = ("∂y/∂x = 1 − tanh(x)² = 1 − y²",)

    def compute(self, x):
        self.out = np.tanh(x)
        return self.out

    def derivatives(self):
        return (1 - self.out**2,)


class ReluLayer(ElementwiseGate):
    """y = relu(x) = max(x, 0): the scalar gate (``layers.Relu`` is the layer for arrays in networks).

    dx = dout where x > 0, else 0 (at x = 0 the gradient is 0, as in ``layers.Relu``; MaxConstLayer(0),
    ``maximum(x, 0)``, gives a tie to x instead: two gates, two documented choices at the kink).
    """

    symbol = "relu"
    n_inputs = 1
    rules = ("∂y/∂x = 1 if x > 0 else 0",)

    def compute(self, x):
        self.positive = (np.asarray(x) > 0) | np.isnan(x)  # nan in, nan out (as in MaxLayer)
        return np.where(self.positive, x, 0.0)

    def derivatives(self):
        return (self.positive.astype(float),)


class SigmoidLayer(ElementwiseGate):
    """y = sigmoid(x) = 1 / (1 + exp(−x)) as one gate (``layers.Sigmoid`` is the layer for arrays).

    dx = dout · y · (1 − y), the result derived step by step through the four gates of ``sigmoid_graph``.
    """

    symbol = "σ"
    n_inputs = 1
    rules = ("∂y/∂x = y·(1 − y)",)

    def compute(self, x):
        self.out = sigmoid(x)  # functions.sigmoid: no overflow for large |x|
        return self.out

    def derivatives(self):
        return (self.out * (1 - self.out),)


class CopyLayer:
    """The branch gate: one value sent to ``n_copies`` places.  Backward adds the copies' gradients up.

    forward(x) returns a tuple of ``n_copies`` references to x;
    backward(douts) takes one upstream gradient per copy (a tuple or list, or an array whose rows are
    the copies' gradients) and returns their sum.  A ``Graph`` uses this gate wherever a node feeds
    more than one other node.
    """

    symbol = "copy"
    n_inputs = 1
    rules = ("each copy y = x has ∂y/∂x = 1: the gradients of the copies add up",)

    def __init__(self, n_copies=2):
        self.n_copies = check_count(n_copies, "CopyLayer", "n_copies")
        self.shape = None

    def forward(self, x):
        (x,) = check_gate_inputs("CopyLayer", x)
        self.shape = np.shape(x)
        return (x,) * self.n_copies

    def backward(self, douts):
        require_forward(self, "shape")
        douts = check_copy_douts(self, douts, self.n_copies, self.shape)
        dx = douts[0]
        for dout in douts[1:]:
            dx = dx + dout
        return dx

    def local_grads(self):
        return (1,) * self.n_copies


def _signed(c):
    """-1 -> '−1', 2.5 -> '2.5' (a true minus sign, as in printed maths)."""
    return f"−{-c:g}" if c < 0 else f"{c:g}"


def _times(dout, local):
    """dout × local, input by input.  Where ``local`` overflowed to inf although it is finite in exact
    maths (exp(800)), a zero upstream gradient still gives 0 (plain 0 × inf would give nan)."""
    with np.errstate(invalid="ignore"):
        product = np.multiply(dout, local)
    if np.any(np.isinf(local)):
        product = np.where((np.asarray(dout) == 0) & np.isinf(local), 0.0, product)
    return _plain(product)


def _plain(a):
    """A 0-d result becomes a Python number (what a learner's 3.0 * 2.0 gives); arrays stay arrays."""
    return a.item() if np.ndim(a) == 0 and isinstance(a, (np.ndarray, np.generic)) else a
