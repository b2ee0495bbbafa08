"""Clear errors, and the one home of the input checks that gates, layers, graphs and networks share.

Every error the course raises on purpose is a ``CourseError``, and also the Python error a learner
would expect: a bad value is a ``CourseValueError`` (a ``ValueError``), a wrong kind of thing a
``CourseTypeError`` (a ``TypeError``), calls in the wrong order a ``CallOrderError`` (a
``RuntimeError``).  So ``except ValueError`` still works, and a test can tell the course's own,
worded errors from a raw one thrown from deep inside numpy.  Each message names the thing (the
layer, the gate, the graph's node), what it was given and what was expected.

The family (every exception class in course_lib and course_tools is one of these; a test walks them):

    CourseError                                      the root
      CourseValueError (ValueError)                  a bad value
        DivisionByZeroError (ZeroDivisionError)      1/x at x = 0, x / 0
        ExpressionError        expressions           a formula that cannot be used
      CourseTypeError (TypeError)                    a wrong kind of thing
      CourseKeyError (KeyError)                      a name that is not there
        UnknownInputError (also CourseValueError)    no input of that name (graph, formula, stepper)
      CourseFileNotFoundError (FileNotFoundError)    a file or folder the course needs
      CallOrderError (RuntimeError)                  calls in the wrong order
        BackwardBeforeForwardError                   backward (or local_grads) before forward
      WrongAnswer (AssertionError)                   a learner's answer is wrong (quiz.check_*)
        GradientMismatch       intermediates         a learner's gradient differs from the right one
      TrainingDiverged (FloatingPointError)  training  the loss became nan or inf
      MnistFileError (OSError, ValueError)  datasets  a data file missing, truncated or altered
      HandoutError             course_tools.handouts  a handout that cannot be made
        NbconvertPageChanged (RuntimeError)
      ClassroomError           course_tools.classroom  something a teacher must fix

The checks, one each:

    require_forward(layer, attribute)       backward (or local_grads) before forward
    check_copy_douts(layer, douts, n, shape) the copies' gradients for CopyLayer.backward
    check_dout(layer, dout, shape)          an upstream gradient of the wrong shape or kind
    check_weight_and_bias(who, W, b, ...)   parameters whose shapes or kinds do not fit together
    as_number_array(value, who, what)       numbers or arrays of numbers; text, None, True/False refused
    check_gate_inputs(who, *values)         a gate's inputs: numbers, one shape, lists made arrays
    check_finite_values(value, who, what)   no nan or inf (graph inputs, what a learner types)
    random_generator(seed, who)             a seed that numpy accepts, or a clear error
    check_batch(x, who)                     a batch must hold at least one sample
    check_features(who, x, W.shape)         a batch (N, D) with the features a weight matrix expects
    check_count(value, who, what)           whole numbers such as a stride or a batch size
    check_flag(value, who, what)            True or False, such as train_flg
    check_finite_number(value, who, what)   one real, finite number (a graph input, a constant)
    check_fits_float(value, who, what)      a Python whole number small enough for a float (not 10**400)

NaN and inf, the policy
-----------------------
inf means a number overflowed (beyond ±1.8e308 in float64, ±3.4e38 in float32); nan means a result
is undefined (inf − inf, 0 × inf, log of a negative number).  The course treats them this way:

* Where a learner types or sees a value, it is checked or explained in words.  A graph's inputs and
  the gates' constants must be finite numbers (``Graph.set_input("apple", nan)`` is refused, naming
  the input); the widgets refuse such an edit with a message and keep the old value; a value that
  overflows inside a graph (exp(1000)) is shown as inf with a sentence saying it overflowed
  (``TraceStep.explain``); ``check_layer`` says which gradient holds nan or inf.
* ``softmax`` and ``log_softmax`` refuse a row whose result is undefined: nan or +inf in it, or every
  score −inf (0/0); a −inf score alone is allowed (probability 0: a class never chosen).  The
  ``SoftmaxWithLoss`` layer does not refuse (it computes like the other layers, below).
* A Python whole number too large for a float (10**400) is refused where a number is checked (graph
  inputs, gates' inputs and constants, ``Value``), naming it: it could not be computed with.
* Gates and layers compute like numpy: nan in, nan out, in both orders (max(nan, 1) and max(1, nan)
  are both nan).  Where the maths is finite but a float is not, the gate takes care: the exp gate's
  gradient is 0 when the upstream gradient is 0, even where exp(x) overflowed, so the sigmoid graph
  at x = −1000 gives 0, as ``sigmoid`` does.  A value with no meaning is refused (1/x at x = 0).
* The training fast path (layers' forward/backward inside ``train``) does not check every number
  of every step (that would cost time on every step).  It checks the loss once per step; when it
  is nan or inf, ``TrainingDiverged`` says what went wrong: nan or inf in the data, or a learning
  rate too large.
* Labels are checked in full (class indices in range; one-hot rows of 0s and 1s with one 1, or soft
  rows summing to 1); probabilities given to ``cross_entropy_error`` must lie in [0, 1].
"""
import numbers

