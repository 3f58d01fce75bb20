"""Exercise 5: the parameters of a 100 -> 100 and a 100 -> 1000 layer."""
from torch import nn

for n_in, n_out in ((100, 100), (100, 1000)):
    by_formula = n_in * n_out + n_out  # one weight per pair, one bias per neuron
    by_torch = sum(p.numel() for p in nn.Linear(n_in, n_out).parameters())
    print(f"{n_in} -> {n_out}:  formula {by_formula}  torch {by_torch}")
#> 100 -> 100:  formula 10100  torch 10100
#> 100 -> 1000:  formula 101000  torch 101000
