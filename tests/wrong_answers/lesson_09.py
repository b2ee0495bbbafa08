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
    ],
    "mnist-training-loop": [
        ("accuracy never appended", "pass", r"one accuracy per epoch"),
    ],
}
