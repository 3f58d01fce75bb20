"""Exercise 5: in eval() mode batch norm uses its running statistics, and accumulation is exact."""
import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
loss_fn = nn.MSELoss()


def make_model():
    torch.manual_seed(1)  # the same weights every time
    return nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Sigmoid(), nn.Linear(8, 1)).double()


def gradients(model, accum_steps):
    model.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


for mode in "train", "eval":
    full_model, acc_model = make_model(), make_model()
    if mode == "eval":
        full_model.eval()  # normalize with the running mean and variance
        acc_model.eval()
    full = gradients(full_model, accum_steps=1)
    accumulated = gradients(acc_model, accum_steps)
    same = torch.allclose(accumulated, full, rtol=0, atol=1e-12)
    print(f"{mode}(): same gradients as the full batch? {same}, "
          f"batches the running statistics saw: {acc_model[1].num_batches_tracked.item()}")
#> train(): same gradients as the full batch? False, batches the running statistics saw: 3
#> eval(): same gradients as the full batch? True, batches the running statistics saw: 0
