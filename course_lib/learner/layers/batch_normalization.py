"""BatchNormalization: each feature normalised over the batch (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import (
    CourseTypeError, CourseValueError, as_number_array, check_batch, check_dout, check_finite_number, check_flag,
    require_forward,
)


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
