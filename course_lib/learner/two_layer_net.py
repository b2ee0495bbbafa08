"""TwoLayerNet: Affine → Relu → Affine → SoftmaxWithLoss, as the seeds build it."""
from collections import OrderedDict

import numpy as np

from ..errors import CourseTypeError, CourseValueError, as_number_array, check_count, check_finite_number, random_generator
from .functions import as_batch
from .gradient import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss
from ..params import SharedParams


class TwoLayerNet:
    """A two-layer fully connected network for classification.

    input_size D, hidden_size H, output_size C.  params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    weight_init_std: a number (the seeds' 0.01), or "he" (also "relu": √(2/fan_in)) or
    "xavier" (also "sigmoid": √(1/fan_in)), fan_in being the number of inputs of the layer.
    dtype: float64 for gradient checks, float32 for fast training.  seed: the initial weights.
    x: (N, D) (or (N, ...) flattened); t: (N,) class indices or (N, C) one-hot.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, dtype=np.float64, seed=None):
        for what, size in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
            check_count(size, "TwoLayerNet", what)
        rng = random_generator(seed, "TwoLayerNet")
        self.dtype = _float_dtype(dtype)
        self.params = SharedParams()  # the layers hold these very arrays
        self.params["W1"] = _weights(weight_init_std, rng, input_size, hidden_size, self.dtype)
        self.params["b1"] = np.zeros(hidden_size, dtype=self.dtype)
        self.params["W2"] = _weights(weight_init_std, rng, hidden_size, output_size, self.dtype)
        self.params["b2"] = np.zeros(output_size, dtype=self.dtype)

        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"], name="Affine1")
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"], name="Affine2")
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        """x (N, D) -> class scores (N, C), before softmax."""
        x = as_number_array(x, "TwoLayerNet", "x").astype(self.dtype, copy=False)  # uint8 images -> floats
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch (a number)."""
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the right class."""
        y, t = as_batch(self.predict(x), t, "TwoLayerNet.accuracy")
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.mean(np.argmax(y, axis=1) == t))

    def numerical_gradient(self, x, t):
        """{W1, b1, W2, b2: ∂loss/∂param} by central differences: slow, only for checking."""
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 - the seeds' idiom
        return {key: numerical_gradient(loss_W, self.params[key]) for key in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        """{W1, b1, W2, b2: ∂loss/∂param} by backpropagation: one forward and one backward pass."""
        self.loss(x, t)

        dout = 1
        dout = self.last_layer.backward(dout)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)

        grads = {}
        grads["W1"], grads["b1"] = self.layers["Affine1"].dW, self.layers["Affine1"].db
        grads["W2"], grads["b2"] = self.layers["Affine2"].dW, self.layers["Affine2"].db
        return grads


def _weights(weight_init_std, rng, fan_in, fan_out, dtype):
    """(fan_in, fan_out) weights drawn from N(0, scale²), scale as the docstring of TwoLayerNet says."""
    return (_init_scale(weight_init_std, fan_in) * rng.standard_normal((fan_in, fan_out))).astype(dtype)


def _init_scale(weight_init_std, fan_in):
    if isinstance(weight_init_std, str):
        scales = {"he": 2.0, "relu": 2.0, "xavier": 1.0, "sigmoid": 1.0}
        if weight_init_std.lower() not in scales:
            raise CourseValueError(
                f"TwoLayerNet: weight_init_std must be a number, 'he' (or 'relu') or 'xavier' (or 'sigmoid'); "
                f"got {weight_init_std!r}"
            )
        return np.sqrt(scales[weight_init_std.lower()] / fan_in)
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
