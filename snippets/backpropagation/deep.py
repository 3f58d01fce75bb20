"""Backpropagation for any depth: sigmoid hidden layers, a linear output, MSE loss."""
# --8<-- [start:forward]
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def deep_forward(X, params):
    """[A_0 = X, A_1, ..., A_D], A_D = y_hat; params holds W1, b1, ..., WD, bD."""
    D = len(params) // 2
    A = [X]
    for l in range(1, D + 1):
        Z = A[l - 1] @ params[f"W{l}"].T + params[f"b{l}"]  # A_{l-1} W_l^T + b_l
        A.append(Z if l == D else sigmoid(Z))  # the output layer is linear
    return A
# --8<-- [end:forward]


# --8<-- [start:backprop]
def deep_backprop(X, y, params):
    """Gradients of the MSE with respect to every W_l and b_l, in a dict."""
    A = deep_forward(X, params)  # keeps every A_l for the backward pass
    D, N = len(A) - 1, len(X)
    delta = 2 / N * (A[D] - y)  # delta_D = dL/dy_hat: the output layer is linear
    grads = {}
    for l in range(D, 0, -1):
        grads[f"W{l}"] = delta.T @ A[l - 1]  # (n_l, n_{l-1})
        grads[f"b{l}"] = delta.sum(axis=0)  # (n_l,)
        if l > 1:  # delta_{l-1} = (delta_l W_l) * sigmoid'(Z_{l-1})
            delta = (delta @ params[f"W{l}"]) * A[l - 1] * (1 - A[l - 1])
    return grads
# --8<-- [end:backprop]


if __name__ == "__main__":
    # --8<-- [start:demo]
    rng = np.random.default_rng(0)
    sizes = [3, 16, 16, 16, 1]  # n_0 = d, then the width of each layer: D = 4
    X, y = rng.normal(size=(32, sizes[0])), rng.normal(size=(32, 1))
    params = {}
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        params[f"W{l}"] = rng.normal(0, 1 / np.sqrt(n_in), size=(n_out, n_in))
        params[f"b{l}"] = np.zeros(n_out)
    grads = deep_backprop(X, y, params)
    for name, g in grads.items():
        print(f"{name}: {str(g.shape):8}  |gradient| = {np.linalg.norm(g):.5f}")
    #> W4: (1, 16)   |gradient| = 0.10185
    #> b4: (1,)      |gradient| = 0.04793
    #> W3: (16, 16)  |gradient| = 0.02206
    #> b3: (16,)     |gradient| = 0.01370
    #> W2: (16, 16)  |gradient| = 0.01393
    #> b2: (16,)     |gradient| = 0.00322
    #> W1: (16, 3)   |gradient| = 0.00889
    #> b1: (16,)     |gradient| = 0.00057
    # --8<-- [end:demo]
