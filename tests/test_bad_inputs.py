"""Every bad input gets a clear answer (issue 15): the course's own errors, with words, never a raw one.

One test per reproducer of the issue, one per kind of bad input, and a property test that feeds random
bad inputs to every gate, layer and function and accepts only a ``CourseError`` with a message.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import (
    AddConstLayer, AddLayer, Affine, BatchNormalization, Convolution, CopyLayer, Dropout, ExpLayer, MaxLayer,
    MulConstLayer, MulLayer, Pooling, ReciprocalLayer, Relu, Sigmoid, SoftmaxWithLoss, SquareLayer, TwoLayerNet,
    apple_graph, apple_orange_graph, check_layer, cross_entropy_error, log_softmax, numerical_gradient, one_hot,
    rel_error, sigmoid, sigmoid_graph, softmax,
)
from course_lib.learner import gates
from course_lib.errors import (
    BackwardBeforeForwardError, CallOrderError, CourseError, CourseTypeError, CourseValueError,
)
from course_lib.gate_rules import DEFAULT_INPUTS
from course_lib.stepping import LayerSteps
from course_lib.widgets import BackwardStepper, GateExplorer

NAN, INF = float("nan"), float("inf")


def raises_course_error(kind=CourseError, match=None):
    return pytest.raises(kind, match=match)


# ---- the error types ----

def test_the_course_errors_are_also_the_errors_a_learner_expects():
    assert issubclass(CourseValueError, ValueError) and issubclass(CourseTypeError, TypeError)
    assert issubclass(CallOrderError, RuntimeError) and issubclass(BackwardBeforeForwardError, CallOrderError)
    for kind in (CourseValueError, CourseTypeError, CallOrderError):
        assert issubclass(kind, CourseError)
    with pytest.raises(ValueError):  # `except ValueError` keeps working for learners
        one_hot([-1], 3)


# ---- the reproducers, one test each ----

def test_a_nan_typed_into_a_stepper_box_is_refused_without_recursion():
    stepper = BackwardStepper(apple_orange_graph())
    stepper.input_boxes["apple"].value = NAN
    assert "nan" in stepper.message.value and "Not applied" in stepper.message.value
    assert stepper.input_boxes["apple"].value == 100 and stepper.steps.graph.inputs["apple"] == 100
    stepper.set_input("apple", NAN)
    assert stepper.steps.graph.inputs["apple"] == 100
    stepper.input_boxes["apple"].value = 50  # a good edit clears the message
    assert stepper.message.value == "" and stepper.steps.graph.inputs["apple"] == 50


def test_sigmoid_graph_at_minus_1000_has_the_gradient_of_sigmoid():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads = sigmoid_graph(-1000.0).run().grads
    assert grads["x"] == 0 and sigmoid(-1000.0) == 0
    assert sigmoid_graph(1000.0).run().grads["x"] == 0
    gate = ExpLayer()
    assert gate.forward(1000.0) == INF
    assert gate.backward(0.0) == 0 and gate.backward(-0.0) == 0
    assert gate.backward(2.0) == INF  # a real overflow stays visible, and explained in the trace


def test_cross_entropy_with_integer_probabilities():
    assert cross_entropy_error(np.array([0, 1, 0]), 1) == 0
    assert cross_entropy_error(np.array([[0, 1], [1, 0]]), np.array([1, 0])) == 0


def test_max_pooling_pads_with_minus_infinity():
    x = -np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    out = Pooling(2, 2, pad=1).forward(x)
    np.testing.assert_array_equal(out, x)  # each corner window holds one pixel: that pixel is the max
    assert check_layer(Pooling(2, 2, pad=1), np.random.default_rng(0).permutation(16).reshape(1, 1, 4, 4) - 20.0).passed


def test_max_gate_gives_nan_in_either_order():
    assert math.isnan(MaxLayer().forward(NAN, 1.0)) and math.isnan(MaxLayer().forward(1.0, NAN))
    assert math.isnan(gates.MaxConstLayer(0).forward(NAN)) and math.isnan(gates.ReluLayer().forward(NAN))
    gate = MaxLayer()
    gate.forward(1.0, NAN)
    assert gate.backward(1.0) == (0.0, 1.0)  # the nan input gets the gradient, as in numpy's maximum


@pytest.mark.parametrize("labels", [[[0, 0, 0], [1, 0, 0]], [[2, 0, 0], [1, 0, 0]], [[1, 1, 0], [0, 0, 1]],
                                    [[-1, 2, 0], [0, 0, 1]]])
def test_one_hot_rows_must_hold_a_single_one(labels):
    with raises_course_error(CourseValueError, "one-hot label row"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.array(labels, dtype=float))


def test_soft_labels_summing_to_one_are_accepted():
    assert np.isfinite(SoftmaxWithLoss().forward(np.zeros((1, 3)), np.array([[0.2, 0.3, 0.5]])))


def test_probabilities_outside_zero_and_one_are_refused():
    with raises_course_error(CourseValueError, "probabilities between 0 and 1.*softmax"):
        cross_entropy_error([2.0, 0, 0], 0)
    with raises_course_error(CourseValueError, "between 0 and 1"):
        cross_entropy_error([-0.5, 1.5], 1)


def test_one_hot_refuses_labels_out_of_range():
    with raises_course_error(CourseValueError, "label -1 is out of range for 3 classes"):
        one_hot([-1], 3)
    with raises_course_error(CourseValueError, "label 3 is out of range"):
        one_hot([0, 3], 3)
    with raises_course_error(CourseValueError, "whole numbers"):
        one_hot([0.5], 3)
    with raises_course_error(CourseValueError, "n_classes must be at least 1"):
        one_hot([0], 0)


@pytest.mark.parametrize("make, x", [
    (lambda: Affine(np.ones((4, 3)), np.zeros(3)), np.zeros((0, 4))),
    (lambda: BatchNormalization(np.ones(4), np.zeros(4)), np.zeros((0, 4))),
    (lambda: Convolution(np.ones((1, 1, 2, 2)), np.zeros(1)), np.zeros((0, 1, 3, 3))),
    (lambda: Pooling(2, 2), np.zeros((0, 1, 2, 2))),
])
def test_empty_batches_are_refused(make, x):
    with raises_course_error(CourseValueError, "empty"):
        make().forward(x)


def test_empty_batch_in_the_loss():
    with raises_course_error(CourseValueError, "the batch is empty"):
        SoftmaxWithLoss().forward(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with raises_course_error(CourseValueError, "the batch is empty"):
        TwoLayerNet(4, 3, 2).loss(np.zeros((0, 4)), np.zeros(0, dtype=int))


def test_graph_grads_after_set_input_are_refused_not_stale():
    g = apple_graph()
    g.run()
    g.set_input("apple", 50)
    with raises_course_error(CallOrderError, "no backward pass since"):
        g.grads
    with raises_course_error(BackwardBeforeForwardError, "fresh forward"):
        g.backward()
    assert g.run().grads["apple_num"] == pytest.approx(55)


def test_affine_wants_a_batch_and_says_how_to_make_one():
    layer = Affine(np.ones((3, 2)), np.zeros(2), name="Affine1")
    with raises_course_error(CourseValueError, r"Affine1: x is one sample of shape \(3,\); expected a batch \(N, 3\); give a batch of one: x.reshape\(1, -1\)"):
        layer.forward(np.ones(3))
    with raises_course_error(CourseValueError, r"Affine1: input of shape \(2, 4\) has 4 features per sample, but W has shape \(3, 2\)"):
        layer.forward(np.ones((2, 4)))
    np.testing.assert_array_equal(layer.forward(np.ones((1, 3))), [[3.0, 3.0]])  # the batch of one


def test_strings_and_lists_in_gates():
    with raises_course_error(CourseTypeError, "MulLayer: input x must be numbers, got the text 'a'"):
        MulLayer().forward("a", 3)
    np.testing.assert_array_equal(MulLayer().forward([100, 200], [2, 2]), [200, 400])  # a list is an array
    g = apple_orange_graph()
    g.set_input("apple", [100, 200])  # an array input is allowed, but the gates need one shape
    with raises_course_error(CourseValueError, "node 'apple_price'.*same shape"):
        g.forward()


def test_numerical_gradient_of_a_function_returning_text():
    with raises_course_error(CourseTypeError, "f must return one number.*str"):
        numerical_gradient(lambda x: f"{x.sum():.3f}", np.ones(3))
    with raises_course_error(CourseTypeError, "NoneType"):
        numerical_gradient(lambda x: None, np.ones(3))
    with raises_course_error(CourseTypeError, r"shape \(3,\)"):
        numerical_gradient(lambda x: 2 * x, np.ones(3))
    assert numerical_gradient(lambda x: np.array([x.sum()]), np.ones(2)) == pytest.approx([1, 1])


def test_affine_with_a_list_for_w():
    with raises_course_error(CourseTypeError, "W must be a numpy array, got list"):
        Affine([[1.0, 2.0], [3.0, 4.0]], np.zeros(2))
    with raises_course_error(CourseTypeError, "W must hold floats"):
        Affine(np.ones((2, 2), dtype=int), np.zeros(2))


@pytest.mark.parametrize("make, match", [
    (lambda: Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), stride=0), "stride must be at least 1"),
    (lambda: Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), pad=-1), "pad must be at least 0"),
    (lambda: Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), stride=1.5), "stride must be a whole number"),
    (lambda: Pooling(0, 0), "pool_h must be at least 1"),
    (lambda: Pooling(2, 2, pad=2), "pad 2 must be smaller than the window"),
    (lambda: Dropout("0.5"), "dropout_ratio must be a number"),
    (lambda: Dropout(1.0), r"dropout_ratio must be in \[0, 1\)"),
    (lambda: TwoLayerNet(-1, 5, 3), "input_size must be at least 1"),
    (lambda: TwoLayerNet(4, 5.0, 3), "hidden_size must be a whole number"),
    (lambda: TwoLayerNet(4, 5, 3, dtype=int), "dtype must be a float type"),
    (lambda: TwoLayerNet(4, 5, 3, weight_init_std=-1), "at least 0"),
    (lambda: TwoLayerNet(4, 5, 3, weight_init_std="big"), "'he' \\(or 'relu'\\) or 'xavier'"),
    (lambda: CopyLayer(0), "n_copies must be at least 1"),
    (lambda: MulConstLayer("2"), "the constant c must be a number"),
    (lambda: AddConstLayer(NAN), "the constant c is nan"),
    (lambda: BatchNormalization(np.ones(3), np.zeros(2)), "gamma and beta must both be"),
    (lambda: BatchNormalization([1.0], [0.0]), "gamma must be a numpy array"),
    (lambda: BatchNormalization(np.ones(2), np.zeros(2), momentum=2), "momentum must be in"),
])
def test_bad_constructor_arguments(make, match):
    with raises_course_error(CourseError, match):
        make()


def test_layer_steps_check_the_step_number():
    net = TwoLayerNet(4, 3, 2, seed=0)
    steps = LayerSteps(net, np.ones((2, 4)), np.array([0, 1]))
    for bad, kind in ((-1, CourseValueError), (5, CourseValueError), (1.5, CourseTypeError),
                      ("1", CourseTypeError), (True, CourseTypeError)):
        for method in (steps.frame, steps.explanation, steps.svg, steps.body_html, steps.layer_name):
            with raises_course_error(kind, "step"):
                method(bad)
    assert steps.layer_name(np.int64(1)) == "SoftmaxWithLoss"


def test_widget_inputs_at_the_extremes_are_explained():
    stepper = BackwardStepper(apple_graph())
    stepper.input_boxes["apple"].value = 1e308  # finite, but the price overflows: applied, with a word
    assert "Applied, but node &#x27;apple_price&#x27; is inf" in stepper.message.value
    assert "overflowed" in stepper.message.value and "Not applied" not in stepper.message.value
    assert stepper.steps.graph.inputs["apple"] == 1e308
    assert "overflowed" in stepper.explanation_text
    stepper.stepper.go_to(1)
    assert "inf" in stepper.explanation_text and "overflowed" in stepper.explanation_text
    stepper.input_boxes["tax"].value = INF
    assert "Not applied" in stepper.message.value and stepper.input_boxes["tax"].value == 1.1


def test_expression_stepper_survives_nan_and_inf_boxes():
    from course_lib.widgets import ExpressionStepper
    stepper = ExpressionStepper()
    stepper.input_boxes["x"].value = NAN  # no RecursionError
    assert "finite" in stepper.error_text
    stepper.set_input("x", INF)
    assert "finite" in stepper.error_text
    stepper.input_boxes["x"].value = 1.0
    assert stepper.error_text == ""


def test_gate_explorer_survives_a_nan_slider():
    explorer = GateExplorer("mul")
    svg = explorer.svg
    explorer.number_boxes["x"].value = NAN
    assert "Not applied" in explorer.picture.value and explorer.svg == svg
    assert explorer.number_boxes["x"].value == DEFAULT_INPUTS["x"]  # the box keeps its old value, as the steppers' do
    assert "Not applied" in explorer.picture.value
    explorer.number_boxes["x"].value = 1.0
    assert "Not applied" not in explorer.picture.value


def test_check_layer_says_a_random_layer_is_random():
    report = check_layer(Dropout(0.5, seed=0), np.ones((2, 3)))
    assert not report.passed
    assert "random" in str(report) and "seed" in str(report)
    assert check_layer(lambda: Dropout(0.5, seed=0), np.ones((2, 3))).passed


# ---- kinds of bad input ----

def test_kind_shape():
    layer = Relu()
    layer.forward(np.ones((2, 3)))
    with raises_course_error(CourseValueError, r"dout has shape \(3, 2\)"):
        layer.backward(np.ones((3, 2)))
    with raises_course_error(CourseValueError, r"inputs have shapes \(3,\) and \(2,\)"):
        AddLayer().forward(np.ones(3), np.ones(2))
    gate = MulLayer()
    gate.forward(2.0, 3.0)
    with raises_course_error(CourseValueError, "dout has shape"):
        gate.backward(np.ones(2))
    with raises_course_error(CourseValueError, "do not fit scores"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_kind_dtype():
    with raises_course_error(CourseTypeError, "True/False"):
        Relu().forward(np.array([True, False]))
    with raises_course_error(CourseTypeError, "complex"):
        sigmoid(np.array([1 + 2j]))
    with raises_course_error(CourseValueError, "must be integers"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with raises_course_error(CourseTypeError, "float numpy array"):
        numerical_gradient(lambda x: x.sum(), np.ones(3, dtype=int))


def test_kind_empty():
    with raises_course_error(CourseValueError, "at least one score"):
        softmax(np.zeros(0))
    with raises_course_error(CourseValueError, "at least one score"):
        log_softmax(np.zeros((2, 0)))
    with raises_course_error(CourseValueError, "give the input"):
        check_layer(Relu())
    assert Relu().forward(np.zeros((0, 3))).shape == (0, 3)  # element-wise on nothing: nothing, not wrong


def test_kind_list_and_str():
    np.testing.assert_array_equal(Relu().forward([-1, 2]), [0, 2])
    with raises_course_error(CourseTypeError, "the text"):
        Sigmoid().forward("1.0")
    with raises_course_error(CourseTypeError, "labels must be class indices"):
        SoftmaxWithLoss().forward(np.zeros(3), "0")
    with raises_course_error(CourseValueError, "rectangular"):
        Relu().forward([[1, 2], [3]])
    with raises_course_error(CourseTypeError, "None"):
        AddLayer().forward(None, 1)
    with raises_course_error(CourseTypeError, "the text"):
        rel_error("a", "b")


def test_kind_nan_and_inf():
    with raises_course_error(CourseValueError, "input 'apple': the value is nan"):
        apple_graph().set_input("apple", NAN)
    with raises_course_error(CourseValueError, "overflowed"):
        apple_graph().set_input("tax", -INF)
    with raises_course_error(CourseValueError, r"holds nan at index \(1,\)"):
        apple_graph().set_input("tax", np.array([1.0, NAN]))
    with raises_course_error(CourseValueError, "1/x is undefined at x = 0"):
        ReciprocalLayer().forward(0.0)
    with pytest.raises(ZeroDivisionError, match="division by the constant 0"):  # also a CourseValueError
        gates.DivConstLayer(0)
    assert SquareLayer().forward(1e200) == INF  # Python's float ** would raise OverflowError
    assert np.isnan(Relu().forward(np.array([NAN]))).all()  # layers: nan in, nan out
    with raises_course_error(CourseValueError, "f returned nan"):
        numerical_gradient(lambda x: x.sum() * NAN, np.ones(2))


def test_kind_nan_in_check_layer_is_reported_in_words():
    class NanBackward:
        def forward(self, x):
            return 2 * x

        def backward(self, dout):
            return dout * NAN

    report = check_layer(NanBackward(), np.ones(3))
    assert not report.passed and "holds nan" in str(report)


def test_kind_flags():
    with raises_course_error(CourseTypeError, "train_flg must be True or False, got 'no'"):
        Dropout(0.5, seed=0).forward(np.ones(3), train_flg="no")
    with raises_course_error(CourseTypeError, "train_flg"):
        BatchNormalization(np.ones(2), np.zeros(2)).forward(np.ones((2, 2)), train_flg=None)


def test_kind_labels():
    with raises_course_error(CourseValueError, "label 3 is out of range for 3 classes"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.array([0, 3]))
    with raises_course_error(CourseValueError, "label -1"):
        cross_entropy_error(np.full((1, 2), 0.5), np.array([-1]))
    with raises_course_error(CourseValueError, "one-hot label row"):
        TwoLayerNet(4, 3, 2).accuracy(np.ones((1, 4)), np.array([[0.0, 0.0]]))


def test_kind_state():
    with raises_course_error(BackwardBeforeForwardError, "before"):
        Affine(np.ones((2, 2)), np.zeros(2)).backward(np.ones((1, 2)))
    with raises_course_error(CallOrderError, "run forward"):
        apple_graph().grads
    g = apple_graph()
    g.run()
    g.add_input("extra", 1.0)
    with raises_course_error(CallOrderError):
        g.grads


def test_kind_graph_dout():
    g = apple_graph()
    g.forward()
    with raises_course_error(CourseTypeError, "dout must be numbers"):
        g.backward("1")
    with raises_course_error(CourseValueError, r"output .price. has shape \(\)"):
        g.backward(np.ones(2))


def test_a_refused_edit_leaves_the_stepper_as_it_was():
    from course_lib import Graph
    g = Graph("reciprocal")
    g.add_input("x", 2.0)
    g.add_node("y", ReciprocalLayer(), ["x"])
    stepper = BackwardStepper(g)
    frame = stepper.frame
    stepper.input_boxes["x"].value = 0.0
    assert "1/x is undefined" in stepper.message.value
    assert stepper.steps.graph.inputs["x"] == 2.0 and stepper.frame == frame and stepper.input_boxes["x"].value == 2.0


# ---- training ----

def small_data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((40, 4)).astype(np.float32), rng.integers(0, 3, 40)


def test_nan_in_the_data_is_named_as_the_cause_not_the_learning_rate():
    from course_lib import TrainingDiverged, train
    x, t = small_data()
    x[7, 1] = NAN
    with pytest.raises(TrainingDiverged) as info:
        train(TwoLayerNet(4, 5, 3, dtype=np.float32, seed=0), x, t, iters_num=20, batch_size=10)
    message = str(info.value)
    assert "x_train row(s) 7" in message and "not the cause" in message and "Lower the learning rate" not in message
    assert isinstance(info.value, CourseError) and isinstance(info.value, FloatingPointError)


def test_a_too_large_learning_rate_still_gets_the_learning_rate_advice():
    from course_lib import SGD, TrainingDiverged, train
    x, t = small_data()
    with pytest.raises(TrainingDiverged, match="Lower the learning rate"):
        with np.errstate(all="ignore"):
            train(TwoLayerNet(4, 5, 3, dtype=np.float32, seed=0), x * 1e3, t, iters_num=50, batch_size=10,
                  optimizer=SGD(lr=1e30))


@pytest.mark.parametrize("arguments, kind, match", [
    ({"batch_size": 0}, CourseValueError, "batch_size must be at least 1"),
    ({"batch_size": 2.5}, CourseTypeError, "batch_size must be a whole number"),
    ({"iters_num": -1}, CourseValueError, "iters_num must be at least 0"),
    ({"optimizer": "sgd"}, CourseTypeError, "update"),
    ({"t_train": np.zeros(5, dtype=int)}, CourseValueError, "40 images but 5 labels"),
    ({"x_test": np.zeros((3, 4))}, CourseTypeError, "x_test/t_test"),
])
def test_bad_training_arguments(arguments, kind, match):
    from course_lib import train
    x, t = small_data()
    given = {"x_train": x, "t_train": t, "iters_num": 2, **arguments}
    with raises_course_error(kind, match):
        train(TwoLayerNet(4, 5, 3, seed=0), **given)


@pytest.mark.parametrize("make, match", [
    (lambda: __import__("course_lib").SGD(lr=-1), "lr must be above 0"),
    (lambda: __import__("course_lib").SGD(lr="0.1"), "lr must be a number"),
    (lambda: __import__("course_lib").Momentum(momentum=1.5), r"momentum must be in \[0, 1\)"),
    (lambda: __import__("course_lib").Adam(beta2=NAN), "beta2 is nan"),
])
def test_bad_optimizer_arguments(make, match):
    with raises_course_error(CourseError, match):
        make()


# ---- the property test: random bad inputs to every gate, layer and function ----

rng0 = np.random.default_rng(0)
GATES = [MulLayer, AddLayer, MaxLayer, CopyLayer, lambda: MulConstLayer(-1), lambda: AddConstLayer(1), ExpLayer,
         ReciprocalLayer, SquareLayer,
         # the gates of recorded expressions (autograd)
         gates.SubLayer, gates.DivLayer, lambda: gates.DivConstLayer(2), lambda: gates.PowerLayer(3), gates.LogLayer,
         gates.TanhLayer, gates.ReluLayer, gates.SigmoidLayer, lambda: gates.MaxConstLayer(0)]
LAYERS = {
    "Relu": (Relu, ((2, 3),)),
    "Sigmoid": (Sigmoid, ((2, 3),)),
    "Affine": (lambda: Affine(rng0.standard_normal((3, 2)), np.zeros(2)), ((2, 3),)),
    "SoftmaxWithLoss": (SoftmaxWithLoss, ((2, 3), "labels")),
    "Dropout": (lambda: Dropout(0.5, seed=0), ((2, 3),)),
    "BatchNormalization": (lambda: BatchNormalization(np.ones(3), np.zeros(3)), ((2, 3),)),
    "Convolution": (lambda: Convolution(rng0.standard_normal((2, 1, 2, 2)), np.zeros(2)), ((1, 1, 3, 3),)),
    "Pooling": (lambda: Pooling(2, 2), ((1, 1, 2, 2),)),
}
FUNCTIONS = [sigmoid, softmax, log_softmax, lambda x: cross_entropy_error(x, 0), lambda x: one_hot(x, 3),
             lambda x: rel_error(x, np.ones(3)), lambda x: TwoLayerNet(3, 2, 2, seed=0).loss(x, np.array([0]))]

numbers = st.floats(allow_nan=True, allow_infinity=True, width=64)
bad_values = st.one_of(
    st.text(max_size=4), st.none(), st.booleans(), st.complex_numbers(max_magnitude=10),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2), st.just(object()),
    st.lists(st.text(max_size=2), min_size=1, max_size=3),
    st.lists(st.lists(st.integers(-3, 3), max_size=3), min_size=2, max_size=3),  # often ragged
    st.lists(numbers, max_size=4), numbers, st.integers(-5, 5),
    st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda shape: np.full(shape, 0.5)),
    st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3), st.integers(0, 3)).map(np.ones),
    st.sampled_from([np.array([NAN, INF, -INF]), np.zeros((2, 3), dtype=bool), np.array(["a", "b"]),
                     np.array([1 + 1j]), np.zeros((2, 3), dtype=int), np.zeros((0, 3)), np.array(3.0),
                     np.ones((2, 3), dtype=np.float32), np.array([[-1, 0, 5]])]),
)


REFUSED = object()


def call_accepting_only_course_errors(function, *args, numbers_out=True):
    """Call; a raised error must be a CourseError with a message (then REFUSED is returned);
    a result must be numbers (unless ``numbers_out`` is False)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # nan in, nan out is allowed (the policy)
            result = function(*args)
    except CourseError as error:
        assert str(error).strip(), f"{type(error).__name__} without a message"
        return REFUSED
    except Exception as error:  # noqa: BLE001 - the point of the test
        pytest.fail(f"raw {type(error).__name__} from {getattr(function, '__qualname__', function)}{args!r:.200}: {error}")
    parts = result if isinstance(result, tuple) else (result,)
    for part in parts if numbers_out else ():
        assert np.asarray(part).dtype.kind in "biuf", f"a result that is not numbers: {result!r:.200}"
    return result


