"""A fully connected layer is neurons side by side: one row of W per neuron."""
# --8<-- [start:layer]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(5, 3)  # 5 samples (rows), 3 inputs each
layer = nn.Linear(3, 4)  # 4 neurons, each sees all 3 inputs
W, b = layer.weight, layer.bias
print("W:", tuple(W.shape), " b:", tuple(b.shape))
#> W: (4, 3)  b: (4,)

# Neuron j uses row j of W and entry j of b.
Z_by_neuron = torch.stack([X @ W[j] + b[j] for j in range(4)], dim=1)
Z = X @ W.T + b  # all neurons and all samples at once
print("Z:", tuple(Z.shape))
#> Z: (5, 4)
print(torch.allclose(Z_by_neuron, Z), torch.allclose(layer(X), Z))
#> True True
# --8<-- [end:layer]
