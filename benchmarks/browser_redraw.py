"""How quickly a stepper answers (Chromium): editing an input, and clicking Step, idle and busy, and offline.

    python benchmarks/browser_redraw.py [--edits 25] [--steps 25]

Starts JupyterLab on 127.0.0.1 (random port and token) in a temporary copy of the course, runs
lesson 3, and on its apple-and-orange BackwardStepper measures, in the page (performance.now()):

- jupyterlab_idle.edit:  from the input box's change (a new number of oranges, as Enter does) until
         the visible picture shows the new price (a kernel round trip and the redraw);
- jupyterlab_idle.step:  from a click on Step ▶ until the visible frame shows the next step's explanation
         and is painted;
- jupyterlab_idle.step_box: the same through the step box (its ↑/↓ keys);
- jupyterlab_busy.step:  Step ▶ clicks while the kernel runs a 10-second cell (``time.sleep(10)``, started
         just before, in a notebook that shows the same stepper); ``before_busy_cell_finished`` says
         whether every click changed the frame before that cell ended;
- handout.step: Step ▶ clicks in lesson 3's offline handout (file://, no kernel).

Prints one JSON line: median, p95 and max (ms) of each, and the counts.  Uses whatever ``course_lib``
the kernel imports (PYTHONPATH), so the same script measures before and after a change (before the
browser-side buttons, a busy kernel's clicks time out: null).
"""
import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from click_timing import summary, time_steps  # noqa: E402  (the browser tests' timed clicks)
from conftest import (  # noqa: E402  (the browser tests' server helpers)
    CHROMIUM, CHROMIUM_ARGS, OFFLINE_SERVER_ARGS, _start, free_port,
)

# Resolves as soon as a DOM change makes ``predicate`` true (a MutationObserver, no polling delay).
WAIT_UNTIL = """(predicate) => new Promise(resolve => {
    if (predicate()) { resolve(); return; }
    const observer = new MutationObserver(() => {
        if (predicate()) { observer.disconnect(); resolve(); }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
})"""

EDIT = """async ([oranges, price]) => {
    const waitUntil = %s;
    const stepper = [...document.querySelectorAll('.jp-OutputArea-output .widget-vbox')]
        .find(box => box.textContent.includes('oranges') && box.querySelector('.widget-html svg'));
    const input = [...stepper.querySelectorAll('.widget-text')]
        .find(box => box.textContent.includes('oranges')).querySelector('input');
    const visibleSvgHas = text => [...stepper.querySelectorAll('.widget-html')]
        .some(html => html.offsetParent !== null && [...html.querySelectorAll('svg text')]
              .some(t => t.textContent.trim() === text));
    const start = performance.now();
    input.value = String(oranges);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
    await waitUntil(() => visibleSvgHas(price));
    await new Promise(requestAnimationFrame);   // until it is painted
    return performance.now() - start;
}""" % WAIT_UNTIL

STEP = """async ([button_name, expected]) => {
    const waitUntil = %s;
    const stepper = [...document.querySelectorAll('.jp-OutputArea-output .widget-vbox')]
        .find(box => box.textContent.includes('oranges') && box.querySelector('.widget-html svg'));
    const button = [...stepper.querySelectorAll('button')].find(b => b.textContent.trim() === button_name);
    const visibleHas = text => [...stepper.querySelectorAll('.widget-html')]
        .some(html => html.offsetParent !== null && html.textContent.includes(text));
    const start = performance.now();
    button.click();
    await waitUntil(() => visibleHas(expected));
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
}""" % WAIT_UNTIL


STEP_BOX = """async ([value, expected]) => {
    const waitUntil = %s;
    const stepper = [...document.querySelectorAll('.jp-OutputArea-output .widget-vbox')]
        .find(box => box.textContent.includes('oranges') && box.querySelector('.widget-html svg'));
    const box = [...stepper.querySelectorAll('.widget-text')]
        .find(text => text.querySelector('label') && text.querySelector('label').textContent.trim() === 'step')
        .querySelector('input');
    const visibleHas = text => [...stepper.querySelectorAll('.widget-html')]
        .some(html => html.offsetParent !== null && html.textContent.includes(text));
    const start = performance.now();
    box.value = String(value);      // as the ↑/↓ keys do
    box.dispatchEvent(new Event('input', {bubbles: true}));
    await waitUntil(() => visibleHas(expected));
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
}""" % WAIT_UNTIL


def price_for(oranges):
    """The apple-and-orange graph's price, as the picture writes it (course_lib.fmt)."""
    from course_lib.formatting import fmt

    return fmt((100 * 2 + 150 * oranges) * 1.1)


