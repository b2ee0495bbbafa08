"""Lesson 11's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "appendix-which-line-bp4": [
        ("another quiz option: a", 'answer = "a"', r"Not a|✘"),
        ("another quiz option: c", 'answer = "c"', r"Not c|✘"),
    ],
    "appendix-bp2-columns": [
        ("W not transposed", "return (w_next @ delta_next) * (z > 0)", r"."),
        ("the Relu mask left out", "return w_next.T @ delta_next", r"."),
        ("wrong sign", "return -(w_next.T @ delta_next) * (z > 0)", r"."),
    ],
    "appendix-tanh": [
        ("sigmoid's slope", "dx = dout * self.out * (1.0 - self.out)", r"."),
        ("the square left out", "dx = dout * (1.0 - self.out)", r"."),
        ("wrong sign", "dx = -dout * (1.0 - self.out**2)", r"."),
    ],
}
