"""Exercise 1: the bias that makes the neuron output exactly 0.5."""
import math

x = [0.5, -1.0, 2.0]  # the page's inputs
w = [0.8, 0.2, -0.5]  # and weights
w_dot_x = sum(w_j * x_j for w_j, x_j in zip(w, x, strict=True))
# sigmoid(z) = 1 / (1 + e^-z) is 0.5 exactly when e^-z = 1, that is z = 0
b = -w_dot_x  # the bias that cancels the weighted sum
z = w_dot_x + b
a = 1 / (1 + math.exp(-z))
print(f"w . x = {w_dot_x:.4f}   b = {b:.4f}   z = {z:.4f}   a = {a:.4f}")
#> w . x = -0.8000   b = 0.8000   z = 0.0000   a = 0.5000
