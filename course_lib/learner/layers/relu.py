"""Relu: max(0, x), element-wise (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import as_number_array, check_dout, require_forward


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
