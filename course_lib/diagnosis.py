"""Name the usual wrong gradient, instead of only saying "wrong".

``diagnose(mine, right, batch_size=None)`` compares a learner's gradient with the right one and
returns one sentence for the first known mistake that explains the difference, or None:

    wrong sign             mine ≈ −right
    transposed             mine ≈ rightᵀ (a square matrix has the right shape only by luck)
    factor N or 1/N        mine ≈ N·right or right/N   (a mean where a sum belongs, or the reverse)
    missing sum            mine has one row per sample, and summing it over the batch gives right
                           (the batch runs along ``batch_axis``, 0 unless the caller says otherwise)
    wrong axis             mine holds one number per sample, each sample's total: summed over the
                           features instead of over the batch (known with ``per_sample``)
    right numbers, shape   mine has right's numbers in another shape (a sum without keepdims=True)
    one sample             mine ≈ one sample's share of right, which sums over the batch (db = dout[0]);
                           known only when the caller gives each sample's share (``per_sample``)
    off by a constant      mine ≈ c·right for some other number c (a factor 2 forgotten, ...)

The checkers (``check_layer``, the lessons' exercise tests) add the sentence to their message.
``MISTAKES`` holds every mistake as data (its id, a short label and the sentence it writes), so a
tool that reads checkers' messages (the class report) recognises them from this one table:
``find_mistakes(text)`` lists the mistakes a text names, in English or in an edition's language (the sentences
are course_lib messages, translated in ``course_lib.po``).
"""
import re
import string
from dataclasses import dataclass

import numpy as np

from .closeness import close
from .i18n import N_, _, in_every_language

TOLERANCE = 1e-6
DEFAULT_NAME = N_("the gradient")  # the name diagnose gives a gradient it was not told the name of
IT = N_("it")  # the name check_layer gives the gradient its verdict line has just named


@dataclass(frozen=True)
class Mistake:
    """A usual mistake: ``id`` (stable, for files), ``label`` (a few words for a report) and ``sentence``,
    the template diagnose() fills in (``{name}`` is the gradient's name; other fields are numbers or shapes)."""

    id: str
    label: str
    sentence: str

    def says(self, **fields):
        """The sentence with its fields filled in, in the current language: what diagnose() returns for this mistake."""
        return _(self.sentence).format(**fields)

    @property
    def patterns(self):
        """Regular expressions matching any sentence ``says`` writes, one per language; ``name`` is a named group."""
        return [_pattern(sentence) for sentence in in_every_language(self.sentence)]


NAN_OR_INF = Mistake("nan-or-inf", "nan or inf",
                     N_("{name} holds nan or inf: look for a division by zero or an overflowing exp."))
WRONG_SIGN = Mistake("wrong-sign", "wrong sign",
                     N_("{name} has the wrong sign: every entry is the negative of the right one."))
TRANSPOSED_SQUARE = Mistake("transposed-square", "transposed",
                            N_("{name} is the right answer transposed; its shape matched only because the matrix "
                               "is square. Check which side of the product the transpose belongs on."))
FACTOR_N_LARGE = Mistake("factor-n-large", "factor N too large",
                         N_("{name} is N = {batch_size} times too large: divide by the batch size "
                            "(the loss is a mean)."))
FACTOR_N_SMALL = Mistake("factor-n-small", "factor N too small",
                         N_("{name} is N = {batch_size} times too small: it is divided by the batch size "
                            "once too often."))
CONSTANT_FACTOR = Mistake("constant-factor", "constant factor",
                          N_("{name} is {ratio} times the right one: a constant factor is missing or extra."))
MISSING_SUM = Mistake("missing-sum", "missing sum over the batch",
                      N_("{name} has one row per sample, shape {shape}; the parameter was shared by every "
                         "sample, so add the rows up over the batch (axis 0) to get shape {right_shape}."))
ONE_SAMPLE = Mistake("one-sample", "one sample instead of the sum",
                     N_("{name} is the gradient of sample {sample} alone, not the sum over the batch: the parameter "
                        "is shared by every sample, so every sample's contribution adds up."))
