"""Lesson 5's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "activations-relu": [
        ("mask inverted", "dx = dout.copy()\ndx[~self.mask] = 0", r"blocked where the unit was off"),
        ("gradient not blocked", "dx = dout.copy()", r"blocked where the unit was off"),
        ("reference imported", "from course_lib import Relu as _R\ndx = _R.backward(self, dout)", r"own|course_lib|blocked"),
    ],
    "activations-sigmoid": [
        ("output instead of slope", "dx = dout * self.out", r"local derivative"),
        ("wrong sign", "dx = dout * self.out * (self.out - 1.0)", r"local derivative"),
        ("tanh's slope", "dx = dout * (1.0 - self.out ** 2)", r"local derivative"),
        ("dout passed on", "dx = dout", r"local derivative"),
    ],
    "activations-tanh": [
        ("sigmoid's slope", "dx = dout * self.out * (1.0 - self.out)", r"local derivative"),
        ("missing square", "dx = dout * (1.0 - self.out)", r"local derivative"),
        ("wrong sign", "dx = dout * (self.out ** 2 - 1.0)", r"local derivative"),
        ("factor 2 kept", "dx = dout * 2 * (1.0 - self.out ** 2)", r"local derivative"),
    ],
}
