"""A scalar autograd in the style of micrograd, built on the course's own gates and graphs.

    x, y = Value(2.0, name="x"), Value(-1.0, name="y")
    z = (x + y) ** 2 * exp(-x)      # every operation runs a gate and remembers it
    z.backward()                    # reverse topological order; gradients add up at forks
    x.grad, y.grad                  # ∂z/∂x, ∂z/∂y

``Value`` itself is the learner's code (``learner/value.py``): each operation is one gate, whose
``backward`` the Value's ``backward`` calls.  This module adds what the course does with it: the same
operations as functions of Values or numbers (``exp``, ``log``, ``tanh``, ``relu``, ``sigmoid``,
``maximum``), and ``graph_of(value)`` / ``record(fn, **inputs)``, which turn the recorded expression into an
ordinary ``Graph`` with the same gates, so it is drawn and stepped like every other graph of the course and
its gradients agree with ``Value.backward`` exactly (the same gates, the same numbers, the same order).
"""
import copy

import numpy as np

from .errors import CourseTypeError, CourseValueError
from .graph import Graph
from .learner import functions
from .learner.gates import MaxConstLayer, MaxLayer
from .learner.value import Value, operand, topological_order

__all__ = ["Value", "exp", "graph_of", "log", "maximum", "record", "relu", "sigmoid", "tanh", "topological_order"]


# ---- the same operations as functions: Values or numbers (numpy arrays too) ----

def _elementwise(name, numeric, doc):
    """The function ``name``: the Value's own operation ``Value.name()`` for a Value, ``numeric`` otherwise."""
    def function(x):
        return getattr(x, name)() if isinstance(x, Value) else numeric(x)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


exp = _elementwise("exp", np.exp, "exp(x): a recorded Value for a Value, numpy's exp otherwise.")
log = _elementwise("log", np.log, "The natural logarithm: a recorded Value for a Value, numpy's log otherwise.")
tanh = _elementwise("tanh", np.tanh, "tanh(x): a recorded Value for a Value, numpy's tanh otherwise.")
relu = _elementwise("relu", lambda x: np.maximum(x, 0),
                    "max(x, 0): a recorded Value for a Value, element-wise for numbers and arrays.")
sigmoid = _elementwise("sigmoid", lambda x: functions.sigmoid(x)[()],  # [()]: a number stays a number
                       "1 / (1 + exp(−x)): a recorded Value for a Value, the stable ``functions.sigmoid`` otherwise.")


def maximum(a, b):
    """The larger of a and b (Values or numbers); with a Value, the gradient goes to the larger one."""
    if isinstance(a, Value) and isinstance(b, Value):
        return Value.apply(MaxLayer(), a, b)
    if isinstance(a, Value):
        return Value.apply(MaxConstLayer(operand(b, "maximum")), a)
    if isinstance(b, Value):
        return Value.apply(MaxConstLayer(operand(a, "maximum")), b)
    return np.maximum(a, b)


# Every function a formula may call, with its number of arguments: the one list that the formula parser
# (``expressions``) and its messages read.  A new operation is a gate, a ``Value`` method and one entry here.
FUNCTIONS = {function.__name__: (function, n_args) for function, n_args in
             [(exp, 1), (log, 1), (tanh, 1), (relu, 1), (sigmoid, 1), (maximum, 2)]}


# ---- from a recorded expression to a Graph ----

def graph_of(output, title="", input_names=None):
    """The expression that computed ``output`` as a ``Graph`` with copies of the same gates, forward done.

    Node names: a Value's ``name`` if it has one, else v1, v2, ... for unnamed inputs, n1, n2, ... for
    intermediate results, and "f" for the output.  ``input_names`` fixes the order of the inputs
    (every one must be used by the expression).
    """
    if not isinstance(output, Value):
        raise CourseTypeError(f"expected the Value an expression returned, got {type(output).__name__} {output!r}")
    if output.gate is None:
        raise CourseValueError(f"'{output.name or 'the value'}' is an input, not an expression: apply an operation to it")
    order = output.topological_order()
    names = _node_names(order, output)
    inputs = [value for value in order if value.gate is None]
    if input_names is not None:
        by_name = {names[value]: value for value in inputs}
        unused = [name for name in input_names if name not in by_name]
        if unused:
            raise CourseValueError(f"input '{unused[0]}' is not used by the expression (it uses {list(by_name)})")
        inputs = [by_name[name] for name in input_names] + [v for v in inputs if names[v] not in input_names]
    graph = Graph(title)
    for value in inputs:
        graph.add_input(names[value], value.data)
    for value in order:
        if value.gate is not None:
            graph.add_node(names[value], copy.copy(value.gate), [names[parent] for parent in value.parents])
    graph.forward()
    return graph


def _node_names(order, output):
    """{Value: node name}; given names are kept (and must be unique), the others numbered."""
    names, taken = {}, set()
    for value in order:
        if value.name is not None:
            if value.name in taken:
                raise CourseValueError(f"two different Values are named '{value.name}': names must be unique")
            names[value] = value.name
            taken.add(value.name)
    counters = {"v": 0, "n": 0}
    for value in order:
        if value in names:
            continue
        if value is output and "f" not in taken:
            names[value] = "f"
        else:
            prefix = "v" if value.gate is None else "n"
            counters[prefix] += 1
            while f"{prefix}{counters[prefix]}" in taken:
                counters[prefix] += 1
            names[value] = f"{prefix}{counters[prefix]}"
        taken.add(names[value])
    return names


def record(fn, title=None, **inputs):
    """Call ``fn`` with one ``Value`` per keyword and return the recorded ``Graph``, forward pass done.

        g = record(lambda x, y: (x + y) ** 2, x=2.0, y=1.0)
        g.backward()          # the usual Trace
        g.grads["x"]          # 6.0

    Node names: the keywords for the inputs, n1, n2, ... inside, "f" for the output.
    """
    values = {name: Value(value, name=name) for name, value in inputs.items()}
    output = fn(**values)
    if title is None:
        title = getattr(fn, "__name__", "")
        title = "" if title == "<lambda>" else title
    return graph_of(output, title, input_names=list(inputs))
