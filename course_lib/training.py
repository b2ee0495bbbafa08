"""Training a net with the TwoLayerNet interface: the optimizers and the mini-batch loop.

optimizer.update(params, grads)   changes every params[key] in place (the layers share those arrays)
train(net, x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer) -> History

How the loop is run (BLAS threads, accuracy in a background thread, the progress bar, replaying batches)
is machinery, kept apart in training_loop.py: ``Trainer(...).train(...)`` there changes it.
"""
import math

import numpy as np

from .errors import CourseKeyError, CourseTypeError, CourseValueError, as_number_array, check_finite_number
from .training_loop import History, Trainer, TrainingDiverged, accuracy, epoch_batches

__all__ = ["SGD", "Momentum", "Adam", "train", "History", "Trainer", "TrainingDiverged", "accuracy", "epoch_batches"]


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


def train(net, x_train, t_train, x_test=None, t_test=None, iters_num=10000, batch_size=100, optimizer=None):
    """Mini-batch training of ``net`` (the TwoLayerNet interface), as the seeds' train_neuralnet.py does it;
    returns a History.

    Each of the ``iters_num`` iterations takes a mini-batch of ``batch_size`` training samples,
    computes the gradient by backpropagation (``grads = net.gradient(x_batch, t_batch)``; the loss of
    that same forward pass is ``net.last_layer.loss``), records the loss, and lets the optimizer move
    every parameter against its gradient (``optimizer.update(net.params, grads)``).  Before training
    and after every epoch (one pass over the training set: len(x_train) // batch_size iterations) it
    measures the accuracy on the training data and on the test data.

    x_train (N, D), t_train (N,) labels or (N, C) one-hot; x_test, t_test likewise (optional).  The images
    may be numpy arrays or load_mnist's MnistImages (uint8 in memory: each batch is converted when read).
    optimizer: SGD, Momentum, Adam or anything with update(params, grads); default SGD(lr=0.1).
    Each epoch visits every sample once, in an order fixed by a seed: the same call gives the same run.
    A progress bar shows the loss and the newest accuracies.
    Raises TrainingDiverged, with advice, as soon as the loss is NaN or infinite.
    For speed create the net with dtype=np.float32 and pass float32 images.
    On MNIST the seeds' settings (init 0.01, SGD 0.1, batch 100, 10000 iterations) reach a test
    accuracy of about 0.970; weight_init_std="he" with SGD(lr=0.2) about 0.973.
    Another seed, no progress bar, other speed settings: Trainer(...).train(...) in training_loop.py.
    """
    optimizer = SGD(lr=0.1) if optimizer is None else optimizer
    return Trainer().train(net, x_train, t_train, x_test, t_test, iters_num, batch_size, optimizer)
