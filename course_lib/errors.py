"""Clear errors, and the one home of the input checks that gates and layers share.

Each check raises an error that names the layer, what it was given and what it expected.

    require_forward(layer, attribute)     backward before forward
    check_dout(layer, dout, shape)        an upstream gradient of the wrong shape
    check_weight_and_bias(who, W, b, ...) parameters whose shapes do not fit together
"""
import numpy as np


class BackwardBeforeForwardError(RuntimeError):
    """Raised when ``backward`` runs on a gate or layer whose ``forward`` has not run yet."""


def require_forward(layer, attribute):
    """Raise a clear error if ``layer.<attribute>`` was never set by ``forward``."""
    if getattr(layer, attribute, None) is None:
        name = type(layer).__name__
        raise BackwardBeforeForwardError(
            f"{name}.backward() was called before {name}.forward(): run forward first, "
            f"so the layer can remember what backward needs (self.{attribute})."
        )


def check_dout(layer, dout, expected_shape):
    """Reject an upstream gradient whose shape differs from the layer's output, naming both."""
    if np.shape(dout) != tuple(expected_shape):
        name = getattr(layer, "name", type(layer).__name__)
        raise ValueError(
            f"{name}.backward: dout has shape {np.shape(dout)}, but the forward output had shape "
            f"{tuple(expected_shape)}; pass the gradient of the loss with respect to that output"
        )


def check_weight_and_bias(who, W, b, w_axes, b_axis):
    """Reject W and b whose shapes do not fit: W has the axes ``w_axes``, b is one number per ``b_axis``.

    Affine: ``w_axes=("D", "M"), b_axis="M"``; Convolution: ``("FN", "C", "FH", "FW"), "FN"``.
    """
    w_shape = np.shape(W)
    if len(w_shape) != len(w_axes) or np.shape(b) != (w_shape[w_axes.index(b_axis)],):
        raise ValueError(
            f"{who}: W must be ({', '.join(w_axes)}) and b ({b_axis},), got W {w_shape} and b {np.shape(b)}"
        )
