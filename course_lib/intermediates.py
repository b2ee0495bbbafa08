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
from .i18n import N_, _, translate

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
            raise CourseTypeError(_("tape(name, value): the name must be a non-empty text such as 'scores', got {name}").format(
                name=repr(name)))
        if name in self.values:
            raise CourseValueError(_("the tape already holds an intermediate named '{name}': give each line its own "
                                     "name").format(name=name))
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
    slips: {name: [(sentence, wrong(g, v, N)), ...]}, the usual wrong answers of a lesson's exercise, each made from
    the right gradients of other values (``g(name)``) and the forward values ``v``: a wrong answer equal to one of
    them is named by its sentence (``NINJA_SLIPS`` for lesson 10).
    """

    def __init__(self, forward, batch_size=None, h=1e-5, slips=None):
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
        self._slips = dict(slips or {})

    @property
    def names(self):
        return list(self.values)

    def __getitem__(self, name):
        """The right gradient of ``name``, once its check has judged an answer: d_<name> for the next step."""
        if name not in self._handed_out:
            self._known(name)
            raise CourseKeyError(_("the gradient of '{name}' is handed out by its check, grads.check('{name}', d_{name}): "
                                   "write your d_{name} and run that check first").format(name=name))
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
            raise GradientMismatch(_(
                "{label} has no value yet: write it in the cell above. (The right gradient is handed out as "
                "grads['{name}'] all the same, for the exercises after this one; copied into {label} it earns nothing "
                "when the notebook is graded, since grading runs every cell in order.)").format(label=label, name=name))
        try:
            mine = as_number_array(mine, label, _("your gradient")).astype(np.float64)
        except CourseError as error:  # text, None inside a list, a ragged list: a wrong answer, in words
            raise GradientMismatch(f"{error}.") from None
        if mine.shape != right.shape:
            hint = diagnose(mine, right, self.batch_size, label)
            raise GradientMismatch(
                _("{label} must have the shape of {name}, {right_shape}; yours has shape {shape}.").format(
                    label=label, name=name, right_shape=right.shape, shape=mine.shape)
                + " " + (hint or _("A gradient always has the shape of the value it belongs to."))
            )
        differs = entries_that_differ(mine, right, tol, atol)
        if differs.any():
            raise GradientMismatch(self._explain(label, mine, right, differs, per_sample))
        print(_("✔ {label} is right").format(label=label))

    def _explain(self, label, mine, right, differs, per_sample=None):
        wrong = np.argwhere(differs)
        lines = [_("{label} is not right: {wrong} of its {size} entries differ.").format(
            label=label, wrong=len(wrong), size=right.size)]
        hint = diagnose(mine, right, self.batch_size, label, per_sample=per_sample) or self._slip(label[2:], mine)
        if hint:
            lines.append(_("Likely: {why}").format(why=hint))
        for index in wrong[:MAX_SHOWN]:
            where = tuple(int(i) for i in index)
            yours = float(mine[where]) + 0.0  # + 0.0: a -0 is shown as 0
            lines.append("  " + _("at {where}: yours {yours} is {how}").format(
                where=list(where), yours=f"{yours:.6g}", how=_how_it_differs(mine[where], right[where])))
        return "\n".join(lines)

    def _slip(self, name, mine):
        """The sentence of the first usual slip for ``name`` (``slips``) that ``mine`` equals, or None."""
        for sentence, make in self._slips.get(name, ()):
            try:
                wrong = np.asarray(make(lambda other: self._right[other], self.values, self.batch_size), dtype=np.float64)
            except Exception:  # noqa: BLE001 - a slip that does not apply to this forward pass
                continue
            if wrong.shape == mine.shape and not entries_that_differ(mine, wrong, 1e-6, 1e-8).any() \
                    and entries_that_differ(wrong, self._right[name], 1e-6, 1e-8).any():
                return translate(_(sentence))
        return None

    def _known(self, name):
        if name not in self._right:
            raise CourseKeyError(_("no intermediate named '{name}'; the forward pass recorded {names}").format(
                name=name, names=self.names))
        return name


def _how_it_differs(mine, right):
    """How one entry of a wrong answer differs, without giving the right value: its sign, or too large or too small."""
    if right == 0:
        return _("not 0, where the right gradient is 0")
    if mine == 0 or np.sign(mine) != np.sign(right):
        return _("of the wrong sign") if mine != 0 else _("0, where the right gradient is not")
    return _("too large") if abs(mine) > abs(right) else _("too small")



def max_path_mistake(mine, upstream, logits, tol=1e-6):
    """Name the usual slip in ∂L/∂logits for ``shifted = logits − logits.max(axis=1, keepdims=True)``.

    mine: a learner's ∂L/∂logits; upstream: ∂L/∂shifted (N, C); logits: the forward value (N, C).
    One sentence, or None when none of the usual slips explains ``mine``."""
    mine, upstream, logits = (np.asarray(a, dtype=np.float64) for a in (mine, upstream, logits))
    if not (mine.shape == upstream.shape == logits.shape and logits.ndim == 2):
        return None
    rows, winner = np.arange(len(logits)), logits.argmax(axis=1)
    row_sums = upstream.sum(axis=1)

    def routed(to, amount):
        out = upstream.copy()
        out[rows, to] += amount
        return out

    def same(a):
        return not entries_that_differ(mine, a, tol, 1e-8).any()

    right = routed(winner, -row_sums)
    if same(right):
        return None
    replaced = upstream.copy()
    replaced[rows, winner] = -row_sums
    slips = [
        (upstream, N_("the path through the row maximum is missing. Each row's maximum is subtracted from all C "
                   "entries of its row, so it collects their gradients (with the minus sign) and the max gate "
                   "routes them to the winning logit; on the lesson's batch that adds 0, here it does not.")),
        (routed(winner, row_sums), N_("the path through the maximum has the wrong sign: shifted = logits − max, "
                                   "so the maximum enters every entry of its row with a minus.")),
        (upstream - row_sums[:, None], N_("the path through the maximum reached every entry of the row: the max "
                                       "gate routes its gradient to the winning logit only.")),
        (right - upstream, N_("the direct path is missing: shifted[i, j] also depends on logits[i, j] itself, with "
                           "local derivative 1; the copy gate adds both paths.")),
        (replaced, N_("at each row's winning logit, the path through the maximum replaced the direct gradient instead "
                   "of adding to it (= where -= or + belongs): the winner gets both paths.")),
        (routed(logits.argmin(axis=1), -row_sums), N_("the path through the maximum went to each row's smallest "
                                                   "logit: the max gate routes it to the largest (argmax).")),
        (upstream - upstream.sum(axis=0), N_("the sum that reaches the maximum runs over the batch (axis=0): each "
                                          "row has its own maximum, which collects the C gradients of its row "
                                          "(axis=1) and hands them to its winning logit only.")),
    ]
    for wrong, sentence in slips:
        if same(wrong):
            return _(sentence)
    others = np.ones(logits.shape, dtype=bool)
    others[rows, winner] = False
    if entries_that_differ(mine, upstream, tol, 1e-8)[others].any():
        return _("entries that are not their row's maximum got more than their direct gradient: only the winning "
                 "logit of each row gets a second path, through the max.")
    return None


def check_through_max(d_logits_from, grads, seed=19):
    """Judge ``d_logits_from(d_shifted, logits)``, the learner's ∂L/∂logits through both paths of
    ``shifted = logits − logits.max(axis=1, keepdims=True)``, on a made-up case and on the lesson's batch.

    On the lesson's batch every row of ∂L/∂shifted sums to 0, so the path through the maximum brings 0 and an
    answer without it would pass; the made-up case (5 samples, 3 classes, ∂L/∂shifted drawn at random) has
    rows that do not sum to 0.  ``grads.check('logits', ...)`` judges the lesson's batch and hands out
    ``grads['logits']``, right or wrong (also when the function fails); a slip seen on the made-up case is
    the message raised, named by ``max_path_mistake`` when it is a usual one."""
    upstream, logits = grads["shifted"], grads.values["logits"]
    rng = np.random.default_rng(seed)
    logits_made_up, upstream_made_up = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    made_up = IntermediateGrads(lambda tape: (upstream_made_up * _shifted(tape("logits", logits_made_up))).sum(),
                                batch_size=5)
    arguments_only = _("Your function must use its arguments only (N and C from the shape of logits), nothing "
                       "from this lesson's batch.")
    try:
        mine = d_logits_from(upstream.copy(), np.array(logits, dtype=np.float64))
    except BaseException:
        grads._handed_out["logits"] = grads._right["logits"].copy()  # the next exercise starts from the right one
        raise
    case = _("On a made-up case of 5 samples and 3 classes, whose rows of d_shifted do not sum to 0 (on the lesson's "
             "batch they do): ")
    slip = None
    try:
        mine_made_up = d_logits_from(upstream_made_up.copy(), logits_made_up.copy())
    except Exception as error:  # noqa: BLE001 - a function that works on the lesson's batch only
        slip = GradientMismatch(case + _("your function failed with {error}. {arguments_only}").format(
            error=f"{type(error).__name__}: {error}", arguments_only=arguments_only))
    if slip is None and not made_up.agrees("logits", mine_made_up):
        sentence = max_path_mistake(mine_made_up, upstream_made_up, logits_made_up)
        try:
            made_up._judge("logits", mine_made_up, made_up._right["logits"], 1e-6, 1e-8)
            detail = ""
        except GradientMismatch as mismatch:
            detail = str(mismatch)
        if sentence is None and np.shape(mine_made_up) == np.shape(mine):
            sentence = arguments_only
        slip = GradientMismatch(case + (f"{sentence}\n" if sentence else "") + detail)
    try:
        grads.check("logits", mine)
    except GradientMismatch:
        if slip is not None:
            raise slip from None
        raise
    if slip is not None:
        raise slip
    extra = (mine_made_up - upstream_made_up)[np.arange(5), logits_made_up.argmax(axis=1)]
    print(_("✔ and on a made-up case whose rows of d_shifted do not sum to 0, your path through the max adds {extra} "
            "to the winning logits of its 5 rows").format(extra=np.round(extra, 4) + 0.0))


def _shifted(logits):
    """The forward line of the lessons' softmax: each row minus its maximum."""
    return logits - logits.max(axis=1, keepdims=True)


