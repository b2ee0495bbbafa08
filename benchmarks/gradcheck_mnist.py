"""How slow is the numerical gradient?  TwoLayerNet(784, 50, 10) on 3 MNIST samples, as the seeds check it.

Times net.numerical_gradient (central differences: two loss evaluations for each of the 39,760
parameters) against net.gradient (backprop: one forward and one backward pass), float64, and
compares them.  Run:  python benchmarks/gradcheck_mnist.py   (the last line printed is one JSON object)
"""
import json
import time

import numpy as np

from course_lib.datasets import load_mnist
from course_lib.gradcheck import rel_error
from course_lib.learner.two_layer_net import TwoLayerNet


def best_time(function, repeats):
    """The fastest of ``repeats`` runs (seconds) and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    (x_train, t_train), _ = load_mnist(dtype=np.float64, one_hot_label=True)
    x_batch, t_batch = x_train[:3], t_train[:3]
    net = TwoLayerNet(784, 50, 10, dtype=np.float64, seed=0)
    n_params = sum(p.size for p in net.params.values())

    numerical_seconds, numerical = best_time(lambda: net.numerical_gradient(x_batch, t_batch), repeats=1)
    backprop_seconds, backprop = best_time(lambda: net.gradient(x_batch, t_batch), repeats=200)
    for key in backprop:
        diff = np.abs(backprop[key] - numerical[key]).mean()
        print(f"{key}: mean |backprop - numerical| = {diff:.1e}, max relative error {rel_error(backprop[key], numerical[key]):.1e}")
    print(json.dumps({
        "params": int(n_params),
        "loss_evaluations": 2 * int(n_params),
        "numerical_seconds": round(numerical_seconds, 3),
        "backprop_seconds": round(backprop_seconds, 7),
        "numerical_over_backprop": round(numerical_seconds / backprop_seconds),
        "mean_abs_diff": {k: float(f"{np.abs(backprop[k] - numerical[k]).mean():.2e}") for k in backprop},
    }))


if __name__ == "__main__":
    main()