def valid(shape):
    return np.random.default_rng(1).standard_normal(shape)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gate_index=st.integers(0, len(GATES) - 1), bad=bad_values, position=st.integers(0, 1),
       bad_dout=bad_values)
def test_gates_answer_every_bad_input_with_a_course_error(gate_index, bad, position, bad_dout):
    gate = GATES[gate_index]()
    inputs = [2.0] * gate.n_inputs
    inputs[position % gate.n_inputs] = bad
    if call_accepting_only_course_errors(gate.forward, *inputs) is REFUSED:
        return
    call_accepting_only_course_errors(gate.backward, [bad_dout] * gate.n_copies if isinstance(gate, CopyLayer) else bad_dout)
    if isinstance(gate, CopyLayer):
        call_accepting_only_course_errors(gate.backward, bad_dout)  # not a sequence of gradients at all
    call_accepting_only_course_errors(gate.local_grads)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(LAYERS)), bad=bad_values, bad_position=st.integers(0, 1), bad_dout=bad_values)
def test_layers_answer_every_bad_input_with_a_course_error(name, bad, bad_position, bad_dout):
    make, shapes = LAYERS[name]
    layer = make()
    inputs = [np.array([0, 2]) if shape == "labels" else valid(shape) for shape in shapes]
    inputs[bad_position % len(inputs)] = bad
    if call_accepting_only_course_errors(layer.forward, *inputs) is REFUSED:
        return
    call_accepting_only_course_errors(layer.backward, bad_dout)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(function=st.sampled_from(FUNCTIONS), bad=bad_values)
