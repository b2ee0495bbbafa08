"""Training a net with the TwoLayerNet interface: optimizers, the mini-batch loop, its history.

optimizer.update(params, grads)   changes every params[key] in place (the layers share those arrays)
train(net, x_train, t_train, x_test, t_test, ...) -> History
"""
import copy
import itertools
import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .errors import (
    CourseError, CourseKeyError, CourseTypeError, CourseValueError, as_number_array, check_count, check_finite_number,
)

try:  # to keep BLAS on one thread for small matrices (optional: without it BLAS keeps its default)
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl is in requirements.txt
    threadpool_limits = None


class SGD:
    """Stochastic gradient descent: param ← param − lr · grad."""

    def __init__(self, lr=0.01):
        self.lr = _check_rate(lr, "SGD", "lr")

    def update(self, params, grads):
        check_gradients("SGD.update", params, grads)
        for key, grad in grads.items():
            param = params[key]
            param -= self.lr * grad  # in place: the layers share this array


class Momentum:
    """SGD with momentum: v ← momentum · v − lr · grad, then param ← param + v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = _check_rate(lr, "Momentum", "lr")
        self.momentum = _check_fraction(momentum, "Momentum", "momentum")
        self.velocity = {}  # key -> array of the param's shape and dtype

    def update(self, params, grads):
        check_gradients("Momentum.update", params, grads)
        for key, grad in grads.items():
            if key not in self.velocity:
                self.velocity[key] = np.zeros_like(params[key])
            v = self.velocity[key]
            v *= self.momentum
            v -= self.lr * grad
            param = params[key]
            param += v


class Adam:
    """Adam: per-parameter step sizes from running means of the gradient (m) and its square (v).

    m ← β1·m + (1−β1)·grad,  v ← β2·v + (1−β2)·grad²,  param ← param − lr_t · m / (√v + eps),
    with lr_t = lr · √(1−β2ᵗ) / (1−β1ᵗ) correcting the zero start of m and v.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _check_rate(lr, "Adam", "lr")
        self.beta1 = _check_fraction(beta1, "Adam", "beta1")
        self.beta2 = _check_fraction(beta2, "Adam", "beta2")
        self.eps = _check_rate(eps, "Adam", "eps")
        self.step = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        check_gradients("Adam.update", params, grads)
        self.step += 1
        lr_t = self.lr * math.sqrt(1.0 - self.beta2**self.step) / (1.0 - self.beta1**self.step)
        for key, grad in grads.items():
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            m, v = self.m[key], self.v[key]
            m += (1 - self.beta1) * (grad - m)
            v += (1 - self.beta2) * (grad * grad - v)
            param = params[key]
            param -= lr_t * m / (np.sqrt(v) + self.eps)


def check_gradients(who, params, grads):
    """params and grads hold the same keys, and each gradient has its parameter's shape (cheap: no numbers read)."""
    for what, value in (("params", params), ("grads", grads)):
        if not hasattr(value, "keys") or not hasattr(value, "items"):
            raise CourseTypeError(f"{who}: {what} must be a dict of arrays (such as net.params), got {type(value).__name__}")
    if grads.keys() != params.keys():
        unknown = [key for key in grads if key not in params]
        missing = [key for key in params if key not in grads]
        problem = (f"grads has {', '.join(map(repr, unknown))}, which is not a parameter" if unknown else
                   f"grads lacks {', '.join(map(repr, missing))}")
        raise CourseKeyError(
            f"{who}: {problem}; the parameters are {', '.join(map(repr, params))}: "
            "give one gradient per parameter, under the parameter's name (as net.gradient(x, t) does)"
        )
    for key, grad in grads.items():
        param = params[key]
        if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "iuf":
            as_number_array(grad, who, f"the gradient grads[{key!r}]")
        if np.shape(grad) != np.shape(param):
            raise CourseValueError(
                f"{who}: the gradient grads[{key!r}] has shape {np.shape(grad)}, but the parameter params[{key!r}] "
                f"has shape {np.shape(param)}; a gradient has its parameter's shape"
            )


def _check_rate(value, who, what):
    """A finite number above 0 (a learning rate, eps)."""
    check_finite_number(value, who, what)
    if value <= 0:
        raise CourseValueError(f"{who}: {what} must be above 0, got {value}")
    return value


