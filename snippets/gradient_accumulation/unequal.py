"""Unequal micro-batches: weight each mean loss by n_i / N, not by 1 / k."""
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
sizes = [len(X_i) for X_i, _ in micro_batches]
k = len(micro_batches)


def accumulate(weights):
    """W1's gradient after backward() on weight_i * L_i for every i."""
    model.zero_grad()
    for (X_i, y_i), weight in zip(micro_batches, weights):
        (weight * loss_fn(model(X_i), y_i)).backward()
    return model[0].weight.grad.clone()


def same(a, b):
    """Equal up to float64 round-off."""
    return torch.allclose(a, b, rtol=0, atol=1e-12)


model.zero_grad()
loss_fn(model(X), y).backward()
full = model[0].weight.grad.clone()  # the full-batch gradient of W1

by_k = accumulate([1 / k] * k)
by_size = accumulate([n_i / N for n_i in sizes])
print("weights 1 / k:   same as the full batch?", same(by_k, full))
#> weights 1 / k:   same as the full batch? False
print("weights n_i / N: same as the full batch?", same(by_size, full))
#> weights n_i / N: same as the full batch? True
error = (by_k - full).abs().max() / full.abs().max()
print(f"1 / k is off by up to {error:.0%} of the largest entry of the gradient")
#> 1 / k is off by up to 18% of the largest entry of the gradient
# --8<-- [end:unequal]
