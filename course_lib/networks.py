"""TwoLayerNet: Affine → Relu → Affine → SoftmaxWithLoss, with the seeds' interface."""
from collections import OrderedDict

import numpy as np

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
            if np.shape(value) != current.shape:
                raise ValueError(
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
        rng = np.random.default_rng(seed)
        self.dtype = np.dtype(dtype)
        self.params = SharedParams()
        self.params["W1"] = (_init_scale(weight_init_std, input_size) * rng.standard_normal((input_size, hidden_size))).astype(self.dtype)
        self.params["b1"] = np.zeros(hidden_size, dtype=self.dtype)
        self.params["W2"] = (_init_scale(weight_init_std, hidden_size) * rng.standard_normal((hidden_size, output_size))).astype(self.dtype)
        self.params["b2"] = np.zeros(output_size, dtype=self.dtype)

        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"], name="Affine1")
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"], name="Affine2")
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        """x (N, D) -> class scores (N, C), before softmax."""
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch (a number)."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the right class."""
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

        The first Affine skips ∂loss/∂x, which nobody needs: x is data, not a parameter.
        """
        loss = self.loss(x, t)
        dout = self.last_layer.backward(1)
        first_layer = self.layers["Affine1"]
        wanted_dx, first_layer.compute_dx = first_layer.compute_dx, False
        try:
            for layer in reversed(self.layers.values()):
                dout = layer.backward(dout)
        finally:
            first_layer.compute_dx = wanted_dx
        grads = {
            "W1": self.layers["Affine1"].dW,
            "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW,
            "b2": self.layers["Affine2"].db,
        }
        return loss, grads


def _init_scale(weight_init_std, fan_in):
    if isinstance(weight_init_std, str):
        scales = {"he": np.sqrt(2.0 / fan_in), "relu": np.sqrt(2.0 / fan_in), "xavier": np.sqrt(1.0 / fan_in), "sigmoid": np.sqrt(1.0 / fan_in)}
        if weight_init_std.lower() not in scales:
            raise ValueError(f"weight_init_std must be a number, 'he' or 'xavier'; got {weight_init_std!r}")
        return scales[weight_init_std.lower()]
    return weight_init_std
