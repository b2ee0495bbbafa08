"""Kernel-side speed of the steppers: one Step click, one input change, one LayerStepper step.

    python benchmarks/widgets.py

Prints one line per measurement, then, as its last line, one JSON object {name_ms: median ms}.
Target: every median under 20 ms on a classroom laptop.  A benchmark, not a test.
"""
import json
import statistics
import time

import numpy as np

from course_lib.course_graphs import apple_orange_graph, sigmoid_graph
from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.widgets import BackwardStepper, LayerStepper

REPEATS = 200


def median_ms(action, repeats=REPEATS):
    """Median wall time of ``action()`` in milliseconds over ``repeats`` runs."""
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def step_click(stepper):
    def action(_):
        if stepper.step == stepper.stepper.step_box.max:
            stepper.stepper.reset_button.click()
        stepper.stepper.step_button.click()
    return action


def input_change(stepper, name):
    box = stepper.input_boxes[name]
    start = box.value

    def action(i):
        box.value = start + (i % 7) + 1  # a new value every time: forward, backward, redraw all frames
    return action


def main():
    results = {}
    for label, make_graph, input_name in (("apple_orange", apple_orange_graph, "apple"), ("sigmoid", sigmoid_graph, "x")):
        stepper = BackwardStepper(make_graph())
        results[f"{label}_step_click_ms"] = median_ms(step_click(stepper))
        stepper.stepper.go_to(2)
        results[f"{label}_input_change_ms"] = median_ms(input_change(stepper, input_name))
    rng = np.random.default_rng(0)
    net = TwoLayerNet(784, 50, 10, seed=0)
    layer_stepper = LayerStepper(net, rng.random((3, 784)), np.array([3, 1, 4]))
    results["layer_stepper_step_ms"] = median_ms(step_click(layer_stepper))
    start = time.perf_counter()
    LayerStepper(net, rng.random((3, 784)), np.array([3, 1, 4]))
    results["layer_stepper_build_ms"] = (time.perf_counter() - start) * 1000
    for name, value in results.items():
        print(f"{name:32s} {value:8.3f}")
    print(json.dumps({name: round(value, 3) for name, value in results.items()}))


if __name__ == "__main__":
    main()
