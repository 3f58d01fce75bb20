"""Exercise 5: the Linear right before batch norm needs no bias."""
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
with_bias = nn.Linear(3, 4, dtype=torch.float64)
without = nn.Linear(3, 4, bias=False, dtype=torch.float64)
with torch.no_grad():
    without.weight.copy_(with_bias.weight)  # the same weights, no bias
a = nn.Sequential(with_bias, nn.BatchNorm1d(4, dtype=torch.float64))
b = nn.Sequential(without, nn.BatchNorm1d(4, dtype=torch.float64))

train_difference = (a(X) - b(X)).abs().max().item()
print(f"training mode, largest difference: {train_difference:.1e}")
#> training mode, largest difference: 8.9e-16
print(f"parameters: {sum(p.numel() for p in with_bias.parameters())} with the bias, "
      f"{sum(p.numel() for p in without.parameters())} without")
#> parameters: 16 with the bias, 12 without

# In eval mode batch norm subtracts its running mean, which moves 10 % of the way
# to each training batch's mean: the bias is absorbed only as it catches up.
eval_differences = {}
for batches in (1, 10, 100):  # training batches seen so far, in all
    while a[1].num_batches_tracked < batches:
        a(X), b(X)  # a training-mode pass updates the running statistics
    a.eval(), b.eval()
    eval_differences[batches] = (a(X) - b(X)).abs().max().item()
    print(f"eval mode after {batches:3d} batches, largest difference: {eval_differences[batches]:.1e}")
    a.train(), b.train()
#> eval mode after   1 batches, largest difference: 5.3e-01
#> eval mode after  10 batches, largest difference: 3.2e-01
#> eval mode after 100 batches, largest difference: 6.5e-05
