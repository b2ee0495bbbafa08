"""The training pictures: figures with the expected axes, titles, data and colours."""
import io

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from course_lib.gradcheck import GradCheckReport, ParamCheck, gradient_check
from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.plots import (
    plot_accuracy, plot_first_layer_weights, plot_gradient_check, plot_loss, plot_misclassified,
)
from course_lib.training import History


def small_history():
    loss = np.linspace(2.3, 0.3, 200) + 0.05 * np.sin(np.arange(200))
    return History(loss=loss, iters_per_epoch=50, eval_iterations=[0, 50, 100, 150, 200],
                   train_acc=[0.1, 0.8, 0.9, 0.93, 0.95], test_acc=[0.1, 0.78, 0.88, 0.9, 0.91])


def png_bytes(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_loss_curve():
    fig = plot_loss(small_history(), smooth=20)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "Training loss" and ax.get_xlabel() == "iteration"
    raw, average = ax.get_lines()
    np.testing.assert_allclose(raw.get_ydata(), small_history().loss)
    assert len(average.get_ydata()) == 200 - 19
    assert average.get_ydata()[0] == pytest.approx(small_history().loss[:20].mean())
    assert ax.title.get_fontsize() >= 18  # readable on a projector


def test_accuracy_curve():
    fig = plot_accuracy(small_history())
    ax = fig.axes[0]
    assert ax.get_title() == "Accuracy per epoch" and ax.get_xlabel() == "epoch"
    train, test = ax.get_lines()
    np.testing.assert_allclose(train.get_xdata(), [0, 1, 2, 3, 4])
    np.testing.assert_allclose(test.get_ydata(), small_history().test_acc)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train (last 0.950)", "test (last 0.910)"]


def test_first_layer_weights_grid():
    W1 = np.random.default_rng(0).standard_normal((784, 12))
    fig = plot_first_layer_weights(W1, columns=5)
    (ax,) = fig.axes  # the 12 units side by side in one axes, 3 rows of 5
    assert [text.get_text() for text in ax.texts] == [f"unit {unit}" for unit in range(12)]
    shown = ax.get_images()
    assert len(shown) == 12
    np.testing.assert_allclose(shown[3].get_array(), W1[:, 3].reshape(28, 28))
    left, right, bottom, top = shown[8].get_extent()  # row 1, column 3
    assert left == shown[3].get_extent()[0] and top > shown[3].get_extent()[2]
    assert "First-layer weights" in fig.get_suptitle()


def test_first_layer_weights_need_image_sized_columns():
    with pytest.raises(ValueError, match="D = 784"):
        plot_first_layer_weights(np.zeros((10, 5)))


class FixedNet:
    """Predicts class (sample's first pixel > 0.5): wrong exactly where the label says otherwise."""

    def predict(self, x):
        return np.stack([x[:, 0] <= 0.5, x[:, 0] > 0.5], axis=1).astype(float)


def test_misclassified_digits_show_predicted_and_true_labels():
    x = np.zeros((6, 784))
    x[[1, 4], 0] = 1.0  # predicted 1
    t = np.array([0, 0, 0, 1, 1, 0])  # wrong at 1 (pred 1, true 0) and 3 (pred 0, true 1)
    fig = plot_misclassified(FixedNet(), x, t)
    titles = [text.get_text() for text in fig.axes[0].texts]
    assert titles == ["pred 1 / true 0", "pred 0 / true 1"]
    assert fig.get_suptitle() == "Misclassified: 2 of 2 mistakes in 6 samples"
    one_hot = np.eye(2)[t]
    assert [text.get_text() for text in plot_misclassified(FixedNet(), x, one_hot, n=1).axes[0].texts] == ["pred 1 / true 0"]


def test_no_mistakes_is_said_in_words():
    x = np.zeros((3, 784))
    fig = plot_misclassified(FixedNet(), x, np.zeros(3, dtype=int))
    assert fig.get_suptitle() == "No mistakes in 3 samples"


def test_gradient_check_bars_on_a_log_scale():
    report = GradCheckReport(
        W1=ParamCheck("W1", (4, 3), 3e-9, 1e-12), b1=ParamCheck("b1", (3,), 0.0, 0.0),
        W2=ParamCheck("W2", (3, 2), 2e-4, 1e-6), b2=ParamCheck("b2", (2,), 0.5, 1e-3),
    )
    fig = plot_gradient_check(report)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "Gradient check: backprop vs numerical"
    assert [label.get_text() for label in ax.get_xticklabels()] == ["W1", "b1", "W2", "b2"]
    np.testing.assert_allclose([bar.get_height() for bar in ax.containers[0]], [3e-9, 1e-20, 2e-4, 0.5])
    colours = [bar.get_facecolor() for bar in ax.containers[0]]
    assert colours == [to_rgba("tab:green")] * 2 + [to_rgba("#E69F00"), to_rgba("tab:red")]
    dashed = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == "--")
    assert dashed == [1e-7, 1e-2]  # CS231n's scale: < 1e-7 excellent, > 1e-2 wrong
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[0].endswith("excellent") and "kinks" in legend[1] and legend[2].endswith("wrong")
    assert [text.get_text() for text in ax.texts] == ["3.0e-09", "0.0e+00", "2.0e-04", "5.0e-01"]
    # the alt text names the bands and the band of every bar, as the colours show them
    assert "below 1e-07 excellent (green), 1e-07 to 1e-02 look closer (orange" in fig.alt and "above 1e-02 wrong (red)" in fig.alt
    assert fig.alt.endswith("W1 3.0e-09: excellent; b1 0.0e+00: excellent; W2 2.0e-04: look closer; b2 5.0e-01: wrong.")
    assert f'alt="{fig.alt}"' in fig._repr_mimebundle_()["text/html"]