def test_functions_answer_every_bad_input_with_a_course_error(function, bad):
    call_accepting_only_course_errors(function, bad)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["apple", "apple_num", "tax"]), bad=bad_values)
def test_graph_inputs_answer_every_bad_value_with_a_course_error(name, bad):
    g = apple_graph()
    if call_accepting_only_course_errors(g.set_input, name, bad, numbers_out=False) is not REFUSED:
        trace = call_accepting_only_course_errors(g.run, numbers_out=False)
        if trace is not REFUSED:
            assert np.shape(trace.grads["apple"]) == np.shape(g.inputs["apple"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["apple", "orange_num", "tax"]), bad=st.one_of(numbers, st.integers(-10**6, 10**6)))
def test_stepper_boxes_survive_any_number(name, bad):
    stepper = BackwardStepper(apple_orange_graph())
    stepper.input_boxes[name].value = bad  # a FloatText holds only numbers: every float, nan and inf
    assert stepper.steps.graph.inputs[name] == stepper.input_boxes[name].value
    assert len(stepper.stepper.pages) == 5


# ---- issue 15, second round: each bad input answers with a CourseError naming the thing ----

def test_a_whole_number_too_large_for_a_float_is_refused_naming_the_input():
    with raises_course_error(CourseValueError, "input 'apple': the value is a whole number with 401 digits, too large"):
        apple_graph(apple=10**400).forward()
    with raises_course_error(CourseValueError, "node 'price' of graph 'apple': MulLayer: input x is a whole number"):
        apple_graph(apple=10**300, apple_num=10**300).forward()  # 10**600, made inside the graph
    with raises_course_error(CourseValueError, "too large for a float"):
        MulLayer().forward(10**400, 2)
    assert apple_graph(apple=10**300).forward() == pytest.approx(2.2e300)