PARAMETERS = ("W1", "b1", "gamma", "beta", "W2", "b2")  # the parameters of lesson 10's network


def reference_training(start, x, t, steps, lr, eps=1e-7):
    """Lesson 10's network trained by plain gradient descent with course_lib's layers: (parameters, losses).

    The independent run ``check_training`` compares a learner's with: Affine, BatchNormalization, Relu,
    Affine and SoftmaxWithLoss, ``steps`` updates of every parameter by −lr × its gradient, each loss taken
    before its step."""
    from .learner.layers import Affine, BatchNormalization, Relu, SoftmaxWithLoss

    p = {name: np.array(value, dtype=np.float64) for name, value in start.items()}
    losses = []
    for _step in range(steps):
        first, norm, second = Affine(p["W1"], p["b1"]), BatchNormalization(p["gamma"], p["beta"], eps=eps), Affine(p["W2"], p["b2"])
        layers, last = [first, norm, Relu(), second], SoftmaxWithLoss()
        out = x
        for layer in layers:
            out = layer.forward(out)
        losses.append(float(last.forward(out, t)))
        dout = last.backward()
        for layer in reversed(layers):
            dout = layer.backward(dout)
        found = {"W1": first.dW, "b1": first.db, "gamma": norm.dgamma, "beta": norm.dbeta, "W2": second.dW, "b2": second.db}
        p = {name: p[name] - lr * found[name] for name in p}
    return p, losses


