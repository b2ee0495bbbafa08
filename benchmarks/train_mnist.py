"""Train TwoLayerNet(784, 50, 10) on MNIST several ways, in one process, on the same mini-batches.

1. course_lib.train (float32, MNIST kept as uint8 and converted per batch, one forward pass per step,
   no input gradient for the first layer, accuracy measured in a background thread);
2. the floor: the same schedule's float32 matrix products alone, with numpy's default BLAS threads
   (per step the batch gather, the two forward and three backward GEMMs; per epoch the accuracy passes
   x_train·W1·W2 and x_test·W1·W2), on float32 images already in memory; no activation, no loss,
   no update, no check: what no implementation of this training in numpy can go below;
3. the same floor on one BLAS thread: what a kernel gets on a class server, where every kernel should keep
   BLAS to one thread (docs/running_a_class.md), and what course_lib's train uses;
4. the fused loop: course_lib's exact arithmetic (the same loss at every step, bit for bit) written as one function on one
   BLAS thread: no layers, no checks, float32 images already in memory, and no accuracy passes at all (test
   accuracy once, after the clock stops).  The least course_lib's arithmetic can take on one BLAS thread;
5. PyTorch eager on the CPU, if torch is importable;
6. the seeds' own float64 loop, copied faithfully below as a reference ("Deep Learning from Scratch"
   ch. 5: np.random.choice batches, network.gradient then a separate network.loss, accuracy each epoch).

All start from the same weights (the seeds' init: 0.01 · N(0, 1)), use SGD with lr 0.1, batch 100,
10000 iterations, and measure train and test accuracy once per epoch.  The machine is shared, so
--repeat R runs course_lib, the floor, the one-thread floor and the fused loop R times each, in turn, and
reports every time and the ratios of the medians (and of the best times).  --busy K keeps K other processes
busy on the CPU meanwhile (classmates training on the same server) and stops them at the end.
Run:  python benchmarks/train_mnist.py --repeat 5     (the last line printed is one JSON object)
      python benchmarks/train_mnist.py --repeat 3 --busy 1 --skip-seed
A benchmark, not a test: nothing here runs in CI.
"""
import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import OrderedDict

import numpy as np

from course_lib.datasets import load_mnist
from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.training import SGD
from course_lib.training_loop import Trainer, blas_limited_to

ITERS, BATCH, LR, HIDDEN, SEED = 10000, 100, 0.1, 50, 0


# ---- the seeds' code, kept as they wrote it (float64, one-hot labels) ----------------------------------
def seed_softmax(x):
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))


def seed_cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class SeedRelu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class SeedAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class SeedSoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = seed_softmax(x)
        self.loss = seed_cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


class SeedTwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.layers = OrderedDict()
        self.layers["Affine1"] = SeedAffine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = SeedRelu()
        self.layers["Affine2"] = SeedAffine(self.params["W2"], self.params["b2"])
        self.lastLayer = SeedSoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.lastLayer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


def run_seed_reference(initial_params):
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True, dtype=np.float64, lazy=False)
    network = SeedTwoLayerNet(784, HIDDEN, 10)
    for key, value in initial_params.items():
        network.params[key][...] = value  # same start as the others (the arrays stay shared with the layers)
    np.random.seed(SEED)  # so np.random.choice below draws exactly the shared batch sequence
    start = time.perf_counter()
    # -- the seeds' loop --
    train_size = x_train.shape[0]
    train_loss_list, train_acc_list, test_acc_list = [], [], []
    iter_per_epoch = max(train_size / BATCH, 1)
    for i in range(ITERS):
        batch_mask = np.random.choice(train_size, BATCH)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= LR * grad[key]
        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)
        if i % iter_per_epoch == 0:
            train_acc_list.append(network.accuracy(x_train, t_train))
            test_acc_list.append(network.accuracy(x_test, t_test))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "test_acc": float(network.accuracy(x_test, t_test))}


# ---- PyTorch eager -------------------------------------------------------------------------------------
def run_torch(initial_params, batches):
    try:
        import torch
    except ImportError:
        print("note: torch is not importable; skipping the PyTorch comparison")
        return None
    (x_train, t_train), (x_test, t_test) = load_mnist(lazy=False)
    x_train, x_test = torch.from_numpy(x_train), torch.from_numpy(x_test)
    t_train, t_test = torch.from_numpy(t_train.astype(np.int64)), torch.from_numpy(t_test.astype(np.int64))
    batches = torch.from_numpy(np.asarray(batches, dtype=np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(initial_params["W1"].T.copy()))
        model[0].bias.copy_(torch.from_numpy(initial_params["b1"]))
        model[2].weight.copy_(torch.from_numpy(initial_params["W2"].T.copy()))
        model[2].bias.copy_(torch.from_numpy(initial_params["b2"]))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)

    def accuracy(x, t):
        with torch.no_grad():
            return (model(x).argmax(dim=1) == t).float().mean().item()

    print(f"note: torch {torch.__version__}, {torch.get_num_threads()} threads")
    start = time.perf_counter()
    losses, train_acc, test_acc = [], [], []
    iter_per_epoch = max(len(x_train) // BATCH, 1)
    for i in range(ITERS):
        batch_mask = batches[i]
        loss = torch.nn.functional.cross_entropy(model(x_train[batch_mask]), t_train[batch_mask])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if i % iter_per_epoch == 0:
            train_acc.append(accuracy(x_train, t_train))
            test_acc.append(accuracy(x_test, t_test))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "test_acc": accuracy(x_test, t_test)}


