"""Stepping never waits for the kernel: a Step click changes the frame at once while a 10-second cell runs.

In JupyterLab (a real server on 127.0.0.1, random port and token, in a copy of the course) a notebook
shows a BackwardStepper and a PredictStepper, then starts ``time.sleep(10)``.  While that cell runs, the
test clicks Step ▶ (≥ 20 times, timed in the page), Back, Reset, steps with the step box, checks a
prediction and edits an input (the page says it is computing); then, once the cell has finished, the
kernel has caught up: Python's ``step`` is the page's, and the edit's new frames are drawn.  The same
clicks are timed in the offline handout (file://, every request outside its folder refused).

The issue's bound is a p95 under 50 ms.  Tests do not assert on time in general; here the bound is the
acceptance, asserted with margin for a loaded 2-core CI machine: every click changed the frame before
the busy cell finished, and the median is under 50 ms (the precise p50/p95 are measured by
benchmarks/browser_redraw.py).  Before this change every click waited for the cell: none changed the
frame within the 10 s.
"""
import statistics
from pathlib import Path

import nbformat

from click_timing import summary, time_click, time_steps
from test_jupyterlab import WAIT_MS, code_cell, error_outputs, expect, open_and_run_all

CLICKS = 24
MEDIAN_BOUND_MS = 50
SHOW = ("from IPython.display import display\n"
        "from course_lib import apple_graph, apple_orange_graph\n"
        "from course_lib.widgets import BackwardStepper, PredictStepper\n"
        "stepper = BackwardStepper(apple_orange_graph())\n"
        "quiz = PredictStepper(apple_graph())\n"
        "display(stepper, quiz)")
BUSY = "import time\ntime.sleep(10)  # the busy cell"
AFTER = "print('python step', stepper.step)"
START_BUSY_CELL = """() => {
    const app = window.jupyterapp, panel = app.shell.currentWidget;
    panel.content.activeCellIndex = 1;
    window.busyCellDone = null;
    app.commands.execute('notebook:run-cell').then(() => { window.busyCellDone = performance.now(); });
}"""
KERNEL_BUSY = ("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'busy'"
               " && window.busyCellDone === null")


def busy_cell_running(page):
    return page.evaluate("() => window.busyCellDone === null")


def _notebook(folder):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (SHOW, BUSY, AFTER)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "busy_kernel.ipynb")


def test_jupyterlab_steps_while_a_ten_second_cell_runs(page, jupyter_server, course_copy, outside_requests):
    page.set_viewport_size({"width": 1400, "height": 1400})
    _notebook(course_copy / "notebooks")
    server = jupyter_server("jupyterlab", course_copy)
    open_and_run_all(page, server, "lab/tree/notebooks/busy_kernel.ipynb")   # 10 s the first time too
    outputs = code_cell(page, "display(stepper, quiz)")
    stepper = outputs.locator(".widget-vbox").filter(has=page.locator(".widget-text", has_text="oranges")).first
    quiz = outputs.locator(".widget-vbox").filter(has=page.get_by_role("button", name="Check")).first
    expect(stepper).to_contain_text("Step 0: the forward pass", timeout=WAIT_MS)
    root = stepper.element_handle()

    page.evaluate(START_BUSY_CELL)
    page.wait_for_function(KERNEL_BUSY, timeout=WAIT_MS)
    times = time_steps(page, root, CLICKS)
    assert None not in times, f"a Step click did not change the frame within 5 s while the kernel was busy: {times}"
    back = time_click(page, root, "◀ Back", "Step 3: backward through node")
    reset = time_click(page, root, "Reset", "Step 0: the forward pass")
    assert back is not None and reset is not None, f"Back ({back}) or Reset ({reset}) waited for the kernel"
    assert busy_cell_running(page), "the 10 s cell finished before the clicks did: the test proves nothing"
    assert statistics.median(times) < MEDIAN_BOUND_MS, summary(times)

    # the step box, the predict-then-reveal check and an edit, still during the busy cell
    box = stepper.get_by_role("spinbutton", name="step")
    box.fill("2")
    expect(stepper.locator(".widget-html:visible").filter(has_text="Step 2: backward through node")).to_have_count(
        1, timeout=5_000)
    quiz.get_by_role("button", name="Step ▶").click()
    quiz.get_by_role("textbox", name="to apple_price =").fill("1.1")  # price = apple_price × tax: 1 × 1.1
    quiz.get_by_role("textbox", name="to tax =").fill("100")
    quiz.get_by_role("button", name="Check").click()
    expect(quiz.get_by_role("status").filter(has_text="✘ to tax")).to_have_count(1, timeout=5_000)
    expect(quiz.get_by_role("status").filter(has_text="score: 1 of 2 right so far")).to_have_count(1, timeout=5_000)
    oranges = stepper.locator(".widget-text").filter(has_text="oranges").locator("input")
    oranges.fill("4")
    oranges.press("Enter")
    expect(stepper.get_by_role("status").filter(has_text="computing")).to_have_count(1, timeout=5_000)
    assert busy_cell_running(page), "the 10 s cell finished too early"

    # once the cell is done the kernel catches up: the edit's frames are drawn, Python's step is the page's
    page.wait_for_function("() => window.busyCellDone !== null", timeout=WAIT_MS)
    expect(stepper.get_by_role("status").filter(has_text="computing")).to_have_count(0, timeout=WAIT_MS)
    expect(stepper.locator(".widget-html:visible svg text", has_text="880")).to_have_count(1, timeout=WAIT_MS)
    page.evaluate("() => { const app = window.jupyterapp; app.shell.currentWidget.content.activeCellIndex = 2;"
                  " return app.commands.execute('notebook:run-cell'); }")
    expect(code_cell(page, "print('python step'").locator(".jp-OutputArea-output")).to_contain_text(
        "python step 2", timeout=WAIT_MS)
    assert error_outputs(page) == []
    assert outside_requests == []


