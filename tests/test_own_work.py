"""check_own_work: an exercise's answer may not be the course's reference under another name."""
import numpy as np
import pytest

import course_lib
from course_lib import Relu
from course_lib.autograd import topological_order
from course_lib.errors import WrongAnswer
from course_lib.own_work import check_own_work


class MyRelu:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class Inherits(Relu):
    pass


class Delegates:
    def forward(self, x):
        self.inner = Relu()
        return self.inner.forward(x)

    def backward(self, dout):
        return Relu.backward(self.inner, dout)


class ThroughTheModule:
    def backward(self, dout):
        return course_lib.Relu().backward(dout)


def my_order(out):
    def visit(node):
        return topological_order(node)  # hidden in a nested function
    return visit(out)


renamed = topological_order


def my_renamed_order(out):
    return renamed(out)


def test_the_learner_s_own_code_passes():
    check_own_work(MyRelu, Relu)
    check_own_work(lambda out: [out], topological_order)


@pytest.mark.parametrize("answer, message", [
    (Inherits, "Inherits inherits from course_lib's Relu"),
    (Delegates, "Delegates calls course_lib's Relu"),
    (ThroughTheModule, "ThroughTheModule calls course_lib's Relu"),
])
def test_a_class_built_on_the_reference_is_refused(answer, message):
    with pytest.raises(WrongAnswer, match=message):
        check_own_work(answer, Relu)


@pytest.mark.parametrize("answer", [my_order, my_renamed_order])
def test_a_function_that_calls_the_reference_under_any_name_is_refused(answer):
    with pytest.raises(WrongAnswer, match="calls course_lib's topological_order, which is the answer"):
        check_own_work(answer, topological_order)
