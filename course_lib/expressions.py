"""Formulas typed as text, turned into recorded graphs, safely.

    g = parse_expression("(x + y) ** 2 * exp(-x)", x=2.0, y=1.0)
    g.backward().grads["x"]

The text is read with Python's ``ast`` module and only a whitelist is accepted: numbers, the input names,
``+ - * / **``, unary minus (and plus), and calls of exp, log, tanh, relu, sigmoid (one argument) and
maximum (two).  Nothing from the text is ever evaluated by Python: the parser walks the tree itself and
applies the course's own ``Value`` operations (or plain float arithmetic for numbers).  Anything else, and
text that is too long, too deep or too big, raises ``ExpressionError`` naming the part and its column; so does
a value or gradient that leaves the real numbers or overflows (``log(-1)``, ``1/0``, ``9 ** 9 ** 9``).
"""
import ast
import keyword
import math
import re

import numpy as np

from .autograd import FUNCTIONS, Value, graph_of
from .errors import CourseValueError
from .formatting import fmt
from .gate_protocol import worded_rule
from .i18n import N_, _

MAX_LENGTH = 300  # characters
MAX_DEPTH = 30  # operations nested in one another
MAX_NODES = 60  # numbers, names, operations and calls
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

ALLOWED = N_("A formula may use numbers, its inputs, + - * / ** (exponent a number), unary minus and {functions}.")
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
FORBIDDEN_OPERATORS = {ast.BitXor: N_("^ (for a power write **)"), ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@",
                       ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.Not: "not",
                       ast.Invert: "~"}
