"""Backpropagation from scratch in NumPy: one hidden layer of sigmoid units, MSE loss."""
# --8<-- [start:forward]
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def forward(X, W1, b1, W2, b2):
    """The prediction y_hat (N, 1), and A1 (N, n_hidden) for backprop."""
    Z1 = X @ W1.T + b1  # (N, n_hidden); W1 has one row per hidden unit
    A1 = sigmoid(Z1)  # (N, n_hidden)
    y_hat = A1 @ W2.T + b2  # (N, 1); W2 is (1, n_hidden); no output activation
    return y_hat, A1


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)
# --8<-- [end:forward]


# --8<-- [start:backprop]
def backprop(X, y, W1, b1, W2, b2):
    """Gradients of the MSE with respect to W1, b1, W2 and b2, in a dict."""
    N = X.shape[0]
    if y.shape != (N, 1):
        # a y of shape (N,) would broadcast y_hat - y to (N, N) without an error
        raise ValueError(f"y must have shape (N, 1), not {y.shape}")
    y_hat, A1 = forward(X, W1, b1, W2, b2)
    dL_dy_hat = 2 / N * (y_hat - y)  # (N, 1)
    dL_dW2 = dL_dy_hat.T @ A1  # (1, n_hidden)
    dL_db2 = dL_dy_hat.sum(axis=0)  # (1,)
    dL_dA1 = dL_dy_hat @ W2  # (N, n_hidden)
    dL_dZ1 = dL_dA1 * A1 * (1 - A1)  # sigmoid'(Z1) = A1 (1 - A1)
    dL_dW1 = dL_dZ1.T @ X  # (n_hidden, d)
    dL_db1 = dL_dZ1.sum(axis=0)  # (n_hidden,)
    return {"W1": dL_dW1, "b1": dL_db1, "W2": dL_dW2, "b2": dL_db2}
# --8<-- [end:backprop]


if __name__ == "__main__":
    # --8<-- [start:demo]
    rng = np.random.default_rng(0)
    N, d, n_hidden = 64, 1, 8
    X = rng.uniform(-3, 3, size=(N, d))
    y = np.sin(X)  # (N, 1): a curve one hidden layer can fit
    params = {
        "W1": rng.normal(0, 1, size=(n_hidden, d)), "b1": np.zeros(n_hidden),
        "W2": rng.normal(0, 1 / np.sqrt(n_hidden), size=(1, n_hidden)),
        "b2": np.zeros(1),
    }
    lr = 0.5
    for step in range(3001):
        if step % 500 == 0:
            print(f"step {step:4d}  loss {mse(forward(X, **params)[0], y):.5f}")
        grads = backprop(X, y, **params)
        for name in params:
            params[name] -= lr * grads[name]  # one step against the gradient
    #> step    0  loss 0.65708
    #> step  500  loss 0.00930
    #> step 1000  loss 0.00252
    #> step 1500  loss 0.00101
    #> step 2000  loss 0.00047
    #> step 2500  loss 0.00024
    #> step 3000  loss 0.00013
    # --8<-- [end:demo]
