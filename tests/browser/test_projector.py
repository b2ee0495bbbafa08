"""Projector: at 1024×768 every picture the course draws fits its page, nothing cut off, also with
``presentation_mode(True)`` (larger text, thicker lines).

Pictures scale down (``max-width:100%``) instead of overflowing: the LayerStepper's chain of layers,
the widest picture, used to be cut off at 968 px.  Checked in Chromium on the handouts (with their
widgets rendered) and on a page of every kind of picture drawn in presentation mode.
"""
import re
from pathlib import Path

import pytest

from course_lib import presentation
from course_lib.course_graphs import apple_orange_graph, sigmoid_graph
from course_lib.gate_rules import GATE_KINDS, GateRule
from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.stepping import BackwardSteps, LayerSteps
from course_tools.handouts import export_all

ROOT = Path(__file__).resolve().parents[2]
PROJECTOR = {"width": 1024, "height": 768}
TIMEOUT_MS = 30_000

# every <svg> on the page: its right edge, and whether its box is wider than the box that holds it
MEASURE = """() => [...document.querySelectorAll('svg[role=img]')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .map(svg => {
        const box = svg.getBoundingClientRect();
        const holder = svg.parentElement.getBoundingClientRect();
        return {right: box.right, width: box.width, holder: holder.width,
                title: (svg.querySelector('title') || {}).textContent || ''};
    })"""


def cut_off(pictures, viewport_width):
    return [p for p in pictures if p["right"] > viewport_width + 0.5 or p["width"] > p["holder"] + 0.5]


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_handout_pictures_fit_a_projector(page, tmp_path):
    chosen = [ROOT / "notebooks" / name for name in ("03_gates.ipynb", "08_two_layer_net_and_gradient_check.ipynb")]
    page.set_viewport_size(PROJECTOR)
    for path in export_all(chosen, tmp_path):
        page.goto(path.as_uri())
        views = len(re.findall(r'widget-view\+json">', path.read_text(encoding="utf-8")))
        page.wait_for_function(f"document.querySelectorAll('.widget-subarea').length === {views}",
                               timeout=TIMEOUT_MS)
        pictures = page.evaluate(MEASURE)
        assert pictures, path.name
        assert cut_off(pictures, PROJECTOR["width"]) == [], path.name


@pytest.fixture
def presentation_pictures():
    """Frames and pictures of every kind, drawn in presentation mode, as one HTML page."""
    presentation.presentation_mode(True)
    try:
        net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2, seed=0)
        import numpy as np

        x = np.arange(8, dtype=float).reshape(2, 4) / 8
        parts = [*LayerSteps(net, x, np.array([0, 1])).frames()[:2],
                 *BackwardSteps(apple_orange_graph()).frames()[-1:],
                 *BackwardSteps(sigmoid_graph()).frames()[-1:],
                 *(GateRule(kind).svg() for kind in GATE_KINDS)]
    finally:
        presentation.presentation_mode(False)
    return "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>pictures</title></head><body>" + \
        "".join(f"<div style='margin:8px 0'>{part}</div>" for part in parts) + "</body></html>"


def test_presentation_mode_pictures_fit_a_projector(page, tmp_path, presentation_pictures):
    path = tmp_path / "pictures.html"
    path.write_text(presentation_pictures, encoding="utf-8")
    page.set_viewport_size(PROJECTOR)
    page.goto(path.as_uri())
    pictures = page.evaluate(MEASURE)
    assert len(pictures) >= 8
    assert cut_off(pictures, PROJECTOR["width"]) == []
    assert no_horizontal_scroll(page)
    # scaled, not shrunk to nothing: the layer chain keeps its text at least 12 px high on screen
    sizes = page.evaluate("() => [...document.querySelectorAll('svg text')].map(t => t.getBoundingClientRect().height)")
    assert min(size for size in sizes if size > 0) >= 12
