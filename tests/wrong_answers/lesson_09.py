"""Lesson 9's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "mnist-read-the-check": [
        ("another quiz option: a bug in Affine1", 'answer = "a"', r"lesson 8's scale"),
        ("another quiz option: float32", 'answer = "c"', r"float32"),
        ("another quiz option: a tiny h", 'answer = "d"', r"depend on h"),
    ],
    "mnist-update-step": [
        ("wrong sign", "params[key] += lr * grads[key]", r"\*with\* their gradient"),
        ("a new array instead of in place", "params[key] = params[key] - lr * grads[key]", r"new array"),
        ("lr left out", "params[key] -= grads[key]", r"whole gradient"),
        ("lr hard-coded", "params[key] -= 0.1 * grads[key]", r"not by the lr it was given"),
        ("the parameter instead of its gradient", "params[key] -= lr * params[key]", r"instead of its gradient"),
    ],
    "mnist-training-loop": [
        ("accuracy never appended", "pass", r"one accuracy per epoch"),
        ("one iteration per epoch",
         "grads = net.gradient(x[:batch_size], t[:batch_size])\nfor key in net.params:\n"
         "    net.params[key] -= lr * grads[key]\naccuracies.append(net.accuracy(x_val, t_val))",
         r"computed \d+ times"),
        ("the whole set instead of a mini-batch",
         "for _ in range(iters_per_epoch):\n    grads = net.gradient(x, t)\n    for key in net.params:\n"
         "        net.params[key] -= lr * grads[key]\naccuracies.append(net.accuracy(x_val, t_val))",
         r"mini-batches of"),
        ("accuracy appended every iteration",
         "for _ in range(iters_per_epoch):\n    batch = rng.integers(0, len(x), size=batch_size)\n"
         "    grads = net.gradient(x[batch], t[batch])\n    for key in net.params:\n"
         "        net.params[key] -= lr * grads[key]\n    accuracies.append(net.accuracy(x_val, t_val))",
         r"one accuracy per epoch"),
        ("accuracy on the training data",
         "for _ in range(iters_per_epoch):\n    batch = rng.integers(0, len(x), size=batch_size)\n"
         "    grads = net.gradient(x[batch], t[batch])\n    for key in net.params:\n"
         "        net.params[key] -= lr * grads[key]\naccuracies.append(net.accuracy(x, t))",
         r"measure it on \(x_val, t_val\)"),
        ("wrong sign",
         "for _ in range(iters_per_epoch):\n    batch = rng.integers(0, len(x), size=batch_size)\n"
         "    grads = net.gradient(x[batch], t[batch])\n    for key in net.params:\n"
         "        net.params[key] += lr * grads[key]\naccuracies.append(net.accuracy(x_val, t_val))",
         r"direction and size of the update"),
    ],
}
