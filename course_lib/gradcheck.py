"""Gradient checking: compare backprop's gradients with numerical ones.

numerical_gradient(f, x)     central differences over every element of x
rel_error(a, b)              the largest relative difference of two arrays
gradient_check(net, x, t)    every parameter of a net, as a small table
check_layer(layer, *inputs)  any object with forward/backward, judged in plain words

Both checks take the tolerance when they run (``tol=``) and answer with ``.passed``, a property
(True or False): ``assert gradient_check(net, x, t, tol=1e-7).passed``.  Asking a report for its
truth directly (``assert report``) raises a TypeError rather than pass silently.
"""
import inspect
import unicodedata
from dataclasses import dataclass

import numpy as np

from .closeness import relative_errors
from .diagnosis import IT, diagnose
from .errors import CourseError, CourseTypeError, CourseValueError, as_number_array, check_finite_number, nonfinite_meaning
from .gate_protocol import input_gradients
from .i18n import N_, _
from .learner.gradient import numerical_gradient


# check_layer's verdict lines, one per input and parameter ({what}: "input", "input 1", "W"); the class report
# reads the ✘ lines back in every language (``verdict_templates``).
MATCHES = N_("✔ {layer}: gradient for {what} matches (relative error {error})")
WRONG = N_("✘ {layer}: gradient for {what} is wrong (relative error {error}); at index {index} backward gives "
           "{mine} but the numerical gradient is {numeric}")
WRONG_SHAPE = N_("✘ {layer}: the gradient for {what} has shape {shape}, expected {expected} (backward must return "
                 "one gradient per input, shaped like it)")
INPUT = N_("input")
INPUT_NUMBER = N_("input {number}")
LIKELY = N_("Likely: {why}")
WITH_WHY = N_("{verdict}. {why}")  # a ✘ line and the likely mistake behind it


def input_label(i, n_inputs):
    """How a verdict names input ``i`` of ``n_inputs``: "input" alone, else "input 0", "input 1", ... (translated)."""
    return _(INPUT) if n_inputs == 1 else _(INPUT_NUMBER).format(number=i)


def rel_error(a, b):
    """max |a − b| / max(|a| + |b|, 1e-8) over all elements (``closeness.relative_errors``): about 1e-7 or less means 'equal'."""
    a = as_number_array(a, "rel_error", "a").astype(np.float64, copy=False)
    b = as_number_array(b, "rel_error", "b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise CourseValueError(f"rel_error: shapes differ, {a.shape} and {b.shape}")
    return float(np.max(relative_errors(a, b), initial=0.0))


@dataclass(frozen=True)
class ParamCheck:
    """One parameter's comparison: its name, shape, max relative error and mean |difference|."""

    name: str
    shape: tuple
    max_rel_error: float
    mean_abs_diff: float


class _Verdict:
    """What both reports share: ``passed`` (a property), and no truth value of their own."""

    @property
    def passed(self):
        """True if every relative error is below ``tol``, the tolerance the check ran with."""
        return all(error < self.tol for error in self.errors.values())

    def __bool__(self):
        raise CourseTypeError(
            f"a {type(self).__name__} has no truth value of its own: ask for `.passed` "
            f"(e.g. `assert report.passed`); the tolerance is set when the check runs (tol={self.tol:g})"
        )


class GradCheckReport(_Verdict, dict):
    """{parameter name: ParamCheck}, printable as a table; ``passed`` says if all are below ``tol``."""

    def __init__(self, *args, tol=1e-7, **checks):
        super().__init__(*args, **checks)  # as a dict: GradCheckReport(W1=ParamCheck(...), ...)
        self.tol = tol

    @property
    def errors(self):
        """{parameter name: max relative error}."""
        return {name: check.max_rel_error for name, check in self.items()}

    def table(self):
        headers = [_("param"), _("shape"), _("max rel error"), _("mean |diff|")]
        widths = [max(minimum, _columns(header) + 2) for minimum, header in zip((8, 14, 15, 14), headers)]
        rows = [_pad(headers[0], widths[0]) + _pad(headers[1], widths[1])
                + _pad(headers[2], widths[2], right=True) + _pad(headers[3], widths[3], right=True)]
        for check in self.values():
            rows.append(_pad(check.name, widths[0]) + _pad(str(check.shape), widths[1])
                        + f"{check.max_rel_error:>{widths[2]}.1e}{check.mean_abs_diff:>{widths[3]}.1e}")
        return "\n".join(rows)

    def __str__(self):
        return self.table()

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.table())