def measure(page, edits, steps):
    edit_times = []
    for i in range(edits):
        oranges = 4 + i % 7
        edit_times.append(page.evaluate(EDIT, [oranges, price_for(oranges)]))
    step_times = time_steps(page, the_stepper(page), steps)
    result = {"edit": summary(edit_times), "step": summary_or_none(step_times)}
    box_times = []
    while len(box_times) < steps:
        page.evaluate(STEP, ["Reset", "Step 0: the forward pass"])
        for k in range(1, 5):
            if len(box_times) < steps:
                box_times.append(page.evaluate(STEP_BOX, [k, f"Step {k}: backward through node"]))
    result["step_box"] = summary(box_times)   # the step box: stepping in the browser alone
    return result


def summary_or_none(times):
    """The summary, or None when a click never changed the frame (it waited for a busy kernel)."""
    return None if None in times else summary(times)


def the_stepper(page):
    """The apple-and-orange stepper on the page (an element handle): the one with an "oranges" box."""
    return page.evaluate_handle("() => [...document.querySelectorAll('.widget-vbox, .widget-subarea')]"
                                ".find(box => box.textContent.includes('oranges') && box.querySelector('.widget-html svg'))")


BUSY_NOTEBOOK = [
    "from course_lib import apple_orange_graph\nfrom course_lib.widgets import BackwardStepper\n"
    "BackwardStepper(apple_orange_graph())",
    "import time\ntime.sleep(10)",
]


def measure_busy(page, server, folder, steps):
    """Step clicks while the kernel runs a 10 s cell: (summary or None, every click before the cell ended)."""
    import nbformat
    from test_jupyterlab import open_and_run_all
    from test_stepping_never_waits import KERNEL_BUSY, START_BUSY_CELL

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in BUSY_NOTEBOOK])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "notebooks" / "busy_kernel.ipynb")
    open_and_run_all(page, server, "lab/workspaces/busy/tree/notebooks/busy_kernel.ipynb")  # no lesson 3 tab
    page.wait_for_selector(".jp-OutputArea-output .widget-html svg", timeout=90_000)
    time_steps(page, the_stepper(page), 4)                    # warm up
    page.evaluate(START_BUSY_CELL)
    page.wait_for_function(KERNEL_BUSY, timeout=90_000)
    times = time_steps(page, the_stepper(page), steps)
    before_end = page.evaluate("() => window.busyCellDone === null")
    page.wait_for_function("() => window.busyCellDone !== null", timeout=90_000)
    return {"step": summary_or_none(times), "before_busy_cell_finished": before_end,
            "clicks_that_changed_nothing": times.count(None)}


def measure_handout(browser, folder, steps):
    """Step clicks in lesson 3's offline handout, opened from disk."""
    from course_tools.handouts import export_all

    (handout,) = export_all([ROOT / "notebooks" / "03_gates.ipynb"], folder / "handout")
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(handout.as_uri())
    page.wait_for_selector(".widget-subarea .widget-html svg", timeout=90_000)
    stepper = page.evaluate_handle("() => [...document.querySelectorAll('.widget-subarea')]"
                                   ".find(box => box.textContent.includes('orange (each)') && !box.textContent.includes('Check'))")
    time_steps(page, stepper, 4)                              # warm up
    times = time_steps(page, stepper, steps)
    page.close()
    return {"step": summary_or_none(times)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=25)
    parser.add_argument("--steps", type=int, default=25)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright
    from test_jupyterlab import open_and_run_all
    import secrets

    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        for folder in ("notebooks", "images"):
            shutil.copytree(ROOT / folder, temp / "course" / folder)
        port, token = free_port(), secrets.token_hex(16)
        server_args = [sys.executable, "-m", "jupyterlab", f"--port={port}", f"--IdentityProvider.token={token}",
                       "--LabApp.expose_app_in_browser=True", *OFFLINE_SERVER_ARGS, "--allow-root"]
        server = _start(server_args, temp / "course", temp / "home", f"http://127.0.0.1:{port}/", token, "api/status")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1400})
                open_and_run_all(page, server, "lab/tree/notebooks/03_gates.ipynb")
                page.wait_for_selector(".jp-OutputArea-output .widget-html svg", timeout=90_000)
                measure(page, 3, 4)          # warm up (first messages, fonts)
                idle = measure(page, args.edits, args.steps)
                page.close()
                busy = measure_busy(browser.new_page(viewport={"width": 1400, "height": 1400}), server,
                                    temp / "course", args.steps)
                handout = measure_handout(browser, temp, args.steps)
                browser.close()
        finally:
            server.stop()
    print(json.dumps({"benchmark": "browser_redraw", "lesson": "03_gates", "stepper": "apple_orange_graph",
                      "jupyterlab_idle": idle, "jupyterlab_busy": busy, "handout": handout}))


if __name__ == "__main__":
    main()
