"""Exercise 5: one constant fitted by MSE lands on the mean, by L1 on the median."""
import torch


def mse(y_hat, y):
    return ((y_hat - y) ** 2).mean(dim=-1)  # one mean per row: per candidate below


def l1(y_hat, y):
    return (y_hat - y).abs().mean(dim=-1)


y = torch.tensor([1.0, 1.5, 2.0, 2.2, 2.5, 3.0, 3.1, 3.3, 3.8, 40.0], dtype=torch.float64)  # one outlier
c = torch.linspace(0, 45, 4501, dtype=torch.float64)  # candidates, 0.01 apart
Y = y.expand(len(c), -1)
C = c[:, None].expand_as(Y)
loss_mse, loss_l1 = mse(C, Y), l1(C, Y)  # one loss per candidate

flat = c[loss_l1 <= loss_l1.min() + 1e-12]  # every candidate as good as the best
print(f"MSE: best c = {c[loss_mse.argmin()]:.2f}   mean   = {y.mean():.2f}")
#> MSE: best c = 6.24   mean   = 6.24
print(f"L1:  best c from {flat.min():.2f} to {flat.max():.2f}   median = {y.median():.2f}")
#> L1:  best c from 2.50 to 3.00   median = 2.50
print(f"middle two values: {y.sort().values[4]:.2f} and {y.sort().values[5]:.2f}")
#> middle two values: 2.50 and 3.00
