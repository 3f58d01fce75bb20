"""Exercise 5: identical hidden units get identical gradients, and stay identical."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def backprop(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    dL_dy_hat = 2 / N * (A1 @ W2.T + b2 - y)
    dL_dZ1 = dL_dy_hat @ W2 * A1 * (1 - A1)
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}


rng = np.random.default_rng(0)
N, d, n_hidden = 16, 3, 4
X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
params = {"W1": np.tile(rng.normal(size=d), (n_hidden, 1)),  # one row for every unit
          "b1": np.full(n_hidden, 0.1), "W2": np.full((1, n_hidden), 0.5),
          "b2": np.zeros(1)}
grads = backprop(X, y, **params)
print(np.round(grads["W1"], 4))
#> [[-0.0434  0.0018  0.0439]
#>  [-0.0434  0.0018  0.0439]
#>  [-0.0434  0.0018  0.0439]
#>  [-0.0434  0.0018  0.0439]]
num_steps = 100
for step in range(num_steps):  # train: the units stay copies of each other
    grads = backprop(X, y, **params)
    params = {k: v - 0.1 * grads[k] for k, v in params.items()}
spread = np.abs(params["W1"] - params["W1"][0]).max()
print(f"after {num_steps} steps, every row of W1 equals the first: {spread < 1e-12}")
#> after 100 steps, every row of W1 equals the first: True
