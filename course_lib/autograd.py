"""A scalar autograd in the style of micrograd, built on the course's own gates and graphs.

    x, y = Value(2.0, name="x"), Value(-1.0, name="y")
    z = (x + y) ** 2 * exp(-x)      # every operation runs a gate and remembers it
    z.backward()                    # reverse topological order; gradients add up at forks
    x.grad, y.grad                  # ∂z/∂x, ∂z/∂y

Each operation is one gate from ``gates`` (AddLayer, MulLayer, PowerLayer, ...): its ``forward`` computes
the new value, and ``backward`` later calls that same gate's ``backward``.  ``value.graph()`` (or
``record(fn, **inputs)``) turns the recorded expression into an ordinary ``Graph`` with the same gates, so it
is drawn and stepped like every other graph of the course and its gradients agree with ``Value.backward``
exactly (the same gates, the same numbers, the same order).

A choice to know: ``backward()`` first sets every gradient of the expression to 0, so calling it twice gives
the same gradients as calling it once (PyTorch instead adds to .grad until you zero it).
"""
import copy
from numbers import Real

import numpy as np

from .learner import functions
from .learner.gates import (
    AddConstLayer, AddLayer, DivConstLayer, DivLayer, ExpLayer, LogLayer, MaxConstLayer, MaxLayer, MulConstLayer,
    MulLayer, PowerLayer, ReciprocalLayer, ReluLayer, SigmoidLayer, SubLayer, TanhLayer,
)
from .errors import CourseTypeError, CourseValueError, check_finite_number
from .formatting import fmt, formula_text
from .gate_protocol import input_gradients
from .graph import Graph


class Value:
    """A number that remembers how it was computed: ``data``, ``grad``, and the gate that made it."""

    def __init__(self, data, name=None):
        if not isinstance(data, Real) or isinstance(data, (bool, np.bool_)):
            raise CourseTypeError(f"Value needs a real number, got {type(data).__name__} {data!r}")
        self.data = float(check_finite_number(data, "Value", "data"))
        self.grad = 0.0
        self.name = name
        self.gate = None  # the gate whose forward computed data (None for an input)
        self.parents = ()  # the Values that were fed to that gate, in order

    def __repr__(self):
        name = f", name={self.name!r}" if self.name else ""
        return f"Value(data={fmt(self.data)}, grad={fmt(self.grad)}{name})"

    # ---- recording: one gate per operation ----
    @staticmethod
    def apply(gate, *parents):
        """Run ``gate.forward`` on the parents' data and return the result as a new recorded Value."""
        with np.errstate(all="ignore"):  # inf/nan are caught just below, with a clearer message
            try:
                data = gate.forward(*(parent.data for parent in parents))
                reason = f"it gives {data}"
            except ArithmeticError as err:  # 1/0 or an overflow on Python floats
                data, reason = float("nan"), "division by zero" if isinstance(err, ZeroDivisionError) else "overflow"
        if isinstance(data, complex) or not np.isfinite(data):
            operation = formula_text(gate.symbol, [fmt(parent.data) for parent in parents])
            raise CourseValueError(f"{operation} is not a finite real number ({reason})")
        out = Value(data)
        out.gate, out.parents = gate, parents
        return out

    def __add__(self, other):
        return Value.apply(AddLayer(), self, other) if isinstance(other, Value) else Value.apply(
            AddConstLayer(_number(other, "+")), self)

    def __radd__(self, other):  # other + self
        return self + other

    def __sub__(self, other):
        return Value.apply(SubLayer(), self, other) if isinstance(other, Value) else Value.apply(
            AddConstLayer(-_number(other, "-")), self)

    def __rsub__(self, other):  # other − self
        return -self + _number(other, "-")

    def __mul__(self, other):
        return Value.apply(MulLayer(), self, other) if isinstance(other, Value) else Value.apply(
            MulConstLayer(_number(other, "*")), self)

    def __rmul__(self, other):  # other * self
        return self * other

    def __truediv__(self, other):
        if isinstance(other, Value):
            return Value.apply(DivLayer(), self, other)
        if _number(other, "/") == 0:
            raise CourseValueError("division by the constant 0")
        return Value.apply(DivConstLayer(other), self)

    def __rtruediv__(self, other):  # other / self
        numerator = _number(other, "/")
        reciprocal = Value.apply(ReciprocalLayer(), self)
        return reciprocal if numerator == 1 else reciprocal * numerator

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise CourseTypeError("Value ** Value is not supported: the exponent must be a number, as in x ** 2")
        return Value.apply(PowerLayer(_number(exponent, "**")), self)

    def __rpow__(self, base):
        raise CourseTypeError(f"{base!r} ** Value is not supported: the exponent must be a number, as in x ** 2")

    def __neg__(self):
        return Value.apply(MulConstLayer(-1), self)

    def exp(self):
        return Value.apply(ExpLayer(), self)

    def log(self):
        return Value.apply(LogLayer(), self)

    def tanh(self):
        return Value.apply(TanhLayer(), self)

    def relu(self):
        return Value.apply(ReluLayer(), self)

    def sigmoid(self):
        return Value.apply(SigmoidLayer(), self)

    # ---- the backward pass ----
    def topological_order(self):
        """Every Value this one was computed from, each after its parents, this one last."""
        return topological_order(self)

    def backward(self):
        """Fill ``.grad`` of every Value in the expression with ∂self/∂value."""
        order = self.topological_order()
        for value in order:
            value.grad = 0.0  # start afresh: a second backward() gives the same gradients, not double
        self.grad = 1.0
        for value in reversed(order):  # the output first; each node after every node that uses it
            if value.gate is None:
                continue  # an input: nothing to pass on
            grads = input_gradients(value.gate, value.grad)  # upstream × local gradient, for each parent
            for parent, grad in zip(value.parents, grads):
                parent.grad += float(grad)  # += : a Value used twice receives both gradients

    def graph(self, title="", input_names=None):
        """The recorded expression as a ``Graph`` (forward done); see ``graph_of``."""
        return graph_of(self, title, input_names)


