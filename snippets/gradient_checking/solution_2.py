"""Exercise 2: the checker with one-sided differences."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def loss_fn(p):
    y_hat = sigmoid(X @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"]
    return np.mean((y_hat - y) ** 2)


def backprop(p, broken=False):
    A1 = sigmoid(X @ p["W1"].T + p["b1"])
    dL_dy_hat = 2 / len(X) * (A1 @ p["W2"].T + p["b2"] - y)
    dL_dZ1 = dL_dy_hat @ p["W2"] * (1 if broken else A1 * (1 - A1))  # broken: no sigmoid'
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}


def largest_error(analytic, h=1e-5):
    """Like the page's checker, but one-sided: (f(theta + h) - f(theta)) / h."""
    L, worst = loss_fn(params), 0.0
    for name, p in params.items():
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            n = (loss_fn(params) - L) / h
            p[i] = old
            a = analytic[name][i]
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), 1e-12))
    return worst


rng = np.random.default_rng(0)  # the page's problem
X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=4),
          "W2": rng.normal(size=(1, 4)), "b2": rng.normal(size=1)}
correct = largest_error(backprop(params))
broken = largest_error(backprop(params, broken=True))
print(f"one-sided, correct backprop: {correct:.0e}")
#> one-sided, correct backprop: 7e-05
print(f"one-sided, broken backprop:  {broken:.0e}")
#> one-sided, broken backprop:  2e+00