@pytest.mark.parametrize("x, match", [
    ([-INF, -INF], "softmax: x is all −inf"),
    ([[0.0, 1.0], [-INF, -INF]], "softmax: row 1 of x is all −inf"),
    ([INF, 1.0], "softmax: x holds inf, which means the number overflowed"),
    ([NAN, 1.0], "softmax: x holds nan, which is not a number"),
])
def test_softmax_refuses_rows_it_cannot_define(x, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with raises_course_error(CourseValueError, match):
            softmax(np.array(x))
        with raises_course_error(CourseValueError, match.replace("softmax", "log_softmax")):
            log_softmax(np.array(x))
        np.testing.assert_array_equal(softmax(np.array([-INF, 1.0])), [0.0, 1.0])  # −inf alone: probability 0
        assert log_softmax(np.array([-INF, 0.0]))[1] == 0


def test_softmax_with_loss_keeps_nan_in_nan_out():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(SoftmaxWithLoss().forward(np.array([[NAN, 1.0], [-INF, -INF]]), np.array([0, 1])))


def test_train_accepts_lists_and_checks_them():
    from course_lib import train
    history = train(TwoLayerNet(4, 5, 3, seed=0), [[0.0, 0.0, 0.0, 0.0]] * 50, [0, 1] * 25, iters_num=2,
                    batch_size=10)
    assert len(history.loss) == 2
    with raises_course_error(CourseValueError, "x_train/t_train hold 50 images but 49 labels"):
        train(TwoLayerNet(4, 5, 3, seed=0), [[0.0] * 4] * 50, [0] * 49, iters_num=2)
    with raises_course_error(CourseTypeError, "train: t_train must be numbers"):
        train(TwoLayerNet(4, 5, 3, seed=0), [[0.0] * 4] * 50, ["cat"] * 50, iters_num=2)
    with raises_course_error(CourseValueError, "train: x_train must be a rectangular array"):
        train(TwoLayerNet(4, 5, 3, seed=0), [[0.0] * 4, [0.0] * 3], [0, 1], iters_num=2)


@pytest.mark.parametrize("optimizer", ["SGD", "Momentum", "Adam"])
def test_optimizers_name_a_wrong_gradient_key_or_shape(optimizer):
    from course_lib.errors import CourseKeyError
    import course_lib
    net = TwoLayerNet(4, 5, 3, seed=0)
    update = getattr(course_lib, optimizer)().update
    grads = {key: np.zeros_like(value) for key, value in net.params.items()}
    with raises_course_error(CourseKeyError, f"{optimizer}.update: grads has 'W3', which is not a parameter; "
                                             "the parameters are 'W1', 'b1', 'W2', 'b2'"):
        update(net.params, {**grads, "W3": np.zeros(3)})
    with raises_course_error(CourseKeyError, "grads lacks 'b2'"):
        update(net.params, {key: grad for key, grad in grads.items() if key != "b2"})
    with raises_course_error(CourseValueError, r"grads\['W1'\] has shape \(3,\), but the parameter params\['W1'\] "
                                               r"has shape \(4, 5\)"):
        update(net.params, {**grads, "W1": np.zeros(3)})
    with raises_course_error(CourseTypeError, r"grads\['b1'\] must be numbers"):
        update(net.params, {**grads, "b1": "zero"})
    before = {key: value.copy() for key, value in net.params.items()}
    update(net.params, grads)  # zero gradients: nothing moves
    assert all(np.array_equal(before[key], net.params[key]) for key in before)


def test_a_stepper_asked_for_an_input_it_has_not_names_the_inputs():
    from course_lib.errors import CourseKeyError
    from course_lib.widgets import ExpressionStepper
    with raises_course_error(CourseKeyError, r"'pear' is not an input of graph 'apple'; inputs are \['apple', 'apple_num', 'tax'\]"):
        BackwardStepper(apple_graph()).set_input("pear", 1.0)
    with pytest.raises(ValueError, match="'pear' is not an input"):  # as Graph.set_input always was
        apple_graph().set_input("pear", 1.0)
    with raises_course_error(CourseKeyError, r"'pear' is not an input of .*; inputs are \['x', 'y'\]"):
        ExpressionStepper().set_input("pear", 1.0)


def test_an_edit_that_overflows_says_which_node():
    stepper = BackwardStepper(sigmoid_graph())
    stepper.input_boxes["x"].value = -1000.0
    assert "Applied, but node &#x27;exp_neg_x&#x27; is inf" in stepper.message.value
    assert "overflowed" in stepper.frame  # the frames say it too
    stepper.input_boxes["x"].value = 1.0
    assert stepper.message.value == ""


def test_layer_stepper_refuses_nan_and_inf_in_x():
    from course_lib.widgets import LayerStepper
    x = np.ones((2, 4))
    for bad, words in ((NAN, "nan"), (INF, "inf")):
        x[1, 2] = bad
        with raises_course_error(CourseValueError, rf"LayerStepper: x holds {words} at index \(1, 2\)"):
            LayerStepper(TwoLayerNet(4, 3, 2, seed=0), x, np.array([0, 1]))


def test_gate_explorer_refuses_nan_keeps_the_old_value_and_says_why():
    explorer = GateExplorer("add")
    explorer.number_boxes["y"].value = 2.0
    explorer.number_boxes["y"].value = NAN
    assert explorer.number_boxes["y"].value == 2.0 and "Not applied" in explorer.picture.value
    assert "nan" in explorer.picture.value


def test_load_mnist_names_the_dtypes_it_gives():
    from course_lib import load_mnist
    for dtype in ("foo", np.int64, "complex128"):
        with raises_course_error(CourseTypeError, "load_mnist: dtype must be one of np.float32, np.float64, np.uint8"):
            load_mnist(dtype=dtype)
    with raises_course_error(CourseValueError, "normalize=True needs a float dtype"):
        load_mnist(dtype=np.uint8)


def test_check_layer_given_a_class_says_make_one():
    with raises_course_error(CourseTypeError, r"check_layer was given the class Relu; make one first: Relu\(\)"):
        check_layer(Relu, np.ones(3))
    with raises_course_error(CourseTypeError, r"make one first: Affine\(W, b\)"):
        check_layer(Affine, np.ones(3))


def test_backward_before_forward_names_the_instance_and_the_method():
    with raises_course_error(BackwardBeforeForwardError, r"^Affine1.backward\(\) was called before Affine1.forward\(\) "
                                                         r"\(Affine1 is an Affine\)"):
        Affine(np.ones((2, 2)), np.zeros(2), name="Affine1").backward(np.ones((1, 2)))
    with raises_course_error(BackwardBeforeForwardError, r"^Affine.backward\(\) was called before Affine.forward\(\):"):
        Affine(np.ones((2, 2)), np.zeros(2)).backward(np.ones((1, 2)))
    for gate in (MulLayer(), AddLayer(), ExpLayer(), gates.TanhLayer(), MaxLayer()):
        name = type(gate).__name__
        with raises_course_error(BackwardBeforeForwardError, rf"{name}.local_grads\(\) was called before {name}.forward\(\)"):
            gate.local_grads()


# ---- one error family ----

def _exception_classes():
    import importlib
    import inspect
    import pkgutil
    import course_lib
    import course_tools
    found = {}
    for package in (course_lib, course_tools):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for _, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, BaseException) and not issubclass(value, Warning) \
                        and value.__module__.startswith(("course_lib", "course_tools")):  # warnings are not errors
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_exception_class_of_the_course_is_a_course_error():
    classes = _exception_classes()
    assert len(classes) >= 15, sorted(classes)
    assert [name for name, kind in classes.items() if not issubclass(kind, CourseError)] == []


