"""Pictures of training with matplotlib, large enough for a projector.

Each function returns a matplotlib Figure (made without pyplot, so a notebook shows it once, as the
cell's value) and draws the same picture for the same input: nothing random.

plot_loss(history)                   loss per iteration, with a moving average
plot_accuracy(history)               train and test accuracy per epoch
plot_first_layer_weights(W1)         each hidden unit's input weights as a 28×28 image
plot_misclassified(net, x, t)        test digits the net gets wrong, predicted and true labels
plot_gradient_check(report)          max relative error per parameter, log scale, 1e-7 line
"""
import ctypes

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from .errors import CourseValueError
from .i18n import N_, _, language
from .presentation import current_style

# The rc settings every plot is drawn with, at the normal size; lesson_style() scales them for a projector.
LARGE = {"font.size": 16, "axes.titlesize": 20, "axes.labelsize": 18, "xtick.labelsize": 15,
         "ytick.labelsize": 15, "legend.fontsize": 15, "lines.linewidth": 2.5}
TRAIN_COLOR, TEST_COLOR = "tab:blue", "tab:orange"
GOOD, BAD = "tab:green", "tab:red"
# Agg draws a long line (10 000 loss values) in pieces of this many points: one piece at a time needs a
# few MB, the whole line at once about 100 MB, kept as long as the figure (and a notebook keeps it).
DRAW_IN_PIECES = {"agg.path.chunksize": 1000}


# A font with Hangul, kana and kanji for the editions' words, after matplotlib's own (Debian's fonts-noto-cjk)
CJK_FONTS = {"ko": ("Noto Sans CJK KR", "Noto Sans CJK JP"), "ja": ("Noto Sans CJK JP", "Noto Sans CJK KR")}


def lesson_style():
    """LARGE at the current style (course_lib.presentation_mode): font sizes × font_scale, widths × line_scale;
    in the Korean and Japanese editions, a CJK font after the default one (if one is installed)."""
    style = current_style()
    rc = {key: value * (style.line_scale if "width" in key else style.font_scale) for key, value in LARGE.items()}
    cjk = _installed_cjk_font(language())
    if cjk:
        rc["font.family"] = ["DejaVu Sans", cjk]
    return rc


def _installed_cjk_font(lang):
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS.get(lang, ()) if name in installed), None)


def font(size):
    """A font size given in a plot (a tile's title, a small legend) at the current style."""
    return size * current_style().font_scale


