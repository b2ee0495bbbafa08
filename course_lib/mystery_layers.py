"""Four Affine layers, each with one planted bug in backward, for lesson 8's bug hunt.

``mystery_layer("A")`` to ``mystery_layer("D")`` each return a fresh layer with a square 3 x 3 weight, so
even a transposed weight gradient has the right shape. Which bug sits in which layer follows from a shuffle
with a fixed seed, so neither the lesson's page nor its code shows it: the learner finds each bug with
``check_layer``, as in their own code.
"""
import numpy as np

from .errors import CourseValueError

NAMES = "ABCD"
_SHUFFLE_SEED = 50


def _transposed_dW(layer, dx, dout):
    layer.dW = layer.dW.T
    return dx


def _unsummed_db(layer, dx, dout):
    layer.db = dout
    return dx


def _negated_dx(layer, dx, dout):
    return -dx


def _divided_dW(layer, dx, dout):
    layer.dW = layer.dW / len(dout)
    return dx


_BUGS = (_transposed_dW, _unsummed_db, _negated_dx, _divided_dW)


class _MysteryAffine:
    """out = x @ W + b with a right forward and a backward that spoils one of dx, dW, db."""

    def __init__(self, bug, seed):
        rng = np.random.default_rng(seed)
        self.W, self.b, self._bug = rng.standard_normal((3, 3)), rng.standard_normal(3), bug

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx, self.dW, self.db = dout @ self.W.T, self.x.T @ dout, dout.sum(axis=0)
        return self._bug(self, dx, dout)


def mystery_layer(name):
    """A fresh mystery layer: name is "A", "B", "C" or "D"; returns an Affine-like layer with W (3, 3), b (3,)."""
    if not isinstance(name, str) or len(name) != 1 or name not in NAMES:
        raise CourseValueError(f'mystery_layer takes one of "A", "B", "C", "D", got {name!r}')
    order = np.random.default_rng(_SHUFFLE_SEED).permutation(len(_BUGS))
    index = NAMES.index(name)
    return _MysteryAffine(_BUGS[order[index]], seed=index)
