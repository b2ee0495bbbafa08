"""Pictures of training with matplotlib, large enough for a projector.

Each function returns a matplotlib Figure (made without pyplot, so a notebook shows it once, as the
cell's value) and draws the same picture for the same input: nothing random.

plot_loss(history)                   loss per iteration, with a moving average
plot_accuracy(history)               train and test accuracy per epoch
plot_first_layer_weights(W1)         each hidden unit's input weights as a 28×28 image
plot_misclassified(net, x, t)        test digits the net gets wrong, predicted and true labels
plot_gradient_check(report)          max relative error per parameter, log scale, 1e-7 line
"""
import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

LARGE = {"font.size": 16, "axes.titlesize": 20, "axes.labelsize": 18, "xtick.labelsize": 15,
         "ytick.labelsize": 15, "legend.fontsize": 15, "lines.linewidth": 2.5}
TRAIN_COLOR, TEST_COLOR = "tab:blue", "tab:orange"
GOOD, BAD = "tab:green", "tab:red"


def plot_loss(history, smooth=50):
    """history.loss (iterations,) as a thin line, and its moving average over ``smooth`` iterations."""
    loss = np.asarray(history.loss, dtype=np.float64)
    with rc_context(LARGE):
        fig = Figure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        iterations = np.arange(1, len(loss) + 1)
        ax.plot(iterations, loss, color=TRAIN_COLOR, alpha=0.3, linewidth=1, label="mini-batch loss")
        if len(loss) >= smooth > 1:
            average = np.convolve(loss, np.ones(smooth) / smooth, mode="valid")
            ax.plot(iterations[smooth - 1:], average, color=TRAIN_COLOR, label=f"average of {smooth}")
        ax.set(title="Training loss", xlabel="iteration", ylabel="cross-entropy loss")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right")
    return fig


def plot_accuracy(history):
    """history.train_acc and test_acc against history.epochs, the last values written beside them."""
    with rc_context(LARGE):
        fig = Figure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        lines = [("train", history.train_acc, TRAIN_COLOR, "o"), ("test", history.test_acc, TEST_COLOR, "s")]
        for name, values, color, marker in lines:
            if len(values):
                ax.plot(history.epochs[:len(values)], values, marker=marker, color=color,
                        label=f"{name} (last {values[-1]:.3f})")
        ax.set(title="Accuracy per epoch", xlabel="epoch", ylabel="accuracy")
        ax.set_ylim(top=1.0)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    return fig


def plot_first_layer_weights(W1, image_shape=(28, 28), columns=10, max_units=50):
    """W1 (D, H): column j, the weights into hidden unit j, drawn as an image of image_shape.

    Red is positive, blue negative, white zero; each image has its own symmetric colour scale.
    Shows at most max_units units, in order.
    """
    W1 = np.asarray(W1)
    if W1.ndim != 2 or W1.shape[0] != np.prod(image_shape):
        raise ValueError(f"plot_first_layer_weights: W1 must be (D, H) with D = {np.prod(image_shape)} "
                         f"for images of shape {image_shape}; got {W1.shape}")
    n_units = min(W1.shape[1], max_units)
    rows = -(-n_units // columns)
    with rc_context(LARGE):
        fig = Figure(figsize=(1.6 * columns, 1.75 * rows + 0.9), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False)
        for unit, ax in enumerate(axes.flat):
            ax.set_axis_off()
            if unit < n_units:
                image = W1[:, unit].reshape(image_shape)
                scale = float(np.abs(image).max()) or 1.0
                ax.imshow(image, cmap="bwr", vmin=-scale, vmax=scale, interpolation="nearest")
                ax.set_title(f"unit {unit}", fontsize=12)
        fig.suptitle(f"First-layer weights: what each of {n_units} hidden units looks for")
    return fig


def plot_misclassified(net, x, t, n=20, columns=10, image_shape=(28, 28)):
    """The first n samples of x (N, D) that net gets wrong, titled 'pred P / true T'.

    t: (N,) labels or (N, C) one-hot.  Returns a figure with one axes per digit shown.
    """
    labels = np.asarray(t)
    labels = labels.argmax(axis=1) if labels.ndim == 2 else labels
    predicted = np.concatenate([net.predict(x[s:s + 10000]).argmax(axis=1) for s in range(0, len(x), 10000)])
    wrong = np.flatnonzero(predicted != labels)[:n]
    shown = max(len(wrong), 1)
    columns = min(columns, shown)
    rows = -(-shown // columns)
    with rc_context(LARGE):
        fig = Figure(figsize=(1.7 * columns, 2.0 * rows + 0.9), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False)
        for ax in axes.flat:
            ax.set_axis_off()
        for ax, index in zip(axes.flat, wrong):
            ax.imshow(np.asarray(x[index]).reshape(image_shape), cmap="gray_r", interpolation="nearest")
            ax.set_title(f"pred {predicted[index]} / true {labels[index]}", fontsize=13, color=BAD)
        total = int(np.count_nonzero(predicted != labels))
        fig.suptitle(f"Misclassified: {len(wrong)} of {total} mistakes in {len(x)} samples" if total
                     else f"No mistakes in {len(x)} samples")
    return fig


def plot_gradient_check(report, threshold=1e-7, wrong=1e-2):
    """A GradCheckReport ({name: ParamCheck}) as bars of max relative error on a log scale, over CS231n's scale.

    Three bands, each with its colour, label and dashed border line:
      below ``threshold`` (1e-7)       green   "excellent": backprop agrees with the numerical gradient;
      ``threshold`` to ``wrong`` (1e-2) orange  "look closer": fine (~1e-4) near Relu kinks or for tiny gradients,
                                                otherwise suspicious;
      above ``wrong`` (1e-2)            red     "wrong": the gradient is almost certainly wrong.
    """
    if not 0 < threshold < wrong:
        raise ValueError(f"plot_gradient_check needs 0 < threshold < wrong, got threshold={threshold:g}, wrong={wrong:g}")
    fine = "#E69F00"                      # orange, between GOOD and BAD (Okabe–Ito)
    checks = list(report.values())
    names = [check.name for check in checks]
    errors = np.array([check.max_rel_error for check in checks], dtype=np.float64)
    shown = np.maximum(errors, 1e-20)  # a log scale cannot show 0
    with rc_context(LARGE):
        fig = Figure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        colors = [GOOD if error < threshold else fine if error < wrong else BAD for error in errors]
        bars = ax.bar(names, shown, color=colors, zorder=2)
        ax.set_yscale("log")
        bottom, top = min(shown.min(), threshold) / 100, max(shown.max(), wrong) * 100
        for low, high, colour, label in [(bottom, threshold, GOOD, f"< {threshold:.0e}: excellent"),
                                         (threshold, wrong, fine, "look closer (~1e-4 is fine near kinks)"),
                                         (wrong, top, BAD, f"> {wrong:.0e}: wrong")]:
            ax.axhspan(low, high, color=colour, alpha=0.12, zorder=0, label=label)
        for level in (threshold, wrong):
            ax.axhline(level, color="black", linestyle="--", linewidth=2, zorder=1)
        for bar, error in zip(bars, errors):
            ax.annotate(f"{error:.1e}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", xytext=(0, 4), textcoords="offset points")
        ax.set_ylim(bottom, top)
        ax.set(title="Gradient check: backprop vs numerical", xlabel="parameter", ylabel="max relative error")
        ax.legend(loc="upper right", fontsize=12)
    return fig
