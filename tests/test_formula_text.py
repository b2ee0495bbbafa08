"""formula_text: one rendering of a gate on its inputs, shared by pictures, steppers and errors."""
import pytest

from course_lib import drawing, expression_steps
from course_lib.learner import value
from course_lib.drawing import describe_graph
from course_lib.expression_steps import ExpressionSteps
from course_lib.expressions import parse_expression
from course_lib.formatting import formula_text


@pytest.mark.parametrize("op, inputs, text", [
    ("×", ["x", "y"], "x × y"),
    ("×−1", ["x"], "x × −1"),
    ("+1", ["x"], "x + 1"),
    ("−5", ["x"], "x − 5"),
    ("÷2", ["x"], "x ÷ 2"),
    ("**2", ["n1"], "n1 ** 2"),
    ("**−0.5", ["n1"], "n1 ** −0.5"),
    ("exp", ["n3"], "exp(n3)"),
    ("σ", ["x"], "σ(x)"),
    ("max0", ["x"], "max(x, 0)"),
    ("max", ["x", "y"], "max(x, y)"),
    ("1/x", ["y"], "1/y"),
    ("copy", ["x"], "copy(x)"),
    ("×", ["apple price", "n"], "(apple price) × n"),
])
def test_formula_text(op, inputs, text):
    assert formula_text(op, inputs) == text


def test_pictures_and_steppers_render_a_formula_the_same_way():
    assert drawing.formula_text is value.formula_text is expression_steps.formula_text is formula_text
    steps = ExpressionSteps("-x + 1")
    _, lines = describe_graph(parse_expression("-x + 1", x=2.0))
    definitions = [line.split(" = ", 1)[1] for line in steps.definitions()]
    assert definitions == ["x × −1", "n1 + 1"]
    for definition in definitions:
        assert any(f"= {definition} =" in line for line in lines), (definition, lines)