def _columns(text):
    """How many columns ``text`` takes in a terminal: a wide (CJK) character counts as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width, right=False):
    """``text`` padded with spaces to ``width`` columns."""
    space = " " * max(width - _columns(text), 0)
    return space + text if right else text + space


def gradient_check(net, x, t, tol=1e-7):
    """Compare ``net.gradient(x, t)`` (backprop) with ``net.numerical_gradient(x, t)``.

    net: anything with the TwoLayerNet interface.  Returns a GradCheckReport whose ``passed``
    says if every parameter's max relative error is below ``tol``.
    Use float64 parameters: float32 rounding alone leaves the numerical gradient off by a few 1e-3, and the
    relative errors of small gradients near 1.
    """
    if not all(callable(getattr(net, method, None)) for method in ("gradient", "numerical_gradient")):
        raise CourseTypeError(
            f"gradient_check needs a net with gradient(x, t) and numerical_gradient(x, t) (as TwoLayerNet has), "
            f"got {type(net).__name__}"
        )
    by_backprop = net.gradient(x, t)
    by_numbers = net.numerical_gradient(x, t)
    report = GradCheckReport(tol=tol)
    for name, grad in by_backprop.items():
        diff = np.abs(grad - by_numbers[name])
        report[name] = ParamCheck(name, grad.shape, rel_error(grad, by_numbers[name]), float(diff.mean()))
    return report


@dataclass(eq=False)
class LayerCheck(_Verdict):
    """The verdict of check_layer: per input and parameter, the relative error and a sentence.

    ``passed`` says if every relative error is below ``tol``.
    """

    errors: dict
    messages: list
    tol: float

    def __str__(self):
        return "\n".join(self.messages)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def _call_of(cls):
    """How to make one: "Relu()", or "Affine(W, b)" naming the arguments its __init__ needs."""
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    needed = [p.name for p in parameters if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return f"{cls.__name__}({', '.join(needed)})"


def check_layer(layer_or_factory, *inputs, params=None, forward_kwargs=None, tol=1e-7, seed=0, batch_axis=0):
    """Check a layer's backward against numerical gradients, and say in words what is wrong.

    layer_or_factory: an object with forward(*inputs) and backward(dout), or a function that
        makes a fresh, identical one (use this for layers with randomness, such as Dropout with
        a seed: each evaluation then sees the same mask).
    inputs: float64 arrays (or numbers) given to forward.
    params: names of parameter attributes (e.g. ("W", "b")) whose gradients backward stores as
        "d" + name; by default every float array attribute X that has a matching dX.
    batch_axis: the axis along which the samples run in the first input and the output (0: one sample
        per row; 1 for a layer that takes samples as columns), to name a missing sum or one sample's gradient.
    Returns a LayerCheck; print it for one line per input and parameter.
    """
    if isinstance(layer_or_factory, type):  # check_layer(Relu, x): the class, not a layer
        name = layer_or_factory.__name__
        raise CourseTypeError(f"check_layer was given the class {name}; make one first: {_call_of(layer_or_factory)}")
    make = layer_or_factory if callable(layer_or_factory) and not hasattr(layer_or_factory, "forward") else None
    layer = make() if make else layer_or_factory
    if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
        raise CourseTypeError(
            f"check_layer needs a layer (an object with forward and backward) or a function that makes one, "
            f"got {type(layer).__name__}"
        )
    check_finite_number(tol, "check_layer", "tol")
    forward_kwargs = forward_kwargs or {}
    if not inputs:
        raise CourseValueError("check_layer: give the input(s) for forward after the layer, e.g. check_layer(layer, x)")
    inputs = [as_number_array(x, "check_layer", f"input {i}").astype(np.float64) for i, x in enumerate(inputs)]
    if not (isinstance(batch_axis, (int, np.integer)) and not isinstance(batch_axis, bool) and batch_axis >= 0
            and (inputs[0].ndim < 2 or batch_axis < inputs[0].ndim)):
        raise CourseValueError(f"check_layer: batch_axis must be an axis of the first input (shape "
                               f"{inputs[0].shape}), such as 0 or 1; got {batch_axis!r}")
    name = type(layer).__name__
    random_message = _random_layer_message(make, layer, inputs, forward_kwargs, name)
    if random_message:
        return LayerCheck({"input": np.inf}, [random_message], tol)

    out = as_number_array(layer.forward(*inputs, **forward_kwargs), f"check_layer: {name}.forward", "its result")
    dout = np.random.default_rng(seed).standard_normal(np.shape(out))
    given = dout.copy() if np.ndim(out) else float(dout)
    try:
        analytic = input_gradients(layer, given, n_inputs=len(inputs))
    except (ValueError, IndexError) as error:  # numpy's own, from inside the learner's backward
        if isinstance(error, CourseError):
            raise
        raise CourseValueError(_(
            "check_layer: {name}.backward failed on a dout of shape {shape}: {error}. "
            "A shape mismatch in a product usually means a transpose is missing or on the wrong side"
        ).format(name=name, shape=np.shape(dout), error=f"{type(error).__name__}: {error}")) from error
    if params is None:
        params = [p for p, v in vars(layer).items() if _is_float_array(v) and _is_float_array(getattr(layer, "d" + p, None))]
    params = [params] if isinstance(params, str) else list(params)
    for p in params:
        if not (_is_float_array(getattr(layer, p, None)) and getattr(layer, "d" + p, None) is not None):
            raise CourseValueError(_(
                "check_layer: {name} has no float array parameter '{p}' with a gradient 'd{p}' set by backward; "
                "its float arrays are {arrays}"
            ).format(name=name, p=p, arrays=[k for k, v in vars(layer).items() if _is_float_array(v)]))
    analytic_params = {p: np.array(getattr(layer, "d" + p)) for p in params}

    def loss_weighted_by(weights):
        def loss(*_args):
            fresh = layer
            if make:
                fresh = make()
                for p in params:
                    setattr(fresh, p, getattr(layer, p))  # share the (perturbed) parameter arrays
            return float(np.sum(fresh.forward(*inputs, **forward_kwargs) * weights))
        return loss
    loss = loss_weighted_by(dout)

    def shares_of(array):
        """Each sample's share of the numerical gradient for a parameter (the loss of that sample's output alone)."""
        def shares():
            n_samples = np.shape(dout)[batch_axis]
            alone = np.zeros((n_samples,) + np.shape(dout))
            for n in range(n_samples):
                index = (slice(None),) * batch_axis + (n,)
                alone[n][index] = dout[index]
            return np.array([_accurate_numerical_gradient(loss_weighted_by(weights), array) for weights in alone])
        return shares

    errors, messages = {}, []
    if np.ndim(out) and not np.array_equal(given, dout):
        messages.append(_("✘ {layer}: backward changed the dout it was given (in place); work on a new array "
                          "(a copy of dout, or dout times a mask), since the caller may still need it").format(layer=name))
        errors["dout"] = np.inf
    targets = [(input_label(i, len(inputs)), x, g) for i, (x, g) in enumerate(zip(inputs, analytic))]
    targets += [(p, getattr(layer, p), analytic_params[p]) for p in params]
    numerics = {}
    for label, array, _grad in targets:
        try:
            numerics[label] = _accurate_numerical_gradient(loss, array)
        except CourseValueError as error:  # forward is nan or inf near these inputs
            errors[label] = np.inf
            messages.append(_("✘ {layer}: no numerical gradient for {what}: {error}").format(layer=name, what=label,
                                                                                        error=error))
    batch_size = inputs[0].shape[batch_axis] if inputs and inputs[0].ndim >= 2 else None
    for label, array, grad in targets:
        if label not in numerics:
            continue
        numeric = numerics[label]
        per_sample = (shares_of(array) if label in params and batch_size and np.ndim(out) > batch_axis
                      and np.shape(out)[batch_axis] == batch_size else None)
        why = _why_wrong(grad, label, numerics, batch_size, per_sample, batch_axis)
        if grad is None or np.shape(grad) != array.shape:
            errors[label] = np.inf
            messages.append(_with_why(_(WRONG_SHAPE).format(layer=name, what=label, shape=np.shape(grad),
                                                            expected=array.shape), why))
            continue
        err = rel_error(grad, numeric)
        errors[label] = err
        if err < tol:
            messages.append(_(MATCHES).format(layer=name, what=label, error=f"{err:.1e}"))
        else:
            worst = _worst_index(np.asarray(grad, dtype=np.float64), numeric)
            messages.append(_with_why(
                _(WRONG).format(layer=name, what=label, error=f"{err:.1e}", index=tuple(int(i) for i in worst),
                                mine=f"{np.asarray(grad)[worst]:.6g}", numeric=f"{numeric[worst]:.6g}"), why))
    return LayerCheck(errors, messages, tol)


def _with_why(verdict, why):
    return _(WITH_WHY).format(verdict=verdict, why=why) if why else verdict


def _random_layer_message(make, layer, inputs, forward_kwargs, name):
    """If forward gives two different outputs for the same inputs, a sentence saying so; else None.

    A random layer (Dropout) draws a new mask on every call, so numerical gradients would measure
    the change of mask, not the layer: such a layer must be checked through a seeded factory.
    """
    fresh = make or (lambda: layer)
    who = f"check_layer: {name}.forward"
    first = as_number_array(fresh().forward(*inputs, **forward_kwargs), who, "its result")
    second = as_number_array(fresh().forward(*inputs, **forward_kwargs), who, "its result")
    if first.shape == second.shape and np.array_equal(first, second, equal_nan=True):
        return None
    return _(
        "✘ {layer}: forward gave two different outputs for the same input, so the layer is random "
        "(a new mask each call) and numerical gradients would measure the change of randomness, not the layer. "
        "Check it through a function that makes it afresh with a fixed seed, e.g. "
        "check_layer(lambda: {layer}(..., seed=0), x)"
    ).format(layer=name)


def _why_wrong(grad, label, numerics, batch_size, per_sample=None, batch_axis=0):
    """The usual mistake behind a wrong gradient (see ``diagnosis``), or None.

    per_sample: for a parameter, a function giving each sample's share of its gradient (see ``diagnose``).

    Besides the mistakes ``diagnose`` knows, a gradient may be right but for another input or
    parameter (``dx`` and ``dW`` swapped, or the two inputs of a product swapped).
    """
    if grad is None:
        return _("backward returned None for it")
    hint = diagnose(grad, numerics[label], batch_size, _(IT), per_sample, batch_axis)
    if hint:
        return _(LIKELY).format(why=hint)
    for other, numeric in numerics.items():
        if other != label and np.shape(grad) == numeric.shape and rel_error(grad, numeric) < 1e-6:
            return _(LIKELY).format(why=_("it is the gradient for {other}, not for {what}").format(other=other,
                                                                                                    what=label))
    return None


def _accurate_numerical_gradient(f, x, h=1e-3):
    """Richardson extrapolation of two central differences, (4·g(h) − g(2h)) / 3.

    Its error shrinks like h⁴ instead of h², so a larger h can be used and rounding error
    stays tiny: a correct layer is never reported wrong because of the check itself.
    """
    return (4 * numerical_gradient(f, x, h) - numerical_gradient(f, x, 2 * h)) / 3


def _worst_index(grad, numeric, tie=1e-6):
    """Index of the element with the largest relative error: the first one, in row-major order, of those
    within a relative ``tie`` of the largest.  Many bugs (a factor, a sign) give every element the same
    relative error but for rounding; rounding differs between machines, the first of the ties does not."""
    rel = relative_errors(grad, numeric)
    if np.isnan(rel).any():
        return np.unravel_index(np.argmax(np.isnan(rel)), grad.shape)
    ties = np.flatnonzero(rel.reshape(-1) >= rel.max() * (1 - tie))
    return np.unravel_index(ties[0], grad.shape)


def _is_float_array(value):
    return isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating)
