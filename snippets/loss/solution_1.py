"""Exercise 1: Huber with a large delta is half the MSE; with a small one, delta times L1 minus a constant."""
import torch


def huber(y_hat, y, delta=1.0):
    """The page's Huber loss, mean over the elements."""
    e = (y_hat - y).abs()
    return torch.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


torch.manual_seed(0)
y_hat, y = torch.randn(8, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
mse, l1 = ((y_hat - y) ** 2).mean(), (y_hat - y).abs().mean()

big = 1e6  # every error is inside delta: only the quadratic piece is used
print(f"delta = {big:g}: huber / mse = {huber(y_hat, y, big) / mse:.6f}")
#> delta = 1e+06: huber / mse = 0.500000
for small in (0.1, 0.01, 0.001):  # every error is outside delta: only the linear piece
    left_over = huber(y_hat, y, small) - small * l1
    print(f"delta = {small:g}: huber - delta * l1 = {left_over:.3e}   -delta^2 / 2 = {-small**2 / 2:.3e}")
#> delta = 0.1: huber - delta * l1 = -5.000e-03   -delta^2 / 2 = -5.000e-03
#> delta = 0.01: huber - delta * l1 = -5.000e-05   -delta^2 / 2 = -5.000e-05
#> delta = 0.001: huber - delta * l1 = -5.000e-07   -delta^2 / 2 = -5.000e-07
