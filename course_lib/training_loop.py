"""The machinery behind ``train()``: how the training loop runs, apart from what it computes.

A learner reads ``training.py`` (the optimizers, and ``train()`` described as the seeds' loop); this module
is for whoever wants to know how that loop is made fast, quiet or reproducible:

    Trainer(seed=0, progress=True, eval_every_epoch=True, batches=None, eval_batch_size=2000,
            eval_in_background=True, blas_threads=1).train(net, x_train, t_train, ...) -> History

``train(...)`` is ``Trainer().train(...)`` with the default settings.  The arithmetic of a step is the
seeds': ``grads = net.gradient(x_batch, t_batch)``, the loss that forward pass left in
``net.last_layer.loss``, then ``optimizer.update(net.params, grads)``.  Nothing here changes a number:
every setting below except ``seed`` and ``batches`` only changes how fast or how visibly it runs (the tests
check the loss histories and accuracies bit for bit).

Why BLAS runs on one thread (``blas_threads=1``)
    The products of training are small, (100, 784) · (784, 50): starting and joining BLAS threads costs
    more than splitting such a product saves, and the threads would compete with the accuracy thread.
    And several threads split each sum differently, so the last bits, and after a few hundred float32
    steps the printed loss, would depend on how many cores the machine has; on one thread a lesson's stored
    numbers come out the same on a one-core Binder and a many-core laptop (docs/maintaining.md).

Why accuracy is measured in the background (``eval_in_background=True``)
    Once per epoch train and test accuracy pass all 70,000 images through the net, as much work as
    hundreds of training steps.  A deep copy of the net, frozen at that iteration, is measured in a second
    thread while training goes on: numpy's BLAS releases the GIL, so on a second core the measurement is
    almost free, and the copy gives exactly the numbers an in-line measurement would.
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

from .errors import CourseError, CourseTypeError, CourseValueError, as_number_array, check_count
from .i18n import _

try:  # to keep BLAS on one thread for small matrices (optional: without it BLAS keeps its default)
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl is in requirements.txt
    threadpool_limits = None


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


@dataclass
class Trainer:
    """How ``train()`` runs.  The defaults are ``train()``'s; change one for one run, e.g.
    ``Trainer(progress=False).train(net, x_train, t_train, ...)``.

    seed: the order of the mini-batches (each epoch a fresh permutation: every sample once per epoch).
    batches: instead, an (iters_num, batch_size) array of sample indices, to replay another run's batches.
    progress: show a tqdm bar (a widget in notebooks) with the loss and the newest accuracies.
    eval_every_epoch: measure train and test accuracy before training and after every epoch (else only at
    the end), ``eval_batch_size`` rows at a time (less memory, the same numbers).
    eval_in_background: measure accuracy on a copy of the net in a second thread (see the module's docstring).
    blas_threads: BLAS threads while training; None leaves them as they are (see the module's docstring).
    """

    seed: int = 0
    progress: bool = True
    eval_every_epoch: bool = True
    batches: object = None
    eval_batch_size: int = 2000
    eval_in_background: bool = True
    blas_threads: object = 1

    def train(self, net, x_train, t_train, x_test=None, t_test=None, iters_num=10000, batch_size=100,
              optimizer=None):
        """train()'s loop with these settings; the same arguments, except that an optimizer must be given."""
        x_train, t_train, x_test, t_test = (_listed_as_array(value, what) for value, what in (
            (x_train, "x_train"), (t_train, "t_train"), (x_test, "x_test"), (t_test, "t_test")))
        check_training_arguments(x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer, self.batches,
                                 self.eval_batch_size)
        iters_per_epoch = max(len(x_train) // batch_size, 1)
        batches = self.batches if self.batches is not None else epoch_batches(len(x_train), batch_size, iters_num,
                                                                               self.seed)
        history = History(loss=np.full(iters_num, np.nan), iters_per_epoch=iters_per_epoch)
        accuracies = Accuracies(x_train, t_train, x_test, t_test, self.eval_batch_size, self.eval_in_background)

        start = time.perf_counter()
        with blas_limited_to(self.blas_threads), accuracies, progress_bar(iters_num, self.progress) as bar:
            done = 0  # updates made so far
            for batch_mask in itertools.islice(batches, iters_num):
                if self.eval_every_epoch and done % iters_per_epoch == 0:
                    accuracies.measure(net, done)
                x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
                grads = net.gradient(x_batch, t_batch)
                loss = batch_loss(net, x_batch, t_batch)
                if not math.isfinite(loss):
                    raise diverged(history, done, loss, iters_num, optimizer, accuracies, x_batch, batch_mask)
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


def batch_loss(net, x_batch, t_batch):
    """The loss of the forward pass net.gradient just made: the seeds' SoftmaxWithLoss keeps it as
    net.last_layer.loss.  A net without last_layer computes it again with net.loss."""
    last_layer = getattr(net, "last_layer", None)
    if last_layer is not None and getattr(last_layer, "loss", None) is not None:
        return last_layer.loss
    return net.loss(x_batch, t_batch)


def _listed_as_array(value, what):
    """Images or labels given as a list (or tuple) become a numpy array, so a mini-batch can pick rows."""
    if isinstance(value, (list, tuple)):
        return as_number_array(value, "train", what)
    return value


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


def progress_bar(total, shown=True):
    """A tqdm progress bar over the iterations (a widget in a notebook); shown=False: a silent one."""
    return tqdm(total=total, disable=not shown, desc=_("training"), unit="it", mininterval=0.5)


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


def check_training_arguments(x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer, batches,
                             eval_batch_size):
    """Refuse, in words, what train() cannot use: checked once, before the first step."""
    check_count(iters_num, "train", "iters_num", minimum=0)
    check_count(batch_size, "train", "batch_size")
    check_count(eval_batch_size, "train", "eval_batch_size")
    if not callable(getattr(optimizer, "update", None)):
        raise CourseTypeError(_("train: the optimizer needs an update(params, grads) method (SGD, Momentum, Adam), "
                                "got {kind}").format(kind=type(optimizer).__name__))
    for what, x, t in (("x_train/t_train", x_train, t_train), ("x_test/t_test", x_test, t_test)):
        if what.startswith("x_test") and x is None and t is None:
            continue
        if x is None or t is None or not hasattr(x, "__len__") or not hasattr(t, "__len__"):
            raise CourseTypeError(_("train: give {what} as two arrays (images and labels), got {x_kind} and {t_kind}").format(
                what=what, x_kind=type(x).__name__, t_kind=type(t).__name__))
        if len(x) != len(t):
            raise CourseValueError(_("train: {what} hold {images} images but {labels} labels; one label per image").format(
                what=what, images=len(x), labels=len(t)))
        if len(x) == 0:
            raise CourseValueError(_("train: {what} are empty; give at least one sample").format(what=what))
    if batches is not None and len(np.shape(batches)) == 2 and np.shape(batches)[0] < iters_num:
        raise CourseValueError(_("train: batches holds {count} mini-batches, fewer than iters_num = {iters_num}").format(
            count=np.shape(batches)[0], iters_num=iters_num))


def diverged(history, done, loss, iters_num, optimizer, accuracies, x_batch=None, batch_mask=None):
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
    return _(
        "Training stopped at iteration {iteration} of {iters_num}: the loss became {loss} because the data "
        "hold nan or inf: x_train row(s) {rows}, in this mini-batch. The learning rate is not the cause; clean the data "
        "(np.isfinite(x_train).all() must be True), e.g. drop or fix those rows."
    ).format(iteration=iteration, iters_num=iters_num, loss=float(loss), rows=shown)


def _diverged_message(iteration, iters_num, loss, optimizer):
    lr = getattr(optimizer, "lr", None)
    if lr is None:
        lower = ""
    elif lr > 1:  # a tenth of a huge rate still diverges: say where rates that work lie
        lower = _(" (it is {lr}; rates that train are usually below 1, such as the seeds' 0.1)").format(lr=f"{lr:g}")
    else:
        lower = _(" (it is {lr}; try {lower})").format(lr=f"{lr:g}", lower=f"{lr / 10:g}")
    return _(
        "Training diverged at iteration {iteration} of {iters_num}: the loss became {loss}. "
        "Lower the learning rate{lower}; check the weight initialisation (weight_init_std, e.g. 'he'); "
        "and check the gradients with course_lib.gradient_check(net, x, t) on a few samples."
    ).format(iteration=iteration, iters_num=iters_num, loss=float(loss), lower=lower)
