"""Headless tests of the steppers: click buttons, step the step box, edit inputs, assert on state."""
import re

import ipywidgets as widgets
import numpy as np
import pytest

from course_lib.course_graphs import apple_graph, apple_orange_graph, sigmoid_graph
from course_lib.drawing import GRAD_COLOUR
from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.stepping import array_html
from course_lib.closeness import answer_matches
from course_lib.predicting import PredictSteps, accepted_range
from course_lib.widgets import BackwardStepper, ExpressionStepper, GateExplorer, LayerStepper, PredictStepper


def click(stepper, button, times=1):
    for _ in range(times):
        getattr(stepper.stepper, f"{button}_button").click()


# ---- BackwardStepper ----

def test_starts_at_the_forward_pass_without_gradients():
    stepper = BackwardStepper(apple_graph())
    assert stepper.step == 0 and stepper.highlighted_node is None
    assert "forward pass" in stepper.explanation_text
    assert ">220<" in stepper.svg
    assert ">2.2<" not in stepper.svg and ">110<" not in stepper.svg
    gradient_texts = re.findall(rf'fill="{GRAD_COLOUR}"[^>]*>([^<]*)<', stepper.svg)
    assert gradient_texts == ["vermillion, below an edge: the gradient sent back along it"]  # the legend only
    assert f'stroke="{GRAD_COLOUR}"' not in stepper.svg  # nothing highlighted


def test_step_back_and_reset_buttons():
    stepper = BackwardStepper(apple_graph())
    click(stepper, "step")
    assert stepper.step == 1 and stepper.highlighted_node == "price"
    assert "1 × 200 = 200" in stepper.explanation_text and "∂price/∂tax = apple_price" in stepper.explanation_text
    click(stepper, "step")
    assert stepper.step == 2 and stepper.highlighted_node == "apple_price"
    assert "1.1 × 2 = 2.2" in stepper.explanation_text
    assert "1.1 × 100 = 110" in stepper.explanation_text
    assert ">2.2<" in stepper.svg and ">110<" in stepper.svg
    click(stepper, "step")  # past the end: stays on the last step
    assert stepper.step == 2
    click(stepper, "back")
    assert stepper.step == 1 and ">110<" not in stepper.svg
    click(stepper, "reset")
    assert stepper.step == 0
    click(stepper, "back")
    assert stepper.step == 0


def test_slider_moves_the_stack_and_the_current_frame():
    stepper = BackwardStepper(apple_orange_graph())
    stepper.stepper.step_box.value = 3
    assert stepper.stepper.stack.selected_index == 3
    assert stepper.highlighted_node == "orange_price"
    assert "1.1 × 150 = 165" in stepper.frame
    assert stepper.frame == stepper.stepper.stack.children[3].value


def test_frames_are_precomputed_and_jslinked_for_kernel_less_stepping():
    stepper = BackwardStepper(sigmoid_graph())
    parts = stepper.stepper
    assert len(parts.stack.children) == 5 == parts.step_box.max + 1
    for k, page in enumerate(parts.stack.children):
        assert isinstance(page, widgets.HTML) and page.value.count("<svg") == 1
        assert f"Step {k}" in page.value
    (stack_link,) = parts.links
    assert (stack_link.source[0], stack_link.source[1]) == (parts.step_box, "value")
    assert (stack_link.target[0], stack_link.target[1]) == (parts.stack, "selected_index")
    assert all(type(link).__name__ == "Link" for link in parts.links)
    note = stepper.widget.children[-1].value
    assert "without a running kernel" in note and "needs a running kernel" in note


def test_every_widget_is_a_core_ipywidget_or_the_browser_run_controls():
    stepper = BackwardStepper(apple_graph())
    seen, modules = [stepper.widget], []
    while seen:
        widget = seen.pop()
        modules.append((widget._model_module, type(widget).__name__))
        seen.extend(getattr(widget, "children", ()))
    assert ("anywidget", "StepButtons") in modules
    assert {module for module, _ in modules} == {"@jupyter-widgets/controls", "anywidget"}


def test_the_buttons_are_run_by_the_browser_on_the_step_box():
    stepper = BackwardStepper(apple_orange_graph())
    parts = stepper.stepper
    state = parts.buttons.get_state()
    assert state["box"] == f"anywidget:{parts.step_box.model_id}"   # the page sets this box's value
    assert [spec["label"] for spec in state["buttons"]] == ["◀ Back", "Step ▶", "Reset"]
    assert [spec["action"] for spec in state["buttons"]] == ["back", "step", "reset"]
    assert all(spec["tooltip"] for spec in state["buttons"])
    assert "export default" in state["_esm"] and 'box.set("value", step)' in state["_esm"]
    assert set(state["inputs"]) == {f"anywidget:{box.model_id}" for box in stepper.input_boxes.values()}
    # the frames are stored once: in the Stack's HTML widgets, not in the buttons' state
    assert "<svg" not in str(state)


