"""PyTorch's nn.init functions draw from the same distributions as the formulas."""
# --8<-- [start:torch_init]
import math
from functools import partial

import torch
from torch import nn

print("gain for relu:", nn.init.calculate_gain("relu"))
#> gain for relu: 1.4142135623730951

torch.manual_seed(0)
fan_in, fan_out = 256, 512
W = torch.empty(fan_out, fan_in, dtype=torch.float64)  # like nn.Linear's weight
xavier_var = 2.0 / (fan_in + fan_out)
kaiming_var = 2.0 / fan_in
for name, init, var in [
    ("xavier_normal_", nn.init.xavier_normal_, xavier_var),
    ("xavier_uniform_", nn.init.xavier_uniform_, xavier_var),
    ("kaiming_normal_", partial(nn.init.kaiming_normal_, nonlinearity="relu"),
     kaiming_var),
    ("kaiming_uniform_", partial(nn.init.kaiming_uniform_, nonlinearity="relu"),
     kaiming_var),
]:
    init(W)  # fills W in place
    line = f"{name:16s} Var(W) {W.var():.6f}, formula {var:.6f}"
    if "uniform" in name:
        line += f"; max|W| {W.abs().max():.4f} ≤ {math.sqrt(3 * var):.4f}"
    print(line)
#> xavier_normal_   Var(W) 0.002615, formula 0.002604
#> xavier_uniform_  Var(W) 0.002604, formula 0.002604; max|W| 0.0884 ≤ 0.0884
#> kaiming_normal_  Var(W) 0.007723, formula 0.007812
#> kaiming_uniform_ Var(W) 0.007853, formula 0.007812; max|W| 0.1531 ≤ 0.1531
# --8<-- [end:torch_init]
