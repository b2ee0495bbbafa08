"""Convolution and max pooling for image batches, built on im2col.

Shapes: a batch of N images with C channels of H×W pixels is (N, C, H, W).
A convolution has FN filters, each (C, FH, FW); its output is (N, FN, OH, OW) with
OH = (H + 2·pad − FH) // stride + 1 (and OW likewise).

The trick (im2col): copy every patch the filter visits into one row of a matrix. The convolution
is then a single matrix product, exactly an Affine layer, so its backward is the Affine rules
dX = dY·Wᵀ, dW = Xᵀ·dY, db = Σ dY.  col2im sends the patch gradients back to the pixels, adding
up where patches overlap (a pixel used by several patches is a copy gate).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..errors import CourseValueError, as_number_array, check_count, check_dout, check_weight_and_bias, require_forward


def output_size(size, filter_size, stride, pad):
    """How many positions a filter takes along one axis: (size + 2·pad − filter) // stride + 1."""
    return (size + 2 * pad - filter_size) // stride + 1


def im2col(x, filter_h, filter_w, stride=1, pad=0):
    """x (N, C, H, W) -> (N·OH·OW, C·FH·FW): one row per filter position, one column per weight."""
    n, c, h, w = x.shape
    out_h, out_w = output_size(h, filter_h, stride, pad), output_size(w, filter_w, stride, pad)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(padded, (filter_h, filter_w), axis=(2, 3))  # (N, C, H', W', FH, FW)
    windows = windows[:, :, ::stride, ::stride][:, :, :out_h, :out_w]  # (N, C, OH, OW, FH, FW)
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * out_h * out_w, c * filter_h * filter_w)


def col2im(col, x_shape, filter_h, filter_w, stride=1, pad=0):
    """The backward of im2col: (N·OH·OW, C·FH·FW) -> (N, C, H, W), overlapping patches added up."""
    n, c, h, w = x_shape
    out_h, out_w = output_size(h, filter_h, stride, pad), output_size(w, filter_w, stride, pad)
    patches = col.reshape(n, out_h, out_w, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=col.dtype)
    for i in range(filter_h):
        for j in range(filter_w):
            padded[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] += patches[:, :, i, j]
    return padded[:, :, pad:pad + h, pad:pad + w]


class Convolution:
    """A 2-D convolution layer (cross-correlation, as in every deep-learning library).

    W: (FN, C, FH, FW), b: (FN,).  forward: x (N, C, H, W) -> out (N, FN, OH, OW).
    backward: dout (N, FN, OH, OW) -> dx (N, C, H, W); sets dW (FN, C, FH, FW) and db (FN,).
    """

    formulas = (
        "dX = col2im(dY · W)   (each patch's gradient, added back onto its pixels)",
        "dW = colᵀ · dY   (col: the patches, one row each)",
        "db = Σ dY over the batch and every position",
    )

    def __init__(self, W, b, stride=1, pad=0):
        check_weight_and_bias("Convolution", W, b, ("FN", "C", "FH", "FW"), "FN")
        self.W = W
        self.b = b
        self.stride = check_count(stride, "Convolution", "stride")
        self.pad = check_count(pad, "Convolution", "pad", minimum=0)
        self.x_shape = None
        self.col = None  # the patches, (N·OH·OW, C·FH·FW)
        self.dW = None
        self.db = None

    def forward(self, x):
        x = as_number_array(x, "Convolution.forward", "x")
        n_filters, channels, filter_h, filter_w = self.W.shape
        _check_images(x, channels, filter_h, filter_w, self.pad, "Convolution", "W")
        n, _, h, w = x.shape
        out_h = output_size(h, filter_h, self.stride, self.pad)
        out_w = output_size(w, filter_w, self.stride, self.pad)
        self.x_shape = x.shape
        self.col = im2col(x, filter_h, filter_w, self.stride, self.pad)
        out = self.col @ self.W.reshape(n_filters, -1).T + self.b  # an Affine layer over the patches
        return out.reshape(n, out_h, out_w, n_filters).transpose(0, 3, 1, 2)

    def backward(self, dout):
        require_forward(self, "col")
        n_filters, _, filter_h, filter_w = self.W.shape
        n, _, h, w = self.x_shape
        expected = (n, n_filters, output_size(h, filter_h, self.stride, self.pad),
                    output_size(w, filter_w, self.stride, self.pad))
        dout = check_dout(self, dout, expected)
        dout2 = np.transpose(dout, (0, 2, 3, 1)).reshape(-1, n_filters)  # (N·OH·OW, FN)
        self.db = dout2.sum(axis=0)
        self.dW = (self.col.T @ dout2).T.reshape(self.W.shape)
        dcol = dout2 @ self.W.reshape(n_filters, -1)
        return col2im(dcol, self.x_shape, filter_h, filter_w, self.stride, self.pad)


