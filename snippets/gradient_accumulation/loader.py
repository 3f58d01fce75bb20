"""A DataLoader loop with accumulation: the leftover micro-batches at the end of the epoch."""
# --8<-- [start:setup]
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
N, batch_size, accum_steps = 11, 2, 4  # 6 micro-batches: 2, 2, 2, 2, 2 and 1 rows
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
loader = DataLoader(TensorDataset(X, y), batch_size=batch_size)  # no shuffle: same order every epoch
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()
# --8<-- [end:setup]


# --8<-- [start:naive]
def train_naive(model, optimizer, num_epochs):
    for epoch in range(num_epochs):
        for i, (X_m, y_m) in enumerate(loader):
            loss = loss_fn(model(X_m), y_m) / accum_steps
            loss.backward()
            if (i + 1) % accum_steps == 0:
                optimizer.step()
                optimizer.zero_grad()
# --8<-- [end:naive]


# --8<-- [start:right]
def train(model, optimizer, num_epochs):
    sum_loss_fn = nn.MSELoss(reduction="sum")
    for epoch in range(num_epochs):
        rows = 0  # rows in the current group so far
        for i, (X_m, y_m) in enumerate(loader):
            sum_loss_fn(model(X_m), y_m).backward()  # sum now, divide at the step
            rows += len(X_m)
            if (i + 1) % accum_steps == 0 or i + 1 == len(loader):  # the leftover group steps too
                for p in model.parameters():
                    p.grad /= rows  # the group's real number of rows
                optimizer.step()
                optimizer.zero_grad()
                rows = 0
# --8<-- [end:right]


# --8<-- [start:reference]
def train_full_batch(model, optimizer, num_epochs):
    """The reference: one step per group, on all of the group's rows at once."""
    group = batch_size * accum_steps  # rows per group of accum_steps micro-batches
    for epoch in range(num_epochs):
        for X_g, y_g in zip(X.split(group), y.split(group)):  # 8 rows, then the 3 left over
            optimizer.zero_grad()
            loss_fn(model(X_g), y_g).backward()
            optimizer.step()
# --8<-- [end:reference]


if __name__ == "__main__":
    # --8<-- [start:compare]
    def one_epoch(train_fn):
        """A copy of the model after one epoch of train_fn with SGD."""
        model_copy = copy.deepcopy(model)
        train_fn(model_copy, torch.optim.SGD(model_copy.parameters(), lr=0.1), num_epochs=1)
        return model_copy

    def same(a, b):
        """Equal up to float64 round-off."""
        return torch.allclose(a, b, rtol=0, atol=1e-12)

    reference = one_epoch(train_full_batch)
    for train_fn in train_naive, train:
        trained = one_epoch(train_fn)
        equal = all(same(p, q) for p, q in zip(trained.parameters(), reference.parameters()))
        left = trained[0].weight.grad
        print(f"{train_fn.__name__ + ':':12s} same weights as the reference? {equal!s:5s}  "
              f"gradient left in .grad? {left is not None and bool(left.any())}")
    #> train_naive: same weights as the reference? False  gradient left in .grad? True
    #> train:       same weights as the reference? True   gradient left in .grad? False
    # --8<-- [end:compare]
