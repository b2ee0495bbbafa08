"""End to end: the lessons in JupyterLab 4 and Notebook 7, as a learner sees them in Chromium.

Each test starts a real server on 127.0.0.1 (a free port, a random token) in a temporary copy of the
course, opens a lesson, runs all its cells on a live kernel, clicks through a BackwardStepper and reads
what is on screen: the gradient labels in the picture, the explanation, the picture after an input is
edited, and no error anywhere.  Nothing may be fetched from outside this machine.

With COURSE_SAVE_SCREENSHOTS=1 the JupyterLab test also rewrites images/screenshots/stepper_*.png
(the README's pictures); otherwise it leaves the repo alone.
"""
import os
import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "images" / "screenshots"
WAIT_MS = 90_000          # generous: a 2-core CI machine starts a kernel and renders slowly
STEP = "Step ▶"


def expect(locator):
    """Playwright's expect, imported late: without playwright the browser fixture skips (or fails in CI)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def open_and_run_all(page, server, url_path):
    """Open a notebook, wait for its kernel, run all cells, and wait until every cell has run."""
    page.goto(f"{server.url}{url_path}?token={server.token}", timeout=WAIT_MS)
    # window.jupyterapp is there because the server runs with expose_app_in_browser
    page.wait_for_function("() => { const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return !!(panel && panel.context && panel.context.path.endsWith('.ipynb')"
                           " && panel.content && panel.content.widgets); }", timeout=WAIT_MS)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
    # the lesson alone, as wide as the window (JupyterLab opens the file browser on the left)
    page.evaluate("() => { const shell = window.jupyterapp.shell;"
                  " if (shell.collapseLeft) shell.collapseLeft(); if (shell.collapseRight) shell.collapseRight(); }")
    # The command resolves once every cell has run (or one failed); the kernel must be up first.
    ran = page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        await panel.context.ready;
        await panel.sessionContext.ready;
        return await window.jupyterapp.commands.execute('notebook:run-all-cells');
    }""")
    # false when a cell failed (the run stops there): say which
    assert ran is not False, f"Run All Cells stopped at an error: {error_outputs(page)}"
    page.wait_for_function("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
        if (!kernel || kernel.status !== 'idle') return false;
        return panel.content.widgets.every(cell => cell.model.type !== 'code'
            || (cell.model.executionCount !== null && !cell.hasClass('jp-mod-running')));
    }""", timeout=WAIT_MS)


def error_outputs(page):
    """Outputs of the open notebook that a learner would read as an error (model and screen)."""
    problems = page.evaluate("""() => {
        const found = [];
        for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) {
            if (cell.model.type !== 'code') continue;
            const outputs = cell.model.outputs;
            for (let i = 0; i < outputs.length; i++) {
                const out = outputs.get(i).toJSON();
                if (out.output_type === 'error') found.push(out.ename + ': ' + out.evalue);
                if (out.output_type === 'stream' && out.name === 'stderr') found.push('stderr: ' + out.text);
            }
        }
        return found;
    }""")
    for text in page.locator(".jp-OutputArea-output").all_inner_texts():
        if "Error displaying widget" in text or "Traceback" in text:
            problems.append(text[:300])
    return problems


def code_cell(page, source):
    """The code cell whose source contains ``source``."""
    return page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea", has_text=source))


def stepper_in(cell):
    """The BackwardStepper rendered in ``cell``'s output (its outer VBox, with a Step button)."""
    widget = cell.locator(".jp-OutputArea-output .widget-vbox").filter(
        has=cell.page.get_by_role("button", name=STEP)).first
    widget.wait_for(state="visible", timeout=WAIT_MS)
    return widget


def frame_of(widget):
    """The visible frame of the stepper's Stack: the SVG picture and the explanation below it."""
    return widget.locator(".widget-html:visible").filter(has=widget.page.locator("svg")).first


def svg_labels(frame):
    """The bold labels drawn in the visible picture (node names and gradients)."""
    return frame.locator("svg text[font-weight='bold']").all_text_contents()


def expect_frame(frame, *texts):
    """Wait until the visible frame shows every text (pictures update after a kernel round trip)."""
    for text in texts:
        expect(frame).to_contain_text(text, timeout=WAIT_MS)


def click_step(widget, to_step, from_step=0):
    """Click Step ▶ until frame ``to_step`` shows, waiting each time for the next step's frame."""
    button = widget.get_by_role("button", name=STEP)
    for k in range(from_step + 1, to_step + 1):
        button.click()
        expect_frame(frame_of(widget), f"Step {k}: backward through node")


def save_screenshot(widget, name):
    if os.environ.get("COURSE_SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide")


def test_jupyterlab_backward_stepper_on_apple_and_orange(page, jupyter_server, course_copy, outside_requests):
    page.set_viewport_size({"width": 1400, "height": 1400})     # the whole stepper fits on screen
    server = jupyter_server("jupyterlab", course_copy)

    open_and_run_all(page, server, "lab/tree/notebooks/03_gates.ipynb")
    widget = stepper_in(code_cell(page, "BackwardStepper(apple_orange_graph())"))
    frame = frame_of(widget)

    # step 0: the forward pass, values only
    expect_frame(frame, "Step 0: the forward pass", "price = 715")
    assert "650" not in svg_labels(frame), "gradients drawn before any backward step"
    save_screenshot(widget, "stepper_1_forward.png")

    click_step(widget, 2)
    expect_frame(frame, "Step 2: backward through node 'all_price' (+)", "to orange_price: 1.1 × 1 = 1.1")
    save_screenshot(widget, "stepper_2_middle.png")

    click_step(widget, 4, from_step=2)          # the end of the backward pass
    expect_frame(frame, "Step 4: backward through node 'apple_price' (×)",
                 "to apple: 1.1 × 2 = 2.2   (∂apple_price/∂apple = apple_num)", "to apple_num: 1.1 × 100 = 110   (∂apple_price/∂apple_num = apple)")
    labels = svg_labels(frame)
    for gradient in ("2.2", "110", "3.3", "165", "650"):
        assert gradient in labels, f"gradient {gradient} not drawn; labels: {labels}"
    save_screenshot(widget, "stepper_3_end.png")

    # a learner edits an input: 3 oranges -> 4; the picture is redrawn, the step is kept
    oranges = widget.locator(".widget-text").filter(has_text="oranges").locator("input")
    oranges.fill("4")
    oranges.press("Enter")
    expect_frame(frame, "Step 4: backward through node 'apple_price'")
    expect(frame.locator("svg text", has_text=re.compile(r"^880$"))).to_have_count(1, timeout=WAIT_MS)
    labels = svg_labels(frame)
    assert "800" in labels and "4.4" in labels and "650" not in labels, labels

    assert error_outputs(page) == []
    assert outside_requests == []


def test_notebook7_backward_stepper_on_apple(page, jupyter_server, course_copy, outside_requests):
    server = jupyter_server("notebook", course_copy)

    open_and_run_all(page, server, "notebooks/notebooks/01_computational_graphs.ipynb")
    widget = stepper_in(code_cell(page, "BackwardStepper(apple_graph())"))
    frame = frame_of(widget)
    expect_frame(frame, "Step 0: the forward pass", "price = 220")

    click_step(widget, 2)                       # the end of the backward pass
    expect_frame(frame, "Step 2: backward through node 'apple_price' (×)", "to apple: 1.1 × 2 = 2.2")
    labels = svg_labels(frame)
    for gradient in ("2.2", "110", "200"):
        assert gradient in labels, f"gradient {gradient} not drawn; labels: {labels}"

    assert error_outputs(page) == []
    assert outside_requests == []
