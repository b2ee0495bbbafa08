"""The class report's pictures: matplotlib figures as inline SVG with a <title> and a <desc>.

Each function takes the numbers and the words that describe them and returns SVG text that can be
put straight into an HTML page: no XML prolog, ``role="img"`` and ``aria-labelledby`` pointing at its
own <title> and <desc> (whose ids start with ``picture_id``, unique in the page), text kept as text.
The page shows the same numbers in a table beside each picture.
"""
import io
import re
from html import escape

import matplotlib
from matplotlib.figure import Figure

BAR_COLOUR = "#1f5fa8"     # 6.6:1 on white
PASS_COLOUR = "#2a7a3b"    # 5.3:1 on white
WIDTH_INCHES = 7.5
MAX_BARS = 25              # the plot shows the first ones; the table beside it holds them all
MAX_LABEL = 60


def _short(label):
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _svg(figure, picture_id, title, description):
    """The figure as SVG text with its title and description, ready to inline."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": picture_id}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    svg = _own_ids(svg, picture_id)
    labels = f"{picture_id}-title {picture_id}-desc"
    opening = re.match(r"<svg\b[^>]*>", svg).group(0)
    new_opening = (opening[:-1] + f' role="img" aria-labelledby="{labels}" style="max-width: 100%; height: auto">'
                   f'<title id="{picture_id}-title">{escape(title, quote=False)}</title>'
                   f'<desc id="{picture_id}-desc">{escape(description, quote=False)}</desc>')
    return svg.replace(opening, new_opening, 1)


def _own_ids(svg, prefix):
    """matplotlib names its elements figure_1, patch_1, ... in every SVG: prefix them, so ids stay unique in a page."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def bar_chart(picture_id, labels, values, title, value_label, description, maximum=None, percent=False, colour=BAR_COLOUR):
    """Horizontal bars, the first label on top: ``values[i]`` for ``labels[i]``.

    maximum: the axis's end (e.g. 100 for shares); percent: values are percentages (0-100)."""
    labels, values = [_short(label) for label in labels[:MAX_BARS]], list(values[:MAX_BARS])
    figure = Figure(figsize=(WIDTH_INCHES, 0.8 + 0.32 * max(len(labels), 1)))
    axes = figure.subplots()
    positions = range(len(labels))[::-1]
    axes.barh(list(positions), values, color=colour, height=0.6)
    axes.set_yticks(list(positions), labels, fontsize=9)
    axes.set_xlabel(value_label)
    axes.set_xlim(0, maximum if maximum else max(values + [1]) * 1.15)
    for position, value in zip(positions, values):
        text = f"{value:.0f} %" if percent else f"{value:g}"
        axes.text(value, position, f" {text}", va="center", fontsize=9)
    if not percent:
        axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, fontsize=11, loc="left")
    return _svg(figure, picture_id, title, description)


def histogram(picture_id, bins, counts, title, description):
    """Students per score: ``counts[i]`` students scored in ``bins[i]`` (its label, e.g. "3" or "2–4")."""
    figure = Figure(figsize=(WIDTH_INCHES, 2.8))
    axes = figure.subplots()
    axes.bar(range(len(bins)), counts, color=BAR_COLOUR, width=0.8)
    axes.set_xticks(range(len(bins)), bins, fontsize=9)
    axes.set_xlabel("score")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(0, max(list(counts) + [1]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, fontsize=11, loc="left")
    return _svg(figure, picture_id, title, description)