KINDS = {ast.Attribute: N_("attribute access"), ast.Subscript: N_("a subscript (indexing)"), ast.Lambda: N_("a lambda"),
         ast.ListComp: N_("a comprehension"), ast.SetComp: N_("a comprehension"), ast.DictComp: N_("a comprehension"),
         ast.GeneratorExp: N_("a comprehension"), ast.Compare: N_("a comparison"), ast.BoolOp: "and/or",
         ast.IfExp: "if/else", ast.Tuple: N_("a tuple"), ast.List: N_("a list"), ast.Dict: N_("a dict"),
         ast.Set: N_("a set"), ast.JoinedStr: N_("an f-string"), ast.NamedExpr: N_("an assignment (:=)"),
         ast.Starred: N_("* unpacking"), ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield"}
CONSTANT_KINDS = {str: N_("text (a string)"), bytes: N_("text (bytes)"), complex: N_("a complex number")}


def allowed():
    """The hint of a refused formula: what a formula may use (in the current language)."""
    return _(ALLOWED).format(functions=", ".join(name if n_args == 1 else f"{name}(a, b)"
                                                  for name, (_f, n_args) in FUNCTIONS.items()))


WITH_HINT = N_("{message}. {hint}")  # a refused formula's problem, then what to do


class ExpressionError(CourseValueError):
    """A formula that cannot be used; ``part`` is the offending text and ``column`` where it starts (from 1)."""

    def __init__(self, problem, part=None, column=None, hint=""):
        where = _(": '{part}' at column {column}").format(part=_shorten(part), column=column) \
            if part is not None and column else ""
        message = f"{problem}{where}"
        super().__init__(_(WITH_HINT).format(message=message, hint=hint[0].upper() + hint[1:]) if hint else message)
        self.problem, self.part, self.column = problem, part, column


def expression_names(text):
    """The input names a formula uses, in order of first appearance (checks the formula's form too)."""
    return _Checker(text, inputs=None).names


def parse_expression(text, **inputs):
    """The formula ``text`` as a recorded ``Graph`` (forward pass done), one input per keyword.

    Every name in the formula must be given as a keyword, and every keyword used.  Input nodes are named
    after the keywords, in the formula's order; intermediate nodes n1, n2, ...; the output "f".
    Raises ``ExpressionError`` (a ValueError) for anything outside the whitelist, or for values and
    gradients that are not finite real numbers.
    """
    checker = _Checker(text, inputs)
    builder = _Builder(checker.text, {name: Value(_input_number(name, value), name=name)
                                      for name, value in inputs.items()})
    output = builder.build(checker.tree.body)
    if not isinstance(output, Value):
        raise ExpressionError(_("the formula uses no input, so there is nothing to differentiate"),
                              hint=_("use at least one name, e.g. x * {formula}").format(formula=checker.text))
    if output.gate is None:
        raise ExpressionError(_("the formula is just the input '{name}'").format(name=output.name),
                              hint=_("apply an operation to it"))
    missing = [name for name in inputs if name not in checker.names]
    if missing:
        raise ExpressionError(_("input '{name}' is not used in the formula (it uses {names})").format(
            name=missing[0], names=", ".join(checker.names)))
    builder.check_local_gradients(output)
    graph = graph_of(output, title=checker.text, input_names=checker.names)
    with np.errstate(all="ignore"):
        trace = graph.backward()
    # graph_of adds the gate nodes in the Values' topological order, so the two lists line up
    made_by = dict(zip(graph.topological_order(), [v for v in output.topological_order() if v.gate is not None]))
    for step in trace:
        for name, grad in zip(step.inputs, step.grads_out):
            if not _finite_real(grad):
                part, column = builder.place(made_by[step.node])
                raise ExpressionError(_("the gradient sent from {part} to {name} is {grad}, not a finite number "
                                        "(it overflows)").format(part=part or step.node, name=name, grad=grad),
                                      part, column)
    graph.forward()  # as record(): forward done, backward for the caller
    return graph


def _input_number(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ExpressionError(_("input '{name}' must be a number, got {value}").format(
            name=name, value=f"{type(value).__name__} {value!r}"))
    if not math.isfinite(value):
        raise ExpressionError(_("input '{name}' must be a finite number, got {value}").format(name=name, value=value))
    return float(value)


class _Checker:
    """Parse ``text`` with ``ast`` and walk it, refusing everything outside the whitelist."""

    def __init__(self, text, inputs):
        if not isinstance(text, str):
            raise ExpressionError(_("a formula must be text, got {kind}").format(kind=type(text).__name__))
        self.text = text.strip()
        if not self.text:
            raise ExpressionError(_("the formula is empty"), hint=_("type one, e.g. (x + y) ** 2"))
        if len(self.text) > MAX_LENGTH:
            raise ExpressionError(_("the formula is too long ({length} characters; at most {limit})").format(
                length=len(self.text), limit=MAX_LENGTH))
        if "\n" in self.text or "\r" in self.text:
            raise ExpressionError(_("the formula must be on one line"))
        if inputs is not None:
            for name in inputs:
                _check_input_name(name)
        try:
            self.tree = ast.parse(self.text, mode="eval")
        except (SyntaxError, ValueError) as err:
            column = getattr(err, "offset", None) or 1
            raise ExpressionError(_("this is not a formula ({reason})").format(reason=getattr(err, "msg", err)),
                                  self.text[column - 1:column + 9] or self.text[-10:], column) from None
        self.inputs = inputs
        self.names = []
        self.n_nodes = 0
        self.walk(self.tree.body, depth=1)

    def fail(self, node, problem, hint=None):
        """Refuse ``node``; hint: a sentence after the problem (by default what a formula may use; "" for none)."""
        raise ExpressionError(problem, _segment(self.text, node), _column(self.text, node),
                              allowed() if hint is None else hint)

    def walk(self, node, depth):
        self.n_nodes += 1
        if self.n_nodes > MAX_NODES:
            self.fail(node, _("the formula is too big (more than {limit} numbers, names and operations)").format(
                limit=MAX_NODES), "")
        if depth > MAX_DEPTH:
            self.fail(node, _("the formula is nested too deeply (more than {limit} levels)").format(limit=MAX_DEPTH), "")
        if isinstance(node, ast.Constant):
            self.check_number(node)
        elif isinstance(node, ast.Name):
            self.check_name(node)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in OPERATORS:
                self.fail(node, _operator_refused(node.op))
            self.walk(node.left, depth + 1)
            self.walk(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                self.fail(node, _operator_refused(node.op))
            self.walk(node.operand, depth + 1)
        elif isinstance(node, ast.Call):
            self.check_call(node, depth)
        else:
            self.fail(node, _("{kind} is not allowed").format(kind=_(KINDS.get(type(node), type(node).__name__))))

    def check_number(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            kind = CONSTANT_KINDS.get(type(node.value))
            self.fail(node, _("{kind} is not allowed").format(kind=_(kind) if kind else repr(node.value)))

    def check_name(self, node):
        name = node.id
        if name in FUNCTIONS:
            self.fail(node, _("'{name}' is a function").format(name=name), _("call it, as in {name}(x)").format(name=name))
        known = self.inputs is None or name in self.inputs
        if not known or not NAME_PATTERN.match(name):
            inputs = ", ".join(self.inputs) if self.inputs else _("none")
            self.fail(node, _("unknown name '{name}'").format(name=name),
                      _("the inputs are: {inputs}; the functions: {functions}").format(inputs=inputs,
                                                                                      functions=", ".join(FUNCTIONS)))
        if name not in self.names:
            self.names.append(name)

    def check_call(self, node, depth):
        function = node.func.id if isinstance(node.func, ast.Name) else None
        if function not in FUNCTIONS:
            called = function or _segment(self.text, node.func)
            self.fail(node, _("'{name}' is not a function a formula may call").format(name=called),
                      _("the functions are: {functions}").format(functions=", ".join(FUNCTIONS)))
        if node.keywords:
            keyword_arg = node.keywords[0]
            self.fail(keyword_arg, _("keyword arguments are not allowed in {function}(...)").format(function=function), "")
        _gate, n_args = FUNCTIONS[function]
        if len(node.args) != n_args:
            message = _("{function} takes {n} arguments, got {got}") if n_args > 1 else \
                _("{function} takes {n} argument, got {got}")
            self.fail(node, message.format(function=function, n=n_args, got=len(node.args)), "")
        for arg in node.args:
            self.walk(arg, depth + 1)


def _check_input_name(name):
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name) or name in FUNCTIONS:
        raise ExpressionError(_("'{name}' cannot be an input name").format(name=name),
                              hint=_("use letters, digits and _, starting with a letter, and not a function's name"))


class _Builder:
    """Apply the checked tree: Value operations where an input is involved, float arithmetic for numbers."""

    def __init__(self, text, values):
        self.text = text
        self.values = values
        self._source = {}  # Value -> the AST node that made it

    def build(self, node):
        if isinstance(node, ast.Constant):
            return self.number(node, lambda: float(node.value))
        if isinstance(node, ast.Name):
            return self.values[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            return operand if isinstance(node.op, ast.UAdd) else self.apply(node, lambda: -operand)
        if isinstance(node, ast.BinOp):
            left, right = self.build(node.left), self.build(node.right)
            if isinstance(node.op, ast.Pow) and isinstance(right, Value):
                raise ExpressionError(_("the exponent must be a number, not an expression of the inputs"),
                                      _segment(self.text, node.right), _column(self.text, node.right),
                                      _("write e.g. x ** 2; for a ** x write exp(x * log(a))"))
            return self.apply(node, lambda: _BINARY[type(node.op)](left, right))
        function, _n_args = FUNCTIONS[node.func.id]
        args = [self.build(arg) for arg in node.args]
        return self.apply(node, lambda: function(*args))

    def apply(self, node, compute):
        """compute() a Value or a number for ``node``; any value outside the reals becomes an ExpressionError."""
        result = self.number(node, compute)
        if isinstance(result, Value) and result not in self._source:
            self._source[result] = node
        return result

    def number(self, node, compute):
        with np.errstate(all="ignore"):
            try:
                result = compute()
            except (ValueError, ArithmeticError) as err:
                raise ExpressionError(f"{_explain(err)} {self.at_inputs()}".rstrip(),
                                      _segment(self.text, node), _column(self.text, node)) from None
        if not isinstance(result, Value) and not _finite_real(result):
            raise ExpressionError(_("the value {value} is not a finite real number").format(value=_describe(result)),
                                  _segment(self.text, node), _column(self.text, node))
        return float(result) if not isinstance(result, Value) else result

    def at_inputs(self):
        if not self.values:
            return ""
        return _("(at {values})").format(values=", ".join(f"{name} = {fmt(v.data)}" for name, v in self.values.items()))

    def place(self, value):
        """(formula text, column) of the operation that made ``value`` ((None, None) if not known)."""
        node = self._source.get(value)
        return (None, None) if node is None else (_segment(self.text, node), _column(self.text, node))

    def check_local_gradients(self, output):
        """Every gate's local derivative must be finite at these inputs (e.g. not x ** 0.5 at x = 0)."""
        for value in output.topological_order():
            if value.gate is None:
                continue
            with np.errstate(all="ignore"):
                try:
                    local = value.gate.local_grads()
                except ArithmeticError:
                    local = (float("nan"),)
            if not all(_finite_real(grad) for grad in local):
                raise ExpressionError(_("the derivative is not finite here {where}").format(where=self.at_inputs()),
                                      *self.place(value), _("its rule: {rule}").format(
                                          rule="; ".join(worded_rule(rule) for rule in value.gate.rules)))


_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def _finite_real(number):
    return not isinstance(number, complex) and bool(np.isfinite(number))


def _operator_refused(op):
    name = FORBIDDEN_OPERATORS.get(type(op), type(op).__name__)
    return _("the operator {operator} is not allowed").format(operator=_(name))


def _describe(number):
    return "complex" if isinstance(number, complex) else str(float(number))


# Value's own message for an operation outside the reals (learner/value.py), said again in the current language
NOT_REAL = re.compile(r"(?P<operation>.+) is not a finite real number \((?:it gives (?P<value>.+)|(?P<why>division by zero|"
                      r"overflow))\)\Z", re.S)


def _explain(err):
    text = str(err)
    if isinstance(err, ZeroDivisionError):
        return _("division by zero")
    if isinstance(err, OverflowError):
        return _("the number is too large (it overflows)")
    found = NOT_REAL.match(text)
    if found:
        reason = (_("it gives {value}").format(value=found["value"]) if found["value"] is not None
                  else _("division by zero") if found["why"] == "division by zero" else _("overflow"))
        return _("{operation} is not a finite real number ({reason})").format(operation=found["operation"], reason=reason)
    return text


def _segment(text, node):
    return ast.get_source_segment(text, node) or text


def _column(text, node):
    """1-based character column of ``node`` (ast counts UTF-8 bytes)."""
    return len(text.encode("utf-8")[: node.col_offset].decode("utf-8", errors="ignore")) + 1


def _shorten(part, limit=40):
    return part if len(part) <= limit else part[: limit - 1] + "…"
