"""The record of a network's backward pass, layer by layer, for the layer steppers to read.

``trace_backward(net, x, t)`` runs the net's own forward and backward, exactly as ``net.gradient``
does (the loss layer first, then the layers in reverse), and keeps a copy of what each layer's
``backward`` received and sent.  It calls the layers' own methods and computes nothing itself, so
its gradients are the ones ``net.gradient(x, t)`` returns, bit for bit (a test checks it).
"""
from dataclasses import dataclass, field

import numpy as np

from .backward_record import BackwardRecord, BackwardStep


@dataclass(frozen=True)
class LayerTraceStep(BackwardStep):
    """One layer's backward call, as recorded: what came in, the layer's formulas, what went out.

    number       1 for the first backward step (the loss layer); step 0 is the forward pass
    layer, kind  its name in the net ("Affine2") and its class ("Affine")
    upstream     dY, the gradient arriving at the layer's output (the number 1 for the loss layer)
    grad_in      dX, the gradient the layer sent to its input
    param_grads  {"W2": dW, "b2": db}: the gradients of the net's parameters this layer holds
    formulas     the layer's backward rules in words (its class's ``formulas``)
    """

    layer: str = ""
    kind: str = ""
    grad_in: object = None
    param_grads: dict = field(default_factory=dict)
    formulas: tuple = ()


class LayerTrace(BackwardRecord):
    """The ordered record of a network's backward pass: ``LayerTraceStep``s, the loss layer's first.

    loss         the loss of the forward pass
    x_shape      the shape of the batch fed in
    layer_names  the layers in forward order, the loss layer last
    """

    def __init__(self, loss, x_shape, layer_names, steps):
        super().__init__(steps)
        self.loss = loss
        self.x_shape = tuple(x_shape)
        self.layer_names = list(layer_names)

    def __repr__(self):
        return f"<LayerTrace: {len(self)} backward steps, loss {self.loss:.4g}>"


def trace_backward(net, x, t):
    """Forward, then backward through ``net.last_layer`` and ``net.layers`` in reverse, every step recorded."""
    loss = float(net.loss(x, t))
    last_name = type(net.last_layer).__name__
    layers = [(last_name, net.last_layer)] + list(reversed(net.layers.items()))
    steps, dout = [], 1
    for name, layer in layers:
        upstream = dout
        dout = layer.backward(upstream)
        steps.append(LayerTraceStep(
            number=len(steps) + 1,
            upstream=_copy(upstream),
            layer=name,
            kind=type(layer).__name__,
            grad_in=_copy(dout),
            param_grads={key: _copy(grad) for key, grad in parameter_gradients(net, layer).items()},
            formulas=tuple(getattr(layer, "formulas", ())),  # a learner's own layer may have none
        ))
    return LayerTrace(loss, np.shape(x), list(net.layers) + [last_name], steps)


def parameter_gradients(net, layer):
    """{"W1": layer.dW, ...} for each of ``net.params`` that ``layer`` holds (as ``layer.W``, its gradient ``layer.dW``)."""
    held = {id(value): attribute for attribute, value in vars(layer).items() if isinstance(value, np.ndarray)}
    return {key: getattr(layer, "d" + held[id(array)])
            for key, array in net.params.items() if id(array) in held}


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value
