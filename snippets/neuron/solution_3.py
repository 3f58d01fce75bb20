"""Exercise 3: gradient descent at lr = 0.5 and lr = 1.2, and 2 / lambda_max."""
import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(0)  # the page's data
N, d = 100, 3
X_np = rng.normal(size=(N, d))
y_np = X_np @ np.array([2.0, -1.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=N)
A = np.hstack([X_np, np.ones((N, 1))])
theta, *_ = np.linalg.lstsq(A, y_np, rcond=None)  # the least-squares answer
bound = 2 / np.linalg.eigvalsh(2 / N * A.T @ A).max()  # the Hessian's lambda_max
print(f"2 / lambda_max = {bound:.3f}")
#> 2 / lambda_max = 0.806

X, y = torch.from_numpy(X_np), torch.from_numpy(y_np).unsqueeze(1)
for lr in (0.1, 0.5, 1.2):
    torch.manual_seed(0)
    neuron = nn.Linear(d, 1, dtype=torch.float64)
    for epoch in range(300):
        loss = ((neuron(X) - y) ** 2).mean()
        neuron.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in neuron.parameters():
                p -= lr * p.grad
    fitted = np.append(neuron.weight.detach().numpy().ravel(), neuron.bias.item())
    gap = np.abs(fitted - theta).max()
    print(f"lr = {lr}:  largest gap to least squares {gap:.1e}  loss {loss.item():.3g}")
#> lr = 0.1:  largest gap to least squares 8.9e-16  loss 0.0081
#> lr = 0.5:  largest gap to least squares 1.1e-15  loss 0.0081
#> lr = 1.2:  largest gap to least squares 8.0e+88  loss 2.46e+177
