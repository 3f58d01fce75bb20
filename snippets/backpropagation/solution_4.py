"""Exercise 4: dL/dW2 as a loop over the rows, against dL_dy_hat.T @ A1."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


rng = np.random.default_rng(0)
N, d, n_hidden = 16, 3, 5
X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
W1, b1 = rng.normal(size=(n_hidden, d)), rng.normal(size=n_hidden)
W2, b2 = rng.normal(size=(1, n_hidden)), rng.normal(size=1)
A1 = sigmoid(X @ W1.T + b1)
dL_dy_hat = 2 / N * (A1 @ W2.T + b2 - y)  # (N, 1)

dL_dW2_loop = np.zeros_like(W2)
for i in range(N):  # W2 is used by every row: add up each row's share
    dL_dW2_loop[0] += dL_dy_hat[i, 0] * A1[i]
dL_dW2 = dL_dy_hat.T @ A1  # the same sum, as one matrix product
print("shapes:", dL_dW2_loop.shape, dL_dW2.shape)
#> shapes: (1, 5) (1, 5)
print("max |loop - matrix| < 1e-15:", np.abs(dL_dW2_loop - dL_dW2).max() < 1e-15)
#> max |loop - matrix| < 1e-15: True
