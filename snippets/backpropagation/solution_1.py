"""Exercise 1: backprop with tanh hidden units; only the line of dL_dZ1 changes."""
import numpy as np
import torch


def forward(X, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1.T + b1)  # tanh in place of the sigmoid
    return A1 @ W2.T + b2, A1


def backprop(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    y_hat, A1 = forward(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / N * (y_hat - y)
    dL_dW2 = dL_dy_hat.T @ A1
    dL_db2 = dL_dy_hat.sum(axis=0)
    dL_dA1 = dL_dy_hat @ W2
    dL_dZ1 = dL_dA1 * (1 - A1**2)  # the one changed line: tanh'(Z1) = 1 - A1^2
    dL_dW1 = dL_dZ1.T @ X
    dL_db1 = dL_dZ1.sum(axis=0)
    return {"W1": dL_dW1, "b1": dL_db1, "W2": dL_dW2, "b2": dL_db2}


rng = np.random.default_rng(0)
N, d, n_hidden = 16, 3, 5
p = {"X": rng.normal(size=(N, d)), "y": rng.normal(size=(N, 1)),
     "W1": rng.normal(size=(n_hidden, d)), "b1": rng.normal(size=n_hidden),
     "W2": rng.normal(size=(1, n_hidden)), "b2": rng.normal(size=1)}
grads = backprop(**p)

# float64 tensors; gradients for the parameters only
t = {k: torch.tensor(v, requires_grad=k not in ("X", "y")) for k, v in p.items()}
y_hat = torch.tanh(t["X"] @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
torch.nn.functional.mse_loss(y_hat, t["y"]).backward()
worst = max(np.abs(grads[k] - t[k].grad.numpy()).max() for k in grads)
print(f"max |NumPy - autograd| < 1e-12: {worst < 1e-12}")
#> max |NumPy - autograd| < 1e-12: True
