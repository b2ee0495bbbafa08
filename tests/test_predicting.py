"""Predict, then reveal: questions from the trace, verdicts with the rule, a score, answers hidden until clicked."""
import pytest

from course_lib import apple_orange_graph, chain_rule_graph
from course_lib.predicting import PredictSteps, parse_number
from course_lib.widgets import PredictStepper


def test_each_step_asks_for_what_its_node_sends_back():
    quiz = PredictSteps(apple_orange_graph())
    assert quiz.targets(0) == []
    assert quiz.targets(1) == ["all_price", "tax"]
    assert quiz.n_questions == sum(len(quiz.targets(k)) for k in range(1, quiz.n_steps + 1))
    assert "What does it send back to all_price and tax?" in quiz.explanation(1)


def test_verdicts_name_the_right_value_and_the_rule():
    quiz = PredictSteps(apple_orange_graph())
    right, wrong = quiz.answer(1, {"all_price": "1.1", "tax": 600})
    assert right.correct and "✔ to all_price: 1.1 is right" in right.text()
    assert not wrong.correct and "you said 600, it is 650" in wrong.text()
    assert "∂price/∂tax" in wrong.text()
    assert quiz.score == (1, 2)


def test_only_the_first_try_counts_and_the_summary_says_when_done():
    quiz = PredictSteps(chain_rule_graph())
    quiz.answer(1, {"t": 1})  # wrong: ∂z/∂t = 2t = 6
    quiz.answer(1, {"t": 6})
    assert quiz.score == (0, 1)
    assert "still to predict" in quiz.summary()
    for step in range(2, quiz.n_steps + 1):
        record = quiz.trace[step - 1]
        quiz.answer(step, {name: float(value) for name, value in record.sent.items()})
    right, asked = quiz.score
    assert asked == quiz.n_questions and right == asked - 1
    assert quiz.summary() == f"Done: {right} of {asked} gradients predicted right."


def test_the_question_frame_hides_the_answer_until_clicked():
    quiz = PredictSteps(chain_rule_graph())  # x = 2, y = 1, t = 3, z = 9; step 1 sends 6 to t
    frame = quiz.frame(1)
    question, answer = frame.split("<details", 1)
    assert ">6<" not in question and ">6<" in answer
    assert "<summary>Show the answer</summary>" in answer


@pytest.mark.parametrize("text, value", [("2.2", 2.2), ("−0.5", -0.5), (" 1/4 ", 0.25), (3, 3.0), ("1e-3", 0.001)])
def test_typed_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "", "1/0", "2 + 3"])
def test_a_non_number_says_what_to_type(text):
    with pytest.raises(ValueError, match="type a number such as 2.2"):
        parse_number(text)


def test_missing_guesses_and_step_zero_are_refused_in_words():
    quiz = PredictSteps(apple_orange_graph())
    with pytest.raises(ValueError, match="nothing to predict"):
        quiz.answer(0, {})
    with pytest.raises(ValueError, match=r"missing: \['tax'\]"):
        quiz.answer(1, {"all_price": 1.1})


def test_the_widget_asks_checks_and_scores_headless():
    w = PredictStepper(apple_orange_graph())
    assert w.guess_boxes == {} and w.check_button.disabled
    w.stepper.step_button.click()
    assert list(w.guess_boxes) == ["all_price", "tax"]
    w.guess_boxes["all_price"].value = "1.1"
    w.check_button.click()
    assert "Type a gradient for tax first" in w.feedback_text and w.score == (0, 0)
    w.guess_boxes["tax"].value = "650"
    w.check_button.click()
    assert w.score == (2, 2) and "✔ to tax" in w.feedback_text
    w.stepper.step_button.click()
    assert w.feedback_text == "" and set(w.guess_boxes) == set(w.steps.targets(2))
    w.predict(**{name: "nonsense" for name in w.guess_boxes})
    assert "type a number" in w.feedback_text and w.score == (2, 2)
