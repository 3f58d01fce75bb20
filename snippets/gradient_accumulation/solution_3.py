"""Exercise 3: clipping after every micro-batch is not clipping the full-batch gradient."""
import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()
max_norm = 1.0


def flat_grad():
    return torch.cat([p.grad.flatten() for p in model.parameters()])


def accumulated(clip_every_micro_batch):
    model.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
        if clip_every_micro_batch:
            nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # clips a partial sum
    if not clip_every_micro_batch:
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # once, before step()
    return flat_grad()


model.zero_grad()  # the reference: the full-batch gradient, clipped once
loss_fn(model(X), y).backward()
full = flat_grad()
nn.utils.clip_grad_norm_(model.parameters(), max_norm)
reference = flat_grad()
print(f"full-batch gradient: norm {full.norm():.3f}, clipped to {reference.norm():.3f}")
#> full-batch gradient: norm 4.559, clipped to 1.000
for clip_every_micro_batch in False, True:
    g = accumulated(clip_every_micro_batch)
    error = (g - reference).abs().max() / reference.abs().max()
    print(f"clip {'every micro-batch' if clip_every_micro_batch else 'once at the end'}: "
          f"norm {g.norm():.3f}, same as the reference? "
          f"{torch.allclose(g, reference, rtol=0, atol=1e-12)} (off by up to {error:.1%})")
#> clip once at the end: norm 1.000, same as the reference? True (off by up to 0.0%)
#> clip every micro-batch: norm 1.000, same as the reference? False (off by up to 3.8%)