import numpy as np


def _(message):
    """``message`` (a msgid of course_lib's catalog) in the edition's language.  ``course_lib.i18n`` is
    imported here, when a message is made, because it needs this module itself."""
    from .i18n import _ as in_language
    return in_language(message)


class CourseError(Exception):
    """Every error the course raises on purpose: a sentence naming the thing and what was expected."""


class CourseValueError(CourseError, ValueError):
    """A value the course cannot use: a wrong shape, an empty batch, nan, a label out of range ..."""


class CourseTypeError(CourseError, TypeError):
    """A wrong kind of thing: text where a number belongs, an object that is not a gate ..."""


class DivisionByZeroError(CourseValueError, ZeroDivisionError):
    """A division by zero (1/x at x = 0, x / 0): a CourseValueError that is also a ZeroDivisionError."""


class CourseKeyError(CourseError, KeyError):
    """A name that is not there: a node of a graph, a step of a trace."""

    def __str__(self):  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class UnknownInputError(CourseKeyError, CourseValueError):
    """No input of that name (a graph's, a formula's): a KeyError, and a ValueError as it always was."""


class CourseFileNotFoundError(CourseError, FileNotFoundError):
    """A file or folder the course needs is not there (the course's folder, a lesson, a notebook)."""


class WrongAnswer(CourseError, AssertionError):
    """The learner's answer is not right; the message says why, or gives a hint.

    The one class for a wrong answer: the quizzes' (``quiz.check_*``) and, as its subclass
    ``GradientMismatch``, the gradient checks' (``intermediates``).  An AssertionError, so nbgrader
    counts it as a failed test."""


class CallOrderError(CourseError, RuntimeError):
    """Calls in the wrong order: gradients asked for before the backward pass that makes them."""


class BackwardBeforeForwardError(CallOrderError):
    """Raised when ``backward`` runs on a gate or layer whose ``forward`` has not run yet."""


def name_of(layer):
    """The name a message uses for a layer or gate: its ``name`` attribute, else its class name."""
    return getattr(layer, "name", None) or type(layer).__name__


def require_forward(layer, attribute, method="backward"):
    """Raise a clear error if ``layer.<attribute>`` was never set by ``forward``.

    ``method`` is the call that needs it (``"backward"``, or ``"local_grads"`` from a gate's local_grads).
    The message names the layer by its ``name`` (``Affine1``) when it has one, else by its class.
    """
    if getattr(layer, attribute, None) is None:
        name = name_of(layer)
        kind = type(layer).__name__
        which = "" if name == kind else (_(" ({name} is an {kind})") if kind[0] in "AEIOU"
                                          else _(" ({name} is a {kind})")).format(name=name, kind=kind)
        raise BackwardBeforeForwardError(_(
            "{name}.{method}() was called before {name}.forward(){which}: run forward first, "
            "so the layer can remember what {method} needs (self.{attribute})."
        ).format(name=name, method=method, which=which, attribute=attribute))


def check_dout(layer, dout, expected_shape):
    """The upstream gradient as an array of numbers, refused unless it has the forward output's shape.

    Returns ``dout`` itself when it already is a numpy array of numbers (or a number), so layers use
    the returned value: a list is made an array, text or None is refused.
    """
    if isinstance(dout, np.ndarray):
        if dout.shape == expected_shape and dout.dtype.kind in "iuf":
            return dout  # the common case, checked first: this runs on every training step
    elif expected_shape == () and type(dout) in (int, float):
        return dout  # a loss layer's dout = 1
    name = name_of(layer)
    if not _is_numeric(dout):
        dout = as_number_array(dout, f"{name}.backward", "dout")
    if np.shape(dout) != tuple(expected_shape):
        raise CourseValueError(_(
            "{name}.backward: dout has shape {shape}, but the forward output had shape "
            "{expected}; pass the gradient of the loss with respect to that output"
        ).format(name=name, shape=np.shape(dout), expected=tuple(expected_shape)))
    return dout


