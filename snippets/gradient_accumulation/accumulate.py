"""Gradient accumulation: accum_steps micro-batches, each mean loss weighted by n_m / N."""
# --8<-- [start:setup]
import copy

import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3  # a batch of N rows, split into accum_steps micro-batches
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()  # reduction="mean": the mean over the rows it is given
# --8<-- [end:setup]


# --8<-- [start:full]
def full_batch_step(model, optimizer, X, y):
    """The reference: one step on the whole batch."""
    optimizer.zero_grad()
    loss_fn(model(X), y).backward()
    optimizer.step()
# --8<-- [end:full]


# --8<-- [start:accumulate]
def accumulated_step(model, optimizer, X, y, accum_steps):
    """One step from accum_steps micro-batches."""
    optimizer.zero_grad()
    # tensor_split always gives accum_steps pieces; their sizes differ by at most 1
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        weight = len(X_m) / len(X)  # n_m / N, which is 1 / accum_steps for equal pieces
        loss = loss_fn(model(X_m), y_m) * weight
        loss.backward()  # adds this micro-batch's gradient into every p.grad
    optimizer.step()  # once, with the sum of the weighted gradients
# --8<-- [end:accumulate]


if __name__ == "__main__":
    # --8<-- [start:compare]
    def same(a, b):
        """Equal up to float64 round-off."""
        return torch.allclose(a, b, rtol=0, atol=1e-12)

    model_full, model_acc = model, copy.deepcopy(model)  # two identical copies
    opt_full = torch.optim.SGD(model_full.parameters(), lr=0.1)
    opt_acc = torch.optim.SGD(model_acc.parameters(), lr=0.1)
    full_batch_step(model_full, opt_full, X, y)
    accumulated_step(model_acc, opt_acc, X, y, accum_steps)
    pairs = list(zip(model_full.parameters(), model_acc.parameters()))
    print("same gradients: ", all(same(p.grad, q.grad) for p, q in pairs))
    #> same gradients:  True
    print("same parameters:", all(same(p, q) for p, q in pairs))
    #> same parameters: True
    # --8<-- [end:compare]
