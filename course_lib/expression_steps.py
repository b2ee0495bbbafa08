"""Plain (widget-free) logic of the ExpressionStepper: a typed formula, its inputs, and the frames of its
backward pass.

    steps = ExpressionSteps("(x + y) ** 2 * exp(-x)")      # inputs x = 2, y = 1 (defaults)
    steps.set_formula("x * x")      # raises the ExpressionError of a formula that does not work (kept in steps.error)
    steps.set_input("x", 3.0)
    steps.frame(1)                  # HTML: picture + explanation of backward step 1

The frames come from ``stepping.BackwardSteps`` on the graph ``parse_expression`` builds, with two more
lines: what each intermediate node computes (n1 = x + y, ...) and, at the last step, the input gradients.
A formula or input that does not work is kept as typed, its ExpressionError raised for the caller to show
and kept in ``error``; the graph, and with it every frame, stays the last one that worked, so the stepper
keeps working.
"""
from .errors import UnknownInputError
from .expressions import ExpressionError, expression_names, parse_expression
from .formatting import fmt, formula_text
from .i18n import _
from .stepping import BackwardSteps, frame_html, lines_html

DEFAULT_VALUES = (2.0, 1.0, 0.5, 3.0, 1.5, 2.5, 4.0, 0.25)


class ExpressionSteps:
    """A formula's backward pass as frames 0..n; ``formula`` and ``values`` are what was typed last."""

    def __init__(self, formula, **values):
        self.formula = formula
        self.values = self._values_for(expression_names(formula), values)
        self.error = None
        self.steps = BackwardSteps(parse_expression(formula, **self.values))  # a bad first formula raises

    # ---- editing ----
    def set_formula(self, formula):
        """Use a new formula (inputs keep their values by name).

        A formula that does not work raises its ExpressionError (also kept in ``error``), as
        ``BackwardSteps.set_input`` raises a refused value; the graph stays the last one that worked.
        """
        try:
            names = expression_names(formula)
        except ExpressionError as err:
            self.error = err
            raise
        self.formula = formula
        self.values = self._values_for(names, self.values)
        self._rebuild()

    def set_input(self, name, value):
        """Change an input's value; a value the formula refuses raises its ExpressionError (also in ``error``)."""
        if name not in self.values:
            raise UnknownInputError(f"'{name}' is not an input of {self.formula!r}; inputs are {list(self.values)}")
        self.values[name] = value
        self._rebuild()

    def _rebuild(self):
        try:
            graph = parse_expression(self.formula, **self.values)
        except ExpressionError as err:
            self.error = err
            raise
        self.steps = BackwardSteps(graph)
        self.error = None

    @staticmethod
    def _values_for(names, known):
        defaults = iter(DEFAULT_VALUES * (1 + len(names) // len(DEFAULT_VALUES)))
        return {name: known[name] if name in known else next(defaults) for name in names}

    # ---- what is shown ----
    @property
    def graph(self):
        """The last graph that worked (its title is its formula)."""
        return self.steps.graph

    @property
    def shown_formula(self):
        return self.steps.graph.title

    @property
    def trace(self):
        return self.steps.trace

    @property
    def n_steps(self):
        return self.steps.n_steps

    def highlighted_node(self, step):
        return self.steps.highlighted_node(step)

    def definitions(self):
        """What each gate node computes, in forward order: ['n1 = x + y', 'n2 = n1 ** 2', ...]."""
        return [f"{step.node} = {formula_text(step.op, step.inputs)}" for step in reversed(self.trace.steps)]

    def explanation(self, step):
        lines = list(self.steps.explanation(step))
        if step == self.n_steps:
            output = self.trace.output
            lines.append(_("Result: {gradients}").format(gradients=", ".join(
                f"∂{output}/∂{name} = {fmt(self.trace.grads[name])}" for name in self.trace.input_names)))
        lines.append(_("Nodes: {definitions}").format(definitions=";  ".join(self.definitions())))
        return lines

    def svg(self, step):
        return self.steps.svg(step)

    def frame(self, step):
        return frame_html(self.svg(step), lines_html(self.explanation(step)))

    def frames(self):
        return [self.frame(step) for step in range(self.n_steps + 1)]
