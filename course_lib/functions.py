"""Activation and loss functions, written to be numerically stable.

Shapes: x or y is (C,) for one sample or (N, C) for a batch of N samples over C classes.
Labels t are either class indices — an int, or (N,) integers — or one-hot rows of y's shape.
"""
import numpy as np


def sigmoid(x):
    """1 / (1 + exp(−x)), element-wise, without overflow: sigmoid(−1000) is exactly 0."""
    x = _as_float(x)
    e = np.exp(-np.abs(x))  # never exp of a large positive number
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softmax(x):
    """exp(x) / Σ exp(x) along the last axis; shifting by the max keeps exp from overflowing."""
    x = _as_float(x)
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(x):
    """log(softmax(x)), computed without taking the log of a tiny or zero probability."""
    x = _as_float(x)
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy_error(y, t):
    """Mean over the batch of −log(probability given to the right class).

    y: probabilities, (C,) or (N, C).  t: class indices or one-hot, see the module docstring.
    A probability of exactly 0 gives a large but finite loss (log is clamped at the smallest
    positive float), never inf or nan.
    """
    y = np.asarray(y)
    probs, labels = as_batch(y, t, "cross_entropy_error")
    log_probs = np.log(np.maximum(probs, np.finfo(probs.dtype).tiny))
    return mean_nll(log_probs, labels)


def as_batch(y, t, who="loss"):
    """Check labels against scores and return (scores as (N, C), labels as (N,) ints or (N, C) one-hot).

    Raises ValueError naming ``who`` for labels of the wrong shape, dtype or range.
    """
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim not in (1, 2) or y.shape[-1] == 0:
        raise ValueError(f"{who}: scores must have shape (C,) or (N, C), got {y.shape}")
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    n, n_classes = y2.shape
    if t.shape == y.shape:  # one-hot (or soft) labels
        if not (np.issubdtype(t.dtype, np.number) or t.dtype == bool):
            raise ValueError(f"{who}: one-hot labels must be numbers, got dtype {t.dtype}")
        return y2, t.reshape(n, n_classes)
    if t.shape == (() if y.ndim == 1 else (n,)):  # class indices
        if not np.issubdtype(t.dtype, np.integer):
            raise ValueError(
                f"{who}: class-index labels must be integers, got dtype {t.dtype} "
                f"(use t.astype(int), or one-hot labels of shape {y.shape})"
            )
        labels = t.reshape(n)
        bad = (labels < 0) | (labels >= n_classes)
        if bad.any():
            raise ValueError(
                f"{who}: label {labels[bad][0]} is out of range for {n_classes} classes "
                f"(expected 0 to {n_classes - 1})"
            )
        return y2, labels
    expected = f"({n},) class indices or one-hot labels of shape {y.shape}" if y.ndim == 2 else (
        f"one class index or one-hot labels of shape {y.shape}")
    raise ValueError(f"{who}: labels of shape {t.shape} do not fit scores of shape {y.shape}; expected {expected}")


def _as_float(x):
    """A float array: float32/float64 input keeps its precision; anything else becomes float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def mean_nll(log_probs, labels):
    """Mean negative log-likelihood, −Σ log p(right class) / N: the cross-entropy of a batch.

    log_probs: (N, C) log-probabilities; labels: (N,) class indices or (N, C) one-hot (or soft) rows.
    Returns a number.  Used by cross_entropy_error and SoftmaxWithLoss.
    """
    n = log_probs.shape[0]
    if labels.ndim == 1:
        return -log_probs[np.arange(n), labels].sum() / n
    return -(labels * log_probs).sum() / n


def one_hot(labels, n_classes, dtype=np.float64):
    """(N,) class indices -> (N, n_classes) rows with a single 1."""
    labels = np.asarray(labels)
    out = np.zeros((labels.size, n_classes), dtype=dtype)
    out[np.arange(labels.size), labels.reshape(-1)] = 1
    return out