def check_copy_douts(layer, douts, n_copies, shape):
    """The copies' upstream gradients for CopyLayer.backward: one per copy, each of the value's shape.

    A tuple or list holds one gradient per copy; an array holds one per row (the rows of dY for the N
    copies of a bias b in a batch).
    """
    name = name_of(layer)
    if isinstance(douts, np.ndarray) and douts.ndim >= 1:
        douts = list(douts)
    elif not isinstance(douts, (tuple, list)):
        raise CourseTypeError(_(
            "{name}.backward takes the copies' gradients together, one per copy ({n_copies}): "
            "backward((d1, d2, ...)) or an array with one row per copy; got {got}"
        ).format(name=name, n_copies=n_copies, got=_describe(douts, np.asarray(douts))))
    if len(douts) != n_copies:
        raise CourseValueError(_("{name}.backward expects one gradient per copy ({n_copies}), got {count}").format(
            name=name, n_copies=n_copies, count=len(douts)))
    return [check_dout(layer, dout, shape) for dout in douts]


def check_weight_and_bias(who, W, b, w_axes, b_axis):
    """Reject W and b that are not float arrays or whose shapes do not fit.

    W has the axes ``w_axes``, b is one number per ``b_axis``.  Affine: ``w_axes=("D", "M"),
    b_axis="M"``; Convolution: ``("FN", "C", "FH", "FW"), "FN"``.  Lists are refused (not copied),
    because the net updates its parameters in place and must hold the very arrays it was given.
    """
    for what, value in (("W", W), ("b", b)):
        if not isinstance(value, np.ndarray):
            raise CourseTypeError(_(
                "{who}: {what} must be a numpy array, got {kind} (use np.array({what}, dtype=float))"
            ).format(who=who, what=what, kind=type(value).__name__))
        if value.dtype.kind != "f":
            raise CourseTypeError(_(
                "{who}: {what} must hold floats (gradients are fractions), got dtype {dtype} "
                "(use {what}.astype(float))"
            ).format(who=who, what=what, dtype=value.dtype))
    w_shape = np.shape(W)
    if len(w_shape) != len(w_axes) or np.shape(b) != (w_shape[w_axes.index(b_axis)],):
        raise CourseValueError(_("{who}: W must be ({w_axes}) and b ({b_axis},), got W {w_shape} and b {b_shape}").format(
            who=who, w_axes=", ".join(w_axes), b_axis=b_axis, w_shape=w_shape, b_shape=np.shape(b)))
    if 0 in w_shape:
        raise CourseValueError(_("{who}: W has shape {w_shape}, with an axis of length 0; every axis needs at least 1").format(
            who=who, w_shape=w_shape))


def as_number_array(value, who, what="input"):
    """``value`` as a numpy array of numbers (ints or floats); lists and tuples are converted.

    Refused with a CourseTypeError: text, None, True/False, complex numbers and other objects.
    A numpy array of numbers is returned as it is (no copy).
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return value
    if isinstance(value, (str, bytes)):
        raise CourseTypeError(_("{who}: {what} must be numbers, got the text {text} (convert it with float(...))").format(
            who=who, what=what, text=repr(value)))
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise CourseValueError(_("{who}: {what} must be a rectangular array of numbers; {error}").format(
            who=who, what=what, error=error)) from None
    if array.dtype.kind not in "iuf":
        raise CourseTypeError(_("{who}: {what} must be numbers, got {got}").format(
            who=who, what=what, got=_describe(value, array)))
    return array


def check_gate_inputs(who, *values):
    """A gate's inputs: each a number or an array of numbers, all of one shape (gates are element-wise).

    Python and numpy numbers and numpy arrays are returned as they are; lists and tuples become arrays
    (so [100, 200] × 2 is [200, 400], not a list repeated).  Returns the values as a tuple.
    """
    checked = []
    for position, value in enumerate(values):
        what = ("x", "y")[position] if len(values) == 2 else "x"
        if _is_real_scalar(value):
            checked.append(check_fits_float(value, who, f"input {what}"))
        else:
            array = as_number_array(value, who, f"input {what}")
            checked.append(array if isinstance(value, np.ndarray) or array.ndim else array.item())
    shapes = [np.shape(value) for value in checked]
    if len(set(shapes)) > 1:
        raise CourseValueError(_(
            "{who}: the inputs have shapes {shapes}; a gate works element by element, "
            "so its inputs must have the same shape (use np.full(shape, number) to repeat a number)"
        ).format(who=who, shapes=_(" and ").join(map(str, shapes))))
    return tuple(checked)


def check_features(who, x, w_shape):
    """x as a batch (N, ...) whose samples have the D = W.shape[0] features a weight matrix expects.

    A single sample (D,) is refused with the fix (a batch of one), so a layer's shapes are always
    the batch shapes its docstring gives.
    """
    x = as_number_array(x, f"{who}.forward", "x")
    n_features = w_shape[0]
    if x.ndim < 2:
        if x.ndim == 0:
            message = _("{who}: x is one number; expected a batch (N, {n_features})")
        else:
            message = _("{who}: x is one sample of shape {shape}; expected a batch (N, {n_features}); "
                        "give a batch of one: x.reshape(1, -1)")
        raise CourseValueError(message.format(who=who, shape=x.shape, n_features=n_features))
    check_batch(x, who)
    features = int(np.prod(x.shape[1:]))
    if features != n_features:
        raise CourseValueError(_(
            "{who}: input of shape {shape} has {features} features per sample, "
            "but W has shape {w_shape}, so it expects {n_features}"
        ).format(who=who, shape=x.shape, features=features, w_shape=tuple(w_shape), n_features=n_features))
    return x


def check_batch(x, who):
    """Refuse an empty batch (no samples): a mean over 0 samples has no value."""
    if np.ndim(x) >= 1 and np.shape(x)[0] == 0:
        raise CourseValueError(_("{who}: the batch is empty (shape {shape}); give at least one sample").format(
            who=who, shape=np.shape(x)))


def check_count(value, who, what, minimum=1):
    """A whole number >= ``minimum`` (a stride, a window size, a batch size, a layer width)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise CourseTypeError(_("{who}: {what} must be a whole number, got {value} ({kind})").format(
            who=who, what=what, value=repr(value), kind=type(value).__name__))
    if value < minimum:
        raise CourseValueError(_("{who}: {what} must be at least {minimum}, got {value}").format(
            who=who, what=what, minimum=minimum, value=value))
    return int(value)


