"""Exercise 3: a transposed W1 gradient in a square hidden layer (d = n_hidden = 3)."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def loss_fn(p):
    y_hat = sigmoid(X @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"]
    return np.mean((y_hat - y) ** 2)


def W1_gradient_transposed(p):
    A1 = sigmoid(X @ p["W1"].T + p["b1"])
    dL_dy_hat = 2 / len(X) * (A1 @ p["W2"].T + p["b2"] - y)
    dL_dZ1 = dL_dy_hat @ p["W2"] * A1 * (1 - A1)
    return (dL_dZ1.T @ X).T  # BUG: transposed, and the shapes still fit


def W1_numerical(p, h=1e-5):
    g = np.zeros_like(p["W1"])
    for i in np.ndindex(g.shape):
        old = p["W1"][i]
        p["W1"][i] = old + h
        L_plus = loss_fn(p)
        p["W1"][i] = old - h
        L_minus = loss_fn(p)
        p["W1"][i] = old
        g[i] = (L_plus - L_minus) / (2 * h)
    return g


rng = np.random.default_rng(0)
N, d, n_hidden = 8, 3, 3
X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
params = {"W1": rng.normal(size=(n_hidden, d)), "b1": rng.normal(size=n_hidden),
          "W2": rng.normal(size=(1, n_hidden)), "b2": rng.normal(size=1)}
a, n = W1_gradient_transposed(params), W1_numerical(params)
errors = np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-12)
passes = errors < 1e-7
print(passes)
#> [[ True False False]
#>  [False  True False]
#>  [False False  True]]
