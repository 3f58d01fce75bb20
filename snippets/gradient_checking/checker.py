"""A gradient checker from scratch, and a one-hidden-layer sigmoid network to check."""
# --8<-- [start:checker]
import numpy as np


def numerical_gradient(loss_fn, params, h=1e-5):
    """Central differences of loss_fn(params), one parameter entry at a time."""
    grads = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = float(p[i])
            p[i] = old + h
            L_plus = loss_fn(params)
            p[i] = old - h
            L_minus = loss_fn(params)
            p[i] = old  # put it back
            g[i] = (L_plus - L_minus) / (2 * h)
        grads[name] = g
    return grads


def relative_error(a, n, tiny=1e-12):
    """|a - n| / max(|a|, |n|, tiny), entry by entry."""
    return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), tiny)


def grad_check(loss_fn, grad_fn, params, h=1e-5):
    """Largest relative error of grad_fn against central differences, and all."""
    analytic = grad_fn(params)
    numeric = numerical_gradient(loss_fn, params, h)
    errors = {name: relative_error(analytic[name], numeric[name])
              for name in params}
    return max(e.max() for e in errors.values()), errors
# --8<-- [end:checker]


# --8<-- [start:network]
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def forward(X, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1  # (N, n_hidden): one row of W1 per hidden unit
    A1 = sigmoid(Z1)
    y_hat = A1 @ W2.T + b2  # (N, 1): no activation on the output
    return y_hat, A1


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)


def backprop(X, y, W1, b1, W2, b2):
    y_hat, A1 = forward(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / len(X) * (y_hat - y)
    dL_dA1 = dL_dy_hat @ W2
    dL_dZ1 = dL_dA1 * A1 * (1 - A1)  # sigmoid'(Z1) = A1 (1 - A1)
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}
# --8<-- [end:network]


# --8<-- [start:broken]
def backprop_broken(X, y, W1, b1, W2, b2):
    """The same backward pass with one bug."""
    y_hat, A1 = forward(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / len(X) * (y_hat - y)
    dL_dA1 = dL_dy_hat @ W2
    dL_dZ1 = dL_dA1  # BUG: the factor sigmoid'(Z1) is missing
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}
# --8<-- [end:broken]


