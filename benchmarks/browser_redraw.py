"""How quickly a stepper answers in JupyterLab (Chromium): editing an input, and clicking Step.

    python benchmarks/browser_redraw.py [--edits 25] [--steps 25]

Starts JupyterLab on 127.0.0.1 (random port and token) in a temporary copy of the course, runs
lesson 3, and on its apple-and-orange BackwardStepper measures, in the page (performance.now()):

- edit:  from the input box's change (a new number of oranges, as Enter does) until the visible
         picture shows the new price (a kernel round trip and the redraw);
- step:  from a click on Step ▶ until the visible frame shows the next step's explanation;
- step_box: the same through the step box (its ↑/↓ keys), which steps in the browser alone (jslink),
         when the stepper has one.

Prints one JSON line: median and p95 (ms) of each, and the counts.  Uses whatever ``course_lib``
the kernel imports (PYTHONPATH), so the same script measures before and after a change.
"""
import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

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


def summary(times):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "n": len(ordered)}


def price_for(oranges):
    """The apple-and-orange graph's price, as the picture writes it (course_lib.fmt)."""
    from course_lib.formatting import fmt

    return fmt((100 * 2 + 150 * oranges) * 1.1)


def measure(page, edits, steps):
    edit_times = []
    for i in range(edits):
        oranges = 4 + i % 7
        edit_times.append(page.evaluate(EDIT, [oranges, price_for(oranges)]))
    step_times = []
    while len(step_times) < steps:
        page.evaluate(STEP, ["Reset", "Step 0: the forward pass"])
        for k in range(1, 5):
            if len(step_times) < steps:
                step_times.append(page.evaluate(STEP, ["Step ▶", f"Step {k}: backward through node"]))
    result = {"edit": summary(edit_times), "step": summary(step_times)}
    has_step_box = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output .widget-text label')]"
                                 ".some(label => label.textContent.trim() === 'step')")
    if has_step_box:
        box_times = []
        while len(box_times) < steps:
            page.evaluate(STEP, ["Reset", "Step 0: the forward pass"])
            for k in range(1, 5):
                if len(box_times) < steps:
                    box_times.append(page.evaluate(STEP_BOX, [k, f"Step {k}: backward through node"]))
        result["step_box"] = summary(box_times)   # the step box: stepping in the browser alone
    return result


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
                result = measure(page, args.edits, args.steps)
                browser.close()
        finally:
            server.stop()
    print(json.dumps({"benchmark": "browser_redraw", "lesson": "03_gates", "stepper": "apple_orange_graph",
                      **result}))


if __name__ == "__main__":
    main()
