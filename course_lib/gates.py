"""Gates: the smallest nodes of a computational graph.

Naming: the seeds ("Deep Learning from Scratch") call their gates ``MulLayer`` and ``AddLayer``, and so
do we: every gate here ends in ``Layer`` (``MulLayer``, ``ExpLayer``, ...).  The network layers in
``layers.py`` (``Affine``, ``Relu``, ...) have no suffix.  Both have the seeds' shape:

    forward(x, y)   computes the output and remembers on ``self`` what backward needs;
    backward(dout)  takes the upstream gradient and returns the gradient for each input.

Inputs may be Python numbers or numpy arrays of one shape (the operations are element-wise);
lists become arrays, and text, None or True/False are refused with a clear error (``errors``).

What a gate must provide to sit in a ``Graph`` is written down once, in ``Gate`` below; the
graph checks every gate against it (``missing_gate_members``) when the gate is added.
``backward`` always returns ``dout * local_grads()`` input by input; the tests check exactly that.

Rules are written in paper-style letters: a two-input gate is z = f(x, y), a one-input gate is
y = f(x).  In a graph those letters become the node's own names (``named_rules``): the add node
t = x + y of z = (x + y)² shows "∂t/∂x = 1", the square node z = t² shows "∂z/∂t = 2t".
"""
import re
from typing import Protocol

import numpy as np

from .errors import (
    CourseValueError, DivisionByZeroError, check_count, check_dout, check_finite_number, check_gate_inputs,
    require_forward,
)


class Gate(Protocol):
    """What every gate provides (``Graph.add_node`` checks each of these members is there).

    symbol          how pictures draw the node: "×", "+", "exp", ...
    n_inputs        how many inputs forward takes (1 or 2)
    rules           one local-derivative rule per input, in paper-style letters: inputs x, y
                    and output z for two inputs ("∂z/∂x = y"), input x and output y for one
                    input ("∂y/∂x = exp(x)"); ``named_rules`` puts the graph's names in
    forward(*inputs)  the output, remembering on ``self`` what backward needs
    backward(dout)    the gradient for each input: a tuple for two inputs, one value for one
    local_grads()     ∂output/∂input for each input, as numbers (a tuple), valid after forward
    """

    symbol: str
    n_inputs: int
    rules: tuple

    def forward(self, *inputs): ...

    def backward(self, dout): ...

    def local_grads(self): ...


GATE_MEMBERS = ("forward", "backward", "local_grads", "symbol", "n_inputs", "rules")


def missing_gate_members(gate):
    """The members of the ``Gate`` protocol that ``gate`` lacks, e.g. ["local_grads", "rules"]."""
    return [name for name in GATE_MEMBERS if not hasattr(gate, name)]


PAPER_LETTERS = {1: ("y", ("x",)), 2: ("z", ("x", "y"))}  # n_inputs -> (output letter, input letters)
_LETTER = re.compile(r"(?<![A-Za-z_])[xyz](?![A-Za-z0-9_])")


def named_rules(gate, output, inputs):
    """The gate's rules with its paper letters replaced by the graph's names.

    ``named_rules(AddLayer(), "t", ("x", "y"))`` -> ("∂t/∂x = 1", "∂t/∂y = 1").  A letter is replaced
    only where it stands alone ("2x" and "exp(x)" yes, "max" and "exp" no); all letters at once, so
    a node named y fed by x is safe.  A rule for a gate with more than two inputs is shown as written.
    """
    if gate.n_inputs not in PAPER_LETTERS:
        return tuple(gate.rules)
    out_letter, in_letters = PAPER_LETTERS[gate.n_inputs]
    names = {out_letter: output, **dict(zip(in_letters, inputs))}

    def replace(match):
        name = names.get(match.group(), match.group())
        after_digit = match.start() > 0 and match.string[match.start() - 1].isdigit()
        return f"·{name}" if after_digit and len(name) > 1 else name  # 2x -> 2t, but 2·apple

    return tuple(_LETTER.sub(replace, rule) for rule in gate.rules)


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


