"""Accessibility of what course_lib draws: WCAG AA contrast for every colour, colour-blind safe
value/gradient colours, pictures that describe themselves, figures with alt text."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from course_lib import presentation
from course_lib.course_graphs import apple_graph, apple_orange_graph, sigmoid_graph
from course_lib.drawing import (
    GRAD_COLOUR, HIGHLIGHT_FILL, INK, MUTED, VALUE_COLOUR, GraphPicture, describe_graph, draw_graph,
    draw_layer_chain,
)
from course_lib.gate_rules import GATE_KINDS, GateRule
from course_lib.stepping import BackwardSteps, array_html, frame_html, lines_html, picture_text

SVG = "{http://www.w3.org/2000/svg}"
WHITE = "#FFFFFF"


def rgb(colour):
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)]) / 255


def linear(channels):
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def luminance(colour):
    return float(linear(rgb(colour)) @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(colour, alpha, background=WHITE):
    mixed = rgb(colour) * alpha + rgb(background) * (1 - alpha)
    return "#" + "".join(f"{round(c * 255):02X}" for c in mixed)


def test_contrast_ratio_formula():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)


# every (text colour, background) pair the pictures and steppers use
TEXT_ON = [
    (VALUE_COLOUR, WHITE), (GRAD_COLOUR, WHITE), (INK, WHITE), (MUTED, WHITE),
    (INK, HIGHLIGHT_FILL), (GRAD_COLOUR, HIGHLIGHT_FILL),  # highlighted node / layer box
]


@pytest.mark.parametrize("text, background", TEXT_ON)
def test_every_text_colour_meets_wcag_aa(text, background):
    assert contrast(text, background) >= 4.5, f"{text} on {background}: {contrast(text, background):.2f}:1"


@pytest.mark.parametrize("line", [VALUE_COLOUR, GRAD_COLOUR, INK])
def test_lines_and_shapes_meet_non_text_contrast(line):
    assert contrast(line, WHITE) >= 3 and contrast(line, HIGHLIGHT_FILL) >= 3


def test_every_colour_an_svg_uses_is_in_the_checked_palette():
    graph = sigmoid_graph()
    graph.run()
    svgs = [draw_graph(graph, step) for step in range(len(graph.trace) + 1)]
    svgs += [draw_layer_chain(["Affine1", "Relu1", "Affine2", "SoftmaxWithLoss"], "Relu1", ["SoftmaxWithLoss"])]
    used = {c.upper() for svg in svgs for c in re.findall(r'(?:fill|stroke)="(#[0-9A-Fa-f]{6})"', svg)}
    checked = {c.upper() for pair in TEXT_ON for c in pair}
    assert used <= checked, f"colours not checked for contrast: {used - checked}"


def test_table_cells_keep_their_text_readable():
    # array_html tints a cell with up to 55% of the value or gradient colour, under INK text
    for colour in (VALUE_COLOUR, GRAD_COLOUR):
        assert contrast(INK, blend(colour, 0.55)) >= 4.5
    assert "rgba(" in array_html(np.array([[-1.0, 2.0]]), "dW")


def simulate(colour, kind):
    """The colour as seen with protanopia, deuteranopia or tritanopia (Machado et al. 2009, severity 1)."""
    matrices = {
        "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]],
        "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]],
        "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                       [0.004733, 0.691367, 0.303900]],
    }
    return np.clip(np.array(matrices[kind]) @ linear(rgb(colour)), 0, 1)


@pytest.mark.parametrize("kind", ["protanopia", "deuteranopia", "tritanopia"])
def test_values_and_gradients_stay_distinguishable_for_colour_blind_readers(kind):
    # distance in linear RGB between the simulated colours; the Okabe-Ito pair keeps well apart
    distance = np.linalg.norm(simulate(VALUE_COLOUR, kind) - simulate(GRAD_COLOUR, kind))
    assert distance > 0.15, f"{kind}: {distance:.3f}"


# ---- pictures that describe themselves ----

def parts(svg):
    root = ET.fromstring(svg)
    return root, root.find(f"{SVG}title"), root.find(f"{SVG}desc")


@pytest.mark.parametrize("make", [apple_graph, apple_orange_graph, sigmoid_graph])
def test_every_graph_picture_has_role_title_and_description(make):
    graph = make()
    graph.run()
    for step in [None, *range(len(graph.trace) + 1)]:
        root, title, desc = parts(draw_graph(graph, step))
        assert root.get("role") == "img"
        assert graph.labels[graph.output] in title.text
        lines = desc.text.splitlines()
        assert len(lines) == len(graph.input_names) + len(graph.node_names)
        assert "id=" not in draw_graph(graph, step)  # many pictures share a page


def test_description_reads_values_then_gradients_as_backward_goes():
    graph = apple_graph()
    graph.run()
    title, before = describe_graph(graph, 0)
    assert "forward pass" in title and "computes price" in title
    assert before[0] == "input apple (each) = 100, gradient not known yet"
    assert before[-1] == "output price = (apple price) × tax = 220, gradient not known yet"
    _, after = describe_graph(graph)
    assert after[0] == "input apple (each) = 100, gradient 2.2"
    assert after[3] == "node apple price = (apple (each)) × apples = 200, gradient 1.1"
    _, step1 = describe_graph(graph, 1)
    assert step1[2] == "input tax = 1.1, gradient 200" and "not known" in step1[0]


def test_a_picture_before_backward_mentions_no_gradient():
    graph = apple_graph()
    graph.forward()
    _, lines = describe_graph(graph)
    assert lines and not any("gradient" in line for line in lines)


@pytest.mark.parametrize("kind", GATE_KINDS)
def test_gate_rule_pictures_describe_themselves(kind):
    root, title, desc = parts(GateRule(kind).svg())
    assert root.get("role") == "img" and title.text and "gradient" in desc.text


def test_layer_chain_describes_itself():
    root, title, desc = parts(draw_layer_chain(["Affine1", "Relu1"], "Relu1", ["SoftmaxWithLoss"], "step 2"))
    assert root.get("role") == "img" and "step 2" in title.text
    assert "x → Affine1 → Relu1 → loss L" in desc.text and "through Relu1" in desc.text


def test_graph_picture_shows_inline_svg_for_screen_readers():
    graph = apple_graph()
    graph.run()
    assert GraphPicture(graph)._repr_html_().startswith("<svg")
    assert not hasattr(GraphPicture(graph), "_repr_svg_")  # JupyterLab would show that as an <img> without alt


def test_stepper_frames_list_the_pictures_values_and_announce_the_explanation():
    steps = BackwardSteps(apple_graph())
    frame = steps.frame(2)
    _, lines = picture_text(steps.svg(2))
    for line in lines:
        assert f"<li>{line}</li>" in frame
    assert 'role="status" aria-live="polite"' in frame
    assert 'role="status"' not in lines_html(["a"], live=False)
    assert frame_html("<svg/>", "") == '<div style="max-width:100%;overflow-x:auto"><svg/></div>'


# ---- presentation mode ----

def test_presentation_mode_enlarges_text_and_lines_and_switches_back():
    graph = apple_graph()
    graph.run()
    normal = draw_graph(graph)
    try:
        assert course_presentation_on().font_scale > 1
        big = draw_graph(graph)
        assert 'font-size="26"' in big and 'font-size="26"' not in normal  # 20 px labels × 1.3
        assert 'stroke-width="3.2"' in big  # 2 px lines × 1.6
        assert "font-size:24px" in lines_html(["a"])
    finally:
        presentation.presentation_mode(False)
    assert draw_graph(graph) == normal
    with pytest.raises(TypeError, match="True or False"):
        presentation.presentation_mode("yes")


def course_presentation_on():
    import course_lib

    return course_lib.presentation_mode(True)


def test_presentation_mode_scales_the_plots_too():
    """A plot drawn in presentation mode has larger text and thicker lines; switched off, the normal size again."""
    import numpy as np

    from course_lib import plots
    from course_lib.training import History

    history = History(loss=np.linspace(2.0, 0.5, 200), iters_per_epoch=50, eval_iterations=[0, 50, 100],
                      train_acc=[0.1, 0.8, 0.9], test_acc=[0.1, 0.7, 0.85])

    def sizes(fig):
        ax = fig.axes[0]
        return {"title": ax.title.get_fontsize(), "label": ax.xaxis.label.get_fontsize(),
                "ticks": ax.get_xticklabels()[0].get_fontsize(), "legend": ax.get_legend().get_texts()[0].get_fontsize(),
                "line": ax.lines[0].get_linewidth()}

    normal = sizes(plots.plot_accuracy(history))
    try:
        presentation.presentation_mode(True)
        big = sizes(plots.plot_accuracy(history))
    finally:
        presentation.presentation_mode(False)
    assert all(big[key] > normal[key] for key in normal), (normal, big)
    assert big["title"] == pytest.approx(normal["title"] * presentation.PRESENTATION.font_scale)
    assert big["line"] == pytest.approx(normal["line"] * presentation.PRESENTATION.line_scale)
    assert sizes(plots.plot_accuracy(history)) == normal


def test_saved_pictures_show_inline_with_their_description(tmp_path):
    from course_lib.drawing import SavedPicture

    graph = apple_graph()
    graph.run()
    path = GraphPicture(graph).save(tmp_path / "apple.svg")
    shown = SavedPicture(path)._repr_html_()
    assert shown.startswith("<svg") and "<desc>" in shown and 'role="img"' in shown
    (tmp_path / "not.svg").write_text("hello", encoding="utf-8")
    with pytest.raises(ValueError, match="not an SVG"):
        SavedPicture(tmp_path / "not.svg")
