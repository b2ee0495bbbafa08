"""Ready-made graphs of the course, with the seeds' numbers as defaults."""
from .learner.gates import AddConstLayer, AddLayer, ExpLayer, MulConstLayer, MulLayer, ReciprocalLayer, SquareLayer
from .graph import Graph
from .i18n import N_


def apple_graph(apple=100, apple_num=2, tax=1.1):
    """price = apple × apple_num × tax  (220 with the defaults)."""
    g = Graph(N_("apple"))
    g.add_input("apple", apple, label=N_("apple (each)"))
    g.add_input("apple_num", apple_num, label=N_("apples"))
    g.add_input("tax", tax, label=N_("tax"))
    g.add_node("apple_price", MulLayer(), ["apple", "apple_num"], label=N_("apple price"))
    g.add_node("price", MulLayer(), ["apple_price", "tax"], label=N_("price"))
    return g


def apple_orange_graph(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1):
    """price = (apple × apple_num + orange × orange_num) × tax  (715 with the defaults)."""
    g = Graph(N_("apple and orange"))
    g.add_input("apple", apple, label=N_("apple (each)"))
    g.add_input("apple_num", apple_num, label=N_("apples"))
    g.add_input("orange", orange, label=N_("orange (each)"))
    g.add_input("orange_num", orange_num, label=N_("oranges"))
    g.add_input("tax", tax, label=N_("tax"))
    g.add_node("apple_price", MulLayer(), ["apple", "apple_num"])
    g.add_node("orange_price", MulLayer(), ["orange", "orange_num"])
    g.add_node("all_price", AddLayer(), ["apple_price", "orange_price"])
    g.add_node("price", MulLayer(), ["all_price", "tax"], label=N_("price"))
    return g


def sigmoid_graph(x=1.0):
    """y = 1 / (1 + exp(−x)) drawn as four gates: ×−1, exp, +1, 1/x."""
    g = Graph(N_("sigmoid"))
    g.add_input("x", x)
    g.add_node("neg_x", MulConstLayer(-1), ["x"], label="−x")
    g.add_node("exp_neg_x", ExpLayer(), ["neg_x"], label="exp(−x)")
    g.add_node("denominator", AddConstLayer(1), ["exp_neg_x"], label="1 + exp(−x)")
    g.add_node("y", ReciprocalLayer(), ["denominator"], label="y")
    return g


def chain_rule_graph(x=2.0, y=1.0):
    """z = t², t = x + y: the composite function of the chain-rule lesson."""
    g = Graph(N_("chain rule"))
    g.add_input("x", x)
    g.add_input("y", y)
    g.add_node("t", AddLayer(), ["x", "y"])
    g.add_node("z", SquareLayer(), ["t"])
    return g
