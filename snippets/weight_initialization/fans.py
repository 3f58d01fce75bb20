"""LeCun's 1/fan_in, Kaiming's two modes, and the fans of a convolution."""
# --8<-- [start:lecun]
import math

import torch
from torch import nn


def lecun_normal(fan_in, fan_out):
    std = 1.0 / math.sqrt(fan_in)  # Var(w) = 1/fan_in: gain 1
    return std * torch.randn(fan_out, fan_in, dtype=torch.float64)


torch.manual_seed(0)
W = lecun_normal(256, 512)
torch.manual_seed(0)  # torch's name for it: Kaiming with the gain of the identity
W_torch = nn.init.kaiming_normal_(torch.empty(512, 256, dtype=torch.float64),
                                  nonlinearity="linear")
print(f"Var(W) {W.var():.6f}, 1/fan_in {1 / 256:.6f}, "
      f"largest difference to torch {(W - W_torch).abs().max():.1e}")
#> Var(W) 0.003922, 1/fan_in 0.003906, largest difference to torch 0.0e+00
# --8<-- [end:lecun]

# --8<-- [start:modes]
# One ReLU layer from 128 to 512 units: what each mode keeps
X = torch.randn(4096, 128, dtype=torch.float64)
for mode in ("fan_in", "fan_out"):
    layer = nn.Linear(128, 512, bias=False, dtype=torch.float64)
    nn.init.kaiming_normal_(layer.weight, mode=mode, nonlinearity="relu")
    Z = X @ layer.weight.T  # the pre-activations, before the ReLU
    A = torch.relu(Z)
    dA = torch.randn_like(A)  # a standard-normal gradient arriving from above
    dX = (dA * (Z > 0)) @ layer.weight  # back through the ReLU and W transposed
    print(f"{mode:8s} forward: E[a²]/E[x²] = {A.pow(2).mean() / X.pow(2).mean():.2f}   "
          f"backward: Var(dX)/Var(dA) = {dX.var() / dA.var():.2f}")
#> fan_in   forward: E[a²]/E[x²] = 1.00   backward: Var(dX)/Var(dA) = 4.00
#> fan_out  forward: E[a²]/E[x²] = 0.25   backward: Var(dX)/Var(dA) = 1.01
# --8<-- [end:modes]

# --8<-- [start:conv]
conv = nn.Conv2d(64, 128, kernel_size=(3, 5), dtype=torch.float64)
C_out, C_in, k_h, k_w = conv.weight.shape  # (out channels, in channels, kernel)
fan_in, fan_out = C_in * k_h * k_w, C_out * k_h * k_w
for mode, fan in [("fan_in", fan_in), ("fan_out", fan_out)]:
    nn.init.kaiming_normal_(conv.weight, mode=mode, nonlinearity="relu")
    print(f"{mode:8s} {fan:5d}   std(W) {conv.weight.std():.5f}, "
          f"sqrt(2/{fan}) = {math.sqrt(2 / fan):.5f}")
#> fan_in     960   std(W) 0.04561, sqrt(2/960) = 0.04564
#> fan_out   1920   std(W) 0.03217, sqrt(2/1920) = 0.03227
# --8<-- [end:conv]