def check_training(train, my_gradients, forward_values, start, x, t, steps=200, lr=0.5, eps=1e-7):
    """Judge lesson 10's ``train(gradients, steps, lr)``: gradient descent from ``start`` that calls
    ``gradients(p, vals)`` (here the learner's ``my_gradients``, watched) at every step, with ``vals`` the
    forward values of the current ``p`` (``forward_values(p)`` -> (loss, vals)).  Raises ``WrongAnswer``
    naming the slip; prints the learner's losses when the run equals ``reference_training``."""
    from .learner.layers import Affine, BatchNormalization, Relu, SoftmaxWithLoss
    from .own_work import check_own_work

    check_own_work(train, Affine, BatchNormalization, Relu, SoftmaxWithLoss, IntermediateGrads)
    kept = {name: np.array(value, copy=True) for name, value in start.items()}
    calls, stale, last = [], [], {}

    def watched(p, vals):
        calls.append(len(calls))
        _loss, fresh = forward_values({name: np.array(value, copy=True) for name, value in p.items()})
        if not np.allclose(np.asarray(vals["logits"], dtype=np.float64), fresh["logits"], rtol=1e-9, atol=1e-12):
            stale.append(len(calls))
        last["g"] = my_gradients(p, vals)
        return last["g"]

    result = train(watched, steps=steps, lr=lr)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise WrongAnswer(_("train must return two things, (p, losses): the final parameters and the list of losses"))
    p, losses = result
    if any(not np.array_equal(start[name], kept[name]) for name in start):
        raise WrongAnswer(_("train changed `start` itself: update a copy of the parameters (the skeleton makes one), so "
                            "that the lesson's starting point stays as it was"))
    if not calls:
        raise WrongAnswer(_("train never called its argument gradients(p, vals): call the function train is given (the "
                            "test hands it your my_gradients, watched), not another one"))
    if len(calls) == 1 and steps > 1:
        raise WrongAnswer(_("gradients(p, vals) was called once for {steps} steps: the gradients were not recomputed. "
                            "After each update the parameters are new, so the forward pass and the gradients must be "
                            "computed again, inside the loop").format(steps=steps))
    if len(calls) != steps:
        raise WrongAnswer(_("gradients(p, vals) was called {calls} times for {steps} steps: once per step").format(
            calls=len(calls), steps=steps))
    if stale:
        raise WrongAnswer(_("the forward values handed to gradients(p, vals) are not those of the current parameters "
                            "(first at call {call}): run forward_values(p) again at every step, after the update").format(
            call=stale[0]))
    losses = [float(check_finite_number(loss, "train", "a loss")) for loss in losses]
    if len(losses) != steps:
        raise WrongAnswer(_("losses holds {n} numbers for {steps} steps: one per step, the loss before it").format(
            n=len(losses), steps=steps))
    for name in PARAMETERS:
        mine = np.asarray(p[name], dtype=np.float64)
        if mine.shape != np.shape(start[name]):
            raise WrongAnswer(_("the final {name} has shape {shape}, not {right_shape}").format(
                name=name, shape=mine.shape, right_shape=np.shape(start[name])))
        if np.array_equal(mine, start[name]):
            raise WrongAnswer(_("{name} never changed: every parameter gets its update at every step").format(name=name))
        g = np.asarray(last["g"][name], dtype=np.float64)
        moved = not np.allclose(mine, start[name], rtol=1e-9, atol=1e-12)
        if moved and (np.allclose(mine, -lr * g, rtol=1e-6, atol=1e-12) or np.allclose(mine, lr * g, rtol=1e-6, atol=1e-12)):
            raise WrongAnswer(_("the final {name} is ± lr × its last gradient: the update replaced the parameter "
                                "instead of changing it (= where -= belongs)").format(name=name))
    if losses[-1] > losses[0]:
        raise WrongAnswer(_("the loss rose, from {first} to {last}: the update climbs the gradient. "
                            "Gradient descent steps against it (wrong sign)").format(first=f"{losses[0]:.4f}",
                                                                                     last=f"{losses[-1]:.4f}"))
    right, right_losses = reference_training(start, x, t, steps, lr, eps)
    wrong = [name for name in PARAMETERS if not np.allclose(p[name], right[name], rtol=1e-6, atol=1e-9)]
    if wrong:
        whole, _losses = reference_training(start, x, t, steps, 1.0, eps)
        if lr != 1.0 and all(np.allclose(p[name], whole[name], rtol=1e-6, atol=1e-9) for name in PARAMETERS):
            raise WrongAnswer(_("each step moved by the whole gradient: the learning rate lr = {lr} was left out").format(lr=lr))
        raise WrongAnswer(_("after {steps} steps your {names} differ from {steps} steps of gradient descent "
                            "with lr = {lr} (course_lib's layers trained the same way): check the size and the "
                            "direction of each step, and that it uses the gradients just computed").format(
            steps=steps, names=", ".join(wrong), lr=lr))
    if not np.allclose(losses, right_losses, rtol=1e-6, atol=1e-9):
        raise WrongAnswer(_("the parameters are right but the losses are not the losses before each step: append the "
                            "loss that forward_values(p) gave at that step"))
    print(_("✔ {steps} steps with your gradients: the loss fell from {first} to {last}, and the "
            "parameters are those of course_lib's layers trained the same way").format(
        steps=steps, first=f"{losses[0]:.4f}", last=f"{losses[-1]:.4f}"))


