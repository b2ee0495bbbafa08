"""closeness: one relative error and one answer tolerance, used by every check of the course."""
import re
from pathlib import Path

import numpy as np
import pytest

from course_lib import closeness
from course_lib.closeness import ANSWER_TOLERANCE, answer_matches, close, entries_that_differ, relative_errors
from course_lib.gradcheck import _worst_index, rel_error
from course_lib.intermediates import GradientMismatch, IntermediateGrads
from course_lib.predicting import PredictSteps
from course_lib.quiz import WrongAnswer, check_number
from course_lib.course_graphs import apple_graph

COURSE_LIB = Path(closeness.__file__).parent


def test_rel_error_is_the_largest_relative_error_bit_for_bit():
    rng = np.random.default_rng(0)
    for shape in [(), (5,), (3, 4), (2, 3, 4)]:
        a = rng.standard_normal(shape) * 10.0 ** rng.integers(-12, 3, shape)
        b = a * (1 + 1e-7 * rng.standard_normal(shape))
        old = float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8), initial=0.0))
        assert rel_error(a, b) == old == float(np.max(relative_errors(a, b), initial=0.0))
    assert rel_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0
    assert rel_error([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_the_worst_entry_is_the_largest_relative_error_and_the_first_of_ties():
    right = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert _worst_index(right * 3, right) == (0, 0)  # a factor: every entry ties
    mine = right.copy()
    mine[1, 0] = -3.0
    assert _worst_index(mine, right) == (1, 0) == np.unravel_index(np.argmax(relative_errors(mine, right)), (2, 2))


def test_close_compares_every_entry_with_the_largest_right_one():
    right = np.array([1.0, 0.0, -2.0])
    assert close(right + 1e-7, right, 1e-6) and not close(right + 1e-5, right, 1e-6)
    assert not close(right[:2], right, 1e-6)  # shapes differ
    assert list(entries_that_differ([1.0, 1e-5, np.nan], right, 1e-6)) == [False, True, True]
    assert close([1e-9], [0.0], 1e-6, atol=1e-8) and not close([1e-9], [0.0], 1e-6)


def test_a_nan_in_a_learners_gradient_is_never_right():
    grads = IntermediateGrads(lambda tape: float(np.sum(tape("z", np.array([1.0, 2.0])) ** 2)))
    with pytest.raises(GradientMismatch, match="1 of its 2 entries differ"):
        grads.check("z", [2.0, np.nan])  # the old check let a nan pass: nan > allowed is False


def test_the_quiz_and_the_predict_stepper_use_the_one_answer_tolerance(capsys):
    assert ANSWER_TOLERANCE == 0.005
    steps = PredictSteps(apple_graph())
    target = steps.targets(1)[0]
    right = float(steps.trace[0].sent[target])
    for factor in (1 - 0.9 * ANSWER_TOLERANCE, 1 + 0.9 * ANSWER_TOLERANCE, 1 + 2 * ANSWER_TOLERANCE):
        guess = right * factor
        expected = answer_matches(guess, right)
        fresh = PredictSteps(apple_graph())
        guesses = {name: 0.0 for name in fresh.targets(1)}
        guesses[target] = guess
        verdict = next(v for v in fresh.answer(1, guesses) if v.target == target)
        assert verdict.correct == expected
        if expected:
            check_number(guess, right)  # no WrongAnswer: judged right
        else:
            with pytest.raises(WrongAnswer):
                check_number(guess, right)
    assert answer_matches(0.004, 0.0) and not answer_matches(0.006, 0.0)  # absolute below 1


def test_relative_error_and_the_answer_tolerance_are_written_only_in_closeness():
    relative = re.compile(r"np\.abs\([^()]*\) \+ np\.abs\(")  # |a| + |b| in a denominator
    tolerance = re.compile(r"max\(1\.0, abs\(")  # tolerance · max(1, |right|)
    scaled = re.compile(r"tol \* (float\()?(np\.)?max\(")  # tol · max |right|
    for path in COURSE_LIB.glob("*.py"):
        if path.name == "closeness.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (relative, tolerance, scaled):
            assert not pattern.search(text), f"{path.name} writes its own closeness ({pattern.pattern}): use closeness"
