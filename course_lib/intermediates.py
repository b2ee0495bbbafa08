"""Check the gradient of every intermediate of a forward pass written out line by line.

Write the forward pass as a function of a ``Tape`` and pass each named intermediate through it::

    def forward(tape):
        W = tape("W", W_start)
        scores = tape("scores", x @ W)
        return softmax_loss(scores)        # the loss, a number

``IntermediateGrads(forward)`` runs it once, keeps every value (``.values["scores"]``) and finds the
right gradient of the loss for each of them by central differences: it runs ``forward`` again with
one intermediate nudged (the tape hands out the nudged value instead of the computed one), so the
change flows through everything computed after it, every path included.  No backward pass is used,
so these are independent of any formula a learner (or the course) writes.

``grads.check("scores", d_scores)`` compares a learner's gradient with it and explains a difference,
then hands out the right one as ``grads["scores"]``, so the next exercise starts from a correct upstream
gradient whatever happened in this one (right, wrong or unanswered).  Nothing hands out a gradient before
its check has judged an answer: ``grads["scores"]`` before that is an error.  A learner can still run a
check on nothing and copy the hand-out, but only in a notebook run out of order: graded, every cell runs in
order, so the copy in the answer cell fails before its check has run (and the grader names any answer
that calls the check itself: course_tools.classroom.integrity).
"""
import numpy as np

from .closeness import entries_that_differ
from .diagnosis import diagnose
from .errors import CourseError, CourseKeyError, CourseTypeError, CourseValueError, WrongAnswer, as_number_array, check_finite_number
from .gradcheck import numerical_gradient

MAX_SHOWN = 5  # differing entries listed in a message


class Tape:
    """Records intermediates by name, in the order the forward pass makes them.

    ``replace``: {name: value} to hand out instead of what the forward pass computes.
    """

    def __init__(self, replace=None):
        self.replace = dict(replace or {})
        self.values = {}

    def __call__(self, name, value):
        if not isinstance(name, str) or not name:
            raise CourseTypeError(f"tape(name, value): the name must be a non-empty text such as 'scores', got {name!r}")
        if name in self.values:
            raise CourseValueError(f"the tape already holds an intermediate named '{name}': give each line its own name")
        value = self.replace.get(name, value)
        self.values[name] = value
        return value


class GradientMismatch(WrongAnswer):
    """A learner's gradient differs from the right one; the message says where and, if known, why.

    A ``WrongAnswer`` (a CourseError and an AssertionError), as the quizzes' wrong answers are."""