def check_my_gradients(my_gradients, forward, start, batch_size, seed=10):
    """Judge lesson 10's ``my_gradients(p, vals)``, the six parameter gradients of ``forward(tape, p)`` at the
    parameters ``p`` from its forward values ``vals``: at ``start``, then at other parameters (``start`` moved
    at random), where the checker's hand-outs (made at ``start``) and the lesson's ``v`` no longer fit.  Raises
    ``GradientMismatch`` naming the slip (``diagnose``); prints nothing but a summary when all are right."""
    from .learner.layers import Affine, BatchNormalization, Relu, SoftmaxWithLoss
    from .own_work import check_own_work

    check_own_work(my_gradients, Affine, BatchNormalization, Relu, SoftmaxWithLoss, IntermediateGrads)
    rng = np.random.default_rng(seed)
    moved = {name: value + 0.3 * rng.standard_normal(np.shape(value)) for name, value in start.items()}
    for where, p in ((_("at start"), start), (_("at other parameters (start moved at random)"), moved)):
        right = IntermediateGrads(lambda tape, p=p: forward(tape, p), batch_size=batch_size)
        mine = my_gradients({name: np.array(value, copy=True) for name, value in p.items()},
                            {name: np.array(value, copy=True) for name, value in right.values.items()})
        if not isinstance(mine, dict) or any(name not in mine for name in start):
            missing = [name for name in start if not isinstance(mine, dict) or name not in mine]
            raise GradientMismatch(_("my_gradients must return a dict with the six gradients, one per key of start; "
                                     "missing: {missing}").format(missing=", ".join(missing)))
        if p is start:
            at_start = mine
        for name in start:
            if right.agrees(name, mine[name]):
                continue
            try:
                shares = (lambda name=name: right.shares(name)) if name in ("b1", "gamma", "beta", "b2") else None
                right._judge(name, mine[name], right._right[name], 1e-6, 1e-8, shares)
                detail = ""
            except GradientMismatch as mismatch:
                detail = str(mismatch)
            also = ("" if p is start else "\n" + _("Right at start, wrong here: your function must compute from its "
                    "arguments p and vals (and the batch x, t), not from the lesson's v or the checks' grads[...], "
                    "which belong to start."))
            raise GradientMismatch(f"{where}: {detail}{also}")
    print(_("✔ your six gradients are right at start and at other parameters; at start your d_b2 is {d_b2}").format(
        d_b2=np.round(np.asarray(at_start["b2"], dtype=np.float64), 4) + 0.0))


