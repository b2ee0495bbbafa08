"""Affine: x · W + b for a batch (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import check_dout, check_features, check_weight_and_bias, require_forward


class Affine:
    """out = x · W + b for a batch.

    W: (D, M), b: (M,).  forward: x (N, D) -> out (N, M); x (N, d1, d2, ...) is flattened to (N, D).
    backward: dout (N, M) -> dx in x's shape; sets dW (D, M) and db (M,).
    """

    formulas = ("dX = dY · Wᵀ", "dW = Xᵀ · dY", "db = Σ dY over the batch (axis 0)")

    def __init__(self, W, b, name="Affine"):
        check_weight_and_bias(name, W, b, ("D", "M"), "M")
        self.W = W
        self.b = b
        self.name = name
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        x = check_features(self.name, x, self.W.shape)
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        out = self.x @ self.W + self.b
        return out

    def backward(self, dout):
        require_forward(self, "x")
        dout = check_dout(self, dout, (self.x.shape[0], self.W.shape[1]))
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)  # b was added to every sample: their gradients add up
        return dx.reshape(self.original_x_shape)
