"""course_lib: the code behind the backpropagation course.

Data flows one way: gates/layers -> graph/networks -> trace -> pictures -> widgets -> notebooks.
"""
from .course_graphs import apple_graph, apple_orange_graph, chain_rule_graph, sigmoid_graph
from .errors import BackwardBeforeForwardError
from .formatting import fmt
from .functions import cross_entropy_error, log_softmax, one_hot, sigmoid, softmax
from .gates import (
    AddConstLayer,
    AddLayer,
    CopyLayer,
    ExpLayer,
    MaxLayer,
    MulConstLayer,
    MulLayer,
    ReciprocalLayer,
    SquareLayer,
)
from .gradcheck import check_layer, gradient_check, numerical_gradient, rel_error
from .graph import Edge, Graph, Trace, TraceStep
from .layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss
from .networks import TwoLayerNet
from .datasets import MnistFileError, load_mnist
from .training import SGD, Adam, History, Momentum, TrainingDiverged, train

__all__ = [
    "AddConstLayer", "AddLayer", "Affine", "BackwardBeforeForwardError", "BatchNormalization",
    "CopyLayer", "Dropout", "Edge", "ExpLayer", "Graph", "MaxLayer", "MulConstLayer", "MulLayer",
    "ReciprocalLayer", "Relu", "Sigmoid", "SoftmaxWithLoss", "SquareLayer", "Trace", "TraceStep",
    "TwoLayerNet", "apple_graph", "apple_orange_graph", "chain_rule_graph", "check_layer",
    "cross_entropy_error", "fmt", "gradient_check", "log_softmax", "numerical_gradient", "one_hot",
    "rel_error", "sigmoid", "sigmoid_graph", "softmax",
]
__all__ += ["Adam", "History", "MnistFileError", "Momentum", "SGD", "TrainingDiverged", "load_mnist", "train"]
from .drawing import GraphPicture, draw_graph  # noqa: E402  (widgets: import course_lib.widgets; it needs ipywidgets)
from .gate_rules import GateRule  # noqa: E402
__all__ += ["GraphPicture", "GateRule", "draw_graph"]
