"""Name the usual wrong gradient, instead of only saying "wrong".

``diagnose(mine, right, batch_size=None)`` compares a learner's gradient with the right one and
returns one sentence for the first known mistake that explains the difference, or None:

    wrong sign             mine ≈ −right
    transposed             mine ≈ rightᵀ (a square matrix has the right shape only by luck)
    factor N or 1/N        mine ≈ N·right or right/N   (a mean where a sum belongs, or the reverse)
    missing sum            mine has one row per sample, and summing it over the batch gives right
    off by a constant      mine ≈ c·right for some other number c (a factor 2 forgotten, ...)

The checkers (``check_layer``, the lessons' exercise tests) add the sentence to their message.
"""
import numpy as np

from .closeness import close

TOLERANCE = 1e-6


def _close(a, b):
    """a ≈ b: no entry differs by more than TOLERANCE · max |b| (``closeness.close``)."""
    return close(a, b, TOLERANCE)


def diagnose(mine, right, batch_size=None, name="the gradient"):
    """One sentence naming the mistake that turns ``right`` into ``mine``; None if none is known.

    mine, right: arrays (or numbers).  batch_size: N, to recognise a factor N or a missing sum.
    """
    mine, right = np.asarray(mine, dtype=np.float64), np.asarray(right, dtype=np.float64)
    if not np.all(np.isfinite(mine)):
        return f"{name} holds nan or inf: look for a division by zero or an overflowing exp."
    if not np.any(right):
        return None
    if mine.shape == right.shape:
        if _close(mine, -right):
            return f"{name} has the wrong sign: every entry is the negative of the right one."
        if mine.ndim == 2 and mine.shape[0] == mine.shape[1] and _close(mine.T, right):
            return (f"{name} is the right answer transposed; its shape matched only because the matrix "
                    "is square. Check which side of the product the transpose belongs on.")
        if batch_size and batch_size > 1:
            if _close(mine, right * batch_size):
                return f"{name} is N = {batch_size} times too large: divide by the batch size (the loss is a mean)."
            if _close(mine, right / batch_size):
                return f"{name} is N = {batch_size} times too small: it is divided by the batch size once too often."
        ratio = _ratio(mine, right)
        if ratio is not None:
            return f"{name} is {ratio:.4g} times the right one: a constant factor is missing or extra."
    elif mine.ndim == right.ndim + 1 and mine.shape[1:] == right.shape and _close(mine.sum(axis=0), right):
        return (f"{name} has one row per sample, shape {mine.shape}; the parameter was shared by every "
                f"sample, so add the rows up over the batch (axis 0) to get shape {right.shape}.")
    elif mine.ndim == 2 and mine.T.shape == right.shape and _close(mine.T, right):
        return f"{name} is the right answer transposed: shape {mine.shape} instead of {right.shape}."
    return None


def _ratio(mine, right):
    """The number c with mine = c · right, if there is one (and it is not 1 or −1), else None."""
    index = np.unravel_index(np.argmax(np.abs(right)), right.shape)
    c = float(mine[index] / right[index])
    if np.isfinite(c) and abs(c) > 1e-12 and not np.isclose(abs(c), 1.0) and _close(mine, c * right):
        return c
    return None
