"""The numerical gradient: the seeds' check that needs no calculus (common/gradient.py in the seeds).

Slow, one element at a time, and exact enough to catch any backward that is wrong.
"""
import numpy as np

from ..errors import CourseTypeError, CourseValueError, check_finite_number, nonfinite_meaning


def numerical_gradient(f, x, h=1e-5):
    """∂f/∂x by central differences, (f(x + h) − f(x − h)) / 2h, for every element of x.

    f: called as f(x), returns one number (the loss).  x: a float array, changed in place while f is
    evaluated and restored exactly afterwards.  Returns an array of x's shape.
    A result of f that is not one number (text, None, an array of several) is refused, and so is a
    nan or inf, naming the element being nudged: no silent zeros or nans.
    """
    if not callable(f):
        raise CourseTypeError(f"numerical_gradient needs a function f(x) returning the loss, got {type(f).__name__}")
    if not (isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)):
        raise CourseTypeError(
            f"numerical_gradient needs a float numpy array for x (it changes it in place), got "
            f"{type(x).__name__}{' of dtype ' + str(x.dtype) if isinstance(x, np.ndarray) else ''} (use np.array(x, dtype=float))"
        )
    check_finite_number(h, "numerical_gradient", "the step h")
    if h <= 0:
        raise CourseValueError(f"numerical_gradient: the step h must be above 0, got {h}")
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            f_plus = _one_number(f(x), index)
            x[index] = original - h
            f_minus = _one_number(f(x), index)
        finally:
            x[index] = original  # restore exactly: the same number, not original + h - h
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _one_number(value, index):
    """f's result as a float: one real number, finite; anything else is refused in words."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(()).item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        shape = f" of shape {value.shape}" if isinstance(value, np.ndarray) else ""
        raise CourseTypeError(
            f"numerical_gradient: f must return one number (the loss), got {type(value).__name__}{shape} "
            f"{repr(value)[:60]}; return e.g. np.sum(...) rather than text or an array"
        )
    if not np.isfinite(value):
        raise CourseValueError(
            f"numerical_gradient: f returned {value} with x{list(index)} nudged, {nonfinite_meaning(value)}; "
            "a numerical gradient needs a finite f near x"
        )
    return float(value)
