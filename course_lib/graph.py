"""Computational graphs whose backward pass leaves a trace.

A ``Graph`` wires gates (see ``gates``) into a DAG by name::

    g = Graph("apple")
    g.add_input("apple", 100)
    g.add_input("apple_num", 2)
    g.add_input("tax", 1.1)
    g.add_node("apple_price", MulLayer(), ["apple", "apple_num"])
    g.add_node("price", MulLayer(), ["apple_price", "tax"])
    g.forward()            # 220.00000000000003
    trace = g.backward()   # one TraceStep per gate, output first

``backward`` calls each gate's own ``backward`` in reverse topological order and records every
call in a ``Trace``: the single data model that pictures and widgets play back.  Where a node feeds
several others, a ``CopyLayer`` adds their gradients up, exactly as the copy gate does.
"""
from dataclasses import dataclass

import numpy as np

from .backward_record import BackwardRecord, BackwardStep
from .errors import (
    BackwardBeforeForwardError, CallOrderError, CourseError, CourseKeyError, CourseTypeError, CourseValueError,
    UnknownInputError,
    as_number_array,
    check_finite_values, nonfinite_meaning,
)
from .formatting import fmt
from .i18n import _
from .gate_protocol import input_gradients, missing_gate_members, named_rules
from .learner.gates import CopyLayer


@dataclass(frozen=True)
class Edge:
    """The value of node ``src`` flowing into input number ``position`` of node ``dst``."""

    src: str
    dst: str
    position: int


@dataclass(frozen=True)
class TraceStep(BackwardStep):
    """One gate's backward call.

    number          1 for the first backward step (step 0 is the forward pass alone)
    node, op        the node's name and its gate's symbol ("×", "exp", ...)
    inputs          names of the nodes feeding it, in order;  input_values their forward values
    value           the node's forward output
    upstream        the gradient arriving at the node's output (∂L/∂node)
    upstream_parts  where that gradient came from: ((consumer name, gradient), ...);
                    more than one part means the copy gate added them up
    local_grads     ∂node/∂input for each input, as numbers
    rules           the same as short rules in the graph's own names, e.g. "∂price/∂tax = all_price"
    grads_out       the gradient sent to each input: what the gate's backward returned
    """

    node: str
    op: str
    inputs: tuple
    input_values: tuple
    value: object
    upstream_parts: tuple
    local_grads: tuple
    rules: tuple
    grads_out: tuple

    @property
    def sent(self):
        """{input name: gradient sent to it} (an input used twice gets both parts added)."""
        sent = {}
        for name, grad in zip(self.inputs, self.grads_out):
            sent[name] = sent[name] + grad if name in sent else grad
        return sent

    def explain(self):
        """The step in words and numbers, one line each (what the widgets show)."""
        lines = [_("Step {number}: backward through node '{node}' ({op})").format(
            number=self.number, node=self.node, op=self.op)]
        if len(self.upstream_parts) > 1:
            parts = " + ".join(fmt(grad) for _name, grad in self.upstream_parts)
            lines.append(_("upstream gradient = {parts} = {upstream}  (copy: gradients add up)").format(
                parts=parts, upstream=fmt(self.upstream)))
        else:
            lines.append(_("upstream gradient = {upstream}").format(upstream=fmt(self.upstream)))
        for name, local, rule, grad in zip(self.inputs, self.local_grads, self.rules, self.grads_out):
            lines.append(_("to {name}: {upstream} × {local} = {grad}   ({rule})").format(
                name=name, upstream=fmt(self.upstream), local=fmt(local), grad=fmt(grad), rule=rule))
        numbers = {_("the value of {node}").format(node=self.node): self.value, _("the upstream gradient"): self.upstream}
        numbers.update({_("the local derivative for {name}").format(name=name): local
                        for name, local in zip(self.inputs, self.local_grads)})
        numbers.update({_("the gradient sent to {name}").format(name=name): grad
                        for name, grad in zip(self.inputs, self.grads_out)})
        return lines + nonfinite_notes(numbers)


