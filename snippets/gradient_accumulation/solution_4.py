"""Exercise 4: with more rows per micro-batch, batch norm's difference from the full batch shrinks."""
import torch
from torch import nn

accum_steps = 3
loss_fn = nn.MSELoss()


def make_model():
    torch.manual_seed(1)  # the same weights every time
    return nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Sigmoid(), nn.Linear(8, 1)).double()


def gradients(model, X, y, accum_steps):
    model.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


errors = {}
for N in 12, 120, 1200:
    torch.manual_seed(0)
    X = torch.randn(N, 3, dtype=torch.float64)
    y = torch.randn(N, 1, dtype=torch.float64)
    full = gradients(make_model(), X, y, accum_steps=1)
    accumulated = gradients(make_model(), X, y, accum_steps)
    errors[N] = ((accumulated - full).abs().max() / full.abs().max()).item()
    print(f"N = {N:4d} ({N // accum_steps:3d} rows per micro-batch): "
          f"largest difference {errors[N]:.2%}")
#> N =   12 (  4 rows per micro-batch): largest difference 11.08%
#> N =  120 ( 40 rows per micro-batch): largest difference 1.07%
#> N = 1200 (400 rows per micro-batch): largest difference 0.13%
