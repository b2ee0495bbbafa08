"""The four gate rules of backpropagation, each as a tiny graph drawn by the same code as the rest.

    add distributes   z = x + y:       both inputs get the upstream gradient
    mul swaps         z = x × y:       x gets upstream × y, y gets upstream × x
    max routes        z = max(x, y):   the larger input gets all of it, the other 0
    copy sums         z = x × y + x:   x is used twice; its two branches' gradients add up

``GateRule(kind, x, y, upstream)`` runs the graph forward and backward (``upstream`` is the gradient
arriving at z) and holds the trace, the picture and the gradients sent to x and y.
"""
from .drawing import draw_graph
from .errors import CourseValueError
from .formatting import fmt
from .learner.gates import AddLayer, MaxLayer, MulLayer
from .graph import Graph
from .i18n import N_, _

GATE_KINDS = ("add", "mul", "copy", "max")

HEADLINES = {  # English; shown through i18n._ in the current language
    "add": N_("add gate distributes: both inputs get the upstream gradient"),
    "mul": N_("mul gate swaps: each input gets upstream × the other input"),
    "max": N_("max gate routes: the larger input gets the whole gradient"),
    "copy": N_("copy gate sums: a value used twice gets both gradients added"),
}

DEFAULT_INPUTS = {"x": 2.0, "y": 3.0, "upstream": 1.5}

GATE_TITLES = {"add": N_("add gate"), "mul": N_("mul gate"), "copy": N_("copy gate"), "max": N_("max gate")}


def gate_graph(kind, x=DEFAULT_INPUTS["x"], y=DEFAULT_INPUTS["y"]):
    """The small graph showing gate ``kind`` ("add", "mul", "copy" or "max"); its output is z."""
    if kind not in GATE_KINDS:
        raise CourseValueError(f"gate kind must be one of {GATE_KINDS}, got {kind!r}")
    g = Graph(GATE_TITLES[kind])
    g.add_input("x", x)
    g.add_input("y", y)
    if kind == "copy":
        g.add_node("xy", MulLayer(), ["x", "y"], label="x·y")
        g.add_node("z", AddLayer(), ["xy", "x"])
    else:
        gate = {"add": AddLayer, "mul": MulLayer, "max": MaxLayer}[kind]()
        g.add_node("z", gate, ["x", "y"])
    return g


class GateRule:
    """One gate's rule with numbers: graph, trace, picture and the gradients sent to x and y."""

    def __init__(self, kind, x=DEFAULT_INPUTS["x"], y=DEFAULT_INPUTS["y"], upstream=DEFAULT_INPUTS["upstream"]):
        self.kind = kind
        self.graph = gate_graph(kind, x, y)
        self.trace = self.graph.run(dout=upstream)
        self.upstream = upstream

    @property
    def sent(self):
        """{"x": ∂z/∂x · upstream, "y": ...}: the gradients the gate sends back, read from the trace."""
        return {name: self.trace.grads[name] for name in ("x", "y")}

    @property
    def lines(self):
        """The rule in numbers, one line each (from the trace's own explanation, rules in the graph's names).

        For the copy gate: the gradient arriving at x (∂L/∂x, L being whatever z feeds), the sum of
        what its two branches send back.
        """
        if self.kind != "copy":
            return self.trace[0].explain()[1:]
        branches = [(edge.dst, grad) for edge, grad in self.trace.edge_grads().items() if edge.src == "x"]
        parts = " + ".join(fmt(grad) for _, grad in branches)
        names = _(" and ").join(_("{grad} from {node}").format(grad=fmt(grad), node=node) for node, grad in branches)
        return [
            _("x feeds two gates; a gradient comes back along each branch: {names}").format(names=names),
            _("arriving at x: ∂L/∂x = {parts} = {grad}   (copy: the branches' gradients add up)").format(
                parts=parts, grad=fmt(self.trace.grads['x'])),
        ]

    def svg(self, notes=True):
        """The picture: the graph with every value and gradient, the rule's numbers below."""
        return draw_graph(self.graph, step=None, title=_(HEADLINES[self.kind]), notes=self.lines if notes else ())
