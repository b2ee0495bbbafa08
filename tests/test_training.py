"""Optimizers and the training loop, on a small synthetic problem (three Gaussian blobs)."""
import dataclasses

import numpy as np
import pytest

from course_lib.learner.two_layer_net import TwoLayerNet
from course_lib.training import (
    SGD, Adam, History, Momentum, Trainer, TrainingDiverged, accuracy, epoch_batches, train,
)

SETTINGS = {setting.name for setting in dataclasses.fields(Trainer)}  # how the loop runs, not what it computes

D, H, C = 8, 16, 3


def blobs(n, seed):
    """n samples of C well-separated Gaussian blobs in D dimensions, float32, labels (n,) ints."""
    rng = np.random.default_rng(seed)
    centers = np.random.default_rng(123).standard_normal((C, D)) * 2
    labels = rng.integers(0, C, n)
    x = centers[labels] + rng.standard_normal((n, D))
    return x.astype(np.float32), labels


X_TRAIN, T_TRAIN = blobs(600, seed=1)
X_TEST, T_TEST = blobs(300, seed=2)


def make_net(seed=0):
    return TwoLayerNet(D, H, C, weight_init_std="he", dtype=np.float32, seed=seed)


def quiet(**settings):
    """A Trainer with train()'s settings, but no progress bar, and ``settings`` changed."""
    return Trainer(**{"progress": False, **settings})


def run(net=None, **kwargs):
    """Train a net on the blobs: kwargs are train()'s arguments or Trainer settings."""
    settings = {key: kwargs.pop(key) for key in list(kwargs) if key in SETTINGS}
    options = dict(iters_num=120, batch_size=20, optimizer=SGD(lr=0.1))
    options.update(kwargs)
    return quiet(**settings).train(net or make_net(), X_TRAIN, T_TRAIN, X_TEST, T_TEST, **options)


def test_training_learns_and_records_history():
    net = make_net()
    before = net.accuracy(X_TEST, T_TEST)
    history = run(net)
    assert isinstance(history, History)
    assert history.iters_per_epoch == 30
    assert history.loss.shape == (120,) and np.isfinite(history.loss).all()
    assert history.eval_iterations == [0, 30, 60, 90, 120]
    assert history.epochs == [0, 1, 2, 3, 4]
    assert len(history.train_acc) == len(history.test_acc) == 5
    assert history.test_acc[0] == pytest.approx(before)
    assert history.test_acc[-1] == pytest.approx(net.accuracy(X_TEST, T_TEST))
    assert history.test_acc[-1] > 0.9 > before
    assert history.loss[-10:].mean() < 0.5 * history.loss[:10].mean()
    assert history.seconds > 0


def test_evaluation_at_the_end_when_it_falls_between_epochs():
    history = run(iters_num=45)
    assert history.eval_iterations == [0, 30, 45]
    history = run(iters_num=45, eval_every_epoch=False)
    assert history.eval_iterations == [45] and len(history.test_acc) == 1


def test_without_test_data():
    history = quiet().train(make_net(), X_TRAIN, T_TRAIN, iters_num=30, batch_size=20, optimizer=SGD(lr=0.1))
    assert history.test_acc == [] and len(history.train_acc) == 2


def test_same_seed_same_run_other_seed_other_run():
    first, second = run(seed=5), run(seed=5)
    np.testing.assert_array_equal(first.loss, second.loss)
    assert first.test_acc == second.test_acc and first.train_acc == second.train_acc
    assert not np.array_equal(first.loss, run(seed=6).loss)


def test_background_evaluation_gives_the_same_numbers():
    background = run(eval_in_background=True)
    in_line = run(eval_in_background=False)
    np.testing.assert_array_equal(background.loss, in_line.loss)
    assert background.train_acc == in_line.train_acc and background.test_acc == in_line.test_acc


def test_replaying_batches_reproduces_the_run():
    batches = list(epoch_batches(len(X_TRAIN), 20, 120, seed=3))
    np.testing.assert_array_equal(run(seed=3).loss, run(batches=batches, seed=99).loss)


def test_epoch_batches_visit_every_sample_once_per_epoch():
    batches = list(epoch_batches(100, 10, 25, seed=0))
    assert len(batches) == 25 and all(b.shape == (10,) for b in batches)
    for epoch in range(2):
        assert sorted(np.concatenate(batches[epoch * 10:(epoch + 1) * 10])) == list(range(100))
    assert not np.array_equal(np.concatenate(batches[:10]), np.concatenate(batches[10:20]))


def test_one_hot_labels_train_too():
    one_hot = np.eye(C, dtype=np.float32)[T_TRAIN]
    history = quiet().train(make_net(), X_TRAIN, one_hot, X_TEST, np.eye(C)[T_TEST], iters_num=60, batch_size=20,
                            optimizer=SGD(0.1))
    assert history.test_acc[-1] > 0.9