def test_the_family_keeps_the_python_errors_they_were():
    from course_lib.datasets import MnistFileError
    from course_lib.errors import CourseKeyError, WrongAnswer
    from course_lib.expressions import ExpressionError
    from course_lib.intermediates import GradientMismatch
    from course_lib import quiz
    from course_tools.classroom.course import ClassroomError
    assert issubclass(ExpressionError, CourseValueError)
    assert issubclass(MnistFileError, OSError) and issubclass(MnistFileError, ValueError)
    assert issubclass(GradientMismatch, WrongAnswer) and issubclass(WrongAnswer, AssertionError)
    assert quiz.WrongAnswer is WrongAnswer  # one class for a wrong answer, importable where lessons import it
    assert issubclass(ClassroomError, CourseError) and issubclass(CourseKeyError, KeyError)


# ---- property tests: autograd, expressions, intermediates, quiz ----

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=st.one_of(bad_values, st.just(10**400), st.sampled_from([NAN, INF, -INF])),
       operation=st.sampled_from(["new", "+", "-", "*", "/", "**", "r+", "r-", "r*", "r/", "r**"]))
def test_autograd_values_answer_every_bad_input_with_a_course_error(bad, operation):
    from course_lib.autograd import Value
    x = Value(2.0, name="x")
    calls = {"new": lambda: Value(bad), "+": lambda: x + bad, "-": lambda: x - bad, "*": lambda: x * bad,
             "/": lambda: x / bad, "**": lambda: x ** bad, "r+": lambda: bad + x, "r-": lambda: bad - x,
             "r*": lambda: bad * x, "r/": lambda: bad / x, "r**": lambda: bad ** x}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = calls[operation]()
    except CourseError as error:
        assert str(error).strip()
        return
    except Exception as error:  # noqa: BLE001
        if isinstance(bad, np.ndarray) and operation.startswith("r"):  # numpy's own operator broadcasts first
            return
        pytest.fail(f"raw {type(error).__name__} from {operation} with {bad!r:.80}: {error}")
    if isinstance(result, Value):
        assert np.isfinite(result.data)