MISSING_SUM_AXIS = Mistake("missing-sum-axis", "missing sum over the batch",
                           N_("{name} keeps one entry per sample along axis {axis}, shape {shape}; the parameter was "
                              "shared by every sample, so add them up over the batch (axis {axis}) to get shape "
                              "{right_shape}."))
WRONG_AXIS = Mistake("wrong-axis", "sum over the wrong axis",
                     N_("{name} is summed over the wrong axis: it holds one total per sample, but the samples run "
                        "along axis {axis}, and that is the axis to sum over."))
RESHAPE_ONLY = Mistake("reshape-only", "right numbers, wrong shape",
                       N_("{name} has the right numbers in the wrong shape, {shape} instead of {right_shape}: "
                          "a NumPy sum drops the axis it sums over unless told keepdims=True."))
TRANSPOSED_SHAPE = Mistake("transposed-shape", "transposed",
                           N_("{name} is the right answer transposed: shape {shape} instead of {right_shape}."))

MISTAKES = (NAN_OR_INF, WRONG_SIGN, TRANSPOSED_SQUARE, FACTOR_N_LARGE, FACTOR_N_SMALL, CONSTANT_FACTOR,
            MISSING_SUM, ONE_SAMPLE, TRANSPOSED_SHAPE, MISSING_SUM_AXIS, WRONG_AXIS, RESHAPE_ONLY)


def _close(a, b):
    """a ≈ b: no entry differs by more than TOLERANCE · max |b| (``closeness.close``)."""
    return close(a, b, TOLERANCE)


def diagnose(mine, right, batch_size=None, name=DEFAULT_NAME, per_sample=None, batch_axis=0):
    """One sentence naming the mistake that turns ``right`` into ``mine``; None if none is known.

    mine, right: arrays (or numbers).  batch_size: N, to recognise a factor N or a missing sum.
    per_sample: optional (N, *right.shape) array, each sample's share of ``right`` (they sum to it), to
        recognise one sample's gradient handed in for the whole batch's, or a sum over the wrong axis.
    batch_axis: the axis of a per-sample array along which the samples run (1 when samples are columns).
    """
    found = identify(mine, right, batch_size, per_sample, batch_axis)
    if found is None:
        return None
    mistake, fields = found
    return mistake.says(name=_(name) if name in (DEFAULT_NAME, IT) else name, **fields)


def identify(mine, right, batch_size=None, per_sample=None, batch_axis=0):
    """(Mistake, its sentence's fields other than the name) for the mistake that turns right into mine, or None.

    per_sample: as for diagnose, or a function that computes it (called only when it is needed)."""
    found = _identify(mine, right, batch_size, per_sample, batch_axis)
    if found is not None or per_sample is None:
        return found
    sample = _wrong_axis(np.asarray(mine, dtype=np.float64), np.asarray(right, dtype=np.float64), per_sample)
    return (WRONG_AXIS, {"axis": batch_axis}) if sample else None


def _identify(mine, right, batch_size, per_sample, batch_axis):
    mine, right = np.asarray(mine, dtype=np.float64), np.asarray(right, dtype=np.float64)
    if not np.all(np.isfinite(mine)):
        return NAN_OR_INF, {}
    if not np.any(right):
        return None
    if mine.shape == right.shape:
        if _close(mine, -right):
            return WRONG_SIGN, {}
        if mine.ndim == 2 and mine.shape[0] == mine.shape[1] and _close(mine.T, right):
            return TRANSPOSED_SQUARE, {}
        if batch_size and batch_size > 1:
            if _close(mine, right * batch_size):
                return FACTOR_N_LARGE, {"batch_size": batch_size}
            if _close(mine, right / batch_size):
                return FACTOR_N_SMALL, {"batch_size": batch_size}
        sample = _one_sample(mine, right, per_sample)
        if sample is not None:
            return ONE_SAMPLE, {"sample": sample}
        ratio = _ratio(mine, right)
        if ratio is not None:
            return CONSTANT_FACTOR, {"ratio": f"{ratio:.4g}"}
    elif mine.ndim == right.ndim + 1 and mine.shape[1:] == right.shape and _close(mine.sum(axis=0), right):
        return MISSING_SUM, {"shape": mine.shape, "right_shape": right.shape}
    elif mine.ndim == 2 and mine.T.shape == right.shape and _close(mine.T, right):
        return TRANSPOSED_SHAPE, {"shape": mine.shape, "right_shape": right.shape}
    elif mine.size == right.size and _close(mine.reshape(right.shape), right):
        return RESHAPE_ONLY, {"shape": mine.shape, "right_shape": right.shape}
    if (batch_size and batch_size > 1 and mine.ndim > batch_axis and mine.shape[batch_axis] == batch_size
            and mine.size == right.size * batch_size):
        summed = mine.sum(axis=batch_axis)
        if _close(summed.reshape(right.shape), right):
            return MISSING_SUM_AXIS, {"axis": batch_axis, "shape": mine.shape, "right_shape": right.shape}
    if mine.shape != right.shape and mine.size == right.size:
        sample = _one_sample(mine.reshape(right.shape), right, per_sample)
        if sample is not None:
            return ONE_SAMPLE, {"sample": sample}
    return None


