"""Two linear layers with nothing between them are one linear layer."""
# --8<-- [start:collapse]
import torch
from torch import nn

torch.manual_seed(0)
layer1 = nn.Linear(3, 4, dtype=torch.float64)  # W1: (4, 3), b1: (4,)
layer2 = nn.Linear(4, 2, dtype=torch.float64)  # W2: (2, 4), b2: (2,)
W1, b1, W2, b2 = layer1.weight, layer1.bias, layer2.weight, layer2.bias

merged = nn.Linear(3, 2, dtype=torch.float64)
with torch.no_grad():
    merged.weight.copy_(W2 @ W1)  # W = W2 W1
    merged.bias.copy_(W2 @ b1 + b2)  # b = W2 b1 + b2

X = torch.randn(10, 3, dtype=torch.float64)
with torch.no_grad():
    one_layer = merged(X)
    two_layers = layer2(layer1(X))
    with_relu = layer2(torch.relu(layer1(X)))
tol = dict(rtol=0, atol=1e-12)  # float64: equal up to rounding
print("two layers == merged:", torch.allclose(two_layers, one_layer, **tol))
#> two layers == merged: True
print("with ReLU == merged: ", torch.allclose(with_relu, one_layer, **tol))
#> with ReLU == merged:  False
# --8<-- [end:collapse]
