"""Vanishing gradients: through sigmoid layers the backward signal shrinks layer by layer."""
# --8<-- [start:vanishing]
import torch
from torch import nn

torch.manual_seed(0)
D, width, N = 20, 64, 128  # 19 sigmoid layers of 64 units, then a linear output
X = torch.randn(N, width, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
layers = []
for l in range(1, D + 1):
    linear = nn.Linear(width, 1 if l == D else width, dtype=torch.float64)
    nn.init.normal_(linear.weight, 0, width ** -0.5)  # Var(w) = 1/n_in: W keeps sizes
    nn.init.zeros_(linear.bias)
    layers += [linear] if l == D else [linear, nn.Sigmoid()]
model = nn.Sequential(*layers)
nn.functional.mse_loss(model(X), y).backward()
linears = [layer for layer in model if isinstance(layer, nn.Linear)]
norms = [linear.weight.grad.norm().item() for linear in linears]
for l in (D, D - 1, D - 2, 10, 1):
    print(f"layer {l:2d}: |dL/dW_l| = {norms[l - 1]:.2e}")
#> layer 20: |dL/dW_l| = 2.76e+00
#> layer 19: |dL/dW_l| = 6.59e-01
#> layer 18: |dL/dW_l| = 1.62e-01
#> layer 10: |dL/dW_l| = 9.14e-07
#> layer  1: |dL/dW_l| = 9.33e-13
factor = (norms[0] / norms[D - 2]) ** (1 / (D - 2))  # from layer D - 1 down to 1
print(f"shrinks by a factor of {factor:.3f} per sigmoid layer; 1/4 = 0.25")
#> shrinks by a factor of 0.220 per sigmoid layer; 1/4 = 0.25
# --8<-- [end:vanishing]
