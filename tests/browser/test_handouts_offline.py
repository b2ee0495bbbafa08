"""A handout (``python -m course_tools.handouts``) in Chromium with the network cut off: the stepper steps.

The page is opened from disk (file://, as a teacher double-clicks it) and from a local HTTP server
on 127.0.0.1; every other request is refused and recorded, and the test fails if the page wanted
any (the widget renderer, MathJax and the icon fonts must all come from the handout's lib/).
"""
import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from course_tools.handouts import export_all

from conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT_MS = 20_000
# On the apple graph, the gradients that reach apple (each) and apples (2.2 and 110) are drawn only
# once the backward pass has reached them.
GRADIENT_LABELS = {"2.2", "110"}


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """Every lesson exported (takes seconds); {notebook stem: exported page}."""
    out = tmp_path_factory.mktemp("handouts")
    return {page.stem: page for page in export_all(NOTEBOOKS, out)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(params=["file", "http"])
def handout_url(request, handouts):
    """The exported 03_gates.html as file:// or from a server on 127.0.0.1; (url, allowed prefix)."""
    handouts = handouts["03_gates"]
    if request.param == "file":
        yield handouts.as_uri(), handouts.parent.as_uri() + "/"
        return
    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(handouts.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{port}/"
        yield origin + handouts.name, origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _offline(page, allowed):
    """Refuse every request outside ``allowed``; return the lists of refused and failed requests."""
    refused, failed = [], []

    def route(route):
        url = route.request.url
        if url.startswith(allowed) or url.startswith("data:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} ({response.status})"))
    return refused, failed


def _svg_texts(stepper):
    """The labels drawn in the stepper's visible frame (the Stack shows only the selected one)."""
    return {text.strip() for text in stepper.locator("svg text").all_text_contents()}


def test_handout_stepper_steps_offline(page, handout_url):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # installed: `page` exists

    url, allowed = handout_url
    refused, failed = _offline(page, allowed)
    page.goto(url)

    # The apple graph's stepper: of the three (apple, shop, shop predict-then-reveal), the first without an
    # "orange (each)" box.
    steppers = page.locator(".widget-subarea").filter(
        has=page.locator(".widget-text .widget-label", has_text=re.compile(r"^step$")))
    stepper = steppers.filter(has_not=page.get_by_text("orange (each)", exact=True)).first
    try:
        stepper.locator("svg text").first.wait_for(timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"the stepper did not render; refused requests: {refused}; failed: {failed}")
    assert steppers.count() == 3
    box = stepper.get_by_role("spinbutton", name="step")   # the step box, named by its label
    assert box.input_value() == "0"
    before = _svg_texts(stepper)
    assert before and not GRADIENT_LABELS & before, before

    # the keyboard alone: ↑ steps forward, ↓ back (no kernel, the jslink moves the Stack)
    box.focus()
    box.press("ArrowUp")
    page.wait_for_function("el => el.value === '1'", arg=box.element_handle(), timeout=TIMEOUT_MS)
    stepper.locator("[role=status]:visible", has_text="Step 1: backward through node").wait_for(timeout=TIMEOUT_MS)
    after_one = _svg_texts(stepper)
    assert after_one != before

    box.press("ArrowUp")
    box.press("ArrowUp")    # past the end: stays on the last step
    page.wait_for_function("el => el.value === '2'", arg=box.element_handle(), timeout=TIMEOUT_MS)
    page.wait_for_function(
        "([el, want]) => want.every(w => Array.from(el.querySelectorAll('svg text')).some(t => t.textContent.trim() === w))",
        arg=[stepper.element_handle(), sorted(GRADIENT_LABELS)], timeout=TIMEOUT_MS,
    )
    assert GRADIENT_LABELS <= _svg_texts(stepper)
    # the picture's values, as a list a screen reader reads, and its title
    assert stepper.locator("li:visible", has_text="input apple (each) = 100, gradient 2.2").count() == 1
    assert stepper.get_by_role("img", name=re.compile("backward step 2 of 2")).count() == 1

    # Back to the start with the keyboard: the gradients disappear again.
    box.press("ArrowDown")
    box.press("ArrowDown")
    page.wait_for_function("el => el.value === '0'", arg=box.element_handle(), timeout=TIMEOUT_MS)
    assert _svg_texts(stepper) == before

    # The whole page: maths typeset by the local MathJax, no font that failed to load,
    # no broken widget, and nothing wanted from the network.
    page.locator("mjx-container").first.wait_for(timeout=TIMEOUT_MS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert page.evaluate("() => [...document.fonts].every(font => font.status !== 'error')")
    assert page.get_by_text("Error displaying widget").count() == 0
    assert refused == [], f"the handout tried to reach the network: {refused}"
    assert failed == [], f"requests failed: {failed}"


def test_every_handout_renders_its_widgets_and_maths_offline(page, handouts):
    """Each lesson's page, from disk: every widget drawn, no widget error, maths typeset, no network."""
    folder = next(iter(handouts.values())).parent
    refused, failed = _offline(page, folder.as_uri() + "/")
    for name, path in handouts.items():
        page.goto(path.as_uri())
        views = len(re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">',
                               path.read_text(encoding="utf-8")))
        assert views, f"{name} shows no widget"
        page.wait_for_function(f"document.querySelectorAll('.widget-subarea').length === {views}",
                               timeout=TIMEOUT_MS)
        assert page.evaluate("() => MathJax.startup.promise.then(() => true)"), name
        assert page.locator("mjx-container").count() > 0, name
        assert page.locator("mjx-merror").count() == 0, name
        assert page.get_by_text("Error displaying widget").count() == 0, name
    assert refused == [], f"the handouts tried to reach the network: {refused}"
    assert failed == [], f"requests failed: {failed}"
