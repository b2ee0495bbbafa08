"""Time a training step's forward and backward (TwoLayerNet.gradient) on MNIST-sized float32 batches.

The input checks of the public entry points run on this path; this measures what they cost.
Run:  python benchmarks/loss_and_gradient.py [--before DIR] [--repeats 60] [--calls 200]
--before DIR: also time the course_lib copy in DIR/course_lib_before (e.g. from
`git archive <commit> course_lib | tar -x -C DIR && mv DIR/course_lib DIR/course_lib_before`),
interleaved with the current one in the same process, so both see the same machine load.
Prints one JSON line: the median and the fastest microseconds per call of each, the median over
rounds of now/before (each round times both, back to back) and the ratio of the fastest rounds.
A benchmark, not a test: nothing here runs in CI.
"""
import argparse
import importlib
import json
import statistics
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


def make_case(package):
    networks = importlib.import_module(package)
    rng = np.random.default_rng(0)
    net = networks.TwoLayerNet(784, 50, 10, weight_init_std=0.01, dtype=np.float32, seed=0)
    x = rng.random((60 * 100, 784), dtype=np.float32)
    t = rng.integers(0, 10, 60 * 100)
    batches = [np.sort(rng.choice(len(x), 100, replace=False)) for _ in range(60)]
    return net, [(x[b], t[b]) for b in batches]


def step(net):
    """What the training loop calls each step: gradient (an older course_lib had loss_and_gradient)."""
    return getattr(net, "loss_and_gradient", net.gradient)


def time_calls(net, batches, calls):
    start = time.perf_counter()
    for i in range(calls):
        x, t = batches[i % len(batches)]
        step(net)(x, t)
    return (time.perf_counter() - start) / calls * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a folder holding course_lib_before (the code to compare with)")
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    cases = {"now": make_case("course_lib")}
    if args.before:
        sys.path.insert(0, args.before)
        cases["before"] = make_case("course_lib_before")
    times = {name: [] for name in cases}
    with threadpool_limits(limits=1, user_api="blas") if threadpool_limits else _nothing():
        for name, (net, batches) in cases.items():
            time_calls(net, batches, 200)  # warm up
        for _ in range(args.repeats):  # short rounds, alternating, so both see the same load
            for name, (net, batches) in cases.items():
                times[name].append(time_calls(net, batches, args.calls))
    result = {f"{name}_us_median": round(statistics.median(ts), 1) for name, ts in times.items()}
    result.update({f"{name}_us_min": round(min(ts), 1) for name, ts in times.items()})
    if "before" in times:
        ratios = [now / before for now, before in zip(times["now"], times["before"])]
        result["now_over_before_median_of_rounds"] = round(statistics.median(ratios), 4)
        result["now_over_before_min"] = round(min(times["now"]) / min(times["before"]), 4)
    result["rounds"] = args.repeats
    result["calls_per_round"] = args.calls
    print(json.dumps(result))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
