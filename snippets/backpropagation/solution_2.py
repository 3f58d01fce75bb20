"""Exercise 2: dL/dX = dL/dZ1 W1, the gradient with respect to the inputs."""
import numpy as np
import torch


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def backprop(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    y_hat = A1 @ W2.T + b2
    dL_dy_hat = 2 / N * (y_hat - y)
    dL_dW2 = dL_dy_hat.T @ A1
    dL_db2 = dL_dy_hat.sum(axis=0)
    dL_dA1 = dL_dy_hat @ W2
    dL_dZ1 = dL_dA1 * A1 * (1 - A1)
    dL_dW1 = dL_dZ1.T @ X
    dL_db1 = dL_dZ1.sum(axis=0)
    dL_dX = dL_dZ1 @ W1  # (N, d): reuses dL_dZ1, as dL_dA1 reuses dL_dy_hat
    return {"W1": dL_dW1, "b1": dL_db1, "W2": dL_dW2, "b2": dL_db2, "X": dL_dX}


rng = np.random.default_rng(0)
N, d, n_hidden = 16, 3, 5
p = {"X": rng.normal(size=(N, d)), "y": rng.normal(size=(N, 1)),
     "W1": rng.normal(size=(n_hidden, d)), "b1": rng.normal(size=n_hidden),
     "W2": rng.normal(size=(1, n_hidden)), "b2": rng.normal(size=1)}
dL_dX = backprop(**p)["X"]

t = {k: torch.tensor(v, requires_grad=k != "y") for k, v in p.items()}  # float64
y_hat = torch.sigmoid(t["X"] @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
torch.nn.functional.mse_loss(y_hat, t["y"]).backward()
print("shape of dL/dX:", dL_dX.shape)
#> shape of dL/dX: (16, 3)
worst = np.abs(dL_dX - t["X"].grad.numpy()).max()
print(f"max |NumPy - autograd| < 1e-12: {worst < 1e-12}")
#> max |NumPy - autograd| < 1e-12: True