class Trace(BackwardRecord):
    """The ordered record of a backward pass: a sequence of ``TraceStep`` (trace[0] is step 1).

    Also holds the forward ``values`` and the final ``grads`` of every node (inputs included),
    and answers what is known after the first k steps, which is what a stepper shows.
    """

    def __init__(self, graph, steps, dout, input_grads):
        self.title = graph.title
        self.output = graph.output
        super().__init__(steps)
        self.dout = dout
        self.edges = graph.edges
        self.input_names = graph.input_names
        self.values = dict(graph.values)
        self._by_node = {step.node: step for step in self.steps}
        self._input_grads = dict(input_grads)
        self.grads = self.node_grads(len(self.steps))

    def __repr__(self):
        words = _("Trace of '{title}': {n_steps} backward steps, output {output}")  # <…> kept out of the msgid
        return "<" + words.format(title=self.title, n_steps=len(self), output=self.output) + ">"

    def step_for(self, node):
        """The step in which ``node``'s gate ran backward."""
        if node not in self._by_node:
            raise CourseKeyError(f"no backward step for '{node}': inputs have none; steps are {list(self._by_node)}")
        return self._by_node[node]

    def edge_grads(self, k=None):
        """{Edge: gradient} for the edges whose gradient is known after the first k steps."""
        k = len(self.steps) if k is None else k
        known = {}
        for step in self.steps[:k]:
            for position, grad in enumerate(step.grads_out):
                known[Edge(step.inputs[position], step.node, position)] = grad
        return known

    def node_grads(self, k=None):
        """{node: ∂output/∂node} for the nodes whose gradient is complete after the first k steps."""
        k = len(self.steps) if k is None else k
        done = self.steps[:k]
        grads = {step.node: step.upstream for step in done}
        finished = {step.node for step in done}
        for name in self.input_names:
            users = [edge for edge in self.edges if edge.src == name]
            if name in self._input_grads and all(edge.dst in finished for edge in users):
                grads[name] = self._input_grads[name]
        return grads


