"""Exercise 4: ReLU, a pre-activation within h|x| of the kink, and a correct backprop failing."""
import numpy as np


def forward(X, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    return np.maximum(Z1, 0) @ W2.T + b2, Z1


def backprop(X, y, W1, b1, W2, b2):  # correct: ReLU'(z) = 1 where z > 0, else 0
    y_hat, Z1 = forward(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / len(X) * (y_hat - y)
    dL_dZ1 = dL_dy_hat @ W2 * (Z1 > 0)
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ np.maximum(Z1, 0), "b2": dL_dy_hat.sum(axis=0)}


def errors_by_entry(p, h):
    loss = lambda p: np.mean((forward(X, **p)[0] - y) ** 2)  # noqa: E731
    analytic, errors = backprop(X, y, **p), {}
    for name, q in p.items():
        errors[name] = np.zeros_like(q)
        for i in np.ndindex(q.shape):
            old = q[i]
            q[i] = old + h
            L_plus = loss(p)
            q[i] = old - h
            L_minus = loss(p)
            q[i] = old
            a, n = analytic[name][i], (L_plus - L_minus) / (2 * h)
            errors[name][i] = abs(a - n) / max(abs(a), abs(n), 1e-12)
    return errors


h = 1e-5
rng = np.random.default_rng(0)  # the page's problem
X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=4),
          "W2": rng.normal(size=(1, 4)), "b2": rng.normal(size=1)}
# move unit 0's bias so that its pre-activation on row 0 is 0.5 h: just above the kink
params["b1"][0] -= (X @ params["W1"].T + params["b1"])[0, 0] - 0.5 * h
Z1 = forward(X, **params)[1]
print("within h|x| of the kink, W1[0]:", h * np.abs(X[0]) > abs(Z1[0, 0]))
#> within h|x| of the kink, W1[0]: [False False  True]
errors = errors_by_entry(params, h)
print("failing entries of W1[0]:     ", errors["W1"][0] > 1e-7)
#> failing entries of W1[0]:      [False False  True]
print("b1 fails:", errors["b1"] > 1e-7)
#> b1 fails: [ True False False False]
print("every other entry passes:", max(errors["W1"][1:].max(), errors["W2"].max(),
                                       errors["b2"].max()) < 1e-7)
#> every other entry passes: True
