"""Exercise 3: zero biases do not cure a learning rate that is too large."""
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(256, 2)
y = ((X**2).sum(dim=1, keepdim=True) < 1.4).float()  # 1 inside a circle


def dead_fraction(model):
    with torch.no_grad():
        return (model[1](model[0](X)) == 0).all(dim=0).float().mean().item()


def run(lr, num_steps=200, batch_size=32):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 1))
    nn.init.zeros_(model[0].bias)  # the cure for a negative bias
    at_start = dead_fraction(model)
    gen = torch.Generator().manual_seed(1)
    for step in range(num_steps):
        i = torch.randint(0, len(X), (batch_size,), generator=gen)
        loss = nn.BCEWithLogitsLoss()(model(X[i]), y[i])
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
    return at_start, dead_fraction(model)


results = {}  # learning rate: (dead at start, dead after training)
for lr in [1.0, 10.0]:
    at_start, after = results[lr] = run(lr)
    print(f"zero biases, lr = {lr:4}: dead at start {at_start:.2f}, after training {after:.2f}")
#> zero biases, lr =  1.0: dead at start 0.00, after training 0.00
#> zero biases, lr = 10.0: dead at start 0.00, after training 0.80
