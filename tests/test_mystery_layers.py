"""mystery_layers: each of lesson 8's four layers has exactly one planted bug, each bug in one layer."""
import numpy as np
import pytest

from course_lib import check_layer
from course_lib.errors import CourseValueError
from course_lib.mystery_layers import NAMES, mystery_layer

X = np.random.default_rng(9).standard_normal((4, 3))


def _broken(name):
    """The gradient lines check_layer marks with ✘ for layer ``name``."""
    return [line for line in str(check_layer(mystery_layer(name), X)).splitlines() if "✘" in line]


@pytest.mark.parametrize("name", NAMES)
def test_each_layer_has_exactly_one_broken_gradient(name):
    assert len(_broken(name)) == 1


def test_the_four_bugs_are_four_different_ones():
    explanations = {_broken(name)[0] for name in NAMES}
    assert len(explanations) == 4


def test_a_layer_forward_is_a_right_affine():
    layer = mystery_layer("B")
    assert np.allclose(layer.forward(X), X @ layer.W + layer.b)


def test_each_call_makes_a_fresh_identical_layer():
    first, second = mystery_layer("C"), mystery_layer("C")
    assert first is not second and np.array_equal(first.W, second.W)


@pytest.mark.parametrize("name", ["E", "a", "AB", 0])
def test_an_unknown_name_is_refused_in_words(name):
    with pytest.raises(CourseValueError, match="mystery_layer takes one of"):
        mystery_layer(name)
