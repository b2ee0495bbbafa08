"""Lesson 3's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "gates-mul-layer": [
        ("not swapped", "dx = dout * self.x\ndy = dout * self.y", r"wrong"),
        ("reference imported", "dx, dy = MulLayer().backward(dout)", r"calls course_lib.s MulLayer"),
    ],
    "gates-fruit-backward": [
        ("tax layer skipped: upstream 1 into the melon", "dpear_price, dtaxed_melon = add_fruit.backward(1)\n"
         "dmelon_price, dtax = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(1)\n"
         "dpear, dpear_num = mul_pear.backward(dpear_price)",
         r"start at the layer whose output is the price"),
    ],
    "gates-max-layer": [
        ("routes to the smaller input", "x_wins = self.x < self.y\ndx = dout * x_wins\ndy = dout * np.logical_not(x_wins)",
         r"larger input"),
    ],
}
