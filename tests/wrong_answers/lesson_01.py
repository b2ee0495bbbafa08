"""Lesson 1's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "graphs-tax-doubles": [
        ("option a", 'tax_doubles_answer = "a"', r"Not a"),
        ("option c", 'tax_doubles_answer = "c"', r"Not c"),
        ("option d", 'tax_doubles_answer = "d"', r"Not d"),
    ],
    "graphs-olah": [
        ("d fed by a", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(1), ["a"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"check the gate of each node"),
    ],
    "graphs-forward-pass": [
        ("f adds", 'q = x + y\nf = q + z\ng = f * q\nreturn {"q": q, "f": f, "g": g}', r"node f"),
    ],
}
