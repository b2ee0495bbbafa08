"""Lesson 12's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "appendix-batchnorm-biased-variance": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("another quiz option: 3 % is too little", 'answer = "a"', r"Not a"),
        ("another quiz option: more correct", 'answer = "c"', r"Not c"),
        ("another quiz option: only eval mode", 'answer = "d"', r"Not d"),
    ],
    "appendix-maxpool-loops": [
        ("= for += (overlapping windows)",
         "window = x[i, ch, r * stride:r * stride + pool_h, col * stride:col * stride + pool_w]\n"
         "pr, pc = np.unravel_index(np.argmax(window), window.shape)\n"
         "dx[i, ch, r * stride + pr, col * stride + pc] = dout[i, ch, r, col]",
         r"\+=, not ="),
        ("gradient to the whole window instead of the max",
         "dx[i, ch, r * stride:r * stride + pool_h, col * stride:col * stride + pool_w] += dout[i, ch, r, col]",
         r"not the max of their window"),
        ("the reference imported instead of written",
         "return Pooling(pool_h, pool_w, stride=stride).backward(dout)",
         r"(?i)own|course_lib"),
    ],
    "appendix-batchnorm-backward": [
        ("mean and variance treated as constants (eval-mode backward)",
         "dx = dx_hat / self.std", r"paths through the batch mean and variance"),
        ("path through the mean left out",
         "n = len(dout)\n"
         "dx = (n * dx_hat - self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"paths through the batch mean and variance"),
        ("wrong sign of the variance path",
         "n = len(dout)\n"
         "dx = (n * dx_hat - dx_hat.sum(axis=0) + self.x_hat * (dx_hat * self.x_hat).sum(axis=0)) / (n * self.std)",
         r"paths through the batch mean and variance"),
        ("the reference imported instead of written",
         "layer = BatchNormalization(self.gamma, self.beta)\n"
         "layer.forward(self.x_hat * self.std, train_flg=True)\n"
         "dx = layer.backward(dout)",
         r"(?i)own|course_lib"),
    ],
}
