"""Lesson 3's tasks and their typical wrong answers (run by tests/test_wrong_answers.py)."""
WRONG = {
    "gates-mul-layer": [
        # (the mistake, the code put between BEGIN SOLUTION and END SOLUTION instead of the answer,
        #  a regular expression the failing cell's error must match: it names the mistake)
        ("not swapped", "dx = dout * self.x\ndy = dout * self.y", r"other input's gradient"),
        ("gradients returned in the other order", "dy = dout * self.y\ndx = dout * self.x", r"other input's gradient"),
        ("wrong sign", "dx = -dout * self.y\ndy = -dout * self.x", r"wrong sign"),
        ("upstream gradient missing", "dx = self.y\ndy = self.x", r"dout is missing"),
        ("add gate's rule", "dx = dout * 1\ndy = dout * 1", r"as the add gate does"),
        ("one input right, the other not swapped", "dx = dout * self.y\ndy = dout * self.y", r"other input's gradient"),
        ("local derivative squared", "dx = dout * self.y ** 2\ndy = dout * self.x ** 2", r"not right"),
        ("reference imported", "dx, dy = MulLayer().backward(dout)", r"calls course_lib.s MulLayer"),
    ],
    "gates-fruit-backward": [
        ("starts from 1, not dprice", "dpear_price, dtaxed_melon = add_fruit.backward(1)\n"
         "dmelon_price, dtax = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(dmelon_price)\n"
         "dpear, dpear_num = mul_pear.backward(dpear_price)", r"starts from dprice"),
        ("upstream 1 into the tax layer (the add gate hides it when dprice = 1)",
         "dpear_price, dtaxed_melon = add_fruit.backward(dprice)\ndmelon_price, dtax = mul_tax.backward(1)\n"
         "dmelon, dmelon_num = mul_melon.backward(dmelon_price)\ndpear, dpear_num = mul_pear.backward(dpear_price)",
         r"literal 1"),
        ("upstream 1 into the pear layer", "dpear_price, dtaxed_melon = add_fruit.backward(dprice)\n"
         "dmelon_price, dtax = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(dmelon_price)\n"
         "dpear, dpear_num = mul_pear.backward(1)", r"literal 1.*pear_price"),
        ("tax layer skipped: the melon gets the taxed melon's gradient",
         "dpear_price, dtaxed_melon = add_fruit.backward(dprice)\ndmelon_price, dtax = mul_tax.backward(dtaxed_melon)\n"
         "dmelon, dmelon_num = mul_melon.backward(dtaxed_melon)\ndpear, dpear_num = mul_pear.backward(dpear_price)",
         r"tax layer .* skipped"),
        ("tax layer skipped, melon from 1", "dpear_price, dtaxed_melon = add_fruit.backward(1)\n"
         "dmelon_price, dtax = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(1)\n"
         "dpear, dpear_num = mul_pear.backward(dpear_price)", r"skipped|literal 1|starts from dprice"),
        ("the tax layer's two gradients swapped", "dpear_price, dtaxed_melon = add_fruit.backward(dprice)\n"
         "dtax, dmelon_price = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(dmelon_price)\n"
         "dpear, dpear_num = mul_pear.backward(dpear_price)", r"not the gradient of its output melon_price"),
        ("the add layer skipped", "dmelon_price, dtax = mul_tax.backward(dprice)\n"
         "dmelon, dmelon_num = mul_melon.backward(dmelon_price)\ndpear, dpear_num = mul_pear.backward(dprice)",
         r"add_fruit.backward was never called"),
        ("forward order", "dpear, dpear_num = mul_pear.backward(dpear_price)\n"
         "dmelon, dmelon_num = mul_melon.backward(dmelon_price)\ndmelon_price, dtax = mul_tax.backward(dtaxed_melon)\n"
         "dpear_price, dtaxed_melon = add_fruit.backward(dprice)", r"(NameError|UnboundLocalError): .*dpear_price"),
        ("gradients returned in another order", "dpear_price, dtaxed_melon = add_fruit.backward(dprice)\n"
         "dmelon_price, dtax = mul_tax.backward(dtaxed_melon)\ndmelon, dmelon_num = mul_melon.backward(dmelon_price)\n"
         "dpear, dpear_num = mul_pear.backward(dpear_price)\nreturn dpear_num, dpear, dmelon, dmelon_num, dtax",
         r"return the gradients in the order"),
    ],
    "gates-max-layer": [
        ("routes to the smaller input", "x_wins = self.x < self.y\ndx = dout * x_wins\ndy = dout * np.logical_not(x_wins)",
         r"smaller input"),
        ("dout to both inputs, as add", "dx = dout * 1\ndy = dout * 1", r"both inputs"),
        ("upstream gradient missing", "x_wins = self.x >= self.y\ndx = 1.0 * x_wins\ndy = 1.0 * np.logical_not(x_wins)",
         r"dout is missing"),
        ("dout times the winner's value", "x_wins = self.x >= self.y\ndx = dout * self.x * x_wins\n"
         "dy = dout * self.y * np.logical_not(x_wins)", r"winner's value"),
        ("wrong sign", "x_wins = self.x >= self.y\ndx = -dout * x_wins\ndy = -dout * np.logical_not(x_wins)",
         r"wrong sign"),
        ("x's mask for both", "x_wins = self.x >= self.y\ndx = dout * x_wins\ndy = dout * x_wins", r"not right"),
        ("one number for the whole array", "x_wins = np.all(self.x >= self.y)\ndx = dout * x_wins\n"
         "dy = dout * np.logical_not(x_wins)", r"not right|smaller input|both inputs"),
        ("reference imported", "dx, dy = MaxLayer.backward(self, dout)", r"calls course_lib.s MaxLayer"),
    ],
}
