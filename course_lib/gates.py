"""Gates: the smallest nodes of a computational graph.

Every gate follows the shape of the layers in "Deep Learning from Scratch":

    forward(x, y)   computes the output and remembers on ``self`` what backward needs;
    backward(dout)  takes the upstream gradient and returns the gradient for each input.

Inputs may be Python numbers or numpy arrays of one shape (the operations are element-wise).

Each gate also says, for pictures and explanations, which symbol it is drawn with (``symbol``),
its local derivatives as words (``rules``) and as numbers (``local_grads()``, valid after forward).
``backward`` always returns ``dout * local_grads()`` input by input; the tests check exactly that.
"""
import numpy as np

from .errors import require_forward


class MulLayer:
    """z = x * y.  Backward swaps the inputs: dx = dout * y, dy = dout * x."""

    symbol = "×"
    n_inputs = 2
    rules = ("∂z/∂x = y", "∂z/∂y = x")

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        require_forward(self, "x")
        dx = dout * self.y  # the gradient for x is scaled by the *other* input
        dy = dout * self.x
        return dx, dy

    def local_grads(self):
        require_forward(self, "x")
        return self.y, self.x


class AddLayer:
    """z = x + y.  Backward passes the upstream gradient unchanged to both inputs."""

    symbol = "+"
    n_inputs = 2
    rules = ("∂z/∂x = 1", "∂z/∂y = 1")

    def __init__(self):
        self.shape = None

    def forward(self, x, y):
        self.shape = np.shape(x)
        out = x + y
        return out

    def backward(self, dout):
        require_forward(self, "shape")
        dx = dout * 1
        dy = dout * 1
        return dx, dy

    def local_grads(self):
        require_forward(self, "shape")
        return 1, 1


class MaxLayer:
    """z = max(x, y), element-wise.  Backward routes the whole gradient to the larger input.

    On a tie the gradient goes to x (any choice is a valid subgradient; this one is fixed).
    """

    symbol = "max"
    n_inputs = 2
    rules = ("∂z/∂x = 1 if x ≥ y else 0", "∂z/∂y = 1 if y > x else 0")

    def __init__(self):
        self.x_wins = None

    def forward(self, x, y):
        self.x_wins = np.asarray(x) >= np.asarray(y)
        out = np.where(self.x_wins, x, y)
        return out if out.ndim else out.item()

    def backward(self, dout):
        require_forward(self, "x_wins")
        dx = dout * self.x_wins
        dy = dout * ~self.x_wins
        return _like_dout(dx, dout), _like_dout(dy, dout)

    def local_grads(self):
        require_forward(self, "x_wins")
        return _plain(self.x_wins.astype(float)), _plain((~self.x_wins).astype(float))


class CopyLayer:
    """The branch gate: one value sent to ``n_copies`` places.  Backward adds the gradients up.

    forward(x) returns a tuple of ``n_copies`` references to x;
    backward(*douts) takes one upstream gradient per copy and returns their sum.
    A ``Graph`` uses this gate wherever a node feeds more than one other node.
    """

    symbol = "copy"
    n_inputs = 1
    rules = ("∂x/∂x = 1 on every branch: the gradients add up",)

    def __init__(self, n_copies=2):
        if n_copies < 1:
            raise ValueError(f"CopyLayer needs n_copies >= 1, got {n_copies}")
        self.n_copies = n_copies
        self.shape = None

    def forward(self, x):
        self.shape = np.shape(x)
        return (x,) * self.n_copies

    def backward(self, *douts):
        require_forward(self, "shape")
        if len(douts) != self.n_copies:
            raise ValueError(
                f"CopyLayer.backward expects one gradient per copy ({self.n_copies}), got {len(douts)}"
            )
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
        self.c = c
        self.shape = None
        self.symbol = f"×{_signed(c)}"
        self.rules = (f"∂y/∂x = {_signed(c)}",)

    def forward(self, x):
        self.shape = np.shape(x)
        return self.c * x

    def backward(self, dout):
        require_forward(self, "shape")
        dx = dout * self.c
        return dx

    def local_grads(self):
        require_forward(self, "shape")
        return (self.c,)


class AddConstLayer:
    """y = x + c for a fixed number c (the sigmoid graph uses c = 1).  dx = dout."""

    n_inputs = 1

    def __init__(self, c):
        self.c = c
        self.shape = None
        self.symbol = f"+{c:g}" if c >= 0 else f"−{-c:g}"
        self.rules = ("∂y/∂x = 1",)

    def forward(self, x):
        self.shape = np.shape(x)
        return x + self.c

    def backward(self, dout):
        require_forward(self, "shape")
        dx = dout * 1
        return dx

    def local_grads(self):
        require_forward(self, "shape")
        return (1,)


class ExpLayer:
    """y = exp(x).  The derivative of exp is exp itself: dx = dout * y."""

    symbol = "exp"
    n_inputs = 1
    rules = ("∂y/∂x = exp(x)",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.exp(x)
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dx = dout * self.out
        return dx

    def local_grads(self):
        require_forward(self, "out")
        return (self.out,)


class ReciprocalLayer:
    """y = 1 / x.  dx = dout * (-1 / x²) = dout * (-y²)."""

    symbol = "1/x"
    n_inputs = 1
    rules = ("∂y/∂x = −1/x² = −y²",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / x
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dx = dout * -(self.out**2)
        return dx

    def local_grads(self):
        require_forward(self, "out")
        return (-(self.out**2),)


class SquareLayer:
    """y = x².  dx = dout * 2x  (the outer function of the chain-rule example z = (x + y)²)."""

    symbol = "**2"
    n_inputs = 1
    rules = ("∂y/∂x = 2x",)

    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x
        return x**2

    def backward(self, dout):
        require_forward(self, "x")
        dx = dout * 2 * self.x
        return dx

    def local_grads(self):
        require_forward(self, "x")
        return (2 * self.x,)


def _signed(c):
    """-1 -> '−1', 2.5 -> '2.5' (a true minus sign, as in printed maths)."""
    return f"−{-c:g}" if c < 0 else f"{c:g}"


def _plain(a):
    """A 0-d array becomes a Python number; arrays stay arrays."""
    return a.item() if np.ndim(a) == 0 else a


def _like_dout(grad, dout):
    """Keep scalar gradients scalar when the upstream gradient was a plain number."""
    return _plain(np.asarray(grad, dtype=np.result_type(dout, float)))
