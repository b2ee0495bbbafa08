"""Lesson 12's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "appendix-batchnorm-biased-variance": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("another quiz option: 3 % is too little", 'answer = "a"', r"Not a"),
        ("another quiz option: more correct", 'answer = "c"', r"Not c"),
        ("another quiz option: only eval mode", 'answer = "d"', r"Not d"),
    ],
    "appendix-naive-conv": [
        ("flipped filter (the convolution of mathematics)",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                out[i, f, r, col] = np.sum(x[i, :, r:r + fh, col:col + fw] * filters[f, :, ::-1, ::-1]) + b[f]',
         r"flipped the filter"),
        ("wrong output size (H − FH positions, one too few)",
         'out_h, out_w = h - fh, w - fw\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                out[i, f, r, col] = np.sum(x[i, :, r:r + fh, col:col + fw] * filters[f]) + b[f]',
         r"out must be \(N, FN, OH, OW\)"),
        ("bias forgotten",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                out[i, f, r, col] = np.sum(x[i, :, r:r + fh, col:col + fw] * filters[f])',
         r"bias is missing"),
        ("mean for sum over the patch",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                out[i, f, r, col] = np.mean(x[i, :, r:r + fh, col:col + fw] * filters[f]) + b[f]',
         r"mean for sum"),
        ("bias added once per channel",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                for ch in range(c):\n'
         '                    out[i, f, r, col] += np.sum(x[i, ch, r:r + fh, col:col + fw] * filters[f, ch]) + b[f]',
         r"once per channel"),
        ("= for += over the channels (only the last channel counts)",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                for ch in range(c):\n'
         '                    out[i, f, r, col] = np.sum(x[i, ch, r:r + fh, col:col + fw] * filters[f, ch]) + b[f]',
         r"only channel \d+ counts"),
        ("height and width swapped in the patch",
         'out_h, out_w = h - fh + 1, w - fw + 1\n'
         'out = np.zeros((n, fn, out_h, out_w))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                out[i, f, r, col] = np.sum(x[i, :, col:col + fw, r:r + fh] * filters[f]) + b[f]',
         r"rows go with H and FH"),
        ("the reference imported instead of written",
         "return Convolution(filters, b).forward(x)",
         r"(?i)own|course_lib"),
        ("im2col used instead of loops",
         "col = im2col(x, fh, fw)\n"
         "out = (col @ filters.reshape(fn, -1).T + b).reshape(n, h - fh + 1, w - fw + 1, fn).transpose(0, 3, 1, 2)",
         r"(?i)own|course_lib"),
    ],
    "appendix-conv-backward": [
        ("= for += (no sum over the positions and the batch)",
         'dW = np.zeros_like(filters)\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                dW[f] = dout[i, f, r, col] * x[i, :, r:r + fh, col:col + fw]',
         r"\+=, not ="),
        ("one sample instead of the sum over the batch",
         'dW = np.zeros_like(filters)\n'
         'for f in range(fn):\n'
         '    for r in range(out_h):\n'
         '        for col in range(out_w):\n'
         '            dW[f] += dout[0, f, r, col] * x[0, :, r:r + fh, col:col + fw]',
         r"one sample instead of the sum over the batch"),
        ("mean for sum (divided by N)",
         'dW = np.zeros_like(filters)\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                dW[f] += dout[i, f, r, col] * x[i, :, r:r + fh, col:col + fw] / n',
         r"divided by N"),
        ("transposed: dW shaped (C, FN, FH, FW)",
         'dW = np.zeros((filters.shape[1], fn, fh, fw))\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                dW[:, f] += dout[i, f, r, col] * x[i, :, r:r + fh, col:col + fw]',
         r"first two axes are swapped"),
        ("wrong sign",
         'dW = np.zeros_like(filters)\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                dW[f] -= dout[i, f, r, col] * x[i, :, r:r + fh, col:col + fw]',
         r"wrong sign"),
        ("flipped patch",
         'dW = np.zeros_like(filters)\n'
         'for i in range(n):\n'
         '    for f in range(fn):\n'
         '        for r in range(out_h):\n'
         '            for col in range(out_w):\n'
         '                dW[f] += dout[i, f, r, col] * x[i, :, r:r + fh, col:col + fw][:, ::-1, ::-1]',
         r"flipped"),
        ("the reference imported instead of written",
         "conv = Convolution(filters, np.zeros(fn))\n"
         "conv.forward(x)\n"
         "conv.backward(dout)\n"
         "dW = conv.dW",
         r"(?i)own|course_lib"),
        ("the numerical gradient instead of backprop",
         "dW = numerical_gradient(lambda _: (dout * conv_forward_loops(x, filters, np.zeros(fn))).sum(), filters.copy())",
         r"(?i)own|course_lib"),
    ],
    "appendix-maxpool-loops": [
        ("= for += (overlapping windows)",
         "window = x[i, ch, r * stride:r * stride + pool_h, col * stride:col * stride + pool_w]\n"
         "pr, pc = np.unravel_index(np.argmax(window), window.shape)\n"
         "dx[i, ch, r * stride + pr, col * stride + pc] = dout[i, ch, r, col]",
         r"\+=, not ="),
        ("the window's start not added to the winner's position",
         "window = x[i, ch, r * stride:r * stride + pool_h, col * stride:col * stride + pool_w]\n"
         "pr, pc = np.unravel_index(np.argmax(window), window.shape)\n"
         "dx[i, ch, pr, pc] += dout[i, ch, r, col]",
         r"pixels of the first window"),
        ("gradient to the whole window instead of the max",
         "dx[i, ch, r * stride:r * stride + pool_h, col * stride:col * stride + pool_w] += dout[i, ch, r, col]",
         r"not the max of their window"),
        ("the reference imported instead of written",
         "return Pooling(pool_h, pool_w, stride=stride).backward(dout)",
         r"(?i)own|course_lib"),
    ],
    "appendix-batchnorm-backward": [
        ("mean and variance treated as constants (eval-mode backward)",
         "dx = dx_hat / self.std", r"eval-mode backward"),
        ("path through the mean left out",
         "n = len(dout)\n"
         "dx = (n * dx_hat - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"path through the mean μ is missing"),
        ("path through the variance left out",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.sum(axis=0)) / (n * self.std)",
         r"path through the variance σ² is missing"),
        ("divided by the variance instead of the standard deviation",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.sum(axis=0) - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std**2)",
         r"divided by the variance"),
        ("wrong sign of the variance path",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.sum(axis=0) + self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"variance σ² has the wrong sign"),
        ("wrong sign of the mean path",
         "n = len(dout)\n"
         "dx = (n * dx_hat + dx_hat.sum(axis=0) - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"mean μ has the wrong sign"),
        ("mean for sum over the batch",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.mean(axis=0) - self.x_hat * (dx_hat * self.x_hat).mean(axis=0)) / (n * self.std)",
         r"mean for sum"),
        ("factor N: the direct term without its N",
         "n = len(dout)\n"
         "dx = (dx_hat - dx_hat.sum(axis=0) - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"direct path's term has lost its N"),
        ("factor N: no N in the denominator",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.sum(axis=0) - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / self.std",
         r"N times too large"),
        ("gamma forgotten: dout where dx_hat belongs",
         "n = len(dout)\n"
         "dx = (n * dout - dout.sum(axis=0) - self.x_hat * (dout * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"γ is missing"),
        ("the reference imported instead of written",
         "layer = BatchNormalization(self.gamma, self.beta)\n"
         "layer.forward(self.x_hat * self.std, train_flg=True)\n"
         "dx = layer.backward(dout)",
         r"(?i)own|course_lib"),
    ],
}
