"""Softmax, its Jacobian, and why every implementation subtracts the largest logit."""
# --8<-- [start:softmax]
import torch


def softmax(z):
    e = torch.exp(z - z.max())  # shifting all logits together changes nothing
    return e / e.sum()


def softmax_jacobian(z):
    """J[k, k'] = d s_k / d z_k' = s_k (1[k = k'] - s_k'), i.e. diag(s) - s s^T."""
    s = softmax(z)
    return torch.diag(s) - torch.outer(s, s)


z = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
s = softmax(z)
print("s =", [round(v, 4) for v in s.tolist()])
#> s = [0.09, 0.2447, 0.6652]
print("sum =", round(s.sum().item(), 4))
#> sum = 1.0
print(softmax_jacobian(z).numpy().round(4))
#> [[ 0.0819 -0.022  -0.0599]
#>  [-0.022   0.1848 -0.1628]
#>  [-0.0599 -0.1628  0.2227]]
# --8<-- [end:softmax]

# --8<-- [start:overflow]
z_big = z + 1000  # the same logits, shifted by 1000
# exp(1001) overflows to inf, and inf / inf is nan
naive = torch.exp(z_big) / torch.exp(z_big).sum()
print("naive: ", naive.tolist())
#> naive:  [nan, nan, nan]
print("shifted:", [round(v, 4) for v in softmax(z_big).tolist()])
#> shifted: [0.09, 0.2447, 0.6652]
# --8<-- [end:overflow]
