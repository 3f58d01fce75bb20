"""Exercise 1: the constant start of symmetry.py, plus noise of size 1e-3 on W1."""
import torch
from torch import nn

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
with torch.no_grad():
    for p in model.parameters():
        p.fill_(0.5)
    model[0].weight += 1e-3 * torch.randn(4, 2)  # the only change: a tiny push apart

lr, losses, spreads = 0.2, [], []
for step in range(1, 501):  # the page's 500 steps
    model.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    W1 = model[0].weight.detach()
    losses.append(loss.item())
    spreads.append((W1 - W1.mean(dim=0)).abs().max().item())  # how far the rows are apart
    if step % 100 == 0:
        print(f"step {step:4d}   loss {losses[-1]:.4f}   rows apart by {spreads[-1]:.4f}")
#> step  100   loss 0.2297   rows apart by 0.0021
#> step  200   loss 0.2180   rows apart by 0.0041
#> step  300   loss 0.2071   rows apart by 0.0092
#> step  400   loss 0.1985   rows apart by 0.0183
#> step  500   loss 0.1922   rows apart by 0.0314
