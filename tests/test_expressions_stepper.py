"""ExpressionSteps (plain logic) and ExpressionStepper (widget), headless: edit formula, edit input, bad text, step."""
import ipywidgets as widgets
import pytest

from course_lib import ExpressionError, parse_expression
from course_lib.expression_steps import ExpressionSteps
from course_lib.stepping import BackwardSteps
from course_lib.widgets import ExpressionStepper


def click(stepper, button, times=1):
    for _ in range(times):
        getattr(stepper.stepper, f"{button}_button").click()


def test_steps_are_the_backward_steps_of_the_parsed_graph():
    steps = ExpressionSteps("(x + y) ** 2 * exp(-x)", x=2.0, y=1.0)
    plain = BackwardSteps(parse_expression("(x + y) ** 2 * exp(-x)", x=2.0, y=1.0))
    assert steps.n_steps == plain.n_steps == 5
    for k in range(6):
        assert steps.svg(k) == plain.svg(k)  # the same pictures: one implementation
        assert steps.explanation(k)[: len(plain.explanation(k))] == plain.explanation(k)
    assert steps.definitions() == ["n1 = x + y", "n2 = n1 ** 2", "n3 = x × −1", "n4 = exp(n3)", "f = n2 × n4"]
    assert steps.explanation(5)[-2] == "Result: ∂f/∂x = −0.406, ∂f/∂y = 0.812"


def test_default_values_and_names_follow_the_formula():
    steps = ExpressionSteps("a * b + log(c)")
    assert steps.values == {"a": 2.0, "b": 1.0, "c": 0.5}
    steps.set_formula("c * d")
    assert steps.values == {"c": 0.5, "d": 2.0}  # c kept its value; d is new
    with pytest.raises(KeyError, match="not an input"):
        steps.set_input("a", 1.0)
    with pytest.raises(ExpressionError):
        ExpressionSteps("x.__class__")  # a bad first formula: nothing to fall back on


def test_bad_text_keeps_the_last_good_graph():
    steps = ExpressionSteps("x * y", x=3.0, y=4.0)
    frames = steps.frames()
    with pytest.raises(ExpressionError, match="exponent") as refused:
        steps.set_formula("x ** y")  # raised, as BackwardSteps.set_input raises a refused value
    assert steps.error is refused.value and steps.formula == "x ** y"
    assert steps.frames() == frames and steps.shown_formula == "x * y"
    steps.set_formula("x * y * 2")
    assert steps.error is None and steps.n_steps == 2
    frames = steps.frames()
    with pytest.raises(ExpressionError):
        steps.set_formula("x.__class__")  # text that is not a formula at all
    assert steps.error is not None and steps.frames() == frames


def test_a_refused_input_is_raised_and_the_last_good_graph_kept():
    steps = ExpressionSteps("log(x)", x=2.0)
    frames = steps.frames()
    with pytest.raises(ExpressionError) as refused:
        steps.set_input("x", -1.0)
    assert steps.error is refused.value and steps.frames() == frames


def test_widget_steps_with_buttons_and_slider():
    stepper = ExpressionStepper("(x + y) ** 2 * exp(-x)", x=2.0, y=1.0)
    assert stepper.step == 0 and stepper.highlighted_node is None and "forward pass" in stepper.explanation_text
    assert list(stepper.input_boxes) == ["x", "y"] and stepper.error_text == ""
    assert len(stepper.stepper.links) == 1  # the step box ↔ the Stack, jslinked: steps without a kernel
    click(stepper, "step", 2)
    assert stepper.step == 2 and stepper.highlighted_node == "n4"
    assert "to n3: 9 × 0.1353 = 1.218" in stepper.explanation_text
    stepper.stepper.step_box.value = 5
    assert stepper.stepper.stack.selected_index == 5 and "∂f/∂x = −0.406" in stepper.frame
    click(stepper, "reset")
    assert stepper.step == 0


def test_widget_edit_input_redraws_every_frame():
    stepper = ExpressionStepper("x * x", x=3.0)
    click(stepper, "step")
    stepper.input_boxes["x"].value = 5.0
    assert stepper.values == {"x": 5.0} and stepper.step == 1
    assert "1 × 5 = 5" in stepper.explanation_text and ">25<" in stepper.svg
    stepper.set_input("x", -2.0)
    assert stepper.input_boxes["x"].value == -2.0 and "∂f/∂x = −4" in stepper.stepper.pages[-1].value


def test_widget_edit_formula_makes_input_boxes_from_its_names():
    stepper = ExpressionStepper("x * y", x=3.0, y=4.0)
    old_x_box = stepper.input_boxes["x"]
    stepper.formula_box.value = "tanh(x) + z ** 2"
    assert list(stepper.input_boxes) == ["x", "z"] and stepper.input_boxes["x"] is old_x_box
    assert stepper.inputs_row.children == (stepper.input_boxes["x"], stepper.input_boxes["z"])
    assert stepper.steps.shown_formula == "tanh(x) + z ** 2" and stepper.stepper.step_box.max == 3
    assert isinstance(stepper.widget, widgets.VBox)


def test_widget_bad_text_shows_the_error_and_keeps_working():
    stepper = ExpressionStepper("x * y", x=3.0, y=4.0)
    frames = [page.value for page in stepper.stepper.pages]
    stepper.formula_box.value = "().__class__.__bases__"
    assert "attribute access" in stepper.error_text and "column 1" in stepper.error_text
    assert "attribute access" in stepper.error_box.value and "x * y" in stepper.error_box.value
    assert [page.value for page in stepper.stepper.pages] == frames  # the last good graph stays
    click(stepper, "step")
    assert stepper.step == 1  # still steps
    stepper.formula_box.value = "log(x - 5) * y"  # good text, but not at x = 3: boxes appear, the error says why
    assert "at x = 3" in stepper.error_text and list(stepper.input_boxes) == ["x", "y"]
    stepper.input_boxes["x"].value = 6.0  # fixing the input makes it work
    assert stepper.error_text == "" and stepper.error_box.value == ""
    assert stepper.steps.shown_formula == "log(x - 5) * y"


def test_the_expression_stepper_is_set_up_by_the_shared_stepper_view(monkeypatch):
    from course_lib import widgets as views

    seen = []
    original = views._StepperView.__init__
    monkeypatch.setattr(views._StepperView, "__init__", lambda self, steps: seen.append(steps) or original(self, steps))
    stepper = ExpressionStepper("x * y", x=3.0, y=4.0)
    assert seen == [stepper.steps] and isinstance(stepper.stepper, views.FrameStepper)
