"""Lesson 10's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "ninja-log_probs": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("wrong sign", "d_log_probs = np.zeros_like(v['log_probs'])\nd_log_probs[np.arange(N), t] = 1 / N\n", r"sign"),
        ("factor N: no mean", "d_log_probs = np.zeros_like(v['log_probs'])\nd_log_probs[np.arange(N), t] = -1\n", r"N"),
    ],
    "ninja-sums": [
        ("wrong sign", "d_sums = grads['log_probs'].sum(axis=1, keepdims=True) / v['sums']\n", r"sign"),
    ],
    "ninja-h": [
        ("wrong sign", "d_h = -(grads['logits'] @ v['W2'].T)\n", r"sign"),
    ],
    "ninja-W2": [
        ("mean for sum", "d_W2 = v['h'].T @ grads['logits'] / N\n", r"mean|N"),
        ("wrong sign", "d_W2 = -(v['h'].T @ grads['logits'])\n", r"sign"),
    ],
    "ninja-b2": [
        ("missing sum over the batch", "d_b2 = grads['logits']\n", r"add the rows up over the batch"),
        ("mean for sum", "d_b2 = grads['logits'].mean(axis=0)\n", r"mean|N"),
        ("one sample instead of the sum", "d_b2 = grads['logits'][0]\n", r"gradient of sample 0 alone"),
    ],
    "ninja-mu": [
        ("wrong sign", "d_mu = grads['centered'].sum(axis=0)\n", r"sign"),
        ("one sample instead of the sum", "d_mu = -grads['centered'][0]\n", r"gradient of sample 0 alone"),
    ],
    "ninja-W1": [
        ("mean for sum", "d_W1 = x.T @ grads['h_pre'] / N\n", r"mean|N"),
        ("wrong sign", "d_W1 = -(x.T @ grads['h_pre'])\n", r"sign"),
    ],
    "ninja-exps": [
        ("left (N, 1), not broadcast to (N, C)", "d_exps = grads['sums']\n", r"shape"),
    ],
    "ninja-shifted": [
        ("one path only (the exp one)", "d_shifted = grads['exps'] * v['exps']\n", r"differ"),
        ("wrong sign on the direct path", "d_shifted = -grads['log_probs'] + grads['exps'] * v['exps']\n", r"differ|sign"),
    ],
    "ninja-logits": [
        # on the lesson's batch the max path brings 0: the test also runs the function on a made-up case
        ("max path forgotten", "return d_shifted.copy()\n", r"path through the row maximum is missing"),
        ("wrong sign of the max path", "d = d_shifted.copy()\nd[np.arange(len(logits)), logits.argmax(axis=1)] += d_shifted.sum(axis=1)\nreturn d\n", r"wrong sign"),
        ("max path sent to every entry of the row", "return d_shifted - d_shifted.sum(axis=1, keepdims=True)\n", r"every entry of the row"),
        ("direct path forgotten", "d = np.zeros_like(d_shifted)\nd[np.arange(len(logits)), logits.argmax(axis=1)] -= d_shifted.sum(axis=1)\nreturn d\n", r"direct path is missing"),
        ("= for -=", "d = d_shifted.copy()\nd[np.arange(len(logits)), logits.argmax(axis=1)] = -d_shifted.sum(axis=1)\nreturn d\n", r"replaced the direct gradient"),
        ("argmin for argmax", "d = d_shifted.copy()\nd[np.arange(len(logits)), logits.argmin(axis=1)] -= d_shifted.sum(axis=1)\nreturn d\n", r"smallest"),
        ("sum over the batch (axis=0)", "return d_shifted - d_shifted.sum(axis=0)\n", r"axis=0"),
        ("this lesson's N instead of the argument's", "d = d_shifted.copy()\nd[np.arange(N), logits.argmax(axis=1)] -= d_shifted.sum(axis=1)\nreturn d\n", r"arguments only"),
        ("this lesson's grads instead of the argument", "d = grads['shifted'].copy()\nd[np.arange(N), v['logits'].argmax(axis=1)] -= grads['shifted'].sum(axis=1)\nreturn d\n", r"arguments only"),
    ],
    "ninja-h_bn": [
        ("Relu mask forgotten", "d_h_bn = grads['h']\n", r"differ"),
        ("mask from the output gradient", "d_h_bn = grads['h'] * (grads['h'] > 0)\n", r"differ"),
    ],
    "ninja-gamma": [
        ("missing sum over the batch", "d_gamma = grads['h_bn'] * v['x_hat']\n", r"add the rows up over the batch"),
        ("mean for sum", "d_gamma = (grads['h_bn'] * v['x_hat']).mean(axis=0)\n", r"mean|N"),
        ("one sample instead of the sum", "d_gamma = grads['h_bn'][0] * v['x_hat'][0]\n", r"gradient of sample 0 alone"),
    ],
    "ninja-beta": [
        ("missing sum over the batch", "d_beta = grads['h_bn']\n", r"add the rows up over the batch"),
        ("mean for sum", "d_beta = grads['h_bn'].mean(axis=0)\n", r"mean|N"),
        ("one sample instead of the sum", "d_beta = grads['h_bn'][2]\n", r"gradient of sample 2 alone"),
    ],
    "ninja-x_hat": [
        ("multiplied by x_hat instead of gamma", "d_x_hat = grads['h_bn'] * v['x_hat']\n", r"differ"),
    ],
    "ninja-inv_std": [
        ("missing sum over the batch", "d_inv_std = grads['x_hat'] * v['centered']\n", r"add the rows up over the batch"),
        ("other factor x_hat", "d_inv_std = (grads['x_hat'] * v['x_hat']).sum(axis=0)\n", r"differ"),
    ],
    "ninja-var": [
        ("wrong sign", "d_var = grads['inv_std'] * 0.5 * (v['var'] + EPS) ** -1.5\n", r"sign"),
    ],
    "ninja-centered": [
        ("path through var forgotten", "d_centered = grads['x_hat'] * v['inv_std']\n", r"differ"),
        ("factor N: the mean's 1/N left out", "d_centered = grads['x_hat'] * v['inv_std'] + grads['var'] * 2 * v['centered']\n", r"differ|N"),
    ],
    "ninja-h_pre": [
        ("path through mu forgotten", "d_h_pre = grads['centered']\n", r"differ"),
    ],
    "ninja-b1": [
        # d_b1 itself is 0 (BatchNorm follows h_pre): the test judges d_bias on a layer whose bias matters
        ("missing sum over the batch", "return upstream\n", r"add the rows up over the batch"),
        ("mean for sum", "return upstream.mean(axis=0)\n", r"N = 7 times too small"),
        ("wrong sign", "return -upstream.sum(axis=0)\n", r"wrong sign"),
        ("one sample instead of the sum", "return upstream[0]\n", r"gradient of sample 0 alone"),
        ("this lesson's upstream instead of the argument", "return grads['h_pre'].sum(axis=0)\n", r"second layer"),
        ("zero, true for b1 only", "return np.zeros(upstream.shape[1])\n", r"second layer"),
    ],
    "ninja-logits_in_one_line": [
        ("no 1/N", "return softmax(logits) - one_hot(t, logits.shape[1])\n", r"N|differ"),
        ("wrong sign", "return (one_hot(t, logits.shape[1]) - softmax(logits)) / len(logits)\n", r"sign"),
        ("this lesson's N and C instead of the arguments'", "return (softmax(logits) - one_hot(t, C)) / N\n", r"second batch"),
    ],
    "ninja-h_pre_in_one_line": [
        ("the var path forgotten", "return (gamma * inv_std / len(g)) * (len(g) * g - g.sum(axis=0))\n", r"differ"),
        ("wrong sign of the mu path", "return (gamma * inv_std / len(g)) * (len(g) * g + g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))\n", r"differ"),
    ],
    "ninja-my_gradients": [
        ("the lesson's v and start instead of the arguments", 'd_logits = d_logits_in_one_line(v["logits"], t)\nd_h_bn = (d_logits @ start["W2"].T) * (v["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, start["gamma"], v["inv_std"], v["x_hat"])\nreturn {"W1": x.T @ d_h_pre, "b1": d_bias(d_h_pre), "gamma": (d_h_bn * v["x_hat"]).sum(axis=0), "beta": d_bias(d_h_bn), "W2": v["h"].T @ d_logits, "b2": d_bias(d_logits)}\n', r"arguments p and vals"),
        ("the checks' hand-outs, which belong to start", "return {name: grads[name] for name in start}\n", r"arguments p and vals"),
        ("wrong sign of W1", 'd_logits = d_logits_in_one_line(vals["logits"], t)\nd_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, p["gamma"], vals["inv_std"], vals["x_hat"])\nreturn {"W1": -(x.T @ d_h_pre), "b1": d_bias(d_h_pre), "gamma": (d_h_bn * vals["x_hat"]).sum(axis=0), "beta": d_bias(d_h_bn), "W2": vals["h"].T @ d_logits, "b2": d_bias(d_logits)}\n', r"d_W1 has the wrong sign"),
        ("mean for sum in W2", 'd_logits = d_logits_in_one_line(vals["logits"], t)\nd_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, p["gamma"], vals["inv_std"], vals["x_hat"])\nreturn {"W1": x.T @ d_h_pre, "b1": d_bias(d_h_pre), "gamma": (d_h_bn * vals["x_hat"]).sum(axis=0), "beta": d_bias(d_h_bn), "W2": vals["h"].T @ d_logits / N, "b2": d_bias(d_logits)}\n', r"d_W2 is N = 8 times too small"),
        ("missing sum over the batch for beta", 'd_logits = d_logits_in_one_line(vals["logits"], t)\nd_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, p["gamma"], vals["inv_std"], vals["x_hat"])\nreturn {"W1": x.T @ d_h_pre, "b1": d_bias(d_h_pre), "gamma": (d_h_bn * vals["x_hat"]).sum(axis=0), "beta": d_h_bn, "W2": vals["h"].T @ d_logits, "b2": d_bias(d_logits)}\n', r"d_beta.*add the rows up over the batch"),
        ("one sample instead of the sum for b2", 'd_logits = d_logits_in_one_line(vals["logits"], t)\nd_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, p["gamma"], vals["inv_std"], vals["x_hat"])\nreturn {"W1": x.T @ d_h_pre, "b1": d_bias(d_h_pre), "gamma": (d_h_bn * vals["x_hat"]).sum(axis=0), "beta": d_bias(d_h_bn), "W2": vals["h"].T @ d_logits, "b2": d_logits[0]}\n', r"d_b2.*gradient of sample 0 alone"),
        ("a gradient left out", 'd_logits = d_logits_in_one_line(vals["logits"], t)\nd_h_bn = (d_logits @ p["W2"].T) * (vals["h_bn"] > 0)\nd_h_pre = d_h_pre_in_one_line(d_h_bn, p["gamma"], vals["inv_std"], vals["x_hat"])\nreturn {"W1": x.T @ d_h_pre, "gamma": (d_h_bn * vals["x_hat"]).sum(axis=0), "beta": d_bias(d_h_bn), "W2": vals["h"].T @ d_logits, "b2": d_bias(d_logits)}\n', r"missing: b1"),
        ("the layers' backward instead of yours", "layer = Affine(p['W2'], p['b2'])\nreturn {}\n", r"calls course_lib's Affine"),
    ],
    "ninja-train": [
        ("wrong sign", "loss, vals = forward_values(p)\ng = gradients(p, vals)\nfor name in p:\n    p[name] = p[name] + lr * g[name]\n", r"wrong sign"),
        ("gradients computed once, before the loop", "if step == 0:\n    loss, vals = forward_values(p)\n    g = gradients(p, vals)\nfor name in p:\n    p[name] = p[name] - lr * g[name]\n", r"called once for 200 steps"),
        ("forward values not recomputed", "if step == 0:\n    loss, vals = forward_values(p)\ng = gradients(p, vals)\nfor name in p:\n    p[name] = p[name] - lr * g[name]\n", r"not those of the current parameters"),
        ("= for -=", "loss, vals = forward_values(p)\ng = gradients(p, vals)\nfor name in p:\n    p[name] = -lr * g[name]\n", r"= where -= belongs"),
        ("the learning rate left out", "loss, vals = forward_values(p)\ng = gradients(p, vals)\nfor name in p:\n    p[name] = p[name] - g[name]\n", r"lr = 0.5 was left out"),
        ("only the weights updated", "loss, vals = forward_values(p)\ng = gradients(p, vals)\nfor name in ('W1', 'W2'):\n    p[name] = p[name] - lr * g[name]\n", r"b1 never changed"),
        ("my_gradients called directly, not the argument", "loss, vals = forward_values(p)\ng = my_gradients(p, vals)\nfor name in p:\n    p[name] = p[name] - lr * g[name]\n", r"never called its argument"),
        ("the checks' hand-outs (start's gradients) instead of yours", "loss, vals = forward_values(p)\nfor name in p:\n    p[name] = p[name] - lr * grads[name]\n", r"never called its argument"),
        ("the layers' backward instead of yours", "loss, vals = forward_values(p)\nlayer = Affine(p['W1'], p['b1'])\n", r"calls course_lib's Affine"),
    ],
}
