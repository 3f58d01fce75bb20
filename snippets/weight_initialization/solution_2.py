"""Exercise 2: Xavier with PyTorch's gain for tanh, 200 tanh layers, against Kaiming."""
import torch
from torch import nn


def xavier(layer):
    nn.init.xavier_normal_(layer.weight)  # gain 1


def xavier_tanh_gain(layer):
    nn.init.xavier_normal_(layer.weight, gain=nn.init.calculate_gain("tanh"))  # 5/3


def kaiming(layer):
    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")  # gain √2


def tanh_stds(init, depth=200, width=128, N=64, seed=0):
    """Std of the activations after each of depth tanh layers (zero biases)."""
    torch.manual_seed(seed)
    A = torch.randn(N, width, dtype=torch.float64)
    stds = []
    for _ in range(depth):
        layer = nn.Linear(width, width, dtype=torch.float64)
        init(layer)
        nn.init.zeros_(layer.bias)
        with torch.no_grad():
            A = torch.tanh(layer(A))
        stds.append(A.std().item())
    return stds


print(f"gain for tanh: {nn.init.calculate_gain('tanh'):.4f}")
#> gain for tanh: 1.6667
print(f"{'std after':18s}" + "".join(f"{f'layer {l}':>11s}" for l in (1, 10, 50, 100, 200)))
#> std after             layer 1   layer 10   layer 50  layer 100  layer 200
runs = {}
for init in (xavier, xavier_tanh_gain, kaiming):
    runs[init.__name__] = stds = tanh_stds(init)
    print(f"{init.__name__:18s}" + "".join(f"{stds[l - 1]:11.3f}" for l in (1, 10, 50, 100, 200)))
#> xavier                  0.630      0.226      0.084      0.070      0.028
#> xavier_tanh_gain        0.761      0.646      0.652      0.657      0.653
#> kaiming                 0.723      0.550      0.548      0.562      0.554