class MaxLayer:
    """z = max(x, y), element-wise.  Backward routes the whole gradient to the larger input.

    On a tie the gradient goes to x (any choice is a valid subgradient; this one is fixed).
    nan wins, in either position: max(nan, 1) and max(1, nan) are both nan, and the nan input gets
    the gradient (as numpy's maximum does).
    """

    symbol = "max"
    n_inputs = 2
    rules = ("∂z/∂x = 1 if x ≥ y else 0", "∂z/∂y = 1 if y > x else 0")

    def __init__(self):
        self.x_wins = None

    def forward(self, x, y):
        x, y = check_gate_inputs("MaxLayer", x, y)
        self.x_wins = (np.asarray(x) >= np.asarray(y)) | np.isnan(x)
        out = np.where(self.x_wins, x, y)
        return out if out.ndim else out.item()

    def backward(self, dout):
        require_forward(self, "x_wins")
        dout = check_dout(self, dout, self.x_wins.shape)
        dx = dout * self.x_wins
        dy = dout * ~self.x_wins
        return _like_dout(dx, dout), _like_dout(dy, dout)

    def local_grads(self):
        require_forward(self, "x_wins", method="local_grads")
        return _plain(self.x_wins.astype(float)), _plain((~self.x_wins).astype(float))


class CopyLayer:
    """The branch gate: one value sent to ``n_copies`` places.  Backward adds the gradients up.

    forward(x) returns a tuple of ``n_copies`` references to x;
    backward(*douts) takes one upstream gradient per copy and returns their sum.
    A ``Graph`` uses this gate wherever a node feeds more than one other node.
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

    def backward(self, *douts):
        require_forward(self, "shape")
        if len(douts) != self.n_copies:
            raise CourseValueError(
                f"CopyLayer.backward expects one gradient per copy ({self.n_copies}), got {len(douts)}"
            )
        douts = [check_dout(self, dout, self.shape) for dout in douts]
        dx = douts[0]
        for dout in douts[1:]:
            dx = dx + dout
        return dx

    def local_grads(self):
        return (1,) * self.n_copies


# ---- unary gates: enough to draw the sigmoid 1 / (1 + exp(-x)) as a graph ----


class MulConstLayer:
    """y = c * x for a fixed number c (the sigmoid graph uses c = -1).  dx = dout * c."""

    n_inputs = 1

    def __init__(self, c):
        self.c = check_finite_number(c, "MulConstLayer", "the constant c")
        self.shape = None
        self.symbol = f"×{_signed(c)}"
        self.rules = (f"∂y/∂x = {_signed(c)}",)

    def forward(self, x):
        (x,) = check_gate_inputs("MulConstLayer", x)
        self.shape = np.shape(x)
        return self.c * x

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        dx = dout * self.c
        return dx

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        return (self.c,)


class AddConstLayer:
    """y = x + c for a fixed number c (the sigmoid graph uses c = 1).  dx = dout."""

    n_inputs = 1

    def __init__(self, c):
        self.c = check_finite_number(c, "AddConstLayer", "the constant c")
        self.shape = None
        self.symbol = f"+{c:g}" if c >= 0 else f"−{-c:g}"
        self.rules = ("∂y/∂x = 1",)

    def forward(self, x):
        (x,) = check_gate_inputs("AddConstLayer", x)
        self.shape = np.shape(x)
        return x + self.c

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        dx = dout * 1
        return dx

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        return (1,)


class ExpLayer:
    """y = exp(x).  The derivative of exp is exp itself: dx = dout * y.

    exp(x) overflows to inf above x ≈ 709.8, yet it is a finite number for every finite x; so where
    the upstream gradient is 0, dx is 0 (not 0 × inf = nan).  That keeps the sigmoid graph at
    x = −1000 at the right gradient, 0, as the ``sigmoid`` function is.
    """

    symbol = "exp"
    n_inputs = 1
    rules = ("∂y/∂x = exp(x)",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        (x,) = check_gate_inputs("ExpLayer", x)
        with np.errstate(over="ignore"):  # an overflow gives inf, which the trace explains in words
            self.out = np.exp(x)
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dout = check_dout(self, dout, np.shape(self.out))
        dx = _times_overflowed(dout, self.out)
        return dx

    def local_grads(self):
        require_forward(self, "out", method="local_grads")
        return (self.out,)


class ReciprocalLayer:
    """y = 1 / x.  dx = dout * (-1 / x²) = dout * (-y²)."""

    symbol = "1/x"
    n_inputs = 1
    rules = ("∂y/∂x = −1/x² = −y²",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        (x,) = check_gate_inputs("ReciprocalLayer", x)
        if np.any(np.asarray(x) == 0):
            raise DivisionByZeroError("ReciprocalLayer: 1/x is undefined at x = 0 (an input is 0)")
        self.out = 1 / x
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dout = check_dout(self, dout, np.shape(self.out))
        dx = dout * -_square(self.out)
        return dx

    def local_grads(self):
        require_forward(self, "out", method="local_grads")
        return (-_square(self.out),)


class SquareLayer:
    """y = x².  dx = dout * 2x  (the outer function of the chain-rule example z = (x + y)²)."""

    symbol = "**2"
    n_inputs = 1
    rules = ("∂y/∂x = 2x",)

    def __init__(self):
        self.x = None

    def forward(self, x):
        (x,) = check_gate_inputs("SquareLayer", x)
        self.x = x
        return _square(x)

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, np.shape(self.x))
        dx = dout * 2 * self.x
        return dx

    def local_grads(self):
        require_forward(self, "x", method="local_grads")
        return (2 * self.x,)


def _signed(c):
    """-1 -> '−1', 2.5 -> '2.5' (a true minus sign, as in printed maths)."""
    return f"−{-c:g}" if c < 0 else f"{c:g}"


def _times_overflowed(dout, local):
    """dout × local, where ``local`` may have overflowed to inf although it is finite in exact maths:
    a zero upstream gradient then still gives 0 (plain dout × inf would give nan)."""
    with np.errstate(invalid="ignore"):
        product = np.multiply(dout, local)
    product = np.where((np.asarray(dout) == 0) & np.isinf(local), 0.0, product)
    return product[()]  # a 0-d result becomes a numpy number, as dout * local would be


def _square(x):
    """x², giving inf where it overflows (Python's own float ** would raise OverflowError)."""
    if isinstance(x, float):
        try:
            return x**2
        except OverflowError:
            return float("inf")
    with np.errstate(over="ignore"):
        return x**2


def _plain(a):
    """A 0-d array becomes a Python number; arrays stay arrays."""
    return a.item() if np.ndim(a) == 0 else a


def _like_dout(grad, dout):
    """Keep scalar gradients scalar when the upstream gradient was a plain number."""
    return _plain(np.asarray(grad, dtype=np.result_type(dout, float)))


# ---- gates for recorded expressions (course_lib.autograd) ----
# Everything below this line was added for ``Value`` and ``parse_expression``: the remaining operations
# of a formula, each a gate in the same shape as the ones above.  Each gate keeps its rule texts in one
# place (``rules``), and computes with numpy so that a value leaving the real numbers becomes nan or
# inf (which ``Value`` turns into a clear error) instead of raising deep inside a formula.

from .functions import sigmoid as _stable_sigmoid  # noqa: E402  (kept in this section for an easy merge)


class SubLayer:
    """z = x − y.  Backward: dx = dout, dy = −dout."""

    symbol = "−"
    n_inputs = 2
    rules = ("∂z/∂x = 1", "∂z/∂y = −1")

    def __init__(self):
        self.shape = None

    def forward(self, x, y):
        x, y = check_gate_inputs("SubLayer", x, y)
        self.shape = np.shape(x)
        return x - y

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        return dout * 1, dout * -1

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        return 1, -1


class DivLayer:
    """z = x / y.  Backward: dx = dout / y, dy = −dout · x / y²."""

    symbol = "/"
    n_inputs = 2
    rules = ("∂z/∂x = 1/y", "∂z/∂y = −x/y²")

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        x, y = check_gate_inputs("DivLayer", x, y)
        self.x = x
        self.y = y
        return np.divide(x, y)

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, np.shape(self.x))
        d_x, d_y = self.local_grads()
        return dout * d_x, dout * d_y

    def local_grads(self):
        require_forward(self, "x", method="local_grads")
        return np.divide(1, self.y), np.divide(-self.x, np.square(self.y))


