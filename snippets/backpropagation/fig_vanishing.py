"""The gradient norm of each layer in a deep sigmoid stack, against a fall of 1/4 per layer."""
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
D, width, N = 20, 64, 128  # the stack of the page's measurement
X = torch.randn(N, width, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
layers = []
for l in range(1, D + 1):
    linear = nn.Linear(width, 1 if l == D else width, dtype=torch.float64)
    nn.init.normal_(linear.weight, 0, width ** -0.5)
    nn.init.zeros_(linear.bias)
    layers += [linear] if l == D else [linear, nn.Sigmoid()]
model = nn.Sequential(*layers)
nn.functional.mse_loss(model(X), y).backward()
norms = [layer.weight.grad.norm().item() for layer in model if isinstance(layer, nn.Linear)]

depths = list(range(1, D + 1))
quarter = [norms[D - 2] * 4.0 ** -(D - 1 - l) for l in depths[:-1]]  # 1/4 per layer below D - 1
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.semilogy(depths, norms, marker="o", markersize=4, label=r"measured $\|\partial L / \partial W_l\|$")
ax.semilogy(depths[:-1], quarter, linestyle="--", color="gray", label="a factor 1/4 per layer")
ax.set(title=f"Gradient norm per layer, {D - 1} sigmoid layers and a linear output",
       xlabel=r"layer $l$ (1 = next to the input)", ylabel=r"$\|\partial L / \partial W_l\|$")
ax.set_xticks(depths[::2] + [D])
ax.grid(True, which="major", alpha=0.3)
ax.legend()
fig.tight_layout()
plt.show()
