"""How flat sigmoid and tanh get for large |z|, measured with PyTorch's own autograd."""
# --8<-- [start:saturation]
import torch
import torch.nn.functional as F

z = torch.tensor([-10.0, -5.0, -2.0, 2.0, 5.0, 10.0], dtype=torch.float64)
z.requires_grad_(True)
print(f"{'z':>8}: " + " ".join(f"{v:9.0f}" for v in z.tolist()))
#>        z:       -10        -5        -2         2         5        10
functions = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu}
for name, f in functions.items():
    (slope,) = torch.autograd.grad(f(z).sum(), z)  # f'(z) at every z
    print(f"{name:>8}: " + " ".join(f"{v:9.2e}" for v in slope.tolist()))
#>  sigmoid:  4.54e-05  6.65e-03  1.05e-01  1.05e-01  6.65e-03  4.54e-05
#>     tanh:  8.24e-09  1.82e-04  7.07e-02  7.07e-02  1.82e-04  8.24e-09
#>     relu:  0.00e+00  0.00e+00  0.00e+00  1.00e+00  1.00e+00  1.00e+00
# --8<-- [end:saturation]

# --8<-- [start:depth]
# Ten sigmoids in a row, no weights: the chain rule multiplies ten slopes,
# each at most 1/4.
num_layers = 10
x = torch.zeros(1, dtype=torch.float64, requires_grad=True)
out = x
for _ in range(num_layers):
    out = torch.sigmoid(out)
(slope,) = torch.autograd.grad(out.sum(), x)
print(f"d out / d x = {slope.item():.2e}")
#> d out / d x = 3.88e-07
print(f"(1/4)**{num_layers} = {0.25**num_layers:.2e}")
#> (1/4)**10 = 9.54e-07
# --8<-- [end:depth]

# --8<-- [start:hidden]
# x = 1 -> a hidden sigmoid unit, weight w1 -> the output logit z2 = w2 a1, trained with
# BCE on the target y = 1. The output is confidently wrong; only w1 differs.
x, w2 = 1.0, -4.0
y = torch.tensor(1.0, dtype=torch.float64)
print("   z1  sigma'(z1)  y_hat - y  dL/dz2   dL/dw1  by hand")
#>    z1  sigma'(z1)  y_hat - y  dL/dz2   dL/dw1  by hand
for w1_value in [0.5, 10.0]:  # z1 = 0.5: in the bend; z1 = 10: saturated
    w1 = torch.tensor(w1_value, dtype=torch.float64, requires_grad=True)
    z1 = w1 * x
    a1 = torch.sigmoid(z1)
    z2 = w2 * a1
    z2.retain_grad()  # keep dL/dz2 too
    F.binary_cross_entropy_with_logits(z2, y).backward()
    y_hat = torch.sigmoid(z2).item()
    sigma_prime = a1.item() * (1 - a1.item())  # sigma'(z1)
    by_hand = (y_hat - y.item()) * w2 * sigma_prime * x  # the chain rule, one factor per step
    print(f"{z1.item():5.1f}  {sigma_prime:10.2e}  {y_hat - y.item():9.4f}  {z2.grad.item():6.4f}"
          f"  {w1.grad.item():7.1e}  {by_hand:7.1e}")
#>   0.5    2.35e-01    -0.9234  -0.9234  8.7e-01  8.7e-01
#>  10.0    4.54e-05    -0.9820  -0.9820  1.8e-04  1.8e-04
# --8<-- [end:hidden]

# --8<-- [start:output]
# An output sigmoid, saturated and wrong: z = -10, so y_hat is near 0, but y = 1.
z_out = torch.tensor(-10.0, dtype=torch.float64, requires_grad=True)
bce = F.binary_cross_entropy_with_logits(z_out, y)  # applies the sigmoid itself
mse = (torch.sigmoid(z_out) - y) ** 2
(grad_bce,) = torch.autograd.grad(bce, z_out)  # y_hat - y
(grad_mse,) = torch.autograd.grad(mse, z_out)  # 2 (y_hat - y) y_hat (1 - y_hat)
print(f"dL/dz with BCE: {grad_bce.item():.4f}   with MSE: {grad_mse.item():.2e}")
#> dL/dz with BCE: -1.0000   with MSE: -9.08e-05
# --8<-- [end:output]
