"""The classroom presentation: a lesson served by Voilà (code hidden, widgets live) in Chromium.

Starts ``voila present/03_gates/03_gates.ipynb`` in a course folder made by ``release`` (as the README
tells a teacher: the presented edition has no answers) on 127.0.0.1, waits for the apple-and-orange
stepper, clicks Step ▶ and checks that the picture changes (the gradient labels appear), that no source
code is shown, that no cell failed, and that nothing but two known stylesheets is asked from outside this
machine.  Lesson 1 presented shows its quiz's question but no verdict and not the right option.

Voilà 0.5's "lab" template links Font Awesome's CSS from cdn.jsdelivr.net although its own bundle
already carries the icon font.  The test refuses every outside request, as a classroom without
internet would, and checks that the page still works and no font failed to load.
"""
import io
import re

import pytest

WAIT_MS = 120_000        # Voilà runs the whole lesson before the last widgets appear
STEP = "Step ▶"
FONT_AWESOME_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"
NOT_THIS_MACHINE = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost|\[::1\])[:/])")


def expect(locator):
    """Playwright's expect, imported late: without playwright the browser fixture skips (or fails in CI)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course folder with lessons 1 and 3 released (release/, present/, student_install/)."""
    from course_tools.classroom import release

    return release(tmp_path_factory.mktemp("class") / "course", ["01_computational_graphs", "03_gates"],
                   out=io.StringIO())


def presented(stem):
    return f"present/{stem}/{stem}.ipynb"


def test_voila_presents_the_gates_lesson(page, voila_server, released, outside_requests):
    page.route(NOT_THIS_MACHINE, lambda route: route.abort("internetdisconnected"))
    server = voila_server(released, presented("03_gates"))
    page.goto(server.url, timeout=WAIT_MS)

    # the apple-and-orange stepper: the BackwardStepper whose inputs include "oranges"
    stepper = page.locator(".widget-vbox").filter(has=page.get_by_role("button", name=STEP)).filter(
        has=page.locator(".widget-text", has_text="oranges")).first
    stepper.wait_for(state="visible", timeout=WAIT_MS)
    frame = stepper.locator(".widget-html:visible").filter(has=page.locator("svg")).first
    expect(frame).to_contain_text("Step 0: the forward pass", timeout=WAIT_MS)
    gradients = frame.locator("svg text[font-weight='bold']")
    before = gradients.all_text_contents()
    assert "650" not in before and "2.2" not in before, f"gradients drawn before any step: {before}"

    button = stepper.get_by_role("button", name=STEP)
    for k in range(1, 5):
        button.click()
        expect(frame).to_contain_text(f"Step {k}: backward through node", timeout=WAIT_MS)
    expect(frame).to_contain_text("to apple: 1.1 × 2 = 2.2", timeout=WAIT_MS)
    after = gradients.all_text_contents()
    for gradient in ("2.2", "110", "3.3", "165", "650"):
        assert gradient in after, f"gradient {gradient} not drawn after stepping; labels: {after}"

    # the lesson is presented, not programmed: code cells show outputs only, no code, no errors
    page.wait_for_load_state("load")
    assert page.locator(".jp-CodeCell").count() > 0
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror").count() == 0
    text = page.locator("body").inner_text()
    for source in ("BackwardStepper(apple_orange_graph())", "import numpy as np", "class MyMulLayer"):
        assert source not in text, f"source code shown: {source!r}"
    for problem in ("Traceback", "Error displaying widget", "There was an error when executing cell"):
        assert problem not in text, f"{problem!r} on the page"

    # offline: only the template's Font Awesome links went out (refused); no font the page uses failed
    assert [url for url in outside_requests if not url.startswith(FONT_AWESOME_CDN)] == []
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert page.evaluate("() => [...document.fonts].every(font => font.status !== 'error')")


def test_voila_presents_lesson_1_without_answer_or_verdict(page, voila_server, released):
    """The quiz "the tax doubles: which gradients change?" is asked; its answer (b) and its verdict are not shown."""
    page.route(NOT_THIS_MACHINE, lambda route: route.abort("internetdisconnected"))
    server = voila_server(released, presented("01_computational_graphs"))
    page.goto(server.url, timeout=WAIT_MS)
    page.wait_for_load_state("load", timeout=WAIT_MS)   # Voilà streams the page as it runs the cells
    page.get_by_role("button", name=STEP).first.wait_for(state="visible", timeout=WAIT_MS)
    text = page.locator("body").inner_text()
    assert "The tax doubles, from" in text and "Which of the three gradients change?" in text
    for answer in ("✔", "Right", "the tax's does not change", "apple_num double", 'tax_doubles_answer = "b"',
                   "q = 3, f = -12, g = -36", "e = 6, ∂e/∂a = 2"):
        assert answer not in text, f"the presented lesson shows {answer!r}"
    for problem in ("Traceback", "NotImplementedError", "Error displaying widget", "There was an error when executing cell"):
        assert problem not in text, f"{problem!r} on the page"
    assert page.locator("svg").count() > 0   # the pictures are there


EDITION_WORDS = {  # lang -> (the Step button, the orange's price field, step 0's text, step 4's "to apple" line)
    "ko": ("다음 ▶", "귤 단가", "0단계: 순전파", "apple에: 1.1 × 2 = 2.2"),
    "ja": ("次へ ▶", "ミカンの値段", "ステップ 0：順伝播", "apple へ：1.1 × 2 = 2.2"),
}


@pytest.mark.parametrize("lang", sorted(EDITION_WORDS))
def test_voila_presents_an_edition_in_its_language(page, voila_server, tmp_path, lang):
    """``release --lang ko`` then Voilà, as for the English: the gates lesson's stepper steps and speaks the edition's
    language (its button, its explanations), with no English step text and no failed cell."""
    from course_tools.classroom import release

    page.route(NOT_THIS_MACHINE, lambda route: route.abort("internetdisconnected"))
    course = release(tmp_path / "course", ["03_gates"], out=io.StringIO(), lang=lang)
    button_name, orange, forward, to_apple = EDITION_WORDS[lang]
    server = voila_server(course, presented("03_gates"))
    page.goto(server.url, timeout=WAIT_MS)
    stepper = page.locator(".widget-vbox").filter(has=page.get_by_role("button", name=button_name)).filter(
        has=page.locator(".widget-text", has_text=orange)).first
    stepper.wait_for(state="visible", timeout=WAIT_MS)
    frame = stepper.locator(".widget-html:visible").filter(has=page.locator("svg")).first
    expect(frame).to_contain_text(forward, timeout=WAIT_MS)
    button = stepper.get_by_role("button", name=button_name)
    for _ in range(4):
        button.click()
    expect(frame).to_contain_text(to_apple, timeout=WAIT_MS)
    page.wait_for_load_state("load")
    text = page.locator("body").inner_text()
    for english in ("Step 0: the forward pass", "backward through node", STEP):
        assert english not in text, f"the {lang} edition presents English: {english!r}"
    for problem in ("Traceback", "Error displaying widget", "There was an error when executing cell"):
        assert problem not in text, f"{problem!r} on the page"