class LessonFigure(Figure):
    """A matplotlib Figure that needs little memory to show and to keep.

    It draws long lines piece by piece, and after drawing lets go of the renderer (its texts keep it,
    a whole picture of pixels: 5 to 13 MB on a retina screen, for as long as a notebook keeps the figure).
    """

    def draw(self, renderer):
        with rc_context(DRAW_IN_PIECES):
            super().draw(renderer)
        for text in self.findobj(lambda artist: hasattr(artist, "_renderer")):
            text._renderer = None  # measured again with a fresh renderer if ever needed
        give_back_free_memory()

    def __repr__(self):  # a Figure to whoever reads it: <Figure size 1000x550 with 1 Axes>
        return super().__repr__().replace(type(self).__name__, "Figure", 1)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Shown as an image with alt text (``.alt`` if the plot set one, else ``describe_figure``): JupyterLab gives a
        plain figure none.

        The same PNG is also offered as image/png, for front ends that show no HTML.
        """
        shown = FigureWithAlt(self, getattr(self, "alt", None))  # a plot that knows better describes itself
        return {"text/html": shown._repr_html_(), "image/png": shown.png, "text/plain": repr(self)}


def give_back_free_memory():
    """Return the memory freed by drawing to the system (glibc's malloc_trim; elsewhere nothing).

    Python frees a figure's scratch space, but glibc keeps it for the process: on a server shared by a
    class, each kernel would keep its largest moment's memory for good.
    """
    if _libc is not None:
        _libc.malloc_trim(0)


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # glibc only
        return libc
    except (OSError, AttributeError):
        return None


_libc = _load_libc()


def plot_loss(history, smooth=50):
    """history.loss (iterations,) as a thin line, and its moving average over ``smooth`` iterations."""
    loss = np.asarray(history.loss, dtype=np.float64)
    with rc_context(lesson_style()):
        fig = LessonFigure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        iterations = np.arange(1, len(loss) + 1)
        ax.plot(iterations, loss, color=TRAIN_COLOR, alpha=0.3, linewidth=1, label=_("mini-batch loss"))
        if len(loss) >= smooth > 1:
            average = np.convolve(loss, np.ones(smooth) / smooth, mode="valid")
            ax.plot(iterations[smooth - 1:], average, color=TRAIN_COLOR, label=_("average of {n}").format(n=smooth))
        ax.set(title=_("Training loss"), xlabel=_("iteration"), ylabel=_("cross-entropy loss"))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right")
    return fig


def plot_accuracy(history):
    """history.train_acc and test_acc against history.epochs, the last values written beside them."""
    with rc_context(lesson_style()):
        fig = LessonFigure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        lines = [(_("train (last {value})"), history.train_acc, TRAIN_COLOR, "o"),
                 (_("test (last {value})"), history.test_acc, TEST_COLOR, "s")]
        for label, values, color, marker in lines:
            if len(values):
                ax.plot(history.epochs[:len(values)], values, marker=marker, color=color,
                        label=label.format(value=f"{values[-1]:.3f}"))
        ax.set(title=_("Accuracy per epoch"), xlabel=_("epoch"), ylabel=_("accuracy"))
        ax.set_ylim(top=1.0)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    return fig


def plot_first_layer_weights(W1, image_shape=(28, 28), columns=10, max_units=50):
    """W1 (D, H): column j, the weights into hidden unit j, drawn as an image of image_shape.

    Red is positive, blue negative, white zero; each image has its own symmetric colour scale.
    Shows at most max_units units, in order, titled 'unit j', side by side in one axes
    (fifty axes would cost a kernel some 40 MB more to draw and keep).
    """
    W1 = np.asarray(W1)
    if W1.ndim != 2 or W1.shape[0] != np.prod(image_shape):
        raise CourseValueError(f"plot_first_layer_weights: W1 must be (D, H) with D = {np.prod(image_shape)} "
                         f"for images of shape {image_shape}; got {W1.shape}")
    n_units = min(W1.shape[1], max_units)
    columns = min(columns, n_units)
    rows = -(-n_units // columns)
    with rc_context(lesson_style()):
        fig = LessonFigure(figsize=(1.6 * columns, 1.75 * rows + 0.9), layout="constrained")
        ax = fig.add_subplot()
        for unit, place in zip(range(n_units), tile_places(n_units, columns, image_shape)):
            image = W1[:, unit].reshape(image_shape)
            scale = float(np.abs(image).max()) or 1.0
            draw_tile(ax, image, place, _("unit {unit}").format(unit=unit), cmap="bwr", vmin=-scale, vmax=scale,
                      fontsize=font(12))
        fig.suptitle(_("First-layer weights: what each of {n} hidden units looks for").format(n=n_units))
    return fig


def plot_misclassified(net, x, t, n=20, columns=10, image_shape=(28, 28)):
    """The first n samples of x (N, D) that net gets wrong, titled 'pred P / true T'.

    t: (N,) labels or (N, C) one-hot.  Returns a figure with the digits side by side in one axes.
    """
    labels = np.asarray(t)
    labels = labels.argmax(axis=1) if labels.ndim == 2 else labels
    predicted = np.concatenate([net.predict(x[s:s + 2000]).argmax(axis=1) for s in range(0, len(x), 2000)])
    wrong = np.flatnonzero(predicted != labels)[:n]
    columns = min(columns, max(len(wrong), 1))
    rows = -(-max(len(wrong), 1) // columns)
    with rc_context(lesson_style()):
        fig = LessonFigure(figsize=(1.7 * columns, 2.0 * rows + 0.9), layout="constrained")
        ax = fig.add_subplot()
        for index, place in zip(wrong, tile_places(len(wrong), columns, image_shape)):
            draw_tile(ax, np.asarray(x[index]).reshape(image_shape), place,
                      _("pred {predicted} / true {label}").format(predicted=predicted[index], label=labels[index]),
                      cmap="gray_r", fontsize=font(13), color=BAD)
        ax.set_axis_off()
        total = int(np.count_nonzero(predicted != labels))
        fig.suptitle(_("Misclassified: {shown} of {total} mistakes in {n} samples").format(
            shown=len(wrong), total=total, n=len(x)) if total else _("No mistakes in {n} samples").format(n=len(x)))
    return fig


def tile_places(n, columns, image_shape):
    """Where n images go in rows of ``columns``, with room between them and above each for a title:
    a list of (left, top, right, bottom) in the axes' data coordinates, pixel centres at integers."""
    h, w = image_shape
    gap_x, gap_y = w / 4, h / 2
    places = []
    for k in range(n):
        left, top = (k % columns) * (w + gap_x), (k // columns) * (h + gap_y) + gap_y
        places.append((left - 0.5, top - 0.5, left + w - 0.5, top + h - 0.5))
    return places


def draw_tile(ax, image, place, title, fontsize, color="black", **imshow_options):
    """One image at ``place`` (left, top, right, bottom) of ax, its title just above it."""
    left, top, right, bottom = place
    ax.imshow(image, extent=(left, right, bottom, top), interpolation="nearest", **imshow_options)
    ax.text((left + right) / 2, top - 1, title, ha="center", va="bottom", fontsize=fontsize, color=color)
    ax.update_datalim([(left, top), (right, bottom)])
    ax.set_xlim(-0.5, ax.dataLim.x1)
    ax.set_ylim(ax.dataLim.y1, -0.5)  # rows downwards, as in an image
    ax.set_axis_off()


EXCELLENT, LOOK_CLOSER, WRONG = N_("excellent"), N_("look closer"), N_("wrong")  # plot_gradient_check's bands


def plot_gradient_check(report, threshold=1e-7, wrong=1e-2):
    """A GradCheckReport ({name: ParamCheck}) as bars of max relative error on a log scale, over CS231n's scale.

    Three bands, each with its colour, label and dashed border line:
      below ``threshold`` (1e-7)       green   "excellent": backprop agrees with the numerical gradient;
      ``threshold`` to ``wrong`` (1e-2) orange  "look closer": fine (~1e-4) near Relu kinks or for tiny gradients,
                                                otherwise suspicious;
      above ``wrong`` (1e-2)            red     "wrong": the gradient is almost certainly wrong.
    """
    if not 0 < threshold < wrong:
        raise CourseValueError(f"plot_gradient_check needs 0 < threshold < wrong, got threshold={threshold:g}, wrong={wrong:g}")
    fine = "#E69F00"                      # orange, between GOOD and BAD (Okabe–Ito)
    checks = list(report.values())
    names = [check.name for check in checks]
    errors = np.array([check.max_rel_error for check in checks], dtype=np.float64)
    shown = np.maximum(errors, 1e-20)  # a log scale cannot show 0
    with rc_context(lesson_style()):
        fig = LessonFigure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        bands = [EXCELLENT if error < threshold else LOOK_CLOSER if error < wrong else WRONG for error in errors]
        colors = [{EXCELLENT: GOOD, LOOK_CLOSER: fine, WRONG: BAD}[band] for band in bands]
        bands = [_(band) for band in bands]
        bars = ax.bar(names, shown, color=colors, zorder=2)
        ax.set_yscale("log")
        bottom, top = min(shown.min(), threshold) / 100, max(shown.max(), wrong) * 100
        for low, high, colour, label in [(bottom, threshold, GOOD, f"< {threshold:.0e}: " + _(EXCELLENT)),
                                         (threshold, wrong, fine, _("look closer (~1e-4 is fine near kinks)")),
                                         (wrong, top, BAD, f"> {wrong:.0e}: " + _(WRONG))]:
            ax.axhspan(low, high, color=colour, alpha=0.12, zorder=0, label=label)
        for level in (threshold, wrong):
            ax.axhline(level, color="black", linestyle="--", linewidth=2, zorder=1)
        for bar, error in zip(bars, errors):
            ax.annotate(f"{error:.1e}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", xytext=(0, 4), textcoords="offset points")
        ax.set_ylim(bottom, top)
        ax.set(title=_("Gradient check: backprop vs numerical"), xlabel=_("parameter"), ylabel=_("max relative error"))
        ax.legend(loc="upper right", fontsize=font(12))
    fig.alt = (_("Gradient check, backprop against numerical: the max relative error of each parameter, a bar on a "
                 "log scale over three bands: below {threshold} excellent (green), {threshold} to {wrong} look closer "
                 "(orange; about 1e-4 is fine near Relu kinks or for tiny gradients), above {wrong} wrong (red). "
                 "{bars}.").format(threshold=f"{threshold:.0e}", wrong=f"{wrong:.0e}", bars="; ".join(
                     f"{name} {error:.1e}: {band}" for name, error, band in zip(names, errors, bands))))
    return fig


# ---- alt text: every figure says in words what it shows (for screen readers and handouts) ----

def describe_figure(fig):
    """Alt text for a matplotlib Figure, read from what is drawn: its titles, axes, and the values
    behind each line (first, last, lowest, highest), each bar, and how many images it shows."""
    parts = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    images = 0
    for ax in fig.axes:
        images += len(ax.images)
        if ax.images:
            continue
        head = ax.get_title() or _("a plot")
        axes = _("{y} against {x}").format(y=ax.get_ylabel() or "y", x=ax.get_xlabel() or "x")
        if ax.get_yscale() == "log":
            axes += _(" (log scale)")
        parts.append(f"{head}: {axes}")
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            label = line.get_label()
            if y.size == 0 or label.startswith("_") and y.size <= 2:
                continue
            parts.append(_("{label}: {n} points from {first} to {last} (lowest {lowest}, highest {highest})").format(
                label=label, n=y.size, first=f"{y[0]:.3g}", last=f"{y[-1]:.3g}", lowest=f"{np.nanmin(y):.3g}",
                highest=f"{np.nanmax(y):.3g}"))
        for container in ax.containers:
            names = [tick.get_text() for tick in ax.get_xticklabels()]
            heights = [bar.get_height() for bar in container]
            if len(names) != len(heights):
                names = [str(i + 1) for i in range(len(heights))]
            parts.append(_("bars: {bars}").format(bars=", ".join(f"{name} {height:.2g}"
                                                                 for name, height in zip(names, heights))))
    if images:
        parts.append(_("{n} small images").format(n=images))
    return ". ".join(part for part in parts if part) + "."


class FigureWithAlt:
    """A Figure that Jupyter shows as ``<img alt="...">`` (JupyterLab gives plain figures no alt text).

    FigureWithAlt(fig, alt=None): alt defaults to ``describe_figure(fig)``.  ``.alt``, ``.png`` (bytes).
    """

    def __init__(self, fig, alt=None, dpi=100):
        import io

        self.figure = fig
        self.alt = alt if alt is not None else describe_figure(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        self.png = buffer.getvalue()

    def _repr_html_(self):
        import base64
        from html import escape

        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img alt="{escape(self.alt)}" style="max-width:100%;height:auto" '
                f'src="data:image/png;base64,{data}"/>')

    def __repr__(self):
        word = _("figure")
        return f"<{word}: {self.alt}>"


def with_alt(fig, alt=None):
    """``fig`` wrapped so a notebook shows it with alt text (see ``FigureWithAlt``)."""
    return FigureWithAlt(fig, alt)

