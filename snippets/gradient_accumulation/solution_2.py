"""Exercise 2: with reduction="sum", clip after the division by N, not before."""
import torch
from torch import nn

torch.manual_seed(0)
N = 10
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
micro_batches = list(zip(X.split(4), y.split(4)))  # 4 + 4 + 2 rows
max_norm = 1.0


def flat_grad():
    return torch.cat([p.grad.flatten() for p in model.parameters()])


model.zero_grad()  # the reference: the full-batch gradient, clipped
nn.functional.mse_loss(model(X), y).backward()
full_norm = flat_grad().norm().item()
nn.utils.clip_grad_norm_(model.parameters(), max_norm)
reference = flat_grad()


def summed_then_clipped(clip_first):
    model.zero_grad()
    for X_m, y_m in micro_batches:
        nn.functional.mse_loss(model(X_m), y_m, reduction="sum").backward()
    if clip_first:
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # sees N times the gradient
    for p in model.parameters():
        p.grad /= N
    if not clip_first:
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    return flat_grad()


print(f"full-batch gradient: norm {full_norm:.3f}, clipped to {reference.norm():.3f}")
#> full-batch gradient: norm 4.754, clipped to 1.000
for clip_first in True, False:
    g = summed_then_clipped(clip_first)
    same = torch.allclose(g, reference, rtol=0, atol=1e-12)
    print(f"clip {'before' if clip_first else 'after '} / N: norm {g.norm():.3f}, "
          f"same as the clipped full-batch gradient? {same}")
#> clip before / N: norm 0.100, same as the clipped full-batch gradient? False
#> clip after  / N: norm 1.000, same as the clipped full-batch gradient? True
