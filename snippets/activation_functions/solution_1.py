"""Exercise 1: the slopes at 0, and tanh(z) = 2 sigmoid(2z) - 1 checked on a grid."""
import torch


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def tanh(z):
    return (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z))


zero = torch.tensor(0.0, dtype=torch.float64)
s, t = sigmoid(zero), tanh(zero)
print(f"sigmoid(0) = {s:.2f}, so sigmoid'(0) = s (1 - s) = {s * (1 - s):.2f}")
#> sigmoid(0) = 0.50, so sigmoid'(0) = s (1 - s) = 0.25
print(f"tanh(0) = {t:.2f}, so tanh'(0) = 1 - t^2 = {1 - t**2:.2f}")
#> tanh(0) = 0.00, so tanh'(0) = 1 - t^2 = 1.00

z = torch.linspace(-8, 8, 1601, dtype=torch.float64)
same = torch.allclose(tanh(z), 2 * sigmoid(2 * z) - 1, rtol=0, atol=1e-12)
print(f"tanh(z) == 2 sigmoid(2z) - 1 on [-8, 8], to 1e-12: {same}")
#> tanh(z) == 2 sigmoid(2z) - 1 on [-8, 8], to 1e-12: True
