"""Sigmoid: 1 / (1 + exp(−x)), element-wise (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import as_number_array, check_dout, require_forward
from ..functions import sigmoid


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
