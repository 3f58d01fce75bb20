"""One neuron by hand: a weighted sum of the inputs plus a bias, then an activation."""
# --8<-- [start:by_hand]
import math


def weighted_sum(x, w, b):
    """z = w1*x1 + w2*x2 + ... + wd*xd + b, one input at a time."""
    z = b
    for x_j, w_j in zip(x, w, strict=True):
        z += w_j * x_j
    return z


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def neuron(x, w, b, f):
    """The neuron's output a = f(z)."""
    return f(weighted_sum(x, w, b))


x = [0.5, -1.0, 2.0]  # inputs
w = [0.8, 0.2, -0.5]  # one weight per input
b = 0.1  # bias
z = weighted_sum(x, w, b)
a = neuron(x, w, b, sigmoid)
print(f"z = {z:.4f}   a = sigmoid(z) = {a:.4f}")
#> z = -0.7000   a = sigmoid(z) = 0.3318
# --8<-- [end:by_hand]

# --8<-- [start:torch]
import torch
from torch import nn

layer = nn.Linear(3, 1)  # one neuron: 3 weights and 1 bias
with torch.no_grad():
    layer.weight.copy_(torch.tensor([w]))  # shape (1, 3): one row per neuron
    layer.bias.fill_(b)
a_torch = torch.sigmoid(layer(torch.tensor(x)))
print(f"a = {a_torch.item():.4f}")
#> a = 0.3318
# --8<-- [end:torch]