formula_parts = st.sampled_from(["x", "y", "1", "0", "2.5", "+", "-", "*", "/", "**", "(", ")", "exp", "log",
                                 "tanh", "relu", "sigmoid", "maximum", ",", " ", "9", "e", "1e308", "import",
                                 "__", ".", "[", "]", "'", "lambda", ":", "=", "@", "%", "//", "^", "x.y", "\\"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(formula_parts, max_size=14), x=numbers, y=st.one_of(numbers, st.integers(-3, 3)))
def test_garbage_formulas_answer_with_a_course_error(parts, x, y):
    from course_lib.expressions import expression_names, parse_expression
    text = "".join(parts)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            names = expression_names(text)
            graph = parse_expression(text, **{name: (x, y)[i % 2] for i, name in enumerate(names)})
            graph.backward()
    except CourseError as error:
        assert str(error).strip()
    except Exception as error:  # noqa: BLE001 - SyntaxError, KeyError, ZeroDivisionError ... must not escape
        pytest.fail(f"raw {type(error).__name__} from {text!r}: {error}")


def _intermediates():
    from course_lib.intermediates import IntermediateGrads

    def forward(tape):
        x = tape("x", np.array([1.0, -2.0, 3.0]))
        y = tape("y", x * x)
        return float(y.sum())

    return IntermediateGrads(forward)


INTERMEDIATES = _intermediates()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mine=bad_values, name=st.one_of(st.sampled_from(["x", "y"]), st.text(max_size=3)))
def test_intermediates_answer_every_wrong_gradient_in_words(mine, name):
    from course_lib.intermediates import GradientMismatch
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            INTERMEDIATES.check(name, mine)
    except GradientMismatch as error:
        assert str(error).strip() and f"d_{name}" in str(error)
    except CourseError as error:
        assert name not in INTERMEDIATES.names and f"'{name}'" in str(error)
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"raw {type(error).__name__} checking {name!r} with {mine!r:.80}: {error}")