def test_the_offline_handout_steps_at_once(page, tmp_path):
    """Lesson 3's handout from disk, network refused: Step, Back, Reset and Check work with no kernel at all."""
    from course_tools.handouts import export_all

    lesson = Path(__file__).resolve().parents[2] / "notebooks" / "03_gates.ipynb"
    (handout,) = export_all([lesson], tmp_path)
    refused = []

    def route(route):
        if route.request.url.startswith((tmp_path.as_uri() + "/", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(handout.as_uri())
    stepper = page.locator(".widget-subarea").filter(has=page.get_by_text("orange (each)", exact=True)).filter(
        has_not=page.get_by_role("button", name="Check")).first
    expect(stepper).to_contain_text("Step 0: the forward pass", timeout=WAIT_MS)
    root = stepper.element_handle()
    times = time_steps(page, root, CLICKS)
    assert None not in times, f"a click did not change the frame: {times}"
    assert statistics.median(times) < MEDIAN_BOUND_MS, summary(times)
    assert time_click(page, root, "◀ Back", "Step 3: backward through node") is not None
    assert time_click(page, root, "Reset", "Step 0: the forward pass") is not None
    assert stepper.get_by_role("spinbutton", name="step").input_value() == "0"

    # an edit with no kernel: the page says what works instead of waiting forever
    box = stepper.locator(".widget-text").filter(has_text="oranges").locator("input")
    box.fill("5")
    box.press("Enter")
    expect(stepper.get_by_role("status").filter(has_text="needs a running kernel")).to_have_count(1, timeout=5_000)

    # predict, then reveal, judged in the page
    quiz = page.locator(".widget-subarea").filter(has=page.get_by_role("button", name="Check")).first
    quiz.get_by_role("button", name="Step ▶").click()
    guesses = quiz.get_by_role("textbox")
    expect(guesses).to_have_count(2, timeout=5_000)
    quiz.get_by_role("button", name="Check").click()
    expect(quiz.get_by_role("status").filter(has_text="Type a gradient for")).to_have_count(1, timeout=5_000)
    for index in range(2):
        guesses.nth(index).fill("1/3")
    quiz.get_by_role("button", name="Check").click()
    expect(quiz.get_by_role("status").filter(has_text="you said 1/3")).to_have_count(1, timeout=5_000)
    expect(quiz.get_by_role("status").filter(has_text="right so far")).to_have_count(1, timeout=5_000)
    assert page.get_by_text("Error displaying widget").count() == 0
    assert refused == [], f"the handout tried to reach the network: {refused}"