# --8<-- [start:clip]
def forward_clip(X, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    A1 = np.clip(Z1, -1, 1)  # hard tanh: flat below -1 and above 1
    return A1 @ W2.T + b2, A1


def backprop_clip_broken(X, y, W1, b1, W2, b2):
    y_hat, A1 = forward_clip(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / len(X) * (y_hat - y)
    dL_dZ1 = dL_dy_hat @ W2  # BUG: should be 0 where the clip is flat
    return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
            "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}
# --8<-- [end:clip]


# --8<-- [start:directional]
def directional_check(loss_fn, grad_fn, params, h=1e-5, seed=0):
    """Relative error of grad . u against a central difference along a random u."""
    rng = np.random.default_rng(seed)
    u = {name: rng.normal(size=p.shape) for name, p in params.items()}
    plus = {name: p + h * u[name] for name, p in params.items()}
    minus = {name: p - h * u[name] for name, p in params.items()}
    numeric = (loss_fn(plus) - loss_fn(minus)) / (2 * h)  # two losses in all
    analytic = sum(np.sum(g * u[name]) for name, g in grad_fn(params).items())
    return relative_error(analytic, numeric)
# --8<-- [end:directional]


if __name__ == "__main__":
    # --8<-- [start:run]
    THRESHOLD = 1e-7  # float64, central differences with h = 1e-5
    rng = np.random.default_rng(0)
    N, d, n_hidden = 8, 3, 4
    X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
    params = {"W1": rng.normal(size=(n_hidden, d)),
              "b1": rng.normal(size=n_hidden),
              "W2": rng.normal(size=(1, n_hidden)),
              "b2": rng.normal(size=1)}

    def loss_fn(p):
        return mse(forward(X, **p)[0], y)

    for grad_fn in (backprop, backprop_broken):
        max_error, errors = grad_check(
            loss_fn, lambda p: grad_fn(X, y, **p), params)
        verdict = "PASS" if max_error < THRESHOLD else "FAIL"
        print(f"{grad_fn.__name__}: {verdict}")
        for name, e in errors.items():
            worst = e.max()
            shown = f"{worst:.1e}" if worst >= THRESHOLD else f"< {THRESHOLD:.0e}"
            print(f"    {name:2s}  largest relative error {shown}")
    #> backprop: PASS
    #>     W1  largest relative error < 1e-07
    #>     b1  largest relative error < 1e-07
    #>     W2  largest relative error < 1e-07
    #>     b2  largest relative error < 1e-07
    #> backprop_broken: FAIL
    #>     W1  largest relative error 1.8e+00
    #>     b1  largest relative error 9.0e-01
    #>     W2  largest relative error < 1e-07
    #>     b2  largest relative error < 1e-07
    # --8<-- [end:run]

    # --8<-- [start:float32]
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    params32 = {name: p.astype(np.float32) for name, p in params.items()}
    max_error, _ = grad_check(lambda p: mse(forward(X32, **p)[0], y32),
                              lambda p: backprop(X32, y32, **p), params32)
    print(f"backprop in float32: {'PASS' if max_error < THRESHOLD else 'FAIL'}")
    #> backprop in float32: FAIL
    # --8<-- [end:float32]

    # --8<-- [start:directional_run]
    for grad_fn in (backprop, backprop_broken):
        error = directional_check(loss_fn, lambda p: grad_fn(X, y, **p), params)
        verdict = "PASS" if error < THRESHOLD else "FAIL"
        print(f"{grad_fn.__name__}: {verdict}, relative error {error:.0e}")
    #> backprop: PASS, relative error 5e-11
    #> backprop_broken: FAIL, relative error 8e-01
    # --8<-- [end:directional_run]

    # --8<-- [start:burn_in]
    rng = np.random.default_rng(0)
    X_c, y_c = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
    params_c = {"W1": 0.1 * rng.normal(size=(n_hidden, d)),  # small: no unit clipped
                "b1": np.zeros(n_hidden),
                "W2": rng.normal(size=(1, n_hidden)), "b2": np.zeros(1)}

    def loss_c(p):
        return mse(forward_clip(X_c, **p)[0], y_c)

    def grad_c(p):
        return backprop_clip_broken(X_c, y_c, **p)

    for step in range(6):
        if step in (0, 5):
            max_error, _ = grad_check(loss_c, grad_c, params_c)
            Z1 = X_c @ params_c["W1"].T + params_c["b1"]
            print(f"after {step} steps: {np.mean(np.abs(Z1) > 1):.0%} of units clipped,"
                  f" {'PASS' if max_error < THRESHOLD else 'FAIL'}")
        grads = grad_c(params_c)  # a training step with the code under test
        for name in params_c:
            params_c[name] -= 0.3 * grads[name]
    #> after 0 steps: 0% of units clipped, PASS
    #> after 5 steps: 31% of units clipped, FAIL
    # --8<-- [end:burn_in]

    # --8<-- [start:penalty]
    weight_decay = 100.0  # a large L2 penalty, on every parameter

    def penalty(p):
        return weight_decay / 2 * sum(np.sum(q ** 2) for q in p.values())

    def backprop_one_off(p):  # BUG: one entry of the data loss's gradient 1 % off
        grads = backprop(X, y, **p)
        grads["W1"][0, 0] *= 1.01
        return grads

    def total_grad(p):
        grads = backprop_one_off(p)
        return {name: grads[name] + weight_decay * p[name] for name in p}

    combined, _ = grad_check(lambda p: loss_fn(p) + penalty(p), total_grad, params)
    alone, _ = grad_check(loss_fn, backprop_one_off, params)
    print(f"data loss + penalty: largest relative error {combined:.0e}")
    #> data loss + penalty: largest relative error 3e-04
    print(f"data loss alone:     largest relative error {alone:.0e}")
    #> data loss alone:     largest relative error 1e-02
    # --8<-- [end:penalty]
