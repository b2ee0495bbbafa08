"""The code a learner opens: the seeds' classes ("Deep Learning from Scratch"), and nothing else.

    gates.py            MulLayer and AddLayer as the seeds write them; the other gates of a graph
    functions.py        sigmoid, softmax, cross_entropy_error, one_hot (numbers and arrays)
    layers/             one file per layer: Relu, Sigmoid, Affine, SoftmaxWithLoss, Dropout, BatchNormalization
    two_layer_net.py    TwoLayerNet: Affine → Relu → Affine → SoftmaxWithLoss
    conv.py             Convolution and Pooling (im2col)
    gradient.py         numerical_gradient, the check that needs no calculus
    value.py            Value: micrograd's scalar autograd, each operation one of the gates above

Each class has the seeds' shape: ``forward`` stores on ``self`` what ``backward`` needs, ``backward(dout)``
returns the input gradient and leaves parameter gradients on ``self`` (``dW``, ``db``).  What the seeds
lack is added: docstrings with shapes, no in-place change to ``dout``, and a sentence for a bad input
(``course_lib/errors.py``).  Everything else of the course (graphs, traces, pictures, steppers, checks,
the training loop's machinery, data) lives outside this folder and imports from it, never the reverse.
"""
