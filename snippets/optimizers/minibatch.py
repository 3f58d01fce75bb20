"""Mini-batch gradients of a least-squares fit: unbiased, noise ~ 1/sqrt(B)."""
# --8<-- [start:data]
import math

import torch

torch.manual_seed(0)
f64 = torch.float64
N, d = 256, 3
X = torch.randn(N, d, dtype=f64)
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=f64)
y = X @ w_true + 0.5 * torch.randn(N, dtype=f64)
w = torch.zeros(d, dtype=f64)  # where we measure: the start of training


def per_sample_grads(w):
    """Row i: the gradient of l_i = (x_i . w - y_i)^2 / 2."""
    return (X @ w - y)[:, None] * X  # (x_i . w - y_i) x_i


G = per_sample_grads(w)  # N x d
g_full = G.mean(0)  # the full-batch gradient of L = mean of the l_i
# --8<-- [end:data]


# --8<-- [start:unbiased]
def minibatch_grads(B, num_draws):
    """num_draws mini-batch gradients, of B rows drawn without replacement."""
    rows = torch.rand(num_draws, N).argsort(dim=1)[:, :B]  # a subset per draw
    return G[rows].mean(1)  # num_draws x d


num_draws = 4000
g_8 = minibatch_grads(8, num_draws)  # B = 8
print("full gradient:  ", [round(x, 3) for x in g_full.tolist()])
#> full gradient:   [-1.008, 2.004, -0.483]
print("mean of batches:", [round(x, 3) for x in g_8.mean(0).tolist()])
#> mean of batches: [-0.989, 1.987, -0.471]
std_error = g_8.std(0) / math.sqrt(num_draws)  # how far a mean may stray
z = (g_8.mean(0) - g_full) / std_error
print("off by, in standard errors:", [round(x, 2) for x in z.tolist()])
#> off by, in standard errors: [1.46, -0.97, 1.0]
# --8<-- [end:unbiased]

# --8<-- [start:noise]
V = (G - g_full).norm(dim=1).pow(2).mean()  # the squared noise at B = 1
batch_sizes = [1, 2, 4, 8, 16, 32, 64]
noise, squared = [], {}
for B in batch_sizes:
    squared[B] = (minibatch_grads(B, 2000) - g_full).norm(dim=1).pow(2)
    measured = squared[B].mean().sqrt()  # RMS distance from the full gradient
    exact = math.sqrt(V * (N - B) / (B * (N - 1)))  # without replacement
    noise.append(measured.item())
    print(f"B = {B:2d}  noise {measured:.3f}  exact {exact:.3f}"
          f"  sqrt(V/B) {math.sqrt(V / B):.3f}")
#> B =  1  noise 4.571  exact 4.472  sqrt(V/B) 4.472
#> B =  2  noise 3.045  exact 3.156  sqrt(V/B) 3.162
#> B =  4  noise 2.247  exact 2.223  sqrt(V/B) 2.236
#> B =  8  noise 1.555  exact 1.559  sqrt(V/B) 1.581
#> B = 16  noise 1.095  exact 1.085  sqrt(V/B) 1.118
#> B = 32  noise 0.738  exact 0.741  sqrt(V/B) 0.791
#> B = 64  noise 0.489  exact 0.485  sqrt(V/B) 0.559
log_B = torch.tensor(batch_sizes, dtype=f64).log()
log_noise = torch.tensor(noise).log()
slope = ((log_B - log_B.mean()) * (log_noise - log_noise.mean())).sum() / (
    (log_B - log_B.mean()) ** 2).sum()  # least squares through the points
print(f"slope on log-log: {slope:.3f}")
#> slope on log-log: -0.529
# --8<-- [end:noise]