def _centered_paths(g, v, N):
    """∂L/∂centered through x_hat alone, and through var alone (lesson 10's forward lines)."""
    return g("x_hat") * v["inv_std"], g("var") * 2 * v["centered"] / N


NINJA_SLIPS = {  # lesson 10: the usual slips of each exercise, named (see IntermediateGrads' ``slips``)
    "log_probs": [
        (N_("only the N picked entries log_probs[i, t[i]] appear in L: every other entry has gradient 0."),
         lambda g, v, N: np.full(np.shape(v["log_probs"]), -1 / N)),
    ],
    "sums": [
        (N_("the local derivative of −log s is −1/s: the division by sums is missing."),
         lambda g, v, N: -g("log_probs").sum(axis=1, keepdims=True)),
        (N_("the local derivative of −log s is −1/s, not −log s or 1/s²: check the slope of log."),
         lambda g, v, N: -g("log_probs").sum(axis=1, keepdims=True) / v["sums"] ** 2),
    ],
    "exps": [
        (N_("through the sum, every term gets the upstream gradient unchanged: no factor exps here (that is exp's own "
         "local derivative, for the next cell)."), lambda g, v, N: g("sums") * v["exps"]),
    ],
    "shifted": [
        (N_("only the path through exp: shifted is also used directly in log_probs = shifted − log(sums), and a value "
         "used twice gets the sum of both gradients."), lambda g, v, N: g("exps") * v["exps"]),
        (N_("only the direct path into log_probs: the path through exps is missing (a value used twice gets both)."),
         lambda g, v, N: g("log_probs")),
        (N_("the path through exp without exp's local derivative: multiply its upstream gradient by exp(shifted), "
         "which is v['exps']."), lambda g, v, N: g("log_probs") + g("exps")),
        (N_("the direct path has the wrong sign: log_probs = shifted − log(sums) uses shifted with a plus."),
         lambda g, v, N: -g("log_probs") + g("exps") * v["exps"]),
    ],
    "h_bn": [
        (N_("the Relu mask is missing: where h_bn ≤ 0 the Relu's output is constant, so no gradient passes."),
         lambda g, v, N: g("h")),
        (N_("the mask is taken from the upstream gradient; it comes from the forward value, where h_bn > 0."),
         lambda g, v, N: g("h") * (g("h") > 0)),
        (N_("the mask is the wrong way round: the gradient passes where h_bn > 0, and stops where it is ≤ 0."),
         lambda g, v, N: g("h") * (v["h_bn"] <= 0)),
    ],
    "x_hat": [
        (N_("multiplied by x_hat, the value itself: in gamma * x_hat, the local derivative of x_hat is the other "
         "factor, gamma."), lambda g, v, N: g("h_bn") * v["x_hat"]),
        (N_("beta's gradient added: beta is added after the product, and an add gate passes the gradient on unchanged; "
         "x_hat's local derivative is gamma alone."), lambda g, v, N: g("h_bn") * (v["gamma"] + 1)),
    ],
    "inv_std": [
        (N_("the other factor of inv_std in x_hat = centered * inv_std is centered, not x_hat."),
         lambda g, v, N: (g("x_hat") * v["x_hat"]).sum(axis=0)),
    ],
    "var": [
        (N_("the power rule lowers the exponent by 1: the derivative of u^(−1/2) is −½·u^(−3/2), not −½·u^(−1/2)."),
         lambda g, v, N: g("inv_std") * -0.5 * (v["var"] + 1e-7) ** -0.5),
        (N_("the exponent −1/2 was not brought down: the derivative of u^p is p·u^(p−1), with p = −1/2."),
         lambda g, v, N: g("inv_std") * (v["var"] + 1e-7) ** -1.5),
    ],
    "centered": [
        (N_("only the path through x_hat: centered is also used in var = (centered ** 2).mean(axis=0), and a value "
         "used twice gets both gradients."), lambda g, v, N: _centered_paths(g, v, N)[0]),
        (N_("only the path through var: the path through x_hat = centered * inv_std is missing."),
         lambda g, v, N: _centered_paths(g, v, N)[1]),
        (N_("the path through var without the mean's 1/N: a mean over N samples hands 1/N of its gradient to each term."),
         lambda g, v, N: _centered_paths(g, v, N)[0] + N * _centered_paths(g, v, N)[1]),
        (N_("the path through var without the square's factor 2: the derivative of c² is 2c."),
         lambda g, v, N: _centered_paths(g, v, N)[0] + _centered_paths(g, v, N)[1] / 2),
    ],
    "W2": [
        (N_("one sample's product only: W2 is used by every sample, so its gradient adds the products of all N samples "
         "(a matrix product does that sum)."), lambda g, v, N: np.outer(v["h"][0], g("logits")[0])),
    ],
    "h_pre": [
        (N_("the factor gamma is missing: h_bn = gamma * x_hat + beta multiplies every path by gamma."),
         lambda g, v, N: g("h_pre") / v["gamma"]),
        (N_("the path through mu is missing: h_pre is also used in mu = h_pre.mean(axis=0), and a value used twice "
         "gets both gradients."), lambda g, v, N: g("centered")),
        (N_("the path through mu without the mean's 1/N: a mean over N samples hands 1/N of its gradient to each "
         "term."), lambda g, v, N: g("centered") + g("mu")),
        (N_("the path through mu has the wrong sign: grads['mu'] already holds the minus of centered = h_pre − mu, so "
         "it is added as it is."), lambda g, v, N: g("centered") - g("mu") / N),
        (N_("only the path through mu: the direct path into centered = h_pre − mu is missing."),
         lambda g, v, N: np.broadcast_to(g("mu") / N, g("centered").shape)),
        (N_("the path through var is missing: h_pre reaches the loss through x_hat, and also through var, which "
         "depends on every sample; only the x_hat and mu paths are in your answer."),
         lambda g, v, N: (g("x_hat") * v["inv_std"]) - (g("x_hat") * v["inv_std"]).mean(axis=0)),
    ],
}
