"""End to end: a teacher types formulas into the ExpressionStepper in JupyterLab and steps them in Chromium.

A one-cell notebook (written into a temporary copy of the course) shows the stepper; the test steps it,
types a new formula (the input boxes follow its names), types text that is not allowed (the error shows,
the last picture stays, stepping still works), and checks that nothing is fetched from outside.
The lesson's handout, opened offline, steps the same stepper with no kernel at all.
"""
from pathlib import Path

import nbformat
from test_jupyterlab import WAIT_MS, code_cell, error_outputs, expect, expect_frame, frame_of, open_and_run_all, \
    stepper_in

SOURCE = 'from course_lib.widgets import ExpressionStepper\nExpressionStepper("(x + y) ** 2 * exp(-x)", x=2.0, y=1.0)'


def type_into(widget, description, text):
    box = widget.locator(".widget-text").filter(has_text=description).locator("input").first
    box.fill(text)
    box.press("Enter")


def test_teacher_types_formulas_and_steps_them(page, jupyter_server, course_copy, outside_requests):
    page.set_viewport_size({"width": 1400, "height": 1400})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SOURCE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, course_copy / "notebooks" / "expression_stepper.ipynb")
    server = jupyter_server("jupyterlab", course_copy)

    open_and_run_all(page, server, "lab/tree/notebooks/expression_stepper.ipynb")
    widget = stepper_in(code_cell(page, "ExpressionStepper("))
    frame = frame_of(widget)
    expect_frame(frame, "Step 0: the forward pass", "the output f = 1.218", "n4 = exp(n3)")

    step = widget.get_by_role("button", name="Step ▶")
    step.click()
    step.click()
    expect_frame(frame, "Step 2: backward through node 'n4' (exp)", "to n3: 9 × 0.1353 = 1.218")

    # a new formula: redrawn at once, the step kept where it still exists
    type_into(widget, "f =", "x * x * y + y")
    expect_frame(frame, "Step 2: backward through node 'n2' (×)", "n1 = x × x")
    step.click()
    expect_frame(frame, "Result: ∂f/∂x = 4, ∂f/∂y = 5")

    # text that is not allowed: the error is shown, the picture stays, stepping still works
    type_into(widget, "f =", "().__class__.__bases__")
    expect(widget).to_contain_text("attribute access is not allowed", timeout=WAIT_MS)
    expect_frame(frame, "Result: ∂f/∂x = 4, ∂f/∂y = 5")
    widget.get_by_role("button", name="◀ Back").click()
    expect_frame(frame, "Step 2: backward through node 'n2' (×)")

    # a formula with a new name gets a box for it; editing it redraws the frames
    type_into(widget, "f =", "x * z")
    expect(widget.locator(".widget-text").filter(has_text="z")).to_have_count(1, timeout=WAIT_MS)
    expect(widget).not_to_contain_text("attribute access", timeout=WAIT_MS)
    type_into(widget, "z", "7")
    widget.get_by_role("button", name="Reset").click()
    expect_frame(frame, "the output f = 14")

    assert error_outputs(page) == []
    assert outside_requests == []


def _export_all(notebooks, out):
    try:  # the handouts moved to course_tools on main; either place works
        from course_tools.handouts import export_all
    except ImportError:
        from course_lib.handouts import export_all
    return export_all(notebooks, out)


def test_lesson_handout_steps_the_expression_without_a_kernel(page, tmp_path):
    """The lesson exported as a handout, opened from disk with the network cut off: the step box steps the frames."""
    lesson = Path(__file__).resolve().parents[2] / "notebooks" / "04_build_your_own_autograd.ipynb"
    exported = {path.stem: path for path in _export_all([lesson], tmp_path)}[lesson.stem]
    allowed = exported.parent.as_uri() + "/"
    refused = []

    def route(route):
        if route.request.url.startswith((allowed, "data:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(exported.as_uri())
    stepper = page.locator(".widget-subarea").filter(has=page.locator(".widget-text", has_text="f ="))
    frame = stepper.locator(".widget-html:visible").filter(has=page.locator("svg")).first
    expect(frame).to_contain_text("Step 0: the forward pass", timeout=WAIT_MS)
    box = stepper.get_by_role("spinbutton", name="step")   # the step box, named by its label
    box.press("ArrowUp")
    expect(frame).to_contain_text("Step 1: backward through node 'f' (×)", timeout=WAIT_MS)
    box.fill("5")
    box.press("Enter")
    expect(frame).to_contain_text("Result: ∂f/∂x = −0.406, ∂f/∂y = 0.812", timeout=WAIT_MS)
    assert page.get_by_text("Error displaying widget").count() == 0
    assert refused == [], f"the handout tried to reach the network: {refused}"