def _check_fraction(value, who, what):
    """A finite number in [0, 1) (momentum, Adam's betas)."""
    check_finite_number(value, who, what)
    if not 0 <= value < 1:
        raise CourseValueError(f"{who}: {what} must be in [0, 1), got {value}")
    return value


class TrainingDiverged(CourseError, FloatingPointError):
    """The loss became NaN or infinite.  Attached: ``iteration`` (counting from 1) and the ``history`` so far.

    The message says why: nan or inf in the mini-batch's data, or else a step too large."""

    def __init__(self, message, iteration, history):
        super().__init__(message)
        self.iteration = iteration
        self.history = history


@dataclass
class History:
    """What happened during training.

    loss: (iterations,) the mini-batch loss at each iteration, before its update.
    eval_iterations: how many updates had been made at each evaluation (0 = before training).
    train_acc, test_acc: accuracy at each of those points (test_acc empty without test data).
    iters_per_epoch: updates per pass over the training set.  seconds: wall time of train().
    """

    loss: np.ndarray
    iters_per_epoch: int
    eval_iterations: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def epochs(self):
        """The evaluation points in epochs: eval_iterations / iters_per_epoch."""
        return [i / self.iters_per_epoch for i in self.eval_iterations]


def train(net, x_train, t_train, x_test=None, t_test=None, iters_num=10000, batch_size=100, optimizer=None,
          seed=0, progress=True, eval_every_epoch=True, batches=None, eval_batch_size=2000,
          eval_in_background=True, blas_threads=1):
    """Mini-batch training of ``net`` (the TwoLayerNet interface); returns a History.

    x_train (N, D), t_train (N,) labels or (N, C) one-hot; x_test, t_test likewise (optional).
    The images may be numpy arrays or load_mnist's MnistImages (uint8 in memory: each batch is
    converted when it is read).
    optimizer: SGD, Momentum, Adam or anything with update(params, grads); default SGD(lr=0.1).
    seed: the order of the mini-batches (each epoch a fresh permutation: every sample once per epoch).
    batches: instead, an (iters_num, batch_size) array of sample indices, to replay another run's batches.
    progress: show a tqdm bar (a widget in notebooks).  eval_every_epoch: measure train and test
    accuracy before training and after every epoch (else only at the end), eval_batch_size rows at a time.
    eval_in_background: measure accuracy on a copy of the net in a second thread (the other core),
    while training goes on; the numbers are the same either way.
    blas_threads: BLAS threads while training (None leaves them alone).  Small matrices such as
    (100, 784) · (784, 50) are slower on several threads: starting them costs more than they save.
    Raises TrainingDiverged, with advice, as soon as the loss is NaN or infinite.
    For speed create the net with dtype=np.float32 and pass float32 images.
    On MNIST the seeds' settings (init 0.01, SGD 0.1, batch 100, 10000 iterations) reach a test
    accuracy of about 0.970; weight_init_std="he" with SGD(lr=0.2) about 0.973.
    """
    optimizer = SGD(lr=0.1) if optimizer is None else optimizer
    x_train, t_train, x_test, t_test = (_listed_as_array(value, what) for value, what in (
        (x_train, "x_train"), (t_train, "t_train"), (x_test, "x_test"), (t_test, "t_test")))
    _check_training_arguments(x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer, batches,
                              eval_batch_size)
    iters_per_epoch = max(len(x_train) // batch_size, 1)
    if batches is None:
        batches = epoch_batches(len(x_train), batch_size, iters_num, seed)
    loss_and_gradient = _loss_and_gradient_function(net)
    history = History(loss=np.full(iters_num, np.nan), iters_per_epoch=iters_per_epoch)
    accuracies = Accuracies(x_train, t_train, x_test, t_test, eval_batch_size, eval_in_background)

    start = time.perf_counter()
    with blas_limited_to(blas_threads), accuracies, progress_bar(iters_num, progress) as bar:
        done = 0  # updates made so far
        for batch_mask in itertools.islice(batches, iters_num):
            if eval_every_epoch and done % iters_per_epoch == 0:
                accuracies.measure(net, done)
            x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
            loss, grads = loss_and_gradient(x_batch, t_batch)
            if not math.isfinite(loss):
                raise _diverged(history, done, loss, iters_num, optimizer, accuracies, x_batch, batch_mask)
            optimizer.update(net.params, grads)
            history.loss[done] = loss
            done += 1
            show_progress(bar, loss, accuracies, new_epoch=done % iters_per_epoch == 0)
        accuracies.measure(net, done)  # at the end, unless that was just done
        history.loss = history.loss[:done]
        accuracies.record(history)
        bar.set_postfix(accuracies.latest(history.loss[-1] if done else math.nan), refresh=False)
    history.seconds = time.perf_counter() - start
    return history


def progress_bar(total, shown=True):
    """A tqdm progress bar over the iterations (a widget in a notebook); shown=False: a silent one."""
    return tqdm(total=total, disable=not shown, desc="training", unit="it", mininterval=0.5)


def show_progress(bar, loss, accuracies, new_epoch=False):
    """One more iteration on the bar; at a new epoch also the loss and the newest accuracies."""
    bar.update()
    if new_epoch:
        bar.set_postfix(accuracies.latest(loss), refresh=False)


def blas_limited_to(threads):
    """A context in which BLAS uses at most ``threads`` threads (None, or no threadpoolctl: unchanged)."""
    if threads is None or threadpool_limits is None:
        return nullcontext()
    return threadpool_limits(limits=threads, user_api="blas")


class Accuracies:
    """Train and test accuracy of a net at chosen iterations, in order, eval_batch_size rows at a time.

    In the background (the default) each measurement runs on a copy of the net in a second thread:
    BLAS releases the GIL, so on two cores training goes on while accuracy is measured.
    Use as a context manager: leaving it waits for the thread.
    """

    def __init__(self, x_train, t_train, x_test=None, t_test=None, batch_size=2000, background=True):
        self.data = (x_train, t_train, x_test, t_test, batch_size)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accuracy") if background else None
        self.pending = []  # (iteration, Future of (train_acc, test_acc or None))

    def measure(self, net, iteration):
        """Measure the net as it is after ``iteration`` updates (once per iteration)."""
        if self.pending and self.pending[-1][0] == iteration:
            return
        if self.pool is None:
            result = Future()
            result.set_result(_accuracies(net, *self.data))
        else:
            result = self.pool.submit(_accuracies, copy.deepcopy(net), *self.data)
        self.pending.append((iteration, result))

    def latest(self, loss):
        """The progress bar's postfix: the loss and the newest finished accuracies."""
        postfix = {"loss": f"{float(loss):.3f}"}
        finished = [future.result() for _, future in self.pending if future.done()]
        if finished:
            train_acc, test_acc = finished[-1]
            postfix["train"] = f"{train_acc:.3f}"
            if test_acc is not None:
                postfix["test"] = f"{test_acc:.3f}"
        return postfix

    def record(self, history):
        """Wait for every measurement and store it in history (eval_iterations, train_acc, test_acc); once."""
        for iteration, future in self.pending:
            train_acc, test_acc = future.result()
            history.eval_iterations.append(iteration)
            history.train_acc.append(train_acc)
            if test_acc is not None:
                history.test_acc.append(test_acc)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def epoch_batches(train_size, batch_size, iters_num, seed=0):
    """Yield iters_num index arrays (batch_size,): consecutive slices of a fresh permutation per epoch."""
    rng = np.random.default_rng(seed)
    per_epoch = max(train_size // batch_size, 1)
    batch_size = min(batch_size, train_size)
    done = 0
    while done < iters_num:
        permutation = rng.permutation(train_size)
        for j in range(min(per_epoch, iters_num - done)):
            yield permutation[j * batch_size:(j + 1) * batch_size]
        done += per_epoch


def accuracy(net, x, t, batch_size=2000):
    """net.accuracy over x in chunks of batch_size rows: the same number, less memory, cache-friendly."""
    n = len(x)
    correct = sum(net.accuracy(x[s:s + batch_size], t[s:s + batch_size]) * len(x[s:s + batch_size])
                  for s in range(0, n, batch_size))
    return float(correct / n)


def _accuracies(net, x_train, t_train, x_test, t_test, batch_size):
    train_acc = accuracy(net, x_train, t_train, batch_size)
    test_acc = accuracy(net, x_test, t_test, batch_size) if x_test is not None else None
    return train_acc, test_acc


def _loss_and_gradient_function(net):
    """net.loss_and_gradient if it has one; otherwise gradient, then loss (a second forward pass)."""
    if hasattr(net, "loss_and_gradient"):
        return net.loss_and_gradient

    def gradient_then_loss(x, t):
        grads = net.gradient(x, t)
        return net.loss(x, t), grads

    return gradient_then_loss


def _listed_as_array(value, what):
    """Images or labels given as a list (or tuple) become a numpy array, so a mini-batch can pick rows."""
    if isinstance(value, (list, tuple)):
        return as_number_array(value, "train", what)
    return value


def _check_training_arguments(x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer, batches,
                              eval_batch_size):
    """Refuse, in words, what train() cannot use: checked once, before the first step."""
    check_count(iters_num, "train", "iters_num", minimum=0)
    check_count(batch_size, "train", "batch_size")
    check_count(eval_batch_size, "train", "eval_batch_size")
    if not callable(getattr(optimizer, "update", None)):
        raise CourseTypeError(f"train: the optimizer needs an update(params, grads) method (SGD, Momentum, Adam), "
                              f"got {type(optimizer).__name__}")
    for what, x, t in (("x_train/t_train", x_train, t_train), ("x_test/t_test", x_test, t_test)):
        if what.startswith("x_test") and x is None and t is None:
            continue
        if x is None or t is None or not hasattr(x, "__len__") or not hasattr(t, "__len__"):
            raise CourseTypeError(f"train: give {what} as two arrays (images and labels), got "
                                  f"{type(x).__name__} and {type(t).__name__}")
        if len(x) != len(t):
            raise CourseValueError(f"train: {what} hold {len(x)} images but {len(t)} labels; one label per image")
        if len(x) == 0:
            raise CourseValueError(f"train: {what} are empty; give at least one sample")
    if batches is not None and len(np.shape(batches)) == 2 and np.shape(batches)[0] < iters_num:
        raise CourseValueError(f"train: batches holds {np.shape(batches)[0]} mini-batches, fewer than iters_num = {iters_num}")


def _diverged(history, done, loss, iters_num, optimizer, accuracies, x_batch=None, batch_mask=None):
    """The TrainingDiverged to raise at update done + 1, with the history (loss, accuracies) so far."""
    history.loss = history.loss[:done]
    accuracies.record(history)
    message = _bad_data_message(done + 1, iters_num, loss, x_batch, batch_mask)
    return TrainingDiverged(message or _diverged_message(done + 1, iters_num, loss, optimizer), done + 1, history)


def _bad_data_message(iteration, iters_num, loss, x_batch, batch_mask):
    """If the mini-batch itself holds nan or inf, say so (the learning rate is not the cause); else None."""
    if x_batch is None:
        return None
    x_batch = np.asarray(x_batch)
    if x_batch.dtype.kind not in "fc" or np.isfinite(x_batch).all():
        return None
    bad_rows = np.flatnonzero(~np.isfinite(x_batch.reshape(len(x_batch), -1)).all(axis=1))
    rows = np.asarray(batch_mask)[bad_rows] if batch_mask is not None else bad_rows
    shown = ", ".join(str(int(row)) for row in rows[:5]) + (" ..." if len(rows) > 5 else "")
    return (
        f"Training stopped at iteration {iteration} of {iters_num}: the loss became {float(loss)} because the data "
        f"hold nan or inf: x_train row(s) {shown}, in this mini-batch. The learning rate is not the cause; clean the data "
        "(np.isfinite(x_train).all() must be True), e.g. drop or fix those rows."
    )


def _diverged_message(iteration, iters_num, loss, optimizer):
    lr = getattr(optimizer, "lr", None)
    lower = f" (it is {lr}; try {lr / 10:g})" if lr is not None else ""
    return (
        f"Training diverged at iteration {iteration} of {iters_num}: the loss became {float(loss)}. "
        f"Lower the learning rate{lower}; check the weight initialisation (weight_init_std, e.g. 'he'); "
        "and check the gradients with course_lib.gradient_check(net, x, t) on a few samples."
    )
