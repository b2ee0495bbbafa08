"""Dropout: random units switched off while training (the seeds' shape; see layers/__init__.py)."""
import numpy as np

from ...errors import CourseValueError, as_number_array, check_dout, check_finite_number, check_flag, random_generator, require_forward


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
