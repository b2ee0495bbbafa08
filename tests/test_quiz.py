"""Quiz checks: the right choice passes, a wrong one explains itself, the answer is never printed."""
import pytest

from course_lib.quiz import WrongAnswer, check_choice, check_number, choice_digest

OPTIONS = {"a": "only tax's gradient", "b": "every input's gradient", "c": "none"}
HINTS = {"a": "tax's gradient is all_price, which does not depend on tax", "b": "look at the chain from price",
         "c": "price itself doubles"}
RIGHT = choice_digest("tax-doubles", "b")


def test_the_right_choice_passes_in_any_case(capsys):
    assert check_choice("tax-doubles", " B ", OPTIONS, RIGHT, HINTS) is None  # a right answer prints ✔ and returns nothing
    assert "✔ Right: b." in capsys.readouterr().out


def test_a_wrong_choice_gives_its_own_hint_only():
    with pytest.raises(WrongAnswer, match="Not a .*does not depend on tax") as info:
        check_choice("tax-doubles", "a", OPTIONS, RIGHT, HINTS)
    assert "chain from price" not in str(info.value)


@pytest.mark.parametrize("answer, message", [(None, "choose one of a, b, c"), ("d", "'d' is not one of")])
def test_no_or_unknown_choice_says_what_to_do(answer, message):
    with pytest.raises(WrongAnswer, match=message):
        check_choice("tax-doubles", answer, OPTIONS, RIGHT)


def test_the_digest_depends_on_the_question():
    assert choice_digest("q1", "a") != choice_digest("q2", "a")
    assert RIGHT not in repr(OPTIONS) + repr(HINTS)


def test_numbers_within_half_a_percent(capsys):
    assert check_number(650.0, 650, "∂price/∂tax") is None
    assert check_number("0.197", 0.19661, "∂y/∂x") is None
    with pytest.raises(WrongAnswer, match="sign is not"):
        check_number(-650, 650)
    with pytest.raises(WrongAnswer, match="must be a number"):
        check_number("six", 6)
    with pytest.raises(WrongAnswer, match="finite"):
        check_number(float("nan"), 6)
