"""How numbers are shown to a learner: rounded, short, and the same on every machine."""
import numpy as np


def fmt(value, digits=4):
    """A short, stable text for a number or an array.

    fmt(110.00000000000001) -> '110';  fmt(0.7310585786) -> '0.7311';  fmt(-1) -> '−1'
    fmt(np.zeros((2, 3))) -> 'array (2, 3)'.  Minus signs are true minus signs (U+2212).
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if value is None or isinstance(value, (str, bytes)):
        return str(value)  # not a number: shown as it is
    if np.ndim(value) > 0:
        return f"array {tuple(np.shape(value))}"
    number = float(value)
    if not np.isfinite(number):
        return str(number)
    text = f"{number:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    if text in ("-0", "0"):
        text = "0"
    return text.replace("-", "−")