class Graph:
    """A DAG of gates, built by name; see the module docstring for an example."""

    def __init__(self, title=""):
        self.title = title
        self.labels = {}
        self._input_values = {}
        self._nodes = {}  # name -> (gate, input names)
        self._copies = {}  # name -> CopyLayer, for nodes that feed several others
        self.output = None
        self.values = {}
        self.trace = None
        self._forward_done = False

    # ---- building ----
    def add_input(self, name, value=None, label=None):
        """Declare an input node; its value may be set now or later with ``set_input``.

        A value is a finite number or an array of finite numbers (a list becomes an array).
        """
        self._check_new_name(name)
        self._input_values[name] = None if value is None else self._checked_value(name, value)
        self.labels[name] = label or name
        self._changed()
        return self

    def add_node(self, name, gate, inputs, label=None):
        """Add a gate fed by the nodes named in ``inputs``; the last node added is the output."""
        self._check_new_name(name)
        inputs = (inputs,) if isinstance(inputs, str) else inputs
        if not isinstance(inputs, (list, tuple)) or not all(isinstance(src, str) for src in inputs):
            raise CourseTypeError(f"node '{name}': inputs must be a list of node names, e.g. ['x', 'y'], got {inputs!r}")
        inputs = tuple(inputs)
        _check_gate(name, gate)
        if len(inputs) != gate.n_inputs:
            raise CourseValueError(
                f"node '{name}': {type(gate).__name__} takes {gate.n_inputs} input(s), got {len(inputs)}: {list(inputs)}"
            )
        self._nodes[name] = (gate, inputs)
        self.labels[name] = label or name
        self.output = name
        self._changed()
        return self

    def set_input(self, name, value):
        """Change an input's value; run forward() and backward() again to update everything.

        ``value``: a finite number, or an array of finite numbers (a list becomes an array).
        Until the next backward(), ``grads`` refuses to answer rather than give the old gradients.
        """
        if name not in self._input_values:
            raise UnknownInputError(f"'{name}' is not an input of graph '{self.title}'; inputs are {self.input_names}")
        self._input_values[name] = self._checked_value(name, value)
        self._changed()

    def _checked_value(self, name, value):
        """An input's value: numbers only (text, None, True/False refused), finite, lists made arrays."""
        return _finite_numbers(value, f"graph '{self.title}', input '{name}'", "the value")

    def _checked_dout(self, dout):
        """The gradient fed in at the output: finite numbers of the output's shape (a number is repeated)."""
        dout = _finite_numbers(dout, f"graph '{self.title}'", "dout")
        output_shape = np.shape(self.values[self.output])
        if np.shape(dout) == output_shape:
            return dout
        if np.ndim(dout) == 0:
            return np.full(output_shape, dout, dtype=float)
        raise CourseValueError(
            f"graph '{self.title}': dout has shape {np.shape(dout)}, but the output '{self.output}' has shape "
            f"{output_shape}; give one number, or an array of that shape"
        )

    def _changed(self):
        """The graph or an input changed: the last forward values and trace no longer hold."""
        self._forward_done = False
        self.values = {}
        self.trace = None

    # ---- structure ----
    @property
    def input_names(self):
        return list(self._input_values)

    @property
    def inputs(self):
        """{input name: value}, a copy."""
        return dict(self._input_values)

    @property
    def node_names(self):
        """Gate nodes in topological order (inputs first, output last)."""
        return self.topological_order()

    def gate(self, name):
        return self._node(name)[0]

    def inputs_of(self, name):
        return self._node(name)[1]

    def _node(self, name):
        if name not in self._nodes:
            raise CourseKeyError(f"graph '{self.title}' has no gate node '{name}'; its nodes are {list(self._nodes)}")
        return self._nodes[name]

    @property
    def edges(self):
        return [Edge(src, dst, pos) for dst, (_, srcs) in self._nodes.items() for pos, src in enumerate(srcs)]

    def topological_order(self):
        """Gate node names so that every node comes after the nodes it reads; rejects bad wiring."""
        known = set(self._input_values) | set(self._nodes)
        for name, (_gate, srcs) in self._nodes.items():
            for src in srcs:
                if src not in known:
                    raise CourseValueError(
                        f"node '{name}' reads '{src}', which is neither an input nor a node of "
                        f"graph '{self.title}' (known: {sorted(known)})"
                    )
        order, state = [], {}  # state: 1 = being visited, 2 = done

        def visit(name, path):
            if name in self._input_values or state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = path[path.index(name):] + [name]
                raise CourseValueError(f"graph '{self.title}' has a cycle: {' -> '.join(cycle)}")
            state[name] = 1
            for src in self._nodes[name][1]:
                visit(src, path + [name])
            state[name] = 2
            order.append(name)

        for name in self._nodes:
            visit(name, [])
        return order

    # ---- running ----
    def forward(self):
        """Compute every node's value (kept in ``self.values``) and return the output's value."""
        order = self.topological_order()
        if not order:
            raise CourseValueError(f"graph '{self.title}' has no gate nodes yet: add one with add_node()")
        missing = [name for name, value in self._input_values.items() if value is None]
        if missing:
            raise CourseValueError(
                f"input '{missing[0]}' of graph '{self.title}' has no value: "
                f"set it with graph.set_input('{missing[0]}', value)"
            )
        self.values = dict(self._input_values)
        for name in order:
            gate, srcs = self._nodes[name]
            try:
                self.values[name] = gate.forward(*(self.values[src] for src in srcs))
            except CourseError as error:  # say which node, keeping the error's kind
                raise type(error)(f"node '{name}' of graph '{self.title}': {error}") from None
        self._copies = {}
        for name in list(self._input_values) + order:
            n_users = sum(1 for edge in self.edges if edge.src == name) + (name == self.output)
            if n_users > 1:
                self._copies[name] = CopyLayer(n_users)
                self._copies[name].forward(self.values[name])
        self._forward_done = True
        self.trace = None
        return self.values[self.output]

    def backward(self, dout=1):
        """Run every gate's backward, output first, and return the ``Trace`` of the pass."""
        if not self._forward_done:
            raise BackwardBeforeForwardError(
                f"graph '{self.title}': backward() needs a fresh forward(); "
                "run forward() first (and again after changing an input)"
            )
        dout = self._checked_dout(dout)
        order = self.topological_order()
        arriving = {name: [] for name in list(self._input_values) + order}  # name -> [(from, grad)]
        arriving[self.output].append(("dout", dout))
        steps = []
        for name in reversed(order):
            gate, srcs = self._nodes[name]
            parts = arriving[name]
            if not parts:
                raise CourseValueError(
                    f"node '{name}' of graph '{self.title}' does not lead to the output '{self.output}': "
                    "connect it or remove it"
                )
            upstream = self._gather(name, parts)
            grads_out = input_gradients(gate, upstream)
            for src, grad in zip(srcs, grads_out):
                arriving[src].append((name, grad))
            steps.append(
                TraceStep(
                    number=len(steps) + 1,
                    node=name,
                    op=gate.symbol,
                    inputs=srcs,
                    input_values=tuple(self.values[src] for src in srcs),
                    value=self.values[name],
                    upstream=upstream,
                    upstream_parts=tuple(parts),
                    local_grads=tuple(gate.local_grads()),
                    rules=named_rules(gate, name, srcs),
                    grads_out=grads_out,
                )
            )
        input_grads = {name: self._gather(name, arriving[name]) for name in self._input_values if arriving[name]}
        self.trace = Trace(self, steps, dout, input_grads)
        return self.trace

    def _gather(self, name, parts):
        """The gradient of a node from the parts its users sent back: the copy gate adds them up."""
        if name in self._copies:
            return self._copies[name].backward([grad for _, grad in parts])
        return parts[0][1]

    def run(self, dout=1):
        """forward() then backward(dout); returns the trace."""
        self.forward()
        return self.backward(dout)

    @property
    def grads(self):
        """{node: gradient of the output with respect to it}, after backward()."""
        if self.trace is None:
            raise CallOrderError(
                f"graph '{self.title}': no backward pass since the graph or its inputs last changed; "
                "run forward() and backward() (or run()) first"
            )
        return self.trace.grads

    def _check_new_name(self, name):
        if not isinstance(name, str) or not name:
            raise CourseTypeError(f"node names must be non-empty strings, got {name!r}")
        if name in self._input_values or name in self._nodes:
            raise CourseValueError(f"graph '{self.title}' already has a node named '{name}'")

    def __repr__(self):
        words = _("Graph '{title}': inputs {inputs}, output '{output}'")  # <…> kept out of the msgid (not a tag)
        return "<" + words.format(title=self.title, inputs=self.input_names, output=self.output) + ">"