def test_the_advice_names_a_rate_that_could_train():
    from course_lib.training_loop import _diverged_message

    assert "(it is 0.5; try 0.05)" in _diverged_message(3, 10, float("nan"), SGD(lr=0.5))
    huge = _diverged_message(3, 10, float("nan"), SGD(lr=1e8))
    assert "(it is 1e+08; rates that train are usually below 1" in huge and "1e+07" not in huge


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy warns of the overflow first
def test_diverging_loss_stops_at_once_with_advice():
    with pytest.raises(TrainingDiverged) as info:
        run(optimizer=SGD(lr=1e30))
    error = info.value
    message = str(error)
    assert f"diverged at iteration {error.iteration} of 120" in message
    assert "Lower the learning rate (it is 1e+30; rates that train are usually below 1, such as the seeds' 0.1)" in message
    assert "weight_init_std" in message and "gradient_check" in message
    assert 1 < error.iteration < 120
    assert error.history.loss.shape == (error.iteration - 1,) and np.isfinite(error.history.loss).all()
    assert isinstance(error, FloatingPointError)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nan_in_the_data_is_caught_too():
    x = X_TRAIN.copy()
    x[:, 0] = np.nan
    with pytest.raises(TrainingDiverged, match="stopped at iteration 1 of .* the data hold nan or inf"):
        quiet().train(make_net(), x, T_TRAIN, iters_num=10, batch_size=20, optimizer=SGD(lr=0.1))


def test_progress_bar_can_be_switched_off(capfd):
    run(progress=False)
    assert capfd.readouterr().err == ""
    run(progress=True)
    err = capfd.readouterr().err
    assert "training" in err and "120/120" in err
    assert "train=" in err and "test=" in err  # the last accuracies beside the bar


def test_one_forward_pass_per_iteration():
    net = make_net()
    calls = []
    original = net.predict
    net.predict = lambda x: calls.append(len(x)) or original(x)
    run(net, iters_num=50, eval_every_epoch=False, eval_in_background=False, eval_batch_size=1000)
    assert calls == [20] * 50 + [600, 300]


def test_a_net_with_only_the_seeds_interface_trains_the_same():
    """A net with params, gradient, loss and accuracy but no last_layer (the loss computed again by
    net.loss) trains to the same losses and accuracies as the TwoLayerNet it wraps."""
    class SeedStyleNet:
        def __init__(self):
            self.inner = make_net()
            self.params = self.inner.params

        def gradient(self, x, t):
            return self.inner.gradient(x, t)

        def loss(self, x, t):
            return self.inner.loss(x, t)

        def accuracy(self, x, t):
            return self.inner.accuracy(x, t)

    seed_style, plain = run(SeedStyleNet()), run(make_net())
    np.testing.assert_array_equal(seed_style.loss, plain.loss)
    assert seed_style.test_acc == plain.test_acc and seed_style.train_acc == plain.train_acc


def test_training_stays_float32():
    net = make_net()
    grads = net.gradient(X_TRAIN[:20], T_TRAIN[:20])
    assert np.asarray(net.last_layer.loss).dtype == np.float32
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)}
    history = run(net, optimizer=Adam(lr=0.01))
    assert {p.dtype for p in net.params.values()} == {np.dtype(np.float32)}
    assert history.loss.dtype == np.float64  # History keeps every loss as a float64 number


def test_accuracy_in_chunks_equals_all_at_once():
    net = make_net()
    assert accuracy(net, X_TEST, T_TEST, batch_size=7) == pytest.approx(net.accuracy(X_TEST, T_TEST))


@pytest.mark.parametrize("optimizer", [SGD(lr=0.1), Momentum(lr=0.05), Adam(lr=0.01)], ids=["SGD", "Momentum", "Adam"])
def test_each_optimizer_updates_in_place_and_lowers_the_loss(optimizer):
    net = make_net()
    arrays = {key: value for key, value in net.params.items()}
    start = net.loss(X_TRAIN, T_TRAIN)
    for i in range(60):
        batch = slice(i % 30 * 20, i % 30 * 20 + 20)
        optimizer.update(net.params, net.gradient(X_TRAIN[batch], T_TRAIN[batch]))
    assert all(net.params[key] is arrays[key] for key in arrays)  # same arrays, changed in place
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.loss(X_TRAIN, T_TRAIN) < 0.5 * start