def topological_order(output):
    """``output`` and everything it was computed from, each after its ``parents``, ``output`` last.

    Depth-first: a node is appended once all its parents are; ``seen`` makes a node shared by several
    others (x in x * x) appear once.  Works for any object with a ``parents`` tuple.
    """
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(output)
    return order


def _number(other, operator):
    if isinstance(other, Real):
        return other
    raise CourseTypeError(f"Value {operator} {type(other).__name__}: only Values and plain numbers are supported")


# ---- the same operations as functions: Values or numbers (numpy arrays too) ----

def exp(x):
    """exp(x): a recorded Value for a Value, numpy's exp otherwise."""
    return x.exp() if isinstance(x, Value) else np.exp(x)


def log(x):
    """The natural logarithm: a recorded Value for a Value, numpy's log otherwise."""
    return x.log() if isinstance(x, Value) else np.log(x)


def tanh(x):
    return x.tanh() if isinstance(x, Value) else np.tanh(x)


def relu(x):
    """max(x, 0): a recorded Value for a Value, element-wise for numbers and arrays."""
    return x.relu() if isinstance(x, Value) else np.maximum(x, 0)


def sigmoid(x):
    """1 / (1 + exp(−x)): a recorded Value for a Value, the stable ``functions.sigmoid`` for numbers and arrays."""
    return x.sigmoid() if isinstance(x, Value) else functions.sigmoid(x)[()]  # [()]: a number stays a number


def maximum(a, b):
    """The larger of a and b (Values or numbers); with a Value, the gradient goes to the larger one."""
    if isinstance(a, Value) and isinstance(b, Value):
        return Value.apply(MaxLayer(), a, b)
    if isinstance(a, Value):
        return Value.apply(MaxConstLayer(_number(b, "maximum")), a)
    if isinstance(b, Value):
        return Value.apply(MaxConstLayer(_number(a, "maximum")), b)
    return np.maximum(a, b)


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
