"""Unequal micro-batches: weight each mean loss by n_m / N, not by 1 / accum_steps."""
# --8<-- [start:unequal]
import torch
from torch import nn

torch.manual_seed(0)
N = 10
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()

micro_batches = list(zip(X.split(4), y.split(4)))  # 4 + 4 + 2 rows
sizes = [len(X_m) for X_m, _ in micro_batches]
accum_steps = len(micro_batches)


def accumulate(weights):
    """W1's gradient after backward() on weight_m * L_m for every micro-batch m."""
    model.zero_grad()
    for (X_m, y_m), weight in zip(micro_batches, weights):
        (weight * loss_fn(model(X_m), y_m)).backward()
    return model[0].weight.grad.clone()


def same(a, b):
    """Equal up to float64 round-off."""
    return torch.allclose(a, b, rtol=0, atol=1e-12)


model.zero_grad()
loss_fn(model(X), y).backward()
full = model[0].weight.grad.clone()  # the full-batch gradient of W1

by_steps = accumulate([1 / accum_steps] * accum_steps)
by_size = accumulate([n_m / N for n_m in sizes])
print("weights 1 / accum_steps: same as the full batch?", same(by_steps, full))
#> weights 1 / accum_steps: same as the full batch? False
print("weights n_m / N:         same as the full batch?", same(by_size, full))
#> weights n_m / N:         same as the full batch? True
error = (by_steps - full).abs().max() / full.abs().max()
print(f"1 / accum_steps is off by up to {error:.0%} of the largest entry of the gradient")
#> 1 / accum_steps is off by up to 18% of the largest entry of the gradient
# --8<-- [end:unequal]

# --8<-- [start:sum]
model.zero_grad()
for X_m, y_m in micro_batches:  # N need not be known yet: sum now, divide at the end
    nn.functional.mse_loss(model(X_m), y_m, reduction="sum").backward()
for p in model.parameters():
    p.grad /= N  # after the last micro-batch, before any clipping and step()
print("sum, then .grad / N:     same as the full batch?", same(model[0].weight.grad, full))
#> sum, then .grad / N:     same as the full batch? True
# --8<-- [end:sum]
