"""Value: a number that remembers how it was computed, micrograd's engine built on the course's gates.

    x, y = Value(2.0, name="x"), Value(-1.0, name="y")
    z = (x + y) ** 2 * (-x).exp()   # every operation runs a gate and remembers it
    z.backward()                    # reverse topological order; gradients add up at forks
    x.grad, y.grad                  # ∂z/∂x, ∂z/∂y

Each operation is one gate (AddLayer, MulLayer, PowerLayer, ...): its ``forward`` computes the new value,
and ``backward`` later calls that same gate's ``backward``.  A choice to know: ``backward()`` first sets
every gradient of the expression to 0, so calling it twice gives the same gradients as calling it once
(PyTorch instead adds to .grad until you zero it).  Drawing and stepping an expression is the course's
machinery (``course_lib.autograd``: ``graph_of``, ``record``), outside this folder.
"""
from numbers import Real

import numpy as np

from ..errors import CourseTypeError, CourseValueError, check_finite_number
from ..formatting import fmt, formula_text
from ..gate_protocol import input_gradients
from .gates import (
    AddConstLayer, AddLayer, DivConstLayer, DivLayer, ExpLayer, LogLayer, MulConstLayer, MulLayer, PowerLayer,
    ReciprocalLayer, ReluLayer, SigmoidLayer, SubLayer, TanhLayer,
)


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
            AddConstLayer(operand(other, "+")), self)

    def __radd__(self, other):  # other + self
        return self + other

    def __sub__(self, other):
        return Value.apply(SubLayer(), self, other) if isinstance(other, Value) else Value.apply(
            AddConstLayer(-operand(other, "-")), self)

    def __rsub__(self, other):  # other − self
        return -self + operand(other, "-")

    def __mul__(self, other):
        return Value.apply(MulLayer(), self, other) if isinstance(other, Value) else Value.apply(
            MulConstLayer(operand(other, "*")), self)

    def __rmul__(self, other):  # other * self
        return self * other

    def __truediv__(self, other):
        if isinstance(other, Value):
            return Value.apply(DivLayer(), self, other)
        if operand(other, "/") == 0:
            raise CourseValueError("division by the constant 0")
        return Value.apply(DivConstLayer(other), self)

    def __rtruediv__(self, other):  # other / self
        numerator = operand(other, "/")
        reciprocal = Value.apply(ReciprocalLayer(), self)
        return reciprocal if numerator == 1 else reciprocal * numerator

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise CourseTypeError("Value ** Value is not supported: the exponent must be a number, as in x ** 2")
        return Value.apply(PowerLayer(operand(exponent, "**")), self)

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


def operand(other, operator):
    """``other`` as the number on the other side of an operator (a Value or a plain number is all it can be)."""
    if isinstance(other, Real):
        return other
    raise CourseTypeError(f"Value {operator} {type(other).__name__}: only Values and plain numbers are supported")