# ---- the floor: the matrix products alone -----------------------------------------------------------
def run_floor(initial_params, batches, x_train, x_test, threads=None):
    """The schedule's float32 GEMMs and batch gathers, nothing else; x_* float32 arrays already in memory.

    threads: BLAS threads (None: numpy's default, every core)."""
    W1, W2 = initial_params["W1"].astype(np.float32), initial_params["W2"].astype(np.float32)
    iter_per_epoch = max(len(x_train) // BATCH, 1)
    with blas_limited_to(threads):
        start = time.perf_counter()
        for i in range(ITERS):
            if i % iter_per_epoch == 0:
                (x_train @ W1) @ W2, (x_test @ W1) @ W2     # the accuracy passes
            x = x_train[batches[i]]                          # the batch gather
            hidden = x @ W1                                  # forward
            scores = hidden @ W2
            dW2 = hidden.T @ scores                          # backward (scores stand in for dscores)
            dhidden = scores @ W2.T
            dW1 = x.T @ dhidden
        (x_train @ W1) @ W2, (x_test @ W1) @ W2             # the final accuracy pass
        seconds = time.perf_counter() - start
    del dW1, dW2
    return {"seconds": round(seconds, 3)}


# ---- the fused loop: course_lib's arithmetic with nothing around it ---------------------------------------
def run_fused(initial_params, batches, x_train, t_train, x_test, t_test):
    """course_lib's training step as one function, one BLAS thread: every operation course_lib does, in its order
    and dtypes, so every step's loss comes out bit for bit the same; none of its checks, layers, dicts or accuracy
    passes."""
    W1, b1, W2, b2 = (initial_params[key].astype(np.float32) for key in ("W1", "b1", "W2", "b2"))
    rows = np.arange(BATCH)
    losses = np.empty(ITERS)
    with blas_limited_to(1):
        start = time.perf_counter()
        for i in range(ITERS):
            x, t = x_train[batches[i]], t_train[batches[i]]
            hidden = x @ W1 + b1                                       # Affine1
            off = hidden <= 0                                          # Relu
            relu = hidden.copy()
            relu[off] = 0
            scores = relu @ W2 + b2                                    # Affine2
            shifted = scores - scores.max(axis=-1, keepdims=True)      # log-softmax
            log_y = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
            losses[i] = -log_y[rows, t].sum() / BATCH                  # mean cross-entropy
            dscores = np.exp(log_y)                                    # (y - t) / N
            dscores[rows, t] -= 1
            dscores *= 1 / BATCH
            dW2, db2 = relu.T @ dscores, dscores.sum(axis=0)           # Affine2 backward
            dhidden = dscores @ W2.T
            dhidden[off] = 0                                           # Relu backward
            dW1, db1 = x.T @ dhidden, dhidden.sum(axis=0)              # Affine1 backward (no dx)
            for param, grad in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
                param -= LR * grad                                     # SGD
        seconds = time.perf_counter() - start
    scores = np.maximum(x_test @ W1 + b1, 0) @ W2 + b2
    return {"seconds": round(seconds, 3), "test_acc": round(float(np.mean(scores.argmax(axis=1) == t_test)), 4),
            "losses_sha256": losses_digest(losses)}


# ---- other work on the machine ------------------------------------------------------------------------
def start_busy_processes(count):
    """count processes that keep one core each busy (pure Python, no BLAS), as classmates training would."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop(processes):
    for process in processes:
        process.kill()
        process.wait()


# ---- course_lib ----------------------------------------------------------------------------------------
def run_course_lib(initial_params, batches):
    (x_train, t_train), (x_test, t_test) = load_mnist()  # uint8 in memory, read as float32; class indices
    net = TwoLayerNet(784, HIDDEN, 10, dtype=np.float32)
    for key, value in initial_params.items():
        net.params[key] = value
    start = time.perf_counter()
    history = Trainer(batches=batches, progress=False).train(net, x_train, t_train, x_test, t_test, iters_num=ITERS,
                                                             batch_size=BATCH, optimizer=SGD(lr=LR))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "test_acc": round(history.test_acc[-1], 4),
            "losses_sha256": losses_digest(history.loss)}


def losses_digest(losses):
    """The first 16 hex digits of the SHA-256 of every step's loss as float64: equal digests, equal runs."""
    return hashlib.sha256(np.asarray(losses, dtype=np.float64).tobytes()).hexdigest()[:16]


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (course_lib, the floors, the fused loop), in turn")
    parser.add_argument("--busy", type=int, default=0, metavar="K", help="K other CPU-bound processes run meanwhile")
    parser.add_argument("--skip-seed", action="store_true", help="skip the slow float64 reference")
    parser.add_argument("--skip-torch", action="store_true")
    args = parser.parse_args()

    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i['internal_api']} {i.get('architecture', '')}, {i['num_threads']} threads" for i in threadpool_info() if i["user_api"] == "blas"]
        print(f"note: numpy BLAS: {'; '.join(blas)} (course_lib's train and the fused loop use 1 thread; the floor and the seeds' loop the default)")
    except ImportError:
        pass
    np.random.seed(SEED)
    batches = np.array([np.random.choice(60000, BATCH) for _ in range(ITERS)])  # the seeds' sampling
    net = TwoLayerNet(784, HIDDEN, 10, weight_init_std=0.01, dtype=np.float32, seed=SEED)
    initial = {key: value.astype(np.float64) for key, value in net.params.items()}
    initial32 = {key: value.astype(np.float32) for key, value in initial.items()}

    busy = start_busy_processes(args.busy)
    if busy:
        print(f"note: {len(busy)} other CPU-bound process(es) running during the measurement")
        time.sleep(1)
    load_before = os.getloadavg()
    try:
        runs = {"course_lib": [run_course_lib(initial32, batches)]}
        course_peak = peak_rss_mb()  # before anything below loads float arrays
        print("course_lib    ", runs["course_lib"][-1], f"process peak RSS so far {course_peak} MB", flush=True)
        (x_train, t_train), (x_test, t_test) = load_mnist(lazy=False)
        others = {
            "floor": lambda: run_floor(initial, batches, x_train, x_test),
            "floor_one_thread": lambda: run_floor(initial, batches, x_train, x_test, threads=1),
            "fused": lambda: run_fused(initial, batches, x_train, t_train, x_test, t_test),
        }
        for repeat in range(args.repeat):
            if repeat:
                runs["course_lib"].append(run_course_lib(initial32, batches))
                print("course_lib    ", runs["course_lib"][-1], flush=True)
            for name, run in others.items():
                runs.setdefault(name, []).append(run())
                print(f"{name:14s}", runs[name][-1], flush=True)
        del x_train, x_test
        torch_result = None if args.skip_torch else run_torch(initial32, batches)
        print("torch         ", torch_result, flush=True)
        seed_result = None if args.skip_seed else run_seed_reference(initial)
        print("seed_reference", seed_result, flush=True)
        load_after = os.getloadavg()
    finally:
        stop(busy)

    seconds = {name: [run["seconds"] for run in results] for name, results in runs.items()}
    median = {name: statistics.median(times) for name, times in seconds.items()}
    course, floor = seconds["course_lib"], seconds["floor"]
    same_numbers = runs["fused"][-1]["losses_sha256"] == runs["course_lib"][-1]["losses_sha256"]
    results = {
        "course_lib_seconds": course, "floor_seconds": floor,
        "floor_one_thread_seconds": seconds["floor_one_thread"], "fused_seconds": seconds["fused"],
        "course_lib_median_s": median["course_lib"], "floor_median_s": median["floor"],
        "ratio_to_floor_median": round(median["course_lib"] / median["floor"], 2),
        "ratio_to_floor_best": round(min(course) / min(floor), 2),
        "ratio_to_floor_runs": [round(c / f, 2) for c, f in zip(course, floor)],
        "ratio_to_floor_one_thread_median": round(median["course_lib"] / median["floor_one_thread"], 2),
        "fused_ratio_to_floor_median": round(median["fused"] / median["floor"], 2),
        "course_lib_ratio_to_fused_median": round(median["course_lib"] / median["fused"], 2),
        "fused_same_numbers_as_course_lib": same_numbers,
        "test_acc": runs["course_lib"][-1]["test_acc"],
        "course_lib_peak_rss_mb": course_peak,
        "torch": torch_result,
        "torch_ratio_to_floor": round(torch_result["seconds"] / median["floor"], 2) if torch_result else None,
        "seed_reference": seed_result,
        "speedup_vs_seed": round(seed_result["seconds"] / median["course_lib"], 2) if seed_result else None,
        "busy_processes": args.busy,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
