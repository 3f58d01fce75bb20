"""Exercise 4: the variance of nn.Linear's default weights for n_in = 100."""
import torch
from torch import nn

n_in = 100
bound = 1 / n_in**0.5  # U(-1/√n_in, 1/√n_in)
by_hand = bound**2 / 3  # a uniform U(-a, a) has variance a²/3
print(f"by hand: 1/(3 n_in) = {by_hand:.6f}")
#> by hand: 1/(3 n_in) = 0.003333

torch.manual_seed(0)
layer = nn.Linear(n_in, 10_000, dtype=torch.float64)  # a million weights, same fan-in
print(f"measured: {layer.weight.var().item():.6f}, largest |w| {layer.weight.abs().max().item():.4f}"
      f" <= bound {bound:.4f}")
#> measured: 0.003336, largest |w| 0.1000 <= bound 0.1000
