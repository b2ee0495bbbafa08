"""Lesson 6's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
_RIGHT_DW = "self.dW = self.x.T @ dout\n"
_RIGHT_DX = "\ndx = dout @ self.W.T"
_COL_DW = "self.dW = dout @ self.x.T\n"
_COL_DX = "\ndx = self.W.T @ dout"
_COL_DB = "\nself.db = dout.sum(axis=1, keepdims=True)\n"
WRONG = {
    "affine-backward": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("dW transposed", "self.dW = dout.T @ self.x\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"transposed"),
        ("dx transposed W", _RIGHT_DW + "self.db = dout.sum(axis=0)\ndx = dout @ self.W", r"transpose is missing"),
        ("db: mean for sum", _RIGHT_DW + "self.db = dout.mean(axis=0)" + _RIGHT_DX, r"times too small"),
        ("db: one sample instead of the sum", _RIGHT_DW + "self.db = dout[0]" + _RIGHT_DX, r"sample \d+ alone"),
        ("db: no sum over the batch", _RIGHT_DW + "self.db = dout" + _RIGHT_DX, r"add the rows up over the batch"),
        ("db: sum over the wrong axis", _RIGHT_DW + "self.db = dout.sum(axis=1)" + _RIGHT_DX, r"summed over the wrong axis"),
        ("dW divided by N", "self.dW = self.x.T @ dout / len(dout)\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"times too small"),
        ("wrong sign", "self.dW = -self.x.T @ dout\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"wrong sign"),
        ("dx and dW swapped", "self.dW = dout @ self.W.T\nself.db = dout.sum(axis=0)\ndx = self.x.T @ dout", r"shape"),
        ("reference imported", "from course_lib import Affine as _A\ndx = _A.backward(self, dout)", r"own|course_lib"),
    ],
    "affine-columns-square": [
        ("dW transposed", "self.dW = self.x @ dout.T" + _COL_DB + "dx = self.W.T @ dout", r"transposed"),
        ("dx: W not transposed", _COL_DW + "self.db = dout.sum(axis=1, keepdims=True)\ndx = self.W @ dout", r"gradient for input is wrong"),
        ("row formulas copied", "self.dW = self.x.T @ dout\nself.db = dout.sum(axis=0)\ndx = dout @ self.W.T", r"transposed|shape|axis"),
        ("db: one sample instead of the sum", _COL_DW + "self.db = dout[:, :1]" + _COL_DX, r"sample \d+ alone"),
        ("db: mean for sum", _COL_DW + "self.db = dout.mean(axis=1, keepdims=True)" + _COL_DX, r"N = 3 times too small"),
        ("db: sum over the wrong axis", _COL_DW + "self.db = dout.sum(axis=0, keepdims=True)" + _COL_DX, r"summed over the wrong axis"),
        ("db: wrong axis, reshaped", _COL_DW + "self.db = dout.sum(axis=0).reshape(-1, 1)" + _COL_DX, r"summed over the wrong axis"),
        ("db: no sum over the batch", _COL_DW + "self.db = dout" + _COL_DX, r"one entry per sample along axis 1"),
        ("db: keepdims forgotten", _COL_DW + "self.db = dout.sum(axis=1)" + _COL_DX, r"keepdims=True"),
        ("wrong sign", "self.dW = -(dout @ self.x.T)" + _COL_DB + "dx = self.W.T @ dout", r"wrong sign"),
    ],
    "affine-scale-shift": [
        ("dgamma without the sum", "self.dgamma = dout * self.x\nself.dbeta = dout.sum(axis=0)\ndx = dout * self.gamma", r"add the rows up over the batch"),
        ("dbeta: one sample", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout[0]\ndx = dout * self.gamma", r"sample \d+ alone"),
        ("dbeta: mean for sum", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.mean(axis=0)\ndx = dout * self.gamma", r"times too small"),
        ("dbeta: sum over the wrong axis", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.sum(axis=1)\ndx = dout * self.gamma", r"summed over the wrong axis"),
        ("dx summed too", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.sum(axis=0)\ndx = (dout * self.gamma).sum(axis=0)", r"shape"),
        ("dgamma as a matrix product", "self.dgamma = self.x.T @ dout\nself.dbeta = dout.sum(axis=0)\ndx = dout * self.gamma", r"shape"),
        ("dx times x", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.sum(axis=0)\ndx = dout * self.x", r"gradient for input is wrong"),
    ],
}
