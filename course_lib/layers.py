"""Neural-network layers, each with forward(x) and backward(dout).

As in "Deep Learning from Scratch": forward stores on ``self`` what backward needs, backward returns
the gradient for the input, and a layer with parameters keeps their gradients on ``self.dW``,
``self.db`` (or ``self.dgamma``, ``self.dbeta``).  No backward changes the ``dout`` it is given.

Each layer also carries its backward rules as words in ``formulas`` (as gates carry ``rules``),
written with dY for the gradient arriving at the output and dX for the one sent to the input;
the network's backward trace and the steppers show them.

Shapes: N samples in a batch, D input features, M outputs, C classes.
"""
import numpy as np

from .errors import (
    CourseTypeError, CourseValueError, as_number_array, check_batch, check_dout, check_finite_number,
    check_flag, check_weight_and_bias, random_generator, require_forward,
)
from .functions import as_batch, mean_nll, sigmoid, stable_log_softmax


class Relu:
    """out = max(0, x), element-wise.  Backward lets dout through where x > 0 (the mask)."""

    formulas = ("dX = dY where x > 0, else 0",)

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x: any shape -> out: same shape."""
        x = as_number_array(x, "Relu.forward", "x")
        self.mask = x <= 0  # True where the unit is off
        out = x.copy()  # a new array: x is left as it was
        out[self.mask] = 0
        return out

    def backward(self, dout):
        """dout: shape of the forward input -> dx: same shape (dout itself is left untouched)."""
        require_forward(self, "mask")
        dout = check_dout(self, dout, self.mask.shape)
        dx = np.array(dout)  # a copy: the seeds zero the caller's array in place
        dx[self.mask] = 0
        return dx


class Sigmoid:
    """out = 1 / (1 + exp(−x)).  Backward: dx = dout · out · (1 − out)."""

    formulas = ("dX = dY · y · (1 − y)   (y: the forward output)",)

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: any shape -> out: same shape."""
        self.out = sigmoid(as_number_array(x, "Sigmoid.forward", "x"))
        return self.out

    def backward(self, dout):
        require_forward(self, "out")
        dout = check_dout(self, dout, self.out.shape)
        dx = dout * self.out * (1.0 - self.out)
        return dx


