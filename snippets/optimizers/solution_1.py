"""Exercise 1: mini-batches drawn with replacement and without, up to B = N."""
import math

import torch

torch.manual_seed(0)
f64 = torch.float64
N, d = 256, 3
X = torch.randn(N, d, dtype=f64)
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=f64)
y = X @ w_true + 0.5 * torch.randn(N, dtype=f64)
G = (X @ torch.zeros(d, dtype=f64) - y)[:, None] * X  # per-sample, at w = 0
g_full = G.mean(0)
V = (G - g_full).norm(dim=1).pow(2).mean()  # the squared noise at B = 1


def noise(rows):
    """RMS distance from g_full of the batches' gradients (a batch per row)."""
    return (G[rows].mean(1) - g_full).norm(dim=1).pow(2).mean().sqrt().item()


num_draws, results = 2000, {}
for B in [64, N]:
    with_replacement = torch.randint(N, (num_draws, B))  # a row may come twice
    without = torch.rand(num_draws, N).argsort(dim=1)[:, :B]  # at most once
    results[B] = noise(with_replacement), noise(without)
    exact = math.sqrt(V * (N - B) / (B * (N - 1)))
    print(f"B = {B}: with replacement {results[B][0]:.3f}"
          f" (sqrt(V/B) {math.sqrt(V / B):.3f})")
    print(f"        without {results[B][1]:.3f} (exact {exact:.3f})")
#> B = 64: with replacement 0.556 (sqrt(V/B) 0.559)
#>         without 0.488 (exact 0.485)
#> B = 256: with replacement 0.278 (sqrt(V/B) 0.280)
#>         without 0.000 (exact 0.000)
