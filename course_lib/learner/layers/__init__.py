"""Neural-network layers, each with forward(x) and backward(dout).

As in "Deep Learning from Scratch": forward stores on ``self`` what backward needs, backward returns
the gradient for the input, and a layer with parameters keeps their gradients on ``self.dW``,
``self.db`` (or ``self.dgamma``, ``self.dbeta``).  No backward changes the ``dout`` it is given.

Each layer also carries its backward rules as words in ``formulas`` (as gates carry ``rules``),
written with dY for the gradient arriving at the output and dX for the one sent to the input;
the network's backward trace and the steppers show them.

Shapes: N samples in a batch, D input features, M outputs, C classes.
"""
from .affine import Affine
from .batch_normalization import BatchNormalization
from .dropout import Dropout
from .relu import Relu
from .sigmoid import Sigmoid
from .softmax_with_loss import SoftmaxWithLoss

__all__ = ["Affine", "BatchNormalization", "Dropout", "Relu", "Sigmoid", "SoftmaxWithLoss"]
