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


OPERATORS = ("×", "+", "−", "/", "÷")  # written between their inputs: 'x × y', 'x × −1'


def formula_text(op, inputs):
    """A gate's symbol on its inputs' texts as a short formula, as pictures, steppers and errors show it.

    ('×', ['x', 'y']) -> 'x × y';  ('×−1', ['x']) -> 'x × −1';  ('+1', ['x']) -> 'x + 1';  ('**2', ['n1']) -> 'n1 ** 2'
    ('exp', ['n3']) -> 'exp(n3)';  ('max0', ['x']) -> 'max(x, 0)';  ('1/x', ['y']) -> '1/y'
    An input with a space in it ('apple price') is put in brackets.
    """
    inputs = [f"({text})" if " " in text else text for text in map(str, inputs)]
    if len(inputs) == 2 and op in OPERATORS:
        return f"{inputs[0]} {op} {inputs[1]}"
    if len(inputs) == 1:
        (a,) = inputs
        if op == "1/x":
            return f"1/{a}"
        if op.startswith("max") and len(op) > 3:  # MaxConstLayer: 'max0' -> max(a, 0)
            return f"max({a}, {op[3:]})"
        operator = "**" if op.startswith("**") else op[:1]
        if operator in OPERATORS + ("**",) and len(op) > len(operator):
            return f"{a} {operator} {op[len(operator):]}"  # a gate with its constant: '×−1' -> 'x × −1'
    return f"{op}({', '.join(inputs)})"
