"""PyTorch's default for nn.Linear: weights and biases from U(-1/√fan_in, 1/√fan_in)."""
# --8<-- [start:default]
import math

import torch
from torch import nn

torch.manual_seed(0)
fan_in, fan_out = 256, 512
layer = nn.Linear(fan_in, fan_out, dtype=torch.float64)  # torch's default init
bound = 1 / math.sqrt(fan_in)

W, b = layer.weight, layer.bias
print(f"bound 1/sqrt(fan_in)    {bound:.6f}")
#> bound 1/sqrt(fan_in)    0.062500
print(f"max|W| {W.abs().max():.6f}   max|b| {b.abs().max():.6f}")
#> max|W| 0.062500   max|b| 0.062302
print(f"Var(W) {W.var():.6f}   1/(3 fan_in) {1 / (3 * fan_in):.6f}")
#> Var(W) 0.001306   1/(3 fan_in) 0.001302
# --8<-- [end:default]

# --8<-- [start:same_as_kaiming]
# The same draw from kaiming_uniform_ with a = √5 (a leaky-ReLU slope that
# here only sets the gain):
torch.manual_seed(0)
W_kaiming = torch.empty(fan_out, fan_in, dtype=torch.float64)
nn.init.kaiming_uniform_(W_kaiming, a=math.sqrt(5))
print("gain:", round(nn.init.calculate_gain("leaky_relu", math.sqrt(5)), 6),
      "  1/sqrt(3):", round(1 / math.sqrt(3), 6))
#> gain: 0.57735   1/sqrt(3): 0.57735
print("identical to nn.Linear's weights:", torch.equal(W_kaiming, W))
#> identical to nn.Linear's weights: True
# --8<-- [end:same_as_kaiming]
