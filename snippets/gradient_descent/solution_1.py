"""Exercise 1: steps to bring w from 1 below 1e-3, by formula and by running."""
import math


def gradient_descent(w0, lr, c, num_steps):
    """Gradient descent on L(w) = c * w**2 / 2; return every w visited."""
    w = w0
    history = [w]
    for _ in range(num_steps):
        w = w - lr * c * w
        history.append(w)
    return history


c, tol = 0.5, 1e-3
for lr in [0.1, 3.0]:
    factor = abs(1 - lr * c)  # |w_t| = factor**t
    by_formula = math.floor(math.log(tol) / math.log(factor)) + 1
    history = gradient_descent(1.0, lr, c, 1000)
    by_running = next(t for t, w in enumerate(history) if abs(w) < tol)
    print(f"lr = {lr}: factor {factor}, formula {by_formula}, run {by_running}")
#> lr = 0.1: factor 0.95, formula 135, run 135
#> lr = 3.0: factor 0.5, formula 10, run 10