def test_a_step_from_the_page_is_followed_but_never_sent_back(monkeypatch):
    """After a busy cell the kernel hears of old steps; echoing them would move the page back."""
    stepper = BackwardStepper(apple_orange_graph())
    parts = stepper.stepper
    sent = []
    monkeypatch.setattr(parts.stack, "send_state", lambda key=None: sent.append(key))
    parts.step_box.set_state({"value": 2})          # as the page's message applies it
    assert stepper.step == 2 and parts.stack.selected_index == 2 and "Step 2" in stepper.frame
    assert sent == []
    parts.go_to(3)                                   # from Python: the page must hear of it
    assert parts.stack.selected_index == 3 and sent


def test_an_edit_is_answered_whether_applied_or_refused():
    stepper = BackwardStepper(apple_graph())
    answered = stepper.stepper.buttons.answered
    stepper.input_boxes["apple"].value = 200
    assert stepper.stepper.buttons.answered > answered
    stepper.set_input("apple", float("nan"))     # refused: the page must stop saying "computing…" too
    assert stepper.stepper.buttons.answered == answered + 2 and "Not applied" in stepper.message.value


def test_input_change_reruns_and_keeps_the_step():
    stepper = BackwardStepper(apple_graph())
    click(stepper, "step", 2)
    stepper.input_boxes["apple"].value = 200
    assert stepper.step == 2
    assert ">440<" in stepper.svg and ">440<" in stepper.stepper.stack.children[0].value
    assert "1.1 × 200 = 220" in stepper.explanation_text  # d price / d apple_num = 1.1 × apple
    stepper.set_input("tax", 1.0)
    assert stepper.input_boxes["tax"].value == 1.0
    assert ">400<" in stepper.svg


def test_every_control_is_labelled_for_the_keyboard_and_screen_readers():
    stepper = BackwardStepper(apple_graph())
    parts = stepper.stepper
    assert isinstance(parts.step_box, widgets.BoundedIntText) and parts.step_box.description == "step"
    for button in (parts.back_button, parts.step_button, parts.reset_button):
        assert button.description.strip() and button.tooltip
    status = parts.buttons.texts["computing"]
    assert status and "computing" in status
    assert all(box.description for box in stepper.input_boxes.values())
    assert not [w for w in parts.controls.children if isinstance(w, (widgets.Play, widgets.IntSlider))]


def test_widget_displays_itself():
    bundle = BackwardStepper(apple_graph())._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---- LayerStepper ----

@pytest.fixture
def net_and_batch():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(784, 50, 10, seed=0)
    return net, rng.random((3, 784)), np.array([3, 1, 4])


def test_layer_stepper_steps_with_shapes_and_formulas(net_and_batch):
    stepper = LayerStepper(*net_and_batch)
    assert stepper.step == 0 and stepper.layer is None and "forward pass" in stepper.explanation_text
    expected = [
        ("SoftmaxWithLoss", "(y − t) / N", None, "(3, 10)"),
        ("Affine2", "dX = dY · Wᵀ", "(3, 10)", "(50, 10)"),
        ("Relu1", "where x > 0", "(3, 50)", "(3, 50)"),
        ("Affine1", "dW = Xᵀ · dY", "(3, 50)", "(784, 50)"),
    ]
    for k, (layer, formula, upstream_shape, shown_shape) in enumerate(expected, start=1):
        click(stepper, "step")
        assert stepper.step == k and stepper.layer == layer
        assert formula in stepper.explanation_text
        if upstream_shape:
            assert f"shape {upstream_shape}" in stepper.explanation_text
        assert shown_shape in stepper.frame
    assert "db = Σ dY over the batch" in stepper.explanation_text
    assert "min" in stepper.frame and "max" in stepper.frame  # dW1 is summarised
    assert len(stepper.stepper.stack.children) == 5


def test_array_html_table_and_summary():
    small = array_html(np.array([[1.0, -2.0], [0.5, 0.0]]), "dY")
    assert small.count("<td") == 4 and "−2" in small and "min" not in small
    large = array_html(np.arange(100.0).reshape(10, 10), "dW")
    assert "min 0, max 99, mean 49.5" in large and large.count("<td") == 3 * 8


# ---- GateExplorer ----