def check_flag(value, who, what):
    """True or False (numpy's too); text such as "no" would count as True, so it is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise CourseTypeError(_("{who}: {what} must be True or False, got {value}").format(
            who=who, what=what, value=repr(value)))
    return bool(value)


def check_finite_number(value, who, what):
    """One real, finite number: not text, not an array, not nan or inf."""
    if not _is_real_scalar(value):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise CourseTypeError(_("{who}: {what} must be a number, got {got}").format(
                who=who, what=what, got=_describe(value, np.asarray(value, dtype=object))))
    check_fits_float(value, who, what)
    if not np.isfinite(value):
        raise CourseValueError(_("{who}: {what} is {value}, {meaning}; give a finite number").format(
            who=who, what=what, value=value, meaning=nonfinite_meaning(value)))
    return value


def check_fits_float(value, who, what):
    """A Python whole number must fit in a float (about ±1.8e308): 10**400 cannot be computed with."""
    if isinstance(value, int) and not isinstance(value, bool) and not -_LARGEST_INT <= value <= _LARGEST_INT:
        digits = len(str(abs(value)))
        raise CourseValueError(_(
            "{who}: {what} is a whole number with {digits} digits, too large for a float "
            "(floats reach about 1.8e308, which has 309 digits); give a smaller number"
        ).format(who=who, what=what, digits=digits))
    return value


_LARGEST_INT = int(np.finfo(np.float64).max)


def random_generator(seed, who):
    """np.random.default_rng(seed), with a clear error for a seed that is not a whole number >= 0."""
    if seed is not None and not isinstance(seed, np.random.Generator):
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise CourseTypeError(_("{who}: seed must be None or a whole number >= 0, got {seed}").format(
                who=who, seed=repr(seed)))
    return np.random.default_rng(seed)


def check_finite_values(value, who, what):
    """Numbers or arrays with no nan or inf in them, naming the first bad entry (or a whole number
    too large for a float, such as 10**400)."""
    check_fits_float(value, who, what)
    array = np.asarray(value)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0] if array.ndim else ()
        entry = array[tuple(bad)] if array.ndim else array
        if array.ndim:
            message = _("{who}: {what} holds {entry} at index {index}, {meaning}; give finite numbers")
        else:
            message = _("{who}: {what} is {entry}, {meaning}; give finite numbers")
        raise CourseValueError(message.format(who=who, what=what, entry=entry, index=tuple(int(i) for i in bad),
                                              meaning=nonfinite_meaning(entry)))
    return value


def nonfinite_meaning(value):
    """What nan or inf means, in words."""
    if np.isnan(value):
        return _("which is not a number (an undefined result such as 0 × inf or inf − inf)")
    return _("which means the number overflowed (it is beyond the largest float, about 1.8e308)")


def _is_real_scalar(value):
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _is_numeric(value):
    return _is_real_scalar(value) or (isinstance(value, np.ndarray) and value.dtype.kind in "iuf")


def _describe(value, array):
    if value is None:
        return _("None (did a function forget to return its result?)")
    if isinstance(value, (bool, np.bool_)) or array.dtype.kind == "b":
        return _("True/False values ({value}); use numbers, e.g. 1.0 and 0.0").format(value=repr(value))
    if array.dtype.kind == "c":
        return _("complex numbers ({value})").format(value=repr(value))
    return f"{type(value).__name__} {value!r}"[:200]
