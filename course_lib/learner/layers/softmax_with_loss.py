"""SoftmaxWithLoss: softmax, then the cross-entropy loss (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import as_number_array, check_dout, require_forward
from ..functions import as_batch, mean_nll, stable_log_softmax


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