def _finite_numbers(value, who, what):
    """A number or an array of numbers, all finite: Python numbers stay as they are, lists become arrays."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        array = as_number_array(value, who, what)
        value = array if isinstance(value, np.ndarray) or array.ndim else array.item()
    return check_finite_values(value, who, what)


def _check_gate(name, gate):
    """Reject an object that does not follow the ``Gate`` protocol of gates.py, naming what it lacks."""
    if isinstance(gate, type):
        raise CourseTypeError(f"node '{name}': give a gate, {gate.__name__}(), not the class {gate.__name__}")
    missing = missing_gate_members(gate)
    if missing:
        raise CourseTypeError(
            f"node '{name}': {type(gate).__name__} is not a gate: it lacks {', '.join(missing)} "
            "(a gate provides forward, backward, local_grads, symbol, n_inputs and rules; see gates.Gate)"
        )
    if len(gate.rules) != gate.n_inputs:
        raise CourseValueError(
            f"node '{name}': {type(gate).__name__} has {gate.n_inputs} input(s) but {len(gate.rules)} rule(s) "
            f"{tuple(gate.rules)}; give one rule per input"
        )


def nonfinite_notes(numbers):
    """Sentences for the numbers in ``{what: value}`` that are nan or inf, saying what that means.

    nonfinite_notes({"the value of price": inf}) -> ["note: the value of price is inf, which means the
    number overflowed (...)"]; several at once share one sentence per kind (inf, nan).
    """
    by_kind = {}
    for what, value in numbers.items():
        array = np.asarray(value)
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            bad = array[~np.isfinite(array)].reshape(-1)[0]
            by_kind.setdefault("nan" if np.isnan(bad) else ("inf" if bad > 0 else "−inf"), (bad, []))[1].append(what)
    notes = []
    for kind, (bad, whats) in by_kind.items():
        subject = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " and " + whats[-1]
        verb = "is" if len(whats) == 1 else "are"
        notes.append(f"note: {subject} {verb} {kind}, {nonfinite_meaning(bad)}")
    return notes


def first_nonfinite_note(values):
    """A sentence naming the first node (in ``values``' order: inputs, then the forward order) whose value
    is nan or inf, e.g. "node 'apple_price' is inf, which means the number overflowed (...)"; None if all are finite."""
    bad = [(name, value) for name, value in values.items()
           if np.asarray(value).dtype.kind in "fc" and not np.isfinite(value).all()]
    if not bad:
        return None
    name, value = bad[0]
    entry = np.asarray(value)[~np.isfinite(value)].reshape(-1)[0]
    later = [other for other, _ in bad[1:]]
    after = (f"; also not finite after it: {', '.join(later[:4])}{' ...' if len(later) > 4 else ''}"
             if later else "")
    return f"node '{name}' is {fmt(entry)}, {nonfinite_meaning(entry)}{after}"
