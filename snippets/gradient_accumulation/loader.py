"""A DataLoader loop with accumulation: the leftover micro-batches at the end of the epoch."""
# --8<-- [start:setup]
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
N, batch_size, accum_steps = 11, 2, 4  # micro-batches of 2, 2, 2, 2, 2, 1 rows
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
# no shuffle: the same order in every epoch
loader = DataLoader(TensorDataset(X, y), batch_size=batch_size)
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
            # after every accum_steps micro-batches, and after the leftover ones
            if (i + 1) % accum_steps == 0 or i + 1 == len(loader):
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
        # 8 rows, then the 3 left over
        for X_g, y_g in zip(X.split(group), y.split(group)):
            optimizer.zero_grad()
            loss_fn(model(X_g), y_g).backward()
            optimizer.step()
# --8<-- [end:reference]


if __name__ == "__main__":
    # --8<-- [start:compare]
    def one_epoch(train_fn):
        """A copy of the model after one epoch of train_fn with SGD."""
        model_copy = copy.deepcopy(model)
        optimizer = torch.optim.SGD(model_copy.parameters(), lr=0.1)
        train_fn(model_copy, optimizer, num_epochs=1)
        return model_copy

    def same(a, b):
        """Equal up to float64 round-off."""
        return torch.allclose(a, b, rtol=0, atol=1e-12)

    reference = one_epoch(train_full_batch)
    for train_fn in train_naive, train:
        trained = one_epoch(train_fn)
        pairs = zip(trained.parameters(), reference.parameters())
        equal = all(same(p, q) for p, q in pairs)
        left = trained[0].weight.grad
        name = train_fn.__name__ + ":"
        print(f"{name:12s} same as the reference? {str(equal) + ',':6s} "
              f"gradient left? {left is not None and bool(left.any())}")
    #> train_naive: same as the reference? False, gradient left? True
    #> train:       same as the reference? True,  gradient left? False
    # --8<-- [end:compare]
