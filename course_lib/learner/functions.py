"""Activation and loss functions, written to be numerically stable.

Shapes: x or y is (C,) for one sample or (N, C) for a batch of N samples over C classes.
Labels t are either class indices — an int, or (N,) integers — or one-hot rows of y's shape.
"""
import numpy as np

from ..errors import CourseTypeError, CourseValueError, as_number_array, check_count, nonfinite_meaning
from ..i18n import _


def sigmoid(x):
    """1 / (1 + exp(−x)), element-wise, without overflow: sigmoid(−1000) is exactly 0."""
    x = _as_float(x, "sigmoid")
    e = np.exp(-np.abs(x))  # never exp of a large positive number
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softmax(x):
    """exp(x) / Σ exp(x) along the last axis; shifting by the max keeps exp from overflowing.

    A score of −inf gives probability 0 (a class never chosen).  A row with nan or +inf, or with
    every score −inf, has no defined softmax and is refused with a CourseValueError naming the row.
    """
    x = _as_float(x, "softmax", scores=True)
    _check_defined_scores(x, "softmax")
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(x):
    """log(softmax(x)), computed without taking the log of a tiny or zero probability.

    The same scores as softmax are refused (nan, +inf, a row of only −inf).
    """
    x = _as_float(x, "log_softmax", scores=True)
    _check_defined_scores(x, "log_softmax")
    return stable_log_softmax(x)


def stable_log_softmax(x):
    """log_softmax of a float array, unchecked: nan in, nan out, as layers compute (SoftmaxWithLoss)."""
    with np.errstate(invalid="ignore"):  # inf − inf is nan: no warning, the loss says it (TrainingDiverged)
        shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _check_defined_scores(x, who):
    """Refuse score rows whose softmax is undefined: nan or +inf in them, or every score −inf."""
    rows = x.reshape(-1, x.shape[-1])
    bad_entry = np.isnan(rows) | (rows == np.inf)
    all_minus_inf = (rows == -np.inf).all(axis=1)
    bad_rows = bad_entry.any(axis=1) | all_minus_inf
    if not bad_rows.any():
        return
    i = int(np.argmax(bad_rows))
    where = "x" if x.ndim == 1 else _("row {i} of x").format(i=i)
    if all_minus_inf[i]:
        raise CourseValueError(_(
            "{who}: {where} is all −inf, so every exp is 0 and the probabilities 0/0 are undefined; "
            "give at least one finite score per row"
        ).format(who=who, where=where))
    bad = rows[i][bad_entry[i]][0]
    raise CourseValueError(_(
        "{who}: {where} holds {bad}, {meaning}; softmax needs finite scores "
        "(−inf is allowed: a class that is never chosen)"
    ).format(who=who, where=where, bad=bad, meaning=nonfinite_meaning(bad)))


def cross_entropy_error(y, t):
    """Mean over the batch of −log(probability given to the right class).

    y: probabilities, (C,) or (N, C).  t: class indices or one-hot, see the module docstring.
    A probability of exactly 0 gives a large but finite loss (log is clamped at the smallest
    positive float), never inf or nan.  Probabilities outside [0, 1] are refused (scores belong
    in softmax first); integer y is read as probabilities 0 and 1.
    """
    y = _as_float(y, "cross_entropy_error")
    probs, labels = as_batch(y, t, "cross_entropy_error")
    if ((probs < 0) | (probs > 1)).any():
        bad = probs[(probs < 0) | (probs > 1)][0]
        raise CourseValueError(_(
            "cross_entropy_error: y must be probabilities between 0 and 1, got {bad}; "
            "for scores, use softmax(scores) first (or SoftmaxWithLoss)"
        ).format(bad=bad))
    log_probs = np.log(np.maximum(probs, np.finfo(probs.dtype).tiny))
    return mean_nll(log_probs, labels)


