"""Lesson 6's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
_RIGHT_DW = "self.dW = self.x.T @ dout\n"
_RIGHT_DX = "\ndx = dout @ self.W.T"
WRONG = {
    "affine-backward": [
        ("dW transposed", "self.dW = dout.T @ self.x\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"transpos|shape"),
        ("dx transposed W", _RIGHT_DW + "self.db = dout.sum(axis=0)\ndx = dout @ self.W", r"transpos|shape"),
        ("db: mean for sum", _RIGHT_DW + "self.db = dout.mean(axis=0)" + _RIGHT_DX, r"times too small"),
        ("db: one sample instead of the sum", _RIGHT_DW + "self.db = dout[0]" + _RIGHT_DX, r"sample \d+ alone"),
        ("db: no sum over the batch", _RIGHT_DW + "self.db = dout" + _RIGHT_DX, r"sum over the batch|shape"),
        ("db: sum over the wrong axis", _RIGHT_DW + "self.db = dout.sum(axis=1)" + _RIGHT_DX, r"axis|shape"),
        ("dW divided by N", "self.dW = self.x.T @ dout / len(dout)\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"times too small"),
        ("wrong sign", "self.dW = -self.x.T @ dout\nself.db = dout.sum(axis=0)" + _RIGHT_DX, r"sign"),
    ],
    "affine-columns-square": [
        ("dW transposed", "self.dW = self.x @ dout.T\nself.db = dout.sum(axis=1, keepdims=True)\ndx = self.W.T @ dout", r"transpos"),
        ("row formulas copied", "self.dW = self.x.T @ dout\nself.db = dout.sum(axis=0)\ndx = dout @ self.W.T", r"transpos|shape|axis"),
    ],
    "affine-scale-shift": [
        ("dgamma without the sum", "self.dgamma = dout * self.x\nself.dbeta = dout.sum(axis=0)\ndx = dout * self.gamma", r"sum over the batch|shape"),
        ("dbeta: one sample", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout[0]\ndx = dout * self.gamma", r"sample \d+ alone"),
        ("dbeta: mean for sum", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.mean(axis=0)\ndx = dout * self.gamma", r"times too small"),
        ("dx summed too", "self.dgamma = (dout * self.x).sum(axis=0)\nself.dbeta = dout.sum(axis=0)\ndx = (dout * self.gamma).sum(axis=0)", r"shape|sum"),
        ("dgamma as a matrix product", "self.dgamma = self.x.T @ dout\nself.dbeta = dout.sum(axis=0)\ndx = dout * self.gamma", r"shape|element"),
    ],
}
