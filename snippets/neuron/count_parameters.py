"""Count the parameters of fully connected networks by formula and by asking PyTorch."""
# --8<-- [start:count]
from torch import nn


def layer_parameters(n_in, n_out, bias=True):
    """One weight per (input, neuron) pair, plus one bias per neuron."""
    return n_in * n_out + (n_out if bias else 0)


def network_parameters(sizes, bias=True):
    """Sum over the layers sizes[0] -> sizes[1] -> ... -> sizes[-1]."""
    pairs = zip(sizes, sizes[1:])
    return sum(layer_parameters(n_in, n_out, bias) for n_in, n_out in pairs)


def build_mlp(sizes, bias=True):
    """Linear layers with ReLU between them (ReLU has no parameters)."""
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [nn.Linear(n_in, n_out, bias=bias), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


for sizes in ([3, 1], [3, 4, 2], [784, 128, 64, 10]):
    for bias in (True, False):
        model = build_mlp(sizes, bias)
        by_torch = sum(p.numel() for p in model.parameters())
        name = "-".join(map(str, sizes))
        by_formula = network_parameters(sizes, bias)
        print(f"{name:>14}  bias={bias!s:5}  formula {by_formula:6d}",
              f" torch {by_torch:6d}")
#>            3-1  bias=True   formula      4  torch      4
#>            3-1  bias=False  formula      3  torch      3
#>          3-4-2  bias=True   formula     26  torch     26
#>          3-4-2  bias=False  formula     20  torch     20
#>  784-128-64-10  bias=True   formula 109386  torch 109386
#>  784-128-64-10  bias=False  formula 109184  torch 109184
# --8<-- [end:count]