class DivConstLayer:
    """y = x / c for a fixed number c ≠ 0.  dx = dout / c."""

    n_inputs = 1

    def __init__(self, c):
        check_finite_number(c, "DivConstLayer", "the constant c")
        if c == 0:
            raise DivisionByZeroError("DivConstLayer: division by the constant 0")
        self.c = c
        self.shape = None
        self.symbol = f"÷{_signed(c)}"
        self.rules = (f"∂y/∂x = 1/{_signed(c)}",)

    def forward(self, x):
        (x,) = check_gate_inputs("DivConstLayer", x)
        self.shape = np.shape(x)
        return x / self.c

    def backward(self, dout):
        require_forward(self, "shape")
        dout = check_dout(self, dout, self.shape)
        return dout / self.c

    def local_grads(self):
        require_forward(self, "shape", method="local_grads")
        return (1 / self.c,)


class PowerLayer:
    """y = x ** p for a fixed number p (the exponent).  dx = dout · p · x^(p − 1)."""

    n_inputs = 1

    def __init__(self, p):
        self.p = check_finite_number(p, "PowerLayer", "the exponent p")
        self.x = None
        self.symbol = f"**{_signed(p)}"
        power = "x" if p == 2 else f"x^{_signed(p - 1)}"
        self.rules = ({0: "∂y/∂x = 0", 1: "∂y/∂x = 1"}.get(p, f"∂y/∂x = {_signed(p)}·{power}"),)

    def forward(self, x):
        (x,) = check_gate_inputs("PowerLayer", x)
        self.x = x
        return np.power(x, self.p)

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, np.shape(self.x))
        return dout * self.local_grads()[0]

    def local_grads(self):
        require_forward(self, "x", method="local_grads")
        if self.p == 0:
            return (0 * self.x,)  # x⁰ = 1 is constant, even at x = 0
        return (self.p * np.power(self.x, self.p - 1),)


