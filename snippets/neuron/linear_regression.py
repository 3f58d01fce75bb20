"""One linear neuron trained by gradient descent on the MSE is linear regression."""
# --8<-- [start:data]
import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(0)
N, d = 100, 3
X_np = rng.normal(size=(N, d))
y_np = X_np @ np.array([2.0, -1.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=N)
# --8<-- [end:data]

# --8<-- [start:lstsq]
# Least squares: append a column of ones so the bias is one more weight.
A = np.hstack([X_np, np.ones((N, 1))])
theta, *_ = np.linalg.lstsq(A, y_np, rcond=None)
w_ls, b_ls = theta[:d], theta[d]
# --8<-- [end:lstsq]

# --8<-- [start:neuron]
torch.manual_seed(0)
X, y = torch.from_numpy(X_np), torch.from_numpy(y_np).unsqueeze(1)
neuron = nn.Linear(d, 1, dtype=torch.float64)  # no activation: y_hat = w.x + b
lr, num_epochs = 0.1, 300

for epoch in range(num_epochs):
    y_hat = neuron(X)
    loss = ((y_hat - y) ** 2).mean()  # MSE over the whole data set
    neuron.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in neuron.parameters():
            p -= lr * p.grad  # w <- w - lr * dL/dw, and the same for b

w_gd = neuron.weight.detach().numpy().ravel()
b_gd = neuron.bias.item()
print("gradient descent:", np.round(w_gd, 4), round(b_gd, 4))
#> gradient descent: [ 1.9985 -1.0132  0.4843] 0.2959
print("least squares:   ", np.round(w_ls, 4), round(b_ls, 4))
#> least squares:    [ 1.9985 -1.0132  0.4843] 0.2959
gap = max(np.abs(w_gd - w_ls).max(), abs(b_gd - b_ls))
print("agree to 1e-10:", gap < 1e-10)
#> agree to 1e-10: True
# --8<-- [end:neuron]
