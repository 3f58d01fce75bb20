"""Exercise 3: without the factor 2 the loss still falls: the step is only halved."""
import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def train(factor, lr, num_steps=1000):
    """The page's demo with dL/dy_hat = factor / N * (y_hat - y); its losses."""
    rng = np.random.default_rng(0)
    N, d, n_hidden = 64, 1, 8
    X = rng.uniform(-3, 3, size=(N, d))
    y = np.sin(X)
    W1, b1 = rng.normal(0, 1, size=(n_hidden, d)), np.zeros(n_hidden)
    W2, b2 = rng.normal(0, 1 / np.sqrt(n_hidden), size=(1, n_hidden)), np.zeros(1)
    losses = []
    for step in range(num_steps + 1):
        A1 = sigmoid(X @ W1.T + b1)
        y_hat = A1 @ W2.T + b2
        losses.append(np.mean((y_hat - y) ** 2))
        dL_dy_hat = factor / N * (y_hat - y)
        dL_dZ1 = dL_dy_hat @ W2 * A1 * (1 - A1)
        W2 = W2 - lr * dL_dy_hat.T @ A1
        b2 = b2 - lr * dL_dy_hat.sum(axis=0)
        W1 = W1 - lr * dL_dZ1.T @ X
        b1 = b1 - lr * dL_dZ1.sum(axis=0)
    return np.array(losses)


right = train(factor=2, lr=0.5)
no_2 = train(factor=1, lr=0.5)  # the bug
half_lr = train(factor=2, lr=0.25)  # the right gradient, half the step
for step in (0, 250, 500, 1000):
    print(f"step {step:4d}  right {right[step]:.5f}  without 2 {no_2[step]:.5f}")
#> step    0  right 0.65708  without 2 0.65708
#> step  250  right 0.02037  without 2 0.02721
#> step  500  right 0.00930  without 2 0.01797
#> step 1000  right 0.00252  without 2 0.01296
print("without the 2, the loss falls at every step:", np.all(np.diff(no_2) < 0))
#> without the 2, the loss falls at every step: True
print("it is the right gradient at lr 0.25:", np.array_equal(no_2, half_lr))
#> it is the right gradient at lr 0.25: True