class Affine:
    """out = x · W + b for a batch.

    W: (D, M), b: (M,).  forward: x (N, D) -> out (N, M); x of any rank (N, d1, d2, ...) is
    flattened to (N, D) first, and a single sample (D,) gives out (M,).
    backward: dout (N, M) -> dx in x's shape; sets dW (D, M) = xᵀ · dout and db (M,) = Σ dout over N.
    ``compute_dx = False`` skips dx (returns None): the first layer of a net never needs it.
    forward keeps a copy of x for backward, so changing x afterwards cannot change dW;
    ``copy_input = False`` keeps x itself, for a caller that runs backward before anyone can change x.
    """

    formulas = ("dX = dY · Wᵀ", "dW = Xᵀ · dY", "db = Σ dY over the batch (axis 0)")

    def __init__(self, W, b, name="Affine"):
        check_weight_and_bias(name, W, b, ("D", "M"), "M")
        self.W = W
        self.b = b
        self.name = name
        self.compute_dx = True
        self.copy_input = True
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        x = as_number_array(x, f"{self.name}.forward", "x")
        if x.ndim == 0:
            raise CourseValueError(f"{self.name}: x is one number; expected a batch (N, D) or one sample (D,)")
        if x.shape[0] == 0:
            check_batch(x, self.name)
        self.original_x_shape = x.shape
        x2 = x.reshape(1, -1) if x.ndim == 1 else x.reshape(x.shape[0], -1)
        n_features = self.W.shape[0]
        if x2.shape[1] != n_features:
            raise CourseValueError(
                f"{self.name}: input of shape {x.shape} has {x2.shape[1]} features per sample, "
                f"but W has shape {self.W.shape}, so it expects {n_features}"
            )
        self.x = x2.copy() if self.copy_input and np.may_share_memory(x2, x) else x2
        out = x2 @ self.W + self.b
        return out[0] if x.ndim == 1 else out

    def backward(self, dout):
        require_forward(self, "x")
        expected = (self.W.shape[1],) if len(self.original_x_shape) == 1 else (self.x.shape[0], self.W.shape[1])
        dout = check_dout(self, dout, expected)
        dout2 = np.reshape(dout, (self.x.shape[0], -1))
        self.dW = self.x.T @ dout2
        self.db = dout2.sum(axis=0)  # b was copied to every sample (broadcast): the copies' gradients add up
        if not self.compute_dx:
            return None
        dx = dout2 @ self.W.T
        return dx.reshape(self.original_x_shape)


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy loss, averaged over the batch.

    forward(x, t): scores x (N, C) or (C,), labels t as (N,) class indices or (N, C) one-hot
    -> the mean loss, a number.  The loss comes from log-softmax, so it is exact and finite.
    backward(dout=1) -> dx of x's shape: (y − t) / N, times dout.
    """

    formulas = ("dX = (y − t) / N   (y: softmax output, t: one-hot labels, N: batch size)",)

    def __init__(self):
        self.y = None  # softmax probabilities, (N, C)
        self.t = None  # labels as given, (N,) or (N, C)
        self.loss = None
        self.x_shape = None

    def forward(self, x, t):
        x = as_number_array(x, "SoftmaxWithLoss.forward", "x (the scores)")
        x2, labels = as_batch(x, t, "SoftmaxWithLoss")
        log_y = stable_log_softmax(x2)  # log_softmax, unchecked: nan in, nan out
        self.y = np.exp(log_y)
        self.t = labels
        self.x_shape = x.shape
        self.loss = mean_nll(log_y, labels)
        return self.loss

    def backward(self, dout=1):
        require_forward(self, "y")
        dout = check_dout(self, dout, ())  # the loss is one number, so is its gradient
        n = self.y.shape[0]
        if self.t.ndim == 1:
            dx = self.y.copy()
            dx[np.arange(n), self.t] -= 1
        else:
            dx = self.y - self.t
        dx *= dout / n
        return dx.reshape(self.x_shape)


class Dropout:
    """Switch off a random fraction ``dropout_ratio`` of the units while training.

    forward(x, train_flg=True): x any shape -> same shape.  Training keeps each unit with
    probability 1 − ratio; evaluation keeps all of them, scaled by (1 − ratio) so the expected
    value matches training.  ``seed`` makes the masks reproducible.
    """

    formulas = ("dX = dY · mask   (training: the units kept; evaluation: every unit × (1 − ratio))",)

    def __init__(self, dropout_ratio=0.5, seed=None):
        check_finite_number(dropout_ratio, "Dropout", "dropout_ratio")
        if not 0 <= dropout_ratio < 1:
            raise CourseValueError(f"Dropout: dropout_ratio must be in [0, 1), got {dropout_ratio}")
        self.dropout_ratio = dropout_ratio
        self.rng = random_generator(seed, "Dropout")
        self.mask = None
        self.scale = None

    def forward(self, x, train_flg=True):
        x = as_number_array(x, "Dropout.forward", "x")
        if check_flag(train_flg, "Dropout.forward", "train_flg"):
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            self.scale = self.mask
        else:
            self.mask = None
            self.scale = np.full(x.shape, 1.0 - self.dropout_ratio)
        return x * self.scale

    def backward(self, dout):
        require_forward(self, "scale")
        dout = check_dout(self, dout, self.scale.shape)
        dx = dout * self.scale
        return dx


class BatchNormalization:
    """Normalise each feature over the batch, then scale by gamma and shift by beta.

    gamma, beta: (D,).  forward(x, train_flg=True): x (N, D), or (N, ...) flattened to (N, D)
    -> same shape as x.  Training uses the batch's mean and variance and updates running
    averages (``momentum``); evaluation uses the running averages.
    backward(dout) -> dx; sets dgamma (D,) and dbeta (D,).
    """

    formulas = (
        "dβ = Σ dY over the batch",
        "dγ = Σ dY · x̂ over the batch   (x̂ = (x − mean) / σ)",
        "dX = γ / (N·σ) · (N·dY − Σ dY − x̂ · Σ dY·x̂)   (evaluation: dX = γ · dY / σ)",
    )

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, eps=1e-7):
        _check_gamma_beta(gamma, beta)
        check_finite_number(momentum, "BatchNormalization", "momentum")
        check_finite_number(eps, "BatchNormalization", "eps")
        if not 0 <= momentum <= 1 or eps <= 0:
            raise CourseValueError(
                f"BatchNormalization: momentum must be in [0, 1] and eps above 0, got momentum {momentum} and eps {eps}"
            )
        if (running_mean is None) != (running_var is None) or (
                running_mean is not None and (np.shape(running_mean) != np.shape(gamma) or np.shape(running_var) != np.shape(gamma))):
            raise CourseValueError(
                f"BatchNormalization: give both running_mean and running_var, each of gamma's shape {np.shape(gamma)}, "
                f"or neither; got {np.shape(running_mean) if running_mean is not None else None} and "
                f"{np.shape(running_var) if running_var is not None else None}"
            )
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.eps = eps
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        self.train_flg = None
        self.x_centered = None
        self.std = None
        self.x_hat = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        x = as_number_array(x, "BatchNormalization.forward", "x")
        if x.ndim < 2:
            raise CourseValueError(f"BatchNormalization: x must be a batch (N, D), got shape {x.shape}")
        check_batch(x, "BatchNormalization")
        check_flag(train_flg, "BatchNormalization.forward", "train_flg")
        self.input_shape = x.shape
        x2 = x.reshape(x.shape[0], -1)
        if x2.shape[1] != np.shape(self.gamma)[0]:
            raise CourseValueError(
                f"BatchNormalization: input of shape {x.shape} has {x2.shape[1]} features, "
                f"but gamma has shape {np.shape(self.gamma)}"
            )
        if self.running_mean is None:
            self.running_mean = np.zeros(x2.shape[1], dtype=x2.dtype)
            self.running_var = np.ones(x2.shape[1], dtype=x2.dtype)
        if train_flg:
            mean = x2.mean(axis=0)
            self.x_centered = x2 - mean
            var = (self.x_centered**2).mean(axis=0)
            self.std = np.sqrt(var + self.eps)
            self.x_hat = self.x_centered / self.std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            self.x_centered = x2 - self.running_mean
            self.std = np.sqrt(self.running_var + self.eps)
            self.x_hat = self.x_centered / self.std
        self.train_flg = train_flg
        out = self.gamma * self.x_hat + self.beta
        return out.reshape(x.shape)

    def backward(self, dout):
        require_forward(self, "x_hat")
        dout = check_dout(self, dout, self.input_shape)
        dout2 = np.reshape(dout, self.x_hat.shape)
        n = dout2.shape[0]
        self.dbeta = dout2.sum(axis=0)
        self.dgamma = (self.x_hat * dout2).sum(axis=0)
        dx_hat = self.gamma * dout2
        if not self.train_flg:  # running statistics are constants
            return (dx_hat / self.std).reshape(self.input_shape)
        # mean and variance depend on every sample of the batch: their gradients flow back too
        dx_centered = dx_hat / self.std
        dstd = -((dx_hat * self.x_centered) / (self.std**2)).sum(axis=0)
        dvar = 0.5 * dstd / self.std
        dx_centered += (2.0 / n) * self.x_centered * dvar
        dmean = dx_centered.sum(axis=0)
        dx = dx_centered - dmean / n
        return dx.reshape(self.input_shape)


def _check_gamma_beta(gamma, beta):
    """gamma and beta: float arrays of one shape (D,), one number per feature."""
    for what, value in (("gamma", gamma), ("beta", beta)):
        if not (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
            raise CourseTypeError(
                f"BatchNormalization: {what} must be a numpy array of floats (D,), got {type(value).__name__}"
                + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else "")
            )
    if np.ndim(gamma) != 1 or np.shape(gamma) != np.shape(beta) or np.size(gamma) == 0:
        raise CourseValueError(
            f"BatchNormalization: gamma and beta must both be (D,), one number per feature, "
            f"got {np.shape(gamma)} and {np.shape(beta)}"
        )