class IntermediateGrads:
    """The right ∂loss/∂v for every intermediate v recorded by ``forward(tape)`` (see the module).

    values: {name: forward value} in order.  loss: the forward pass's result.
    batch_size: N, used to recognise a factor N or a missing sum over the batch in a wrong answer.
    """

    def __init__(self, forward, batch_size=None, h=1e-5):
        if not callable(forward):
            raise CourseTypeError(f"IntermediateGrads needs the forward pass, a function of a tape; got {type(forward).__name__}")
        tape = Tape()
        self.loss = float(check_finite_number(forward(tape), "IntermediateGrads", "forward(tape)'s result (the loss)"))
        self.values = tape.values
        self.batch_size = batch_size
        self._forward, self._h = forward, h
        self._right = {}
        for name, value in self.values.items():
            start = np.array(value, dtype=np.float64)  # a float copy to nudge
            self._right[name] = numerical_gradient(lambda v, name=name: forward(Tape({name: v})), start, h=h)
        self._handed_out = {}

    @property
    def names(self):
        return list(self.values)

    def __getitem__(self, name):
        """The right gradient of ``name``, once its check has judged an answer: d_<name> for the next step."""
        if name not in self._handed_out:
            self._known(name)
            raise CourseKeyError(f"the gradient of '{name}' is handed out by its check, grads.check('{name}', d_{name}): "
                                 f"write your d_{name} and run that check first")
        return self._handed_out[name].copy()  # a copy: changing it in place cannot change what later cells read

    def agrees(self, name, value, tol=1e-6, atol=1e-8):
        """True when ``value`` is ∂loss/∂name, as ``check`` judges it; hands nothing out and prints nothing."""
        right = self._right[self._known(name)]
        value = as_number_array(value, f"d_{name}", "the gradient").astype(np.float64)
        return value.shape == right.shape and not entries_that_differ(value, right, tol, atol).any()

    def check(self, name, mine, tol=1e-6, atol=1e-8, hand_out=True, per_sample=None):
        """Raise ``GradientMismatch`` explaining how ``mine`` differs from ∂loss/∂name; print ✔ if it matches.

        It matches when no entry differs by more than ``atol + tol · max |right|`` (``atol`` absorbs
        the rounding of gradients that are exactly zero; see ``closeness.entries_that_differ``).
        A nan or inf entry never matches.  Right or wrong, the right gradient is then handed out as
        ``self[name]`` (unless ``hand_out`` is False).

        per_sample: for a value broadcast over the batch (a bias, gamma, mu), each sample's share of its
        gradient, so that one sample's share handed in for the sum is named: an (N, *shape) array, or True
        to have the checker find the shares itself (``shares``), only when a wrong answer needs them.
        """
        right = self._right[self._known(name)]
        if per_sample is True:
            per_sample = lambda: self.shares(name)  # noqa: E731 - computed only if the diagnosis needs it
        try:
            self._judge(name, mine, right, tol, atol, per_sample)
        finally:
            if hand_out:
                self._handed_out[name] = right.copy()

    def shares(self, name):
        """Each sample's share of ∂loss/∂name, shape (N, *shape), for a value broadcast over the batch; else None.

        The forward pass runs with N copies of the value, one per sample (the tape hands out the stacked
        copies, which broadcast as the value did), and each copy is nudged: its gradient is that sample's
        share.  None when the batch size is unknown, the copies do not broadcast, or the shares do not add
        up to the gradient (the value was not used once per sample)."""
        right = self._right[self._known(name)]
        if not self.batch_size or self.batch_size < 2:
            return None
        copies = np.broadcast_to(np.asarray(self.values[name], dtype=np.float64),
                                 (self.batch_size,) + right.shape).copy()
        try:
            shares = numerical_gradient(lambda v: self._forward(Tape({name: v})), copies, h=self._h)
        except Exception:  # noqa: BLE001 - the value is not broadcast over the batch: no shares to compare
            return None
        if shares.shape != copies.shape or entries_that_differ(shares.sum(axis=0), right, 1e-6, 1e-8).any():
            return None
        return shares

    def _judge(self, name, mine, right, tol, atol, per_sample=None):
        label = f"d_{name}"
        if mine is None or mine is Ellipsis:
            raise GradientMismatch(
                f"{label} has no value yet: write it in the cell above. (The right gradient is handed out as "
                f"grads['{name}'] all the same, for the exercises after this one; copied into {label} it earns nothing "
                "when the notebook is graded, since grading runs every cell in order.)")
        try:
            mine = as_number_array(mine, label, "your gradient").astype(np.float64)
        except CourseError as error:  # text, None inside a list, a ragged list: a wrong answer, in words
            raise GradientMismatch(f"{error}.") from None
        if mine.shape != right.shape:
            hint = diagnose(mine, right, self.batch_size, label)
            raise GradientMismatch(
                f"{label} must have the shape of {name}, {right.shape}; yours has shape {mine.shape}."
                + (f" {hint}" if hint else " A gradient always has the shape of the value it belongs to.")
            )
        differs = entries_that_differ(mine, right, tol, atol)
        if differs.any():
            raise GradientMismatch(self._explain(label, mine, right, differs, per_sample))
        print(f"✔ {label} is right")

    def _explain(self, label, mine, right, differs, per_sample=None):
        wrong = np.argwhere(differs)
        lines = [f"{label} is not right: {len(wrong)} of its {right.size} entries differ."]
        hint = diagnose(mine, right, self.batch_size, label, per_sample=per_sample)
        if hint:
            lines.append(f"Likely: {hint}")
        for index in wrong[:MAX_SHOWN]:
            where = tuple(int(i) for i in index)
            yours = float(mine[where]) + 0.0  # + 0.0: a -0 is shown as 0
            lines.append(f"  at {list(where)}: yours {yours:.6g} is {_how_it_differs(mine[where], right[where])}")
        return "\n".join(lines)

    def _known(self, name):
        if name not in self._right:
            raise CourseKeyError(f"no intermediate named '{name}'; the forward pass recorded {self.names}")
        return name


def _how_it_differs(mine, right):
    """How one entry of a wrong answer differs, without giving the right value: its sign, or too large or too small."""
    if right == 0:
        return "not 0, where the right gradient is 0"
    if mine == 0 or np.sign(mine) != np.sign(right):
        return "of the wrong sign" if mine != 0 else "0, where the right gradient is not"
    return "too large" if abs(mine) > abs(right) else "too small"
