"""Exercise 3: a sigmoid stack keeps its std, and loses what depends on the input."""
import torch
from torch import nn


def xavier(layer):
    nn.init.xavier_normal_(layer.weight)
    nn.init.zeros_(layer.bias)


def kaiming(layer):
    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.zeros_(layer.bias)


def sigmoid_stack(init, depth=50, width=256, N=64, seed=0):
    """Std after each layer, and the spread across inputs (per unit, averaged) after each."""
    torch.manual_seed(seed)
    A = torch.randn(N, width, dtype=torch.float64)
    stds, spreads = [], []
    for _ in range(depth):
        layer = nn.Linear(width, width, dtype=torch.float64)
        init(layer)
        with torch.no_grad():
            A = torch.sigmoid(layer(A))
        stds.append(A.std().item())
        spreads.append(A.std(dim=0).mean().item())  # over the batch: the input's share
    return stds, spreads


for init in (xavier, kaiming):
    stds, spreads = sigmoid_stack(init)
    print(f"{init.__name__}: std at layers 10 and 50: {stds[9]:.3f} {stds[49]:.3f}; "
          f"across inputs at layers 1, 10, 50: {spreads[0]:.1e} {spreads[9]:.1e} {spreads[49]:.1e}")
    factor = (spreads[9] / spreads[4]) ** (1 / 5)
    print(f"    the input's share shrinks by {factor:.3f} per layer")
#> xavier: std at layers 10 and 50: 0.122 0.125; across inputs at layers 1, 10, 50: 2.1e-01 4.7e-07 3.7e-17
#>     the input's share shrinks by 0.236 per layer
#> kaiming: std at layers 10 and 50: 0.166 0.172; across inputs at layers 1, 10, 50: 2.6e-01 8.4e-06 5.2e-17
#>     the input's share shrinks by 0.318 per layer
