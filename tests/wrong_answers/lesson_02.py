"""Lesson 2's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "chain-rule-square-of-product": [
        ("s fed by x only", 'g.add_node("s", MulLayer(), ["x", "x"])\ng.add_node("w", SquareLayer(), ["s"])', r"not \(x · y\)²"),
    ],
    "chain-rule-three-gates": [
        ("wrong sign at 1/v", "u = x ** 2\nv = u + 1\ndf_dv = 1 / v ** 2\ndf_du = df_dv\ndf_dx = df_du * 2 * x\n"
         'return {"v": df_dv, "u": df_du, "x": df_dx}', r"wrong sign"),
        ("square's local derivative missing", "u = x ** 2\nv = u + 1\ndf_dv = -1 / v ** 2\ndf_du = df_dv\n"
         'df_dx = df_du\nreturn {"v": df_dv, "u": df_du, "x": df_dx}', r"first gate"),
    ],
    "chain-rule-count-sweeps": [
        ("swapped", "forward_mode_sweeps = 10\nreverse_mode_sweeps = 784", r"swapped"),
        ("off by one", "forward_mode_sweeps = 785\nreverse_mode_sweeps = 10", r"ONE input"),
        ("one sweep per entry", "forward_mode_sweeps = 7840\nreverse_mode_sweeps = 7840", r"ONE input"),
    ],
}