@pytest.mark.parametrize("forward", [lambda tape: "a", lambda tape: None, lambda tape: NAN, 5,
                                     lambda tape: tape(3, 1.0)])
def test_intermediates_refuse_a_forward_pass_of_the_wrong_kind(forward):
    from course_lib.intermediates import IntermediateGrads
    with raises_course_error(CourseError, "IntermediateGrads|tape"):
        IntermediateGrads(forward)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=st.one_of(bad_values, st.just(10**400), st.just(Ellipsis), st.text(max_size=5)))
def test_quiz_checks_answer_every_wrong_kind_of_answer_with_a_wrong_answer(answer):
    from course_lib.errors import WrongAnswer
    from course_lib.quiz import check_choice, check_number, choice_digest
    options = {"a": "one", "b": "two"}
    for check in (lambda: check_number(answer, 2.0, "∂price/∂tax"),
                  lambda: check_choice("q", answer, options, choice_digest("q", "a"), {"b": "no"})):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                check()
        except WrongAnswer as error:
            assert str(error).strip()
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"raw {type(error).__name__} from a quiz given {answer!r:.80}: {error}")


# ---- the classroom's entry points ----

def test_classroom_entry_points_answer_bad_folders_and_lessons_in_words(tmp_path):
    from course_tools.classroom import grade, release
    from course_tools.classroom.course import ClassroomError
    from course_tools.classroom.lessons import lessons
    with raises_course_error(ClassroomError, "no lesson named no_such_lesson; the lessons are: 01_computational_graphs"):
        lessons(["no_such_lesson"])
    with raises_course_error(ClassroomError, "is not a course folder made by `release`"):
        grade(tmp_path / "missing")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with raises_course_error(ClassroomError, "is not empty and was not made by `release`"):
        release(tmp_path / "full")
    with raises_course_error(ClassroomError, "no lesson named"):
        release(tmp_path / "new", names=["nope"])