def _wrong_axis(mine, right, per_sample):
    """True if ``mine`` holds, for each sample, the total of its share of ``right``: summed over the wrong axis."""
    shares = np.asarray(per_sample() if callable(per_sample) else per_sample, dtype=np.float64)
    if shares.ndim != right.ndim + 1 or shares.shape[1:] != right.shape or len(shares) < 2:
        return False
    totals = shares.reshape(len(shares), -1).sum(axis=1)
    if mine.size != totals.size or not np.any(totals):
        return False
    return _close(mine.reshape(-1), totals) and not (right.size == totals.size and _close(right.reshape(-1), totals))


def _one_sample(mine, right, per_sample):
    """The index n of the sample whose share of ``right`` is ``mine``, if there is one (and it is not all of it)."""
    if per_sample is None:
        return None
    shares = np.asarray(per_sample() if callable(per_sample) else per_sample, dtype=np.float64)
    if shares.ndim != right.ndim + 1 or shares.shape[1:] != right.shape or len(shares) < 2:
        return None
    for n, share in enumerate(shares):
        if np.any(share) and _close(mine, share) and not _close(share, right):
            return n
    return None


def _ratio(mine, right):
    """The number c with mine = c · right, if there is one (and it is not 1 or −1), else None."""
    index = np.unravel_index(np.argmax(np.abs(right)), right.shape)
    c = float(mine[index] / right[index])
    if np.isfinite(c) and abs(c) > 1e-12 and not np.isclose(abs(c), 1.0) and _close(mine, c * right):
        return c
    return None


# ----------------------------------------------------------------- reading the sentences back

# What a field of a sentence can hold: the gradient's name (one word such as d_scores or it, or the default
# name), a number, or a shape such as (4, 2).
_FIELD_PATTERNS = {"shape": r"\([\d, ]*\)", "right_shape": r"\([\d, ]*\)", "axis": r"\d+"}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|inf"


def unnamed():
    """The names that name no gradient in particular (``the gradient``, check_layer's ``it``), in every language."""
    return {text for message in (DEFAULT_NAME, IT) for text in in_every_language(message)}


def _name_pattern():
    known = "|".join(re.escape(text) for text in sorted(unnamed(), key=len, reverse=True))
    return rf"(?P<name>{known}|[^\s.,:;()。、：；（）]+)"  # a name ends at punctuation, half- or full-width


def _pattern(sentence):
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(sentence):
        parts.append(re.escape(literal))
        if field == "name":
            parts.append(_name_pattern())
        elif field is not None:
            parts.append(_FIELD_PATTERNS.get(field, f"(?:{_NUMBER})"))
    return re.compile("".join(parts))


def find_mistakes(text):
    """[(Mistake, name)] for every sentence of MISTAKES in ``text``, in the order they appear, in any language.

    name: the gradient the sentence names (``d_scores``; one of ``unnamed()`` when check_layer wrote it)."""
    found = []
    for mistake in MISTAKES:
        for pattern in mistake.patterns:
            for match in pattern.finditer(text):
                found.append((match.start(), mistake, match.group("name")))
    return [(mistake, name) for _, mistake, name in sorted(found, key=lambda item: item[0])]
