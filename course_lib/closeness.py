"""When two numbers (or arrays) count as the same: written once, used by every check of the course.

relative_errors(a, b)               |a − b| / max(|a| + |b|, 1e-8), entry by entry (CS231n's measure);
                                    ``gradcheck.rel_error`` is its largest entry
entries_that_differ(a, b, tol)      which entries of a differ from b by more than atol + tol · max |b|
close(a, b, tol)                    same shape, and no entry differs (the diagnosis and the checkers)
answer_matches(given, expected)     a typed answer is right: within ANSWER_TOLERANCE (0.5 %) of the
                                    expected number, or within 0.005 when that number is below 1

Two measures, for two questions.  ``relative_errors`` compares each entry with itself: a gradient check
wants every entry right, small ones too.  ``close`` compares every entry with the largest entry of the
right answer: a numerical gradient of an entry that is exactly 0 is a rounding error of about 1e-11, and
an entry by entry measure would call a learner's exact 0 wrong.
"""
import numpy as np

ANSWER_TOLERANCE = 0.005  # a typed answer within 0.5 % (or 0.005 below 1) is right
SMALLEST_SCALE = 1e-12  # the scale of ``close`` when the right answer is (nearly) all zeros


def relative_errors(a, b):
    """|a − b| / max(|a| + |b|, 1e-8) for every entry of a and b (float64 arrays of one shape)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)


def entries_that_differ(a, b, tol, atol=0.0):
    """True where |a − b| > atol + tol · max |b| (a nan differs from everything).

    ``atol`` absorbs the rounding of entries that are exactly zero; ``max |b|`` is at least 1e-12.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(b), initial=0.0)), SMALLEST_SCALE)
    return ~(np.abs(a - b) <= atol + tol * scale)


def close(a, b, tol, atol=0.0):
    """True if a and b have one shape and no entry differs (see ``entries_that_differ``)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and not entries_that_differ(a, b, tol, atol).any()


def answer_margin(expected, tolerance=ANSWER_TOLERANCE):
    """How far a typed answer may be from ``expected``: ``tolerance`` relatively, absolutely below 1."""
    return tolerance * max(1.0, abs(expected))


def answer_matches(given, expected, tolerance=ANSWER_TOLERANCE):
    """True if the number ``given`` is within ``tolerance`` of ``expected``, relatively (absolutely below 1)."""
    return abs(given - expected) <= answer_margin(expected, tolerance)