def test_sgd_step():
    params, grads = {"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, -1.0])}
    SGD(lr=0.1).update(params, grads)
    np.testing.assert_allclose(params["w"], [0.95, 2.1])


def test_momentum_steps_accumulate_velocity():
    params, grads = {"w": np.array([1.0])}, {"w": np.array([1.0])}
    optimizer = Momentum(lr=0.1, momentum=0.9)
    optimizer.update(params, grads)  # v = -0.1
    optimizer.update(params, grads)  # v = 0.9 * -0.1 - 0.1 = -0.19
    np.testing.assert_allclose(params["w"], [1.0 - 0.1 - 0.19])


def test_adam_first_steps_have_size_lr():
    """With bias correction, Adam's first step is lr · sign(grad) whatever the gradient's size."""
    params = {"w": np.array([0.0, 0.0])}
    optimizer = Adam(lr=0.01)
    optimizer.update(params, {"w": np.array([1000.0, -0.1])})
    np.testing.assert_allclose(params["w"], [-0.01, 0.01], rtol=1e-4)
    optimizer.update(params, {"w": np.array([1000.0, -0.1])})
    np.testing.assert_allclose(params["w"], [-0.02, 0.02], rtol=1e-4)


def test_uint8_images_converted_per_batch_train_exactly_as_the_float_array():
    from course_lib.datasets import MnistImages

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (600, 2, 4), dtype=np.uint8)
    labels = (pixels.reshape(600, -1)[:, 0] > 127).astype(int) + (pixels.reshape(600, -1)[:, 1] > 127)
    lazy = MnistImages(pixels)
    trainer, options = quiet(eval_batch_size=128), dict(iters_num=60, batch_size=20, optimizer=SGD(lr=0.1))
    from_bytes = trainer.train(make_net(), lazy, labels, lazy, labels, **options)
    from_array = trainer.train(make_net(), np.asarray(lazy), labels, np.asarray(lazy), labels, **options)
    np.testing.assert_array_equal(from_bytes.loss, from_array.loss)
    assert from_bytes.train_acc == from_array.train_acc


def test_training_runs_on_the_blas_threads_asked_for():
    """blas_threads=1 (train()'s setting) limits BLAS to one thread while the net computes its gradients;
    blas_threads=None leaves the number it finds; after training the number is as before."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        return max(pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas")

    class WatchedNet(TwoLayerNet):
        def gradient(self, x, t):
            self.seen.add(blas_threads())
            return super().gradient(x, t)

    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        outside = blas_threads()
        seen = {}
        for setting in (1, None):
            net = WatchedNet(D, H, C, weight_init_std="he", dtype=np.float32, seed=0)
            net.seen = set()
            run(net, iters_num=10, blas_threads=setting)
            seen[setting] = net.seen
            assert blas_threads() == outside
    assert seen == {1: {1}, None: {outside}}


def test_the_settings_change_how_it_runs_not_what_it_computes():
    """Accuracy in the background or in line, in chunks of any size, on one BLAS thread or on as many as it
    finds (here one: the blobs' products are too small to split), with or without a bar: the same numbers."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        reference = run()
        for settings in ({"eval_in_background": False}, {"eval_batch_size": 7}, {"blas_threads": None},
                         {"progress": True}):
            other = run(**settings)
            np.testing.assert_array_equal(other.loss, reference.loss)
            assert (other.train_acc, other.test_acc) == (reference.train_acc, reference.test_acc), settings


def test_train_is_the_trainer_with_its_default_settings(capfd):
    """The learner's train() and Trainer().train() make the same run (SGD(lr=0.1) the default optimizer)."""
    net_a, net_b = make_net(), make_net()
    by_train = train(net_a, X_TRAIN, T_TRAIN, X_TEST, T_TEST, iters_num=60, batch_size=20)
    by_trainer = Trainer().train(net_b, X_TRAIN, T_TRAIN, X_TEST, T_TEST, iters_num=60, batch_size=20,
                                 optimizer=SGD(lr=0.1))
    np.testing.assert_array_equal(by_train.loss, by_trainer.loss)
    assert by_train.test_acc == by_trainer.test_acc
    for key in net_a.params:
        np.testing.assert_array_equal(net_a.params[key], net_b.params[key])
    assert "60/60" in capfd.readouterr().err  # train() shows its progress bar


def test_the_numbers_do_not_depend_on_how_many_blas_threads_the_machine_has():
    """train() keeps BLAS to one thread (Trainer's blas_threads=1), so a lesson's stored numbers come out the same on a one-core Binder
    and on a many-core laptop.  Several BLAS threads split the sums of a matrix product differently and change
    the last bits; over a few hundred steps the loss curves part (checked first, where this machine shows it)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    rng = np.random.default_rng(0)
    x = rng.random((2000, 784), dtype=np.float32)
    t = rng.integers(0, 10, 2000)

    def losses(outer_threads, **options):
        net = TwoLayerNet(784, 50, 10, dtype=np.float32, seed=0)
        with threadpoolctl.threadpool_limits(outer_threads, user_api="blas"):
            return quiet(eval_every_epoch=False, **options).train(net, x, t, iters_num=300, batch_size=100,
                                                                  optimizer=SGD(lr=0.1)).loss

    if np.array_equal(losses(1, blas_threads=None), losses(2, blas_threads=None)):
        pytest.skip("this machine's BLAS gives the same bits on one thread and on two (one core, or unthreaded)")
    np.testing.assert_array_equal(losses(1), losses(2))
