"""Kernel-side speed of typed formulas: parsing, refusing, and the ExpressionStepper's edits.

    python benchmarks/expressions.py

Prints one line per measurement, then, as its last line, one JSON object {name_ms: median ms}.
A teacher types in front of a class: every edit should answer well under 100 ms, every refusal at once.
A benchmark, not a test.
"""
import json
import statistics
import time

from course_lib import ExpressionError, parse_expression
from course_lib.widgets import ExpressionStepper

REPEATS = 50
BIG = " + ".join(["tanh(x * y) * exp(-x)"] * 4)  # 35 parsed nodes, 23 gates: near the size limit
REFUSED = {"refuse_overflow": "9 ** 9 ** 9 + x", "refuse_too_big": " + ".join(["(x * x)"] * 25),
           "refuse_attribute": "().__class__.__bases__[0].__subclasses__()", "refuse_log_of_negative": "log(x - 5)"}


def median_ms(action, repeats=REPEATS):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def refuse(text):
    def action(_):
        try:
            parse_expression(text, x=2.0)
        except ExpressionError:
            return
        raise AssertionError(f"{text!r} was accepted")
    return action


def main():
    results = {"parse_big_formula": median_ms(lambda _: parse_expression(BIG, x=2.0, y=1.0))}
    for name, text in REFUSED.items():
        results[name] = median_ms(refuse(text))
    stepper = ExpressionStepper(BIG, x=2.0, y=1.0)
    results["stepper_input_change_big"] = median_ms(lambda i: stepper.set_input("x", 1.0 + (i % 2)), 20)
    formulas = ["(x + y) ** 2 * exp(-x)", "x * x + y"]
    results["stepper_formula_change_small"] = median_ms(lambda i: stepper.set_formula(formulas[i % 2]), 20)
    results["stepper_bad_text"] = median_ms(lambda _: stepper.set_formula("x.__class__"), 20)
    for name, ms in results.items():
        print(f"{name}: {ms:.3f} ms")
    print(json.dumps({f"{name}_ms": round(ms, 3) for name, ms in results.items()}))


if __name__ == "__main__":
    main()