def test_gradient_check_bands_follow_the_thresholds():
    report = GradCheckReport(W=ParamCheck("W", (2, 2), 1e-5, 1e-9))
    ax = plot_gradient_check(report, threshold=1e-4, wrong=1e-3).axes[0]
    assert ax.containers[0][0].get_facecolor() == to_rgba("tab:green")
    with pytest.raises(ValueError, match="threshold"):
        plot_gradient_check(report, threshold=1e-2, wrong=1e-7)


def test_gradient_check_of_a_real_net():
    net = TwoLayerNet(4, 5, 3, seed=0)
    x = np.random.default_rng(1).standard_normal((2, 4))
    fig = plot_gradient_check(gradient_check(net, x, np.array([0, 2])))
    assert all(bar.get_facecolor() == to_rgba("tab:green") for bar in fig.axes[0].containers[0])


def test_pictures_are_deterministic():
    assert png_bytes(plot_loss(small_history())) == png_bytes(plot_loss(small_history()))
    W1 = np.random.default_rng(0).standard_normal((784, 3))
    assert png_bytes(plot_first_layer_weights(W1)) == png_bytes(plot_first_layer_weights(W1))


def test_every_plot_has_alt_text_with_its_values():
    from course_lib.plots import FigureWithAlt, describe_figure

    class Run:
        loss = list(np.linspace(2.0, 0.5, 120))
        train_acc, test_acc, epochs = [0.8, 0.9], [0.75, 0.85], [1, 2]

    loss_alt = describe_figure(plot_loss(Run, smooth=10))
    assert loss_alt.startswith("Training loss: cross-entropy loss against iteration.")
    assert "120 points from 2 to 0.5" in loss_alt
    assert "train (last 0.900): 2 points from 0.8 to 0.9" in describe_figure(plot_accuracy(Run))
    weights = describe_figure(plot_first_layer_weights(np.ones((784, 12))))
    assert "12 hidden units" in weights and "12 small images" in weights
    shown = FigureWithAlt(plot_loss(Run))
    html = shown._repr_html_()
    assert html.startswith('<img alt="Training loss') and "data:image/png;base64," in html
    assert FigureWithAlt(plot_loss(Run), alt="my words").alt == "my words"