@pytest.mark.parametrize(
    "kind, x, y, upstream, sent, phrase",
    [
        ("add", 2, 3, 1.5, {"x": 1.5, "y": 1.5}, "1.5 × 1 = 1.5"),
        ("mul", 2, 3, 1.5, {"x": 4.5, "y": 3.0}, "1.5 × 3 = 4.5"),
        ("max", 4, -1, 2.0, {"x": 2.0, "y": 0.0}, "2 × 0 = 0"),
        ("copy", 2, 3, 1.0, {"x": 4.0, "y": 2.0}, "1 + 3 = 4"),
    ],
)
def test_gate_explorer(kind, x, y, upstream, sent, phrase):
    explorer = GateExplorer()
    explorer.gate_picker.value = kind
    explorer.number_boxes["x"].value = x
    explorer.number_boxes["y"].value = y
    explorer.number_boxes["upstream"].value = upstream
    assert explorer.kind == kind
    assert explorer.sent == pytest.approx(sent)
    assert phrase in explorer.explanation_text
    assert explorer.svg in explorer.picture.value
    assert "gradients sent back" in explorer.picture.value


def test_one_name_for_each_control_and_no_unused_parameters():
    stepper = BackwardStepper(apple_graph())
    assert isinstance(stepper.stepper.step_box, widgets.BoundedIntText) and not hasattr(stepper.stepper, "slider")
    with pytest.raises(TypeError):
        BackwardStepper(apple_graph(), play_interval=700)  # it was accepted and never used
    explorer = GateExplorer()
    assert set(explorer.number_boxes) == {"x", "y", "upstream"} and not hasattr(explorer, "sliders")
    assert all(isinstance(box, widgets.BoundedFloatText) for box in explorer.number_boxes.values())


# ---- the page's side of predict-then-reveal and of edits ----

@pytest.mark.parametrize("right", [650.0, 1.1, -0.25, 0.0, -3e5])
def test_the_pages_accepted_range_is_what_answer_matches_accepts(right):
    low, high = accepted_range(right)
    step = (high - low) * 1e-6      # just inside and just outside the range (its edges are rounded)
    assert answer_matches(low + step, right) and answer_matches(high - step, right)
    assert not answer_matches(low - step, right) and not answer_matches(high + step, right)


def test_the_page_gets_every_question_from_the_trace():
    quiz = PredictSteps(apple_orange_graph())
    questions = quiz.questions()
    assert len(questions) == quiz.n_steps + 1 and questions[0] == []
    assert [q["target"] for q in questions[1]] == quiz.targets(1) == ["all_price", "tax"]
    tax = questions[1][1]
    assert tax["right"] == "650" and tax["low"] <= 650 <= tax["high"] and "∂price/∂tax" in tax["rule"]
    assert sum(len(step) for step in questions) == quiz.n_questions


def test_the_pages_first_tries_count_in_pythons_score():
    quiz = PredictStepper(apple_orange_graph())
    assert quiz.panel.get_state()["box"] == f"anywidget:{quiz.stepper.step_box.model_id}"
    quiz.panel.first_tries = {"1": {"all_price": "1.1", "tax": "600"}}   # as the page sends them
    assert quiz.score == (1, 2)
    quiz.panel.first_tries = {**quiz.panel.first_tries, "2": {"apple_price": "x"}}   # refused in the page too
    assert quiz.score == (1, 2)
    quiz.stepper.go_to(2)
    quiz.predict(**{name: 1.1 for name in quiz.guess_boxes})
    assert quiz.score[1] == 2 + len(quiz.steps.targets(2))
    assert quiz.panel.feedback_lines and quiz.panel.feedback_lines[0].startswith(("✔", "✘"))


def test_the_expression_steppers_watched_inputs_follow_its_formula():
    stepper = ExpressionStepper("x * y", x=1.0, y=2.0)
    watched = stepper.stepper.buttons.inputs
    assert watched[0] is stepper.formula_box and set(watched[1:]) == set(stepper.input_boxes.values())
    answered = stepper.stepper.buttons.answered
    stepper.set_formula("x * z")
    assert stepper.stepper.buttons.inputs[1:] == list(stepper.input_boxes.values())
    assert stepper.stepper.buttons.answered > answered


def test_the_front_end_ships_with_course_lib():
    """The ES modules are package data of course_lib (an installed course_lib draws its buttons too)."""
    import fnmatch
    import tomllib
    from pathlib import Path

    from course_lib import browser_controls

    root = Path(browser_controls.__file__).parent
    patterns = tomllib.loads((root.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["course_lib"]
    shipped = [path.relative_to(root).as_posix() for path in (root / "frontend").iterdir()]
    assert {"frontend/step_buttons.js", "frontend/predict_panel.js", "frontend/controls.css"} <= set(shipped)
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in shipped)
