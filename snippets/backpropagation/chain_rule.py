"""The chain rule on a small computational graph: one sigmoid neuron and a squared error."""
# --8<-- [start:forward]
import math

x, y = 1.5, 1.0  # one input and its target
w, b = 0.8, -0.5  # the two parameters

z = w * x + b
a = 1 / (1 + math.exp(-z))  # sigmoid
L = (a - y) ** 2
print(f"z = {z:.4f}   a = {a:.4f}   L = {L:.4f}")
#> z = 0.7000   a = 0.6682   L = 0.1101
# --8<-- [end:forward]

# --8<-- [start:backward]
# The local derivative on each edge of the graph:
dL_da = 2 * (a - y)
da_dz = a * (1 - a)  # sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))
dz_dw, dz_db, dz_dx = x, 1.0, w

# The chain rule: multiply the local derivatives on the path from L to each node.
dL_dz = dL_da * da_dz
dL_dw = dL_dz * dz_dw
dL_db = dL_dz * dz_db
dL_dx = dL_dz * dz_dx
print(f"dL/da = {dL_da:.4f}   da/dz = {da_dz:.4f}   dL/dz = {dL_dz:.4f}")
#> dL/da = -0.6636   da/dz = 0.2217   dL/dz = -0.1471
print(f"dL/dw = {dL_dw:.4f}   dL/db = {dL_db:.4f}   dL/dx = {dL_dx:.4f}")
#> dL/dw = -0.2207   dL/db = -0.1471   dL/dx = -0.1177
# --8<-- [end:backward]
