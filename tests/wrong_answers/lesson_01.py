"""Lesson 1's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "graphs-tax-doubles": [
        ("option a", 'tax_doubles_answer = "a"', r"Not a"),
        ("option c", 'tax_doubles_answer = "c"', r"Not c"),
        ("option d", 'tax_doubles_answer = "d"', r"Not d"),
    ],
    "graphs-olah": [
        ("constant b instead of 1", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(b), ["b"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node d has the wrong value"),
        ("b + b for d", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddLayer(), ["b", "b"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node d has the wrong value"),
        ("d fed by a", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(1), ["a"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node d depends on a"),
        ("c multiplies", 'g.add_node("c", MulLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(1), ["b"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node c multiplies"),
        ("e adds", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(1), ["b"])\n'
         'g.add_node("e", AddLayer(), ["c", "d"])', r"node e adds"),
        ("c from a twice", 'g.add_node("c", AddLayer(), ["a", "a"])\ng.add_node("d", AddConstLayer(1), ["b"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node c has the wrong value.*two inputs"),
        ("wrong constant", 'g.add_node("c", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(2), ["b"])\n'
         'g.add_node("e", MulLayer(), ["c", "d"])', r"node d has the wrong value.*constant"),
        ("e not added last", 'g.add_node("e", MulLayer(), ["c", "d"])\ng.add_node("c", AddLayer(), ["a", "b"])\n'
         'g.add_node("d", AddConstLayer(1), ["b"])', r"output of your graph is node d.*add e last"),
        ("other names", 'g.add_node("sum", AddLayer(), ["a", "b"])\ng.add_node("d", AddConstLayer(1), ["b"])\n'
         'g.add_node("e", MulLayer(), ["sum", "d"])', r"no node 'c'"),
    ],
    "graphs-forward-pass": [
        ("f adds", 'q = x + y\nf = q + z\ng = f * q\nreturn {"q": q, "f": f, "g": g}', r"node f adds"),
        ("q multiplies", 'q = x * y\nf = q * z\ng = f * q\nreturn {"q": q, "f": f, "g": g}', r"node q multiplies"),
        ("f from x, not q", 'q = x + y\nf = x * z\ng = f * q\nreturn {"q": q, "f": f, "g": g}',
         r"node f uses x or y where it needs q"),
        ("g adds", 'q = x + y\nf = q * z\ng = f + q\nreturn {"q": q, "f": f, "g": g}', r"node g adds"),
        ("g uses z", 'q = x + y\nf = q * z\ng = f * z\nreturn {"q": q, "f": f, "g": g}', r"node g multiplies the wrong pair"),
        ("g before f", 'q = x + y\ng = f * q\nf = q * z\nreturn {"q": q, "f": f, "g": g}',
         r"referenced before assignment|cannot access local variable"),
        ("only the output", 'q = x + y\nf = q * z\ng = f * q\nreturn g', r"must return a dict"),
        ("a node left out", 'q = x + y\nf = q * z\ng = f * q\nreturn {"f": f, "g": g}', r"no value for node 'q'"),
        ("hard-coded", 'return {"q": 3.0, "f": -12.0, "g": -36.0}', r"same for other inputs.*instead of typing"),
    ],
}
