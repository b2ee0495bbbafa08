"""What a gate is to the rest of the course: the ``Gate`` protocol, read in one place.

``Graph``, ``Value`` (the autograd) and ``check_layer`` all call a gate the same way, through
``input_gradients``: a gate's ``backward`` returns a tuple for two inputs and the one gradient itself
for one input (as the seeds' MulLayer and Relu do), and this module is the only place that knows it.
``named_rules`` writes a gate's rules in a graph's own names, for the pictures and steppers, and
``worded_rule`` says a rule's words ("1 if x > 0 else 0") in the edition's language.
"""
import re
from typing import Protocol

from .errors import CourseTypeError
from .i18n import _


class Gate(Protocol):
    """What every gate provides (``Graph.add_node`` checks each of these members is there).

    symbol          how pictures draw the node: "×", "+", "exp", ...
    n_inputs        how many inputs forward takes (1 or 2)
    rules           one local-derivative rule per input, in paper-style letters: inputs x, y
                    and output z for two inputs ("∂z/∂x = y"), input x and output y for one
                    input ("∂y/∂x = exp(x)"); ``named_rules`` puts the graph's names in
    forward(*inputs)  the output, remembering on ``self`` what backward needs
    backward(dout)    the gradient for each input, dout × its local derivative: a tuple (dx, dy)
                      for two inputs, dx itself for one
    local_grads()     ∂output/∂input for each input, as numbers (a tuple), valid after forward
    """

    symbol: str
    n_inputs: int
    rules: tuple

    def forward(self, *inputs): ...

    def backward(self, dout): ...

    def local_grads(self): ...


GATE_MEMBERS = ("forward", "backward", "local_grads", "symbol", "n_inputs", "rules")


def missing_gate_members(gate):
    """The members of the ``Gate`` protocol that ``gate`` lacks, e.g. ["local_grads", "rules"]."""
    return [name for name in GATE_MEMBERS if not hasattr(gate, name)]


def input_gradients(gate, dout, n_inputs=1):
    """``gate.backward(dout)`` as a tuple, one gradient per input, whatever the gate's number of inputs.

    ``n_inputs`` counts the inputs of a layer that does not say (``Relu``, a learner's own class);
    a gate's own ``n_inputs`` wins.  A backward that breaks the rule is named, with the fix.
    """
    n_inputs = getattr(gate, "n_inputs", n_inputs)
    grads = gate.backward(dout)
    name = type(gate).__name__
    if n_inputs == 1:
        if isinstance(grads, tuple):
            raise CourseTypeError(
                f"{name}.backward returned a tuple of {len(grads)}; with one input it returns the gradient itself (dx)"
            )
        return (grads,)
    if not isinstance(grads, (tuple, list)) or len(grads) != n_inputs:
        got = f"{len(grads)} gradients" if isinstance(grads, (tuple, list)) else "one gradient"
        raise CourseTypeError(
            f"{name}.backward returned {got}, but its forward takes {n_inputs} inputs: "
            f"return one gradient per input, e.g. return dx, dy"
        )
    return tuple(grads)


PAPER_LETTERS = {1: ("y", ("x",)), 2: ("z", ("x", "y"))}  # n_inputs -> (output letter, input letters)
_LETTER = re.compile(r"(?<![A-Za-z_])[xyz](?![A-Za-z0-9_])")


def named_rules(gate, output, inputs):
    """The gate's rules with its paper letters replaced by the graph's names.

    ``named_rules(AddLayer(), "t", ("x", "y"))`` -> ("∂t/∂x = 1", "∂t/∂y = 1").  A letter is replaced
    only where it stands alone ("2x" and "exp(x)" yes, "max" and "exp" no); all letters at once, so
    a node named y fed by x is safe.  A rule for a gate with more than two inputs is shown as written.
    """
    if gate.n_inputs not in PAPER_LETTERS:
        return tuple(worded_rule(rule) for rule in gate.rules)
    out_letter, in_letters = PAPER_LETTERS[gate.n_inputs]
    names = {out_letter: output, **dict(zip(in_letters, inputs))}

    def replace(match):
        name = names.get(match.group(), match.group())
        after_digit = match.start() > 0 and match.string[match.start() - 1].isdigit()
        return f"·{name}" if after_digit and len(name) > 1 else name  # 2x -> 2t, but 2·apple

    return tuple(worded_rule(_LETTER.sub(replace, rule)) for rule in gate.rules)


_CONDITIONAL = re.compile(r"(?P<lhs>.+? = )(?P<then>.+?) if (?P<condition>.+?) else (?P<otherwise>.+)\Z")


def worded_rule(rule):
    """A rule as the current language says it: the words of "∂y/∂x = 1 if x > 0 else 0" translated
    (the maths as written); any other rule unchanged."""
    match = _CONDITIONAL.match(rule)
    if match is None:
        return rule
    return _("{lhs}{then} if {condition} else {otherwise}").format(**match.groupdict())
