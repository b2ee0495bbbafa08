"""An accessibility audit with axe-core (WCAG 2.1 A and AA): what the course produces has no serious or
critical finding.

- every handout page and the handouts' index, opened from disk with every widget rendered;
- every lesson's rendered outputs in JupyterLab, each lesson run on a live kernel, one server for all.
  The audit is scoped to the output areas (``.jp-OutputArea-output``): JupyterLab's own chrome (menus,
  toolbars, prompts, the editor) is not ours to fix.

Exclusions (``LESSON_FINDINGS``): findings caused by code written in a lesson itself, not by course_lib
or course_tools; each names the lesson, the rule and why, and is removed once the lesson changes.
"""
import re
from pathlib import Path

import pytest

from course_tools.handouts import export_all

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
TIMEOUT_MS = 30_000
WAIT_MS = 120_000

# Findings a lesson's own code causes, {lesson stem: {rule, ...}}, each with a comment saying what the lesson
# must change; empty now: every lesson names its controls (number boxes, toggle buttons), shows saved pictures
# inline with <title>/<desc> (SavedPicture) and figures with alt text (LessonFigure, with_alt), and writes its
# HTML in AA colours.
LESSON_FINDINGS = {}
PENDING_NOTEBOOK_CHANGES = {}


def audit(page, context=None):
    """axe-core's serious and critical WCAG 2.1 A/AA findings on ``page`` (within ``context``)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    return [
        {"rule": v["id"], "impact": v["impact"], "count": len(v["nodes"]),
         "first": v["nodes"][0]["target"], "why": v["nodes"][0]["failureSummary"][:300]}
        for v in results.response["violations"] if v["impact"] in BLOCKING
    ]


def report(problems):
    """Findings as lines a maintainer can act on: where, which rule, how many, the first element, why."""
    return "\n".join(
        f"{name}: {f['rule']} ({f['impact']}) x{f['count']} at {f['first']}: {' '.join(f['why'].split())}"
        for name, findings in problems.items() for f in findings
    )


def blocking(name, findings):
    excluded = LESSON_FINDINGS.get(name, set()) | PENDING_NOTEBOOK_CHANGES.get(name, set())
    return [finding for finding in findings if finding["rule"] not in excluded]


@pytest.fixture(scope="module")
def handout_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("axe-handouts")
    pages = export_all(NOTEBOOKS, out)
    return [*pages, out / "index.html"]


def test_every_handout_page_passes_axe(page, handout_pages):
    page.set_viewport_size({"width": 1024, "height": 768})
    problems = {}
    for path in handout_pages:
        page.goto(path.as_uri())
        views = len(re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">',
                               path.read_text(encoding="utf-8")))
        page.wait_for_function(f"document.querySelectorAll('.widget-subarea').length === {views}",
                               timeout=TIMEOUT_MS)
        if views or "mathjax" in path.read_text(encoding="utf-8"):
            page.wait_for_function("() => !window.MathJax || !MathJax.startup || MathJax.startup.promise",
                                   timeout=TIMEOUT_MS)
            page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        found = blocking(path.stem, audit(page))
        if found:
            problems[path.name] = found
    assert problems == {}, report(problems)


def stop_kernels(server):
    """Shut down every kernel of ``server`` (its sessions), through its REST API."""
    import json
    import urllib.request

    base = f"{server.url}api/sessions?token={server.token}"
    with urllib.request.urlopen(base, timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{server.url}api/sessions/{session['id']}?token={server.token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def test_every_lesson_output_in_jupyterlab_passes_axe(browser, jupyter_server, course_copy):
    from test_jupyterlab import error_outputs, open_and_run_all

    server = jupyter_server("jupyterlab", course_copy)
    problems = {}
    for number, notebook in enumerate(NOTEBOOKS):
        # a tab and a workspace of its own per lesson (nothing restored from the one before), one kernel at a time
        page = browser.new_page()
        try:
            page.set_viewport_size({"width": 1024, "height": 768})
            open_and_run_all(page, server, f"lab/workspaces/axe{number}/tree/notebooks/{notebook.name}")
            assert error_outputs(page) == [], notebook.name
            page.wait_for_timeout(500)   # the last widget views attach
            found = blocking(notebook.stem, audit(page, {"include": [[".jp-OutputArea-output"]]}))
            if found:
                problems[notebook.name] = found
        finally:
            page.close()
            stop_kernels(server)
    assert problems == {}, report(problems)


EDITIONS = {"ko": re.compile(r"[\uac00-\ud7a3]"), "ja": re.compile(r"[\u3040-\u30ff]")}  # Hangul; Kana
WORD = re.compile(r"[A-Za-z]{4,}")  # a widget with words must have some in the edition's script


def edition_lessons(lang):
    return sorted((ROOT / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_an_edition_s_handouts_pass_axe_and_say_their_language(page, tmp_path, lang):
    """The Korean and Japanese handouts (student edition): lang="ko"/"ja" on every page (screen readers pick the
    voice from it), their widgets' step boxes in the edition's language, and no serious axe finding."""
    pages = export_all(edition_lessons(lang), tmp_path, lang=lang)
    assert pages
    page.set_viewport_size({"width": 1024, "height": 768})
    problems = {}
    for path in [*pages, tmp_path / "index.html"]:
        page.goto(path.as_uri())
        views = len(re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">',
                               path.read_text(encoding="utf-8")))
        page.wait_for_function(f"document.querySelectorAll('.widget-subarea').length === {views}",
                               timeout=TIMEOUT_MS)
        assert page.evaluate("document.documentElement.lang") == lang, path.name
        for shown in page.eval_on_selector_all(".widget-subarea", "areas => areas.map(area => area.innerText)"):
            # every widget of an edition speaks its language (lesson 11's XOR trainer was the last in English)
            assert not WORD.search(shown) or EDITIONS[lang].search(shown), \
                f"{path.name}: a widget speaks English: {shown[:200]!r}"
        found = blocking(path.stem, audit(page))
        if found:
            problems[f"{lang}/{path.name}"] = found
    assert problems == {}, report(problems)


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_an_edition_s_first_lesson_in_jupyterlab_speaks_it_and_passes_axe(browser, jupyter_server, course_copy, lang):
    """Lesson 1 of the edition run in JupyterLab: no error, its steppers and pictures in the edition's language
    (the kernel reads notebooks/<lang>/course_language.txt), and no serious axe finding in its outputs."""
    from test_jupyterlab import error_outputs, open_and_run_all

    lesson = edition_lessons(lang)[0]
    server = jupyter_server("jupyterlab", course_copy)
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1024, "height": 768})
        open_and_run_all(page, server, f"lab/workspaces/axe-{lang}/tree/notebooks/{lang}/{lesson.name}")
        assert error_outputs(page) == [], lesson.name
        page.wait_for_timeout(500)
        outputs = page.locator(".jp-OutputArea-output .widget-vbox").first.inner_text(timeout=WAIT_MS)
        assert EDITIONS[lang].search(outputs), f"the stepper speaks English in the {lang} edition: {outputs[:200]!r}"
        found = blocking(lesson.stem, audit(page, {"include": [[".jp-OutputArea-output"]]}))
        assert found == [], report({f"{lang}/{lesson.name}": found})
    finally:
        page.close()
        stop_kernels(server)
