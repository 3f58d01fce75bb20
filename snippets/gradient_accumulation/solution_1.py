"""Exercise 1: the micro-batch losses without their weight n_m / N."""
import copy

import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()


def gradient(model, weighted):
    """The accumulated gradient, as one vector; weighted=False drops the `* weight`."""
    model.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        weight = len(X_m) / len(X) if weighted else 1.0
        (loss_fn(model(X_m), y_m) * weight).backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


def moved(make_optimizer, weighted):
    """How far one accumulated step moves the parameters, as one vector."""
    model_copy = copy.deepcopy(model)
    optimizer = make_optimizer(model_copy.parameters())
    gradient(model_copy, weighted)
    optimizer.step()
    return torch.cat([(q - p).flatten() for p, q in zip(model.parameters(), model_copy.parameters())])


factor = (gradient(model, weighted=False) / gradient(model, weighted=True)).mean().item()
print(f"gradient without the weights: {factor:.6f} times the right one")
#> gradient without the weights: 3.000000 times the right one

lr = 0.1
sgd_right = moved(lambda params: torch.optim.SGD(params, lr=lr), weighted=True)
sgd_fixed = moved(lambda params: torch.optim.SGD(params, lr=lr / accum_steps), weighted=False)
print("SGD with lr / accum_steps, same step:", torch.allclose(sgd_fixed, sgd_right, rtol=0, atol=1e-12))
#> SGD with lr / accum_steps, same step: True

adam_right = moved(lambda params: torch.optim.Adam(params, lr=lr), weighted=True)
adam_unweighted = moved(lambda params: torch.optim.Adam(params, lr=lr), weighted=False)
adam_error = ((adam_unweighted - adam_right).abs().max() / adam_right.abs().max()).item()
print(f"Adam, same lr, no weights: the step differs by {adam_error:.1e} of its largest entry")
#> Adam, same lr, no weights: the step differs by 6.3e-06 of its largest entry