def as_batch(y, t, who="loss"):
    """Check labels against scores and return (scores as (N, C), labels as (N,) ints or (N, C) one-hot).

    Raises CourseValueError (a ValueError) naming ``who`` for an empty batch and for labels of the
    wrong shape, dtype or range.  One-hot rows must hold 0s and 1s with one 1; soft labels (rows of
    probabilities summing to 1) are accepted too.
    """
    y = np.asarray(y)
    if isinstance(t, (str, bytes)) or t is None:
        raise CourseTypeError(_("{who}: labels must be class indices or one-hot rows, got {t}").format(who=who, t=repr(t)))
    try:
        t = np.asarray(t)
    except ValueError:  # ragged nested lists
        raise CourseValueError(_("{who}: labels must be class indices (N,) or one-hot rows (N, C), got {t}").format(
            who=who, t=repr(t)[:80])) from None
    if y.ndim not in (1, 2) or y.shape[-1] == 0:
        raise CourseValueError(_("{who}: scores must have shape (C,) or (N, C), got {shape}").format(who=who, shape=y.shape))
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    n, n_classes = y2.shape
    if n == 0:
        raise CourseValueError(_("{who}: the batch is empty (scores of shape {shape}); give at least one sample").format(
            who=who, shape=y.shape))
    if t.shape == y.shape:  # one-hot (or soft) labels
        if not (np.issubdtype(t.dtype, np.number) or t.dtype == bool) or t.dtype.kind == "c":
            raise CourseTypeError(_("{who}: one-hot labels must be numbers, got dtype {dtype}").format(who=who, dtype=t.dtype))
        rows = t.reshape(n, n_classes)
        _check_label_rows(rows, who)
        return y2, rows
    if t.shape == (() if y.ndim == 1 else (n,)):  # class indices
        if not np.issubdtype(t.dtype, np.integer):
            raise CourseValueError(_(
                "{who}: class-index labels must be integers, got dtype {dtype} "
                "(use t.astype(int), or one-hot labels of shape {shape})"
            ).format(who=who, dtype=t.dtype, shape=y.shape))
        labels = t.reshape(n)
        bad = (labels < 0) | (labels >= n_classes)
        if bad.any():
            raise CourseValueError(_(
                "{who}: label {label} is out of range for {n_classes} classes (expected 0 to {last})"
            ).format(who=who, label=labels[bad][0], n_classes=n_classes, last=n_classes - 1))
        return y2, labels
    if y.ndim == 2:
        expected = _("({n},) class indices or one-hot labels of shape {shape}").format(n=n, shape=y.shape)
    else:
        expected = _("one class index or one-hot labels of shape {shape}").format(shape=y.shape)
    raise CourseValueError(_("{who}: labels of shape {t_shape} do not fit scores of shape {shape}; expected {expected}").format(
        who=who, t_shape=t.shape, shape=y.shape, expected=expected))


def _check_label_rows(rows, who):
    """One-hot (or soft) label rows: every entry in [0, 1], every row summing to 1."""
    rows = rows.astype(np.float64, copy=False)
    tolerance = 1e-6 * rows.shape[1]
    out_of_range = (rows < 0) | (rows > 1) | np.isnan(rows)
    sums = rows.sum(axis=1)
    bad_rows = out_of_range.any(axis=1) | (np.abs(sums - 1) > tolerance)
    if bad_rows.any():
        i = int(np.argmax(bad_rows))
        shown = f"{rows[i].tolist()[:10]}{' ...' if rows.shape[1] > 10 else ''}"
        raise CourseValueError(_(
            "{who}: one-hot label row {i} is {row}; "
            "each row must hold 0s and a single 1 at the right class (or probabilities summing to 1)"
        ).format(who=who, i=i, row=shown))


def _as_float(x, who, scores=False):
    """A float array: float32/float64 input keeps its precision; anything else becomes float64.

    ``scores``: the last axis holds one score per class, so it must not be empty.
    """
    x = as_number_array(x, who, "x")
    if scores and (x.ndim == 0 or x.shape[-1] == 0):
        raise CourseValueError(_("{who}: x must hold at least one score along its last axis (the classes), got shape {shape}").format(
            who=who, shape=x.shape))
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
    """(N,) class indices -> (N, n_classes) rows with a single 1.  Labels must be 0 to n_classes − 1."""
    check_count(n_classes, "one_hot", "n_classes")
    labels = as_number_array(labels, "one_hot", "labels")
    if labels.dtype.kind not in "iu":
        raise CourseValueError(_("{who}: labels must be whole numbers (class indices), got dtype {dtype}").format(
            who="one_hot", dtype=labels.dtype))
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        raise CourseValueError(_(
            "{who}: label {label} is out of range for {n_classes} classes (expected 0 to {last})"
        ).format(who="one_hot", label=labels[bad].reshape(-1)[0], n_classes=n_classes, last=n_classes - 1))
    out = np.zeros((labels.size, n_classes), dtype=dtype)
    out[np.arange(labels.size), labels.reshape(-1)] = 1
    return out
