"""Lesson 5's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "activations-relu": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("mask inverted", "dx = dout.copy()\ndx[~self.mask] = 0", r"mask is inverted"),
        ("dout times the mask", "dx = dout * self.mask", r"mask is inverted"),
        ("gradient not blocked", "dx = dout.copy()", r"passes dout on everywhere"),
        ("dout changed in place", "dout[self.mask] = 0\ndx = dout", r"changed the dout it was given \(in place\)"),
        ("everything blocked", "dx = np.zeros_like(dout)", r"blocked where the unit was off"),
        ("reference imported", "from course_lib import Relu as _R\ndx = _R.backward(self, dout)", r"own|course_lib"),
    ],
    "activations-sigmoid": [
        ("output instead of slope", "dx = dout * self.out", r"output y itself"),
        ("wrong sign", "dx = dout * self.out * (self.out - 1.0)", r"wrong sign"),
        ("tanh's slope", "dx = dout * (1.0 - self.out ** 2)", r"local derivative is wrong\. At x = 0 \(y = 0\.5\) yours gives 0\.75"),
        ("dout passed on", "dx = dout", r"passes dout on unchanged"),
        ("dout forgotten", "dx = self.out * (1.0 - self.out)", r"ignores dout"),
        ("factor 2", "dx = 2 * dout * self.out * (1.0 - self.out)", r"2 times the right one"),
        ("reference imported", "from course_lib import Sigmoid as _S\ndx = _S.backward(self, dout)", r"own|course_lib"),
    ],
    "activations-tanh": [
        ("sigmoid's slope", "dx = dout * self.out * (1.0 - self.out)", r"yours gives 0, but tanh's slope there is 1"),
        ("missing square", "dx = dout * (1.0 - self.out)", r"local derivative is wrong"),
        ("wrong sign", "dx = dout * (self.out ** 2 - 1.0)", r"wrong sign"),
        ("factor 2 kept", "dx = dout * 2 * (1.0 - self.out ** 2)", r"2 times the right one"),
        ("dout passed on", "dx = dout.copy()", r"local derivative is wrong"),
        ("dout forgotten", "dx = 1.0 - self.out ** 2", r"ignores dout"),
    ],
}
