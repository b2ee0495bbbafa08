"""course_lib: the code behind the backpropagation course.

Data flows one way: gates/layers -> graph/networks -> trace/history -> pictures -> widgets -> notebooks.
Nothing lower imports anything higher.  The widgets live in ``course_lib.widgets`` (it needs
ipywidgets) and the plots in ``course_lib.plots`` (matplotlib), so ``import course_lib`` stays light.
"""
from .autograd import Value, exp, graph_of, log, maximum, record, relu, sigmoid, tanh
from .learner.conv import Convolution, Pooling, im2col
from .course_graphs import apple_graph, apple_orange_graph, chain_rule_graph, sigmoid_graph
from .datasets import MnistFileError, load_mnist
from .drawing import GraphPicture, draw_graph
from .errors import BackwardBeforeForwardError
from .formatting import fmt
from .expressions import ExpressionError, expression_names, parse_expression
from .learner.functions import cross_entropy_error, log_softmax, one_hot, softmax  # sigmoid: from .autograd (any input)
from .gate_rules import GateRule
from .learner.gates import (
    AddConstLayer,
    AddLayer,
    CopyLayer,
    DivConstLayer,
    DivLayer,
    ExpLayer,
    LogLayer,
    MaxConstLayer,
    MaxLayer,
    MulConstLayer,
    MulLayer,
    PowerLayer,
    ReciprocalLayer,
    ReluLayer,
    SigmoidLayer,
    SquareLayer,
    SubLayer,
    TanhLayer,
)
from .gradcheck import check_layer, gradient_check, numerical_gradient, rel_error
from .graph import Edge, Graph, Trace, TraceStep
from .learner.layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss
from .layer_trace import LayerTrace, LayerTraceStep, trace_backward
from .learner.two_layer_net import TwoLayerNet
from .presentation import presentation_mode
from .training import SGD, Adam, History, Momentum, TrainingDiverged, train
from .i18n import language, set_language

__all__ = [
    # gates and graphs
    "AddConstLayer", "AddLayer", "CopyLayer", "ExpLayer", "MaxLayer", "MulConstLayer", "MulLayer",
    "ReciprocalLayer", "SquareLayer", "Edge", "Graph", "Trace", "TraceStep",
    "apple_graph", "apple_orange_graph", "chain_rule_graph", "sigmoid_graph",
    # functions, layers, networks
    "cross_entropy_error", "log_softmax", "one_hot", "sigmoid", "softmax",
    "Affine", "BatchNormalization", "Convolution", "im2col", "Dropout", "Pooling", "Relu", "Sigmoid", "SoftmaxWithLoss",
    "LayerTrace", "LayerTraceStep", "TwoLayerNet", "trace_backward",
    # checks and errors
    "BackwardBeforeForwardError", "check_layer", "gradient_check", "numerical_gradient", "rel_error",
    # data and training
    "MnistFileError", "load_mnist", "Adam", "History", "Momentum", "SGD", "TrainingDiverged", "train",
    # autograd: recorded expressions (sigmoid above also takes Values)
    "DivConstLayer", "DivLayer", "LogLayer", "MaxConstLayer", "PowerLayer", "ReluLayer", "SigmoidLayer", "SubLayer",
    "TanhLayer", "Value", "exp", "graph_of", "log", "maximum", "record", "relu", "tanh",
    "ExpressionError", "expression_names", "parse_expression",
    # pictures
    "GateRule", "GraphPicture", "draw_graph", "fmt", "presentation_mode",
    # the language (an edition's folder sets it; see course_lib.i18n)
    "language", "set_language",
]

if language() != "en":  # a Korean or Japanese edition: what the lesson's code prints follows the language
    from .console import install as _install_console
    _install_console()
