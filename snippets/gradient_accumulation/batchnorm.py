"""Batch norm uses each micro-batch's own statistics: accumulation differs."""
# --8<-- [start:batchnorm]
import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
loss_fn = nn.MSELoss()

norms = {  # each makes a new normalization layer over 8 features
    "BatchNorm1d": lambda: nn.BatchNorm1d(8),
    "LayerNorm": lambda: nn.LayerNorm(8),
    "GroupNorm": lambda: nn.GroupNorm(2, 8),
}


def make_model(norm):
    torch.manual_seed(1)  # the same weights every time
    model = nn.Sequential(nn.Linear(3, 8), norms[norm](), nn.Sigmoid(),
                          nn.Linear(8, 1))
    return model.double()


def gradients(model, accum_steps):
    """All gradients after accum_steps equal micro-batches, each loss divided by accum_steps."""
    model.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


for norm in norms:
    full = gradients(make_model(norm), accum_steps=1)  # the whole batch at once
    accumulated = gradients(make_model(norm), accum_steps)
    error = (accumulated - full).abs().max() / full.abs().max()
    print(f"{norm:11s} largest difference from the full batch: {error:.1%}")
#> BatchNorm1d largest difference from the full batch: 11.1%
#> LayerNorm   largest difference from the full batch: 0.0%
#> GroupNorm   largest difference from the full batch: 0.0%
# --8<-- [end:batchnorm]
