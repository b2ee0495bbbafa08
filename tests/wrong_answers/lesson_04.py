"""Lesson 4's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "autograd-topological-order": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("no memory of visited nodes",
         "def visit(node):\n    for parent in node.parents:\n        visit(parent)\n    order.append(node)\n\nvisit(out)\n",
         r"more than once"),
        ("node appended before its parents",
         "def visit(node):\n    if node not in seen:\n        seen.add(node)\n        order.append(node)\n"
         "        for parent in node.parents:\n            visit(parent)\n\nvisit(out)\n",
         r"before one of its parents"),
        ("visit never called", "def visit(node):\n    pass\n", r"nodes, your list holds 0"),
        ("course_lib's order handed in", "order.extend(topological_order(out))\n", r"own|course_lib"),
    ],
    "autograd-local-gradients": [
        ("wrong sign of ∂(x/y)/∂y", ("return 1 / y, x / y**2\n", None, None, None), r"∂z/∂x is right"),
        ("∂(x/y)/∂x as x", ("return x, -x / y**2\n", None, None, None), r"∂z/∂y is right"),
        ("tanh' with the wrong sign", (None, "return math.tanh(x) ** 2 - 1\n", None, None), r"wrong sign"),
        ("tanh' as 1 + tanh²", (None, "return 1 + math.tanh(x) ** 2\n", None, None), r"not the derivative"),
        ("log' as log", (None, None, "return math.log(x)\n", None), r"not the derivative"),
        ("σ' as σ", (None, None, None, "return 1 / (1 + math.exp(-x))\n"), r"not the derivative"),
        ("numerical gradient handed in",
         (None, None, None, "return float(numerical_gradient(lambda p: 1 / (1 + math.exp(-p[0])), np.array([x])))\n"),
         r"own|numerical"),
    ],
    "autograd-backward": [
        ("= for +=",
         "for node in order:\n    node.grad = 0.0\nout.grad = 1.0\nfor node in reversed(order):\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad = local * node.grad\n",
         r"only one of its shares"),
        ("not reversed (the order of the loop)",
         "for node in order:\n    node.grad = 0.0\nout.grad = 1.0\nfor node in order:\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad += local * node.grad\n",
         r"every gradient is 0|order"),
        ("no seed",
         "for node in order:\n    node.grad = 0.0\nfor node in reversed(order):\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad += local * node.grad\n",
         r"every gradient is 0"),
        ("no reset",
         "out.grad = 1.0\nfor node in reversed(order):\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad += local * node.grad\n",
         r"set every grad to 0"),
        ("wrong sign",
         "for node in order:\n    node.grad = 0.0\nout.grad = 1.0\nfor node in reversed(order):\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad -= local * node.grad\n",
         r"wrong sign"),
        ("local gradient left out",
         "for node in order:\n    node.grad = 0.0\nout.grad = 1.0\nfor node in reversed(order):\n"
         "    for parent, local in zip(node.parents, node.local_grads):\n        parent.grad += node.grad\n",
         r"local gradient|shares"),
    ],
    "autograd-bug-hunt": [
        ("x used twice (the easy fork)", "return x * x + y\n", r"x is used 2 times"),
        ("the sum computed twice (two nodes, no fork)", "return (x + y) * (x + y)\n", r"x is used 2 times"),
        ("no fork at all", "return x * y\n", r"still agrees.*no node of its graph has two users"),
        ("y left out", "t = x * 2\nreturn t * t\n", r"y is not used"),
    ],
    "autograd-train-neuron": [
        ("wrong sign of the update",
         (None, "my_backward(loss)\nw.data += lr * w.grad\nb.data += lr * b.grad\n"), r"wrong sign"),
        ("no backward pass", (None, "w.data -= lr * w.grad\nb.data -= lr * b.grad\n"), r"never changed"),
        ("only w updated", (None, "my_backward(loss)\nw.data -= lr * w.grad\n"), r"both w and b"),
        ("one sample instead of the sum",
         ("x, label = points[0]\nreturn ((w * x + b).sigmoid() - label) ** 2\n", None), r"one point instead of the sum"),
        ("mean for sum",
         ("total = Tiny(0.0)\nfor x, label in points:\n    total = total + ((w * x + b).sigmoid() - label) ** 2\n"
          "return total * (1 / len(points))\n", None), r"mean over the points"),
        ("= for += (the last term only)",
         ("for x, label in points:\n    total = ((w * x + b).sigmoid() - label) ** 2\nreturn total\n", None),
         r"one point instead of the sum"),
        ("built on .data (no graph)",
         ("total = 0.0\nfor x, label in points:\n    total += (1 / (1 + math.exp(-(w.data * x + b.data))) - label) ** 2\n"
          "return Tiny(total)\n", None), r"disagree with the numerical gradient"),
    ],
}
