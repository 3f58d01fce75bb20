"""Weights from N(0, 1) or U(-1, 1): pre-activations grow like the square root of fan_in."""
# --8<-- [start:naive]
import math

import torch

torch.manual_seed(0)
fan_in, fan_out, N = 512, 256, 1000
X = torch.randn(N, fan_in, dtype=torch.float64)  # inputs with variance 1

W_normal = torch.randn(fan_out, fan_in, dtype=torch.float64)  # Var(w) = 1
W_uniform = 2 * torch.rand(fan_out, fan_in, dtype=torch.float64) - 1  # Var 1/3

for name, W, var_w in [("N(0, 1)", W_normal, 1), ("U(-1, 1)", W_uniform, 1 / 3)]:
    Z = X @ W.T  # pre-activations of one layer, no bias
    predicted = math.sqrt(fan_in * var_w)
    saturated = (torch.tanh(Z).abs() > 0.99).double().mean()
    print(f"{name + ':':9s} std(Z) {Z.std():.2f}, predicted {predicted:.2f}, "
          f"|tanh(Z)| > 0.99: {saturated:.0%}")
#> N(0, 1):  std(Z) 22.56, predicted 22.63, |tanh(Z)| > 0.99: 91%
#> U(-1, 1): std(Z) 13.04, predicted 13.06, |tanh(Z)| > 0.99: 84%
# --8<-- [end:naive]
