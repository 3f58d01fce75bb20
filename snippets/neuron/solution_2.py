"""Exercise 2: a 2-5-4-1 network's parameters, by hand, by the formula, by PyTorch."""
from torch import nn


def network_parameters(sizes, bias=True):
    """One weight per (input, neuron) pair and one bias per neuron, over the layers."""
    pairs = zip(sizes, sizes[1:])
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in pairs)


sizes = [2, 5, 4, 1]
by_hand = {
    True: (2 * 5 + 5) + (5 * 4 + 4) + (4 * 1 + 1),
    False: 2 * 5 + 5 * 4 + 4 * 1,
}
for bias in (True, False):
    model = nn.Sequential(
        nn.Linear(2, 5, bias=bias), nn.ReLU(),
        nn.Linear(5, 4, bias=bias), nn.ReLU(),
        nn.Linear(4, 1, bias=bias),
    )
    by_torch = sum(p.numel() for p in model.parameters())
    by_formula = network_parameters(sizes, bias)
    print(f"bias={bias!s:5} by hand {by_hand[bias]}, formula {by_formula}, torch {by_torch}")
#> bias=True  by hand 44, formula 44, torch 44
#> bias=False by hand 34, formula 34, torch 34
biases = by_hand[True] - by_hand[False]
print("the biases:", biases, "= one per neuron after the inputs:", sum(sizes[1:]))
#> the biases: 10 = one per neuron after the inputs: 10