class Pooling:
    """Max pooling: each output is the largest value in its pool_h × pool_w window, per channel.

    forward: x (N, C, H, W) -> (N, C, OH, OW); stride defaults to the window size.
    Padding counts as −inf, so it never wins a window (max pooling of negative pixels stays negative);
    ``pad`` must be smaller than the window, so every window holds at least one pixel.
    backward: like the max gate, each window's gradient goes to the position that won.
    """

    formulas = ("dX = dY at the position of each window's max, 0 elsewhere",)

    def __init__(self, pool_h, pool_w, stride=None, pad=0):
        self.pool_h = check_count(pool_h, "Pooling", "pool_h")
        self.pool_w = check_count(pool_w, "Pooling", "pool_w")
        self.stride = pool_h if stride is None else check_count(stride, "Pooling", "stride")
        self.pad = check_count(pad, "Pooling", "pad", minimum=0)
        if pad >= min(pool_h, pool_w):
            raise CourseValueError(
                f"Pooling: pad {pad} must be smaller than the window {pool_h}×{pool_w}, "
                "or some windows would hold only padding"
            )
        self.x_shape = None
        self.arg_max = None  # for each window, which of its pool_h·pool_w positions won

    def forward(self, x):
        x = as_number_array(x, "Pooling.forward", "x")
        _check_images(x, None, self.pool_h, self.pool_w, self.pad, "Pooling", "the window")
        n, c, h, w = x.shape
        out_h = output_size(h, self.pool_h, self.stride, self.pad)
        out_w = output_size(w, self.pool_w, self.stride, self.pad)
        if self.pad:  # pad with −inf, not im2col's zeros: padding must never be the max
            x = np.pad(x.astype(np.result_type(x, float), copy=False), ((0, 0), (0, 0), (self.pad,) * 2, (self.pad,) * 2),
                       constant_values=-np.inf)
        windows = im2col(x, self.pool_h, self.pool_w, self.stride, 0).reshape(-1, self.pool_h * self.pool_w)
        self.x_shape = (n, c, h, w)
        self.arg_max = windows.argmax(axis=1)
        out = windows[np.arange(len(windows)), self.arg_max]
        return out.reshape(n, out_h, out_w, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        require_forward(self, "arg_max")
        n, c, h, w = self.x_shape
        expected = (n, c, output_size(h, self.pool_h, self.stride, self.pad),
                    output_size(w, self.pool_w, self.stride, self.pad))
        dout = check_dout(self, dout, expected)
        flat = np.transpose(dout, (0, 2, 3, 1)).reshape(-1)  # one number per window
        dwindows = np.zeros((flat.size, self.pool_h * self.pool_w), dtype=flat.dtype)
        dwindows[np.arange(flat.size), self.arg_max] = flat  # the winner takes the whole gradient
        dcol = dwindows.reshape(n * expected[2] * expected[3], -1)
        return col2im(dcol, self.x_shape, self.pool_h, self.pool_w, self.stride, self.pad)


def _check_images(x, channels, filter_h, filter_w, pad, who, what):
    """Reject inputs that are not (N, C, H, W), have the wrong channels, or are smaller than the filter."""
    if x.ndim != 4:
        raise CourseValueError(f"{who}: input must be a batch of images (N, C, H, W), got shape {x.shape}")
    if 0 in x.shape:
        raise CourseValueError(f"{who}: input of shape {x.shape} is empty; every axis needs at least 1")
    if channels is not None and x.shape[1] != channels:
        raise CourseValueError(f"{who}: input has {x.shape[1]} channels (shape {x.shape}), but {what} expects {channels}")
    if x.shape[2] + 2 * pad < filter_h or x.shape[3] + 2 * pad < filter_w:
        raise CourseValueError(
            f"{who}: images of {x.shape[2]}×{x.shape[3]} pixels (pad {pad}) are smaller than "
            f"{what}, {filter_h}×{filter_w}"
        )
