"""What every record of a backward pass shares: numbered steps, in the order they ran.

A graph's ``Trace`` (one step per gate) and a network's ``LayerTrace`` (one step per layer) are both a
``BackwardRecord`` of ``BackwardStep``s: step 1 is the first backward call, trace[0] is step 1, and
each step knows the gradient that arrived at its output (``upstream``).  Pictures and steppers read
them; nothing here computes a derivative.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class BackwardStep:
    """One backward call: its number (1 for the first; step 0 is the forward pass) and the gradient arriving."""

    number: int
    upstream: object


class BackwardRecord:
    """The ordered, read-only record of a backward pass: ``len``, indexing and iteration over its steps."""

    def __init__(self, steps):
        self.steps = tuple(steps)

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, index):
        return self.steps[index]

    def __iter__(self):
        return iter(self.steps)
