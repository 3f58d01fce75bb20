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

# --8<-- [start:output]
# An output sigmoid, saturated and wrong: z = -10, so a is near 0, but y = 1.
z_out = torch.tensor(-10.0, dtype=torch.float64, requires_grad=True)
y = torch.tensor(1.0, dtype=torch.float64)
bce = F.binary_cross_entropy_with_logits(z_out, y)  # applies the sigmoid itself
mse = (torch.sigmoid(z_out) - y) ** 2
(grad_bce,) = torch.autograd.grad(bce, z_out)  # a - y
(grad_mse,) = torch.autograd.grad(mse, z_out)  # 2 (a - y) a (1 - a)
print(f"dL/dz with BCE: {grad_bce.item():.4f}   with MSE: {grad_mse.item():.2e}")
#> dL/dz with BCE: -1.0000   with MSE: -9.08e-05
# --8<-- [end:output]

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
