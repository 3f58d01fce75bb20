"""Exercise 1: the checker with a step too large (h = 1e-2) and one too small (h = 1e-9)."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def loss_fn(p):
    y_hat = sigmoid(X @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"]
    return np.mean((y_hat - y) ** 2)


def backprop(p):
    A1 = sigmoid(X @ p["W1"].T + p["b1"])
    dL_dy_hat = 2 / len(X) * (A1 @ p["W2"].T + p["b2"] - y)
    dL_dZ1 = dL_dy_hat @ p["W2"] * A1 * (1 - A1)
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}


def largest_error(h):
    """The page's checker in short: central differences, the largest relative error."""
    analytic, worst = backprop(params), 0.0
    for name, p in params.items():
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            L_plus = loss_fn(params)
            p[i] = old - h
            L_minus = loss_fn(params)
            p[i] = old
            n, a = (L_plus - L_minus) / (2 * h), analytic[name][i]
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), 1e-12))
    return worst


rng = np.random.default_rng(0)  # the page's problem
X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=4),
          "W2": rng.normal(size=(1, 4)), "b2": rng.normal(size=1)}
errors = {h: largest_error(h) for h in (1e-2, 1e-5, 1e-9)}
for h, error in errors.items():
    print(f"h = {h:.0e}: largest relative error {error:.0e}")
#> h = 1e-02: largest relative error 8e-05
#> h = 1e-05: largest relative error 9e-10
#> h = 1e-09: largest relative error 7e-06
