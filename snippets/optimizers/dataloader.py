"""Epochs, shuffling, DataLoader; how batch size and learning rate trade off."""
# --8<-- [start:loader]
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(torch.arange(10))  # ten samples; each is its index
loader = DataLoader(dataset, batch_size=4, shuffle=True,
                    generator=torch.Generator().manual_seed(0))
for epoch in range(2):
    print(f"epoch {epoch}:", [batch.tolist() for (batch,) in loader])
#> epoch 0: [[3, 7, 5, 2], [0, 8, 1, 6], [9, 4]]
#> epoch 1: [[1, 3, 2, 7], [5, 9, 0, 6], [4, 8]]
dropping = DataLoader(dataset, batch_size=4, shuffle=True, drop_last=True,
                      generator=torch.Generator().manual_seed(0))
print("batches per epoch:", len(loader), "and with drop_last:", len(dropping))
#> batches per epoch: 3 and with drop_last: 2
# --8<-- [end:loader]

# --8<-- [start:train]
torch.manual_seed(0)
f64 = torch.float64
N, d = 256, 3
X = torch.randn(N, d, dtype=f64)
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=f64)
y = X @ w_true + 0.5 * torch.randn(N, dtype=f64)
w_best = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]  # the exact minimum
loss_min = ((X @ w_best - y) ** 2).mean().item() / 2


def train(batch_size, lr, num_epochs, seed):
    """Mini-batch SGD on the least-squares loss; returns L - L_min."""
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size,
                        shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    w = torch.zeros(d, dtype=f64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for epoch in range(num_epochs):
        for X_batch, y_batch in loader:  # one epoch: every sample once
            optimizer.zero_grad()
            (((X_batch @ w - y_batch) ** 2).mean() / 2).backward()
            optimizer.step()
    return ((X @ w - y) ** 2).mean().item() / 2 - loss_min
# --8<-- [end:train]


# --8<-- [start:scaling]
num_epochs, seeds = 4, range(3)
for batch_size, lr in [(8, 0.02), (32, 0.08), (32, 0.02)]:
    runs = [train(batch_size, lr, num_epochs, s) for s in seeds]
    num_steps = num_epochs * N // batch_size
    print(f"B = {batch_size:2d}  lr = {lr}  steps {num_steps:3d}"
          f"  L - L_min: {sum(runs) / len(runs):.1e}")
#> B =  8  lr = 0.02  steps 128  L - L_min: 1.5e-02
#> B = 32  lr = 0.08  steps  32  L - L_min: 1.3e-02
#> B = 32  lr = 0.02  steps  32  L - L_min: 7.3e-01
# --8<-- [end:scaling]
