"""TwoLayerNet: Affine → Relu → Affine → SoftmaxWithLoss, with the seeds' interface.

Its backward pass can leave a trace, as a graph's does: ``net.backward_trace(x, t)`` returns a
``LayerTrace``, one ``LayerTraceStep`` per layer (the gradient arriving, the layer's formulas, the
gradients it sent on).  The layer steppers only read it.
"""
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .errors import (
    CourseTypeError, CourseValueError, as_number_array, check_count, check_finite_number, random_generator,
)
from .functions import as_batch
from .gradcheck import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss


class SharedParams(dict):
    """The dict of a net's parameters, whose arrays the layers share.

    ``params["W1"] -= lr * grad`` changes the array in place, so the layers see it at once;
    ``params["W1"] = new_array`` copies the new values into the shared array (same shape only).
    """

    def __setitem__(self, key, value):
        if key in self and value is not self[key]:
            current = self[key]
            value = as_number_array(value, f"params['{key}']", "the new value")
            if np.shape(value) != current.shape:
                raise CourseValueError(
                    f"params['{key}'] has shape {current.shape}; the new value has shape {np.shape(value)}. "
                    "The layers share this array, so a new value must have the same shape"
                )
            current[...] = value
            return
        super().__setitem__(key, value)


class TwoLayerNet:
    """A two-layer fully connected network for classification.

    input_size D, hidden_size H, output_size C.  params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    weight_init_std: a number (the seeds' 0.01), or "he" (√(2/fan_in), suited to Relu) or
    "xavier" (√(1/fan_in)).  dtype: float64 for gradient checks, float32 for fast training.
    x: (N, D) (or (N, ...) flattened); t: (N,) class indices or (N, C) one-hot.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, dtype=np.float64, seed=None):
        for what, size in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
            check_count(size, "TwoLayerNet", what)
        rng = random_generator(seed, "TwoLayerNet")
        self.dtype = _float_dtype(dtype)
        self.params = SharedParams()
        self.params["W1"] = (_init_scale(weight_init_std, input_size) * rng.standard_normal((input_size, hidden_size))).astype(self.dtype)
        self.params["b1"] = np.zeros(hidden_size, dtype=self.dtype)
        self.params["W2"] = (_init_scale(weight_init_std, hidden_size) * rng.standard_normal((hidden_size, output_size))).astype(self.dtype)
        self.params["b2"] = np.zeros(output_size, dtype=self.dtype)

        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"], name="Affine1")
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"], name="Affine2")
        self.layers["Affine2"].copy_input = False  # its input is Relu's output, a new array nobody else holds
        self.last_layer = SoftmaxWithLoss()
        # which layer holds each parameter, and as which attribute (its gradient is "d" + attribute)
        self.param_owners = {"W1": ("Affine1", "W"), "b1": ("Affine1", "b"),
                             "W2": ("Affine2", "W"), "b2": ("Affine2", "b")}

    def predict(self, x):
        """x (N, D) -> class scores (N, C), before softmax."""
        x = as_number_array(x, "TwoLayerNet", "x").astype(self.dtype, copy=False)
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch (a number)."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the right class."""
        with self._x_not_copied():  # no backward follows
            scores = self.predict(x)
        _, labels = as_batch(scores, t, "TwoLayerNet.accuracy")
        if labels.ndim == 2:
            labels = labels.argmax(axis=1)
        return float(np.mean(scores.reshape(labels.shape[0], -1).argmax(axis=1) == labels))

    def numerical_gradient(self, x, t):
        """{W1, b1, W2, b2: ∂loss/∂param} by central differences: slow, only for checking."""
        loss_of_params = lambda _: self.loss(x, t)  # noqa: E731 - the seeds' idiom
        return {key: numerical_gradient(loss_of_params, self.params[key]) for key in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        """{W1, b1, W2, b2: ∂loss/∂param} by backpropagation: one forward and one backward pass."""
        return self.loss_and_gradient(x, t)[1]

    def loss_and_gradient(self, x, t):
        """(loss, gradients) from the same forward pass: training needs no second pass for the loss.

        Forward and backward run back to back here, so the first Affine need not copy x for backward.
        """
        first_layer = self.layers["Affine1"]
        copy_input, first_layer.copy_input = first_layer.copy_input, False  # as in _x_not_copied, inlined: hot path
        try:
            loss = self.loss(x, t)
        finally:
            first_layer.copy_input = copy_input
        return loss, self.backward()

    @contextmanager
    def _x_not_copied(self):
        """The first Affine keeps x itself, not a copy, while inside: for calls where nobody can change
        x before backward (or no backward follows), so the fast path copies no batch."""
        first_layer = self.layers["Affine1"]
        copy_input, first_layer.copy_input = first_layer.copy_input, False
        try:
            yield
        finally:
            first_layer.copy_input = copy_input

    def backward_trace(self, x, t):
        """Forward, then backward with every layer's step recorded: a ``LayerTrace`` (loss layer first).

        The gradients are the ones ``gradient(x, t)`` returns: the same loop computes them.
        """
        trace = LayerTrace(float(self.loss(x, t)), np.shape(x), list(self.layers) + [type(self.last_layer).__name__])
        self.backward(trace)
        return trace

    def backward(self, trace=None):
        """Backpropagate through every layer, from the loss to the input; run ``loss(x, t)`` first.

        Returns {W1, b1, W2, b2: ∂loss/∂param}.  The first Affine skips ∂loss/∂x, which nobody needs
        (x is data, not a parameter), unless ``trace`` (a LayerTrace) is given: then every layer's
        step is recorded in it, ∂loss/∂x included.
        """
        dout = self.last_layer.backward(1)
        if trace is not None:
            trace.record(type(self.last_layer).__name__, self.last_layer, 1, dout, {})
        grads = {}
        first_layer = self.layers["Affine1"]
        wanted_dx, first_layer.compute_dx = first_layer.compute_dx, trace is not None
        try:
            for name, layer in reversed(self.layers.items()):
                upstream = dout
                dout = layer.backward(upstream)
                layer_grads = {key: getattr(layer, "d" + attribute)
                               for key, (owner, attribute) in self.param_owners.items() if owner == name}
                grads.update(layer_grads)
                if trace is not None:
                    trace.record(name, layer, upstream, dout, layer_grads)
        finally:
            first_layer.compute_dx = wanted_dx
        return {key: grads[key] for key in self.param_owners}


@dataclass(frozen=True)
class LayerTraceStep:
    """One layer's backward call, as recorded: what came in, the layer's formulas, what went out.

    number       1 for the first backward step (the loss layer); step 0 is the forward pass
    layer, kind  its name in the net ("Affine2") and its class ("Affine")
    upstream     dY, the gradient arriving at the layer's output (the number 1 for the loss layer)
    grad_in      dX, the gradient the layer sent to its input (None if it sent none)
    param_grads  {"W2": dW, "b2": db}: the gradients of the parameters the layer holds
    formulas     the layer's backward rules in words (its class's ``formulas``)
    """

    number: int
    layer: str
    kind: str
    upstream: object
    grad_in: object
    param_grads: dict = field(default_factory=dict)
    formulas: tuple = ()


class LayerTrace:
    """The ordered record of a network's backward pass: a sequence of ``LayerTraceStep`` (trace[0] is step 1).

    loss         the loss of the forward pass
    x_shape      the shape of the batch fed in
    layer_names  the layers in forward order, the loss layer last
    """

    def __init__(self, loss, x_shape, layer_names):
        self.loss = loss
        self.x_shape = tuple(x_shape)
        self.layer_names = list(layer_names)
        self.steps = []

    def record(self, name, layer, upstream, grad_in, param_grads):
        """Keep a copy of one layer's backward step (later passes must not change it)."""
        self.steps.append(LayerTraceStep(
            number=len(self.steps) + 1,
            layer=name,
            kind=type(layer).__name__,
            upstream=_copy(upstream),
            grad_in=_copy(grad_in),
            param_grads={key: _copy(grad) for key, grad in param_grads.items()},
            formulas=tuple(getattr(layer, "formulas", ())),  # a learner's own layer may have none
        ))

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, index):
        return self.steps[index]

    def __iter__(self):
        return iter(self.steps)

    def __repr__(self):
        return f"<LayerTrace: {len(self)} backward steps, loss {self.loss:.4g}>"


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _init_scale(weight_init_std, fan_in):
    if isinstance(weight_init_std, str):
        scales = {"he": np.sqrt(2.0 / fan_in), "relu": np.sqrt(2.0 / fan_in), "xavier": np.sqrt(1.0 / fan_in), "sigmoid": np.sqrt(1.0 / fan_in)}
        if weight_init_std.lower() not in scales:
            raise CourseValueError(f"weight_init_std must be a number, 'he' or 'xavier'; got {weight_init_std!r}")
        return scales[weight_init_std.lower()]
    check_finite_number(weight_init_std, "TwoLayerNet", "weight_init_std")
    if weight_init_std < 0:
        raise CourseValueError(f"TwoLayerNet: weight_init_std is a standard deviation, so at least 0; got {weight_init_std}")
    return weight_init_std


def _float_dtype(dtype):
    """A float dtype (float64 to check gradients, float32 to train fast); anything else is refused."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise CourseTypeError(f"TwoLayerNet: dtype must be a numpy float type such as np.float64, got {dtype!r}") from None
    if dtype.kind != "f":
        raise CourseTypeError(
            f"TwoLayerNet: dtype must be a float type (np.float64 or np.float32), got {dtype}: "
            "integer weights cannot take small gradient steps"
        )
    return dtype