class LogLayer:
    """y = log(x), the natural logarithm.  dx = dout / x."""

    symbol = "log"
    n_inputs = 1
    rules = ("∂y/∂x = 1/x",)

    def __init__(self):
        self.x = None

    def forward(self, x):
        (x,) = check_gate_inputs("LogLayer", x)
        self.x = x
        return np.log(x)

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, np.shape(self.x))
        return dout * self.local_grads()[0]

    def local_grads(self):
        require_forward(self, "x", method="local_grads")
        return (np.divide(1, self.x),)


class TanhLayer:
    """y = tanh(x).  dx = dout · (1 − y²)."""

    symbol = "tanh"
    n_inputs = 1
    rules = ("∂y/∂x = 1 − tanh(x)² = 1 − y²",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        (x,) = check_gate_inputs("TanhLayer", x)
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dout = check_dout(self, dout, np.shape(self.out))
        return dout * (1 - self.out**2)

    def local_grads(self):
        require_forward(self, "out", method="local_grads")
        return (1 - self.out**2,)


class ReluLayer:
    """y = relu(x) = max(x, 0): the scalar gate (``layers.Relu`` is the layer for arrays in networks).

    dx = dout where x > 0, else 0 (at x = 0 the gradient is 0, as in ``layers.Relu``).
    """

    symbol = "relu"
    n_inputs = 1
    rules = ("∂y/∂x = 1 if x > 0 else 0",)

    def __init__(self):
        self.positive = None

    def forward(self, x):
        (x,) = check_gate_inputs("ReluLayer", x)
        self.positive = (np.asarray(x) > 0) | np.isnan(x)  # nan in, nan out (as in MaxLayer)
        return _plain(np.where(self.positive, x, 0.0))

    def backward(self, dout):
        require_forward(self, "positive")
        dout = check_dout(self, dout, self.positive.shape)
        return _like_dout(dout * self.positive, dout)

    def local_grads(self):
        require_forward(self, "positive", method="local_grads")
        return (_plain(self.positive.astype(float)),)


class SigmoidLayer:
    """y = sigmoid(x) = 1 / (1 + exp(−x)) as one gate (``layers.Sigmoid`` is the layer for arrays).

    dx = dout · y · (1 − y), the result derived step by step through the four gates of ``sigmoid_graph``.
    """

    symbol = "σ"
    n_inputs = 1
    rules = ("∂y/∂x = y·(1 − y)",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        (x,) = check_gate_inputs("SigmoidLayer", x)
        self.out = _plain(_stable_sigmoid(x))  # no overflow for large |x|
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dout = check_dout(self, dout, np.shape(self.out))
        return dout * (self.out * (1 - self.out))

    def local_grads(self):
        require_forward(self, "out", method="local_grads")
        return (self.out * (1 - self.out),)


class MaxConstLayer:
    """y = max(x, c) for a fixed number c.  dx = dout if x ≥ c else 0 (a tie goes to x, as in MaxLayer)."""

    n_inputs = 1

    def __init__(self, c):
        self.c = check_finite_number(c, "MaxConstLayer", "the constant c")
        self.x_wins = None
        self.symbol = f"max{_signed(c)}"
        self.rules = (f"∂y/∂x = 1 if x ≥ {_signed(c)} else 0",)

    def forward(self, x):
        (x,) = check_gate_inputs("MaxConstLayer", x)
        self.x_wins = (np.asarray(x) >= self.c) | np.isnan(x)  # nan in, nan out (as in MaxLayer)
        return _plain(np.where(self.x_wins, x, self.c))

    def backward(self, dout):
        require_forward(self, "x_wins")
        dout = check_dout(self, dout, self.x_wins.shape)
        return _like_dout(dout * self.x_wins, dout)

    def local_grads(self):
        require_forward(self, "x_wins", method="local_grads")
        return (_plain(self.x_wins.astype(float)),)


