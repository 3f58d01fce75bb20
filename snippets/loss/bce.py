"""Binary cross-entropy from probabilities, and the stable form that takes logits."""
# --8<-- [start:reduce]
import torch
import torch.nn.functional as F


def reduce(loss, reduction="mean"):
    """Reduce per-element losses as torch's `reduction` argument does."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"unknown reduction {reduction!r}")
# --8<-- [end:reduce]


# --8<-- [start:bce]
def bce(y_hat, y, reduction="mean"):
    """Binary cross-entropy of probabilities y_hat for targets y in [0, 1]."""
    return reduce(-(y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat)), reduction)
# --8<-- [end:bce]


# --8<-- [start:logits]
def bce_with_logits(z, y, reduction="mean"):
    """The same loss from logits z, without ever forming sigmoid(z)."""
    loss = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
    return reduce(loss, reduction)
# --8<-- [end:logits]


# --8<-- [start:compare]
torch.manual_seed(0)
z = torch.randn(5, dtype=torch.float64)  # logits: any real number
y = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
y_hat = torch.sigmoid(z)  # probabilities in (0, 1)

from_y_hat = F.binary_cross_entropy(y_hat, y)
from_z = F.binary_cross_entropy_with_logits(z, y)
print(f"bce             {bce(y_hat, y):.6f}  torch {from_y_hat:.6f}")
#> bce             0.755447  torch 0.755447
print(f"bce_with_logits {bce_with_logits(z, y):.6f}  torch {from_z:.6f}")
#> bce_with_logits 0.755447  torch 0.755447
# --8<-- [end:compare]


# --8<-- [start:naive]
y = torch.tensor(0.0)  # true class 0, while the model grows surer of 1
print("  z  sigmoid(z)    naive  F.bce(y_hat)   stable")
#>   z  sigmoid(z)    naive  F.bce(y_hat)   stable
for z in [2.0, 10.0, 20.0, 40.0]:
    z = torch.tensor(z)  # float32, the dtype networks train in
    y_hat = torch.sigmoid(z)
    naive = bce(y_hat, y)  # from the rounded probability
    clamped = F.binary_cross_entropy(y_hat, y)  # torch, also from y_hat
    stable = bce_with_logits(z, y)  # from the logit
    print(f"{z:3.0f}  {y_hat:.8f}  {naive:7.4f}  {clamped:12.4f}  {stable:7.4f}")
#>   2  0.88079703   2.1269        2.1269   2.1269
#>  10  0.99995458   9.9996        9.9996  10.0000
#>  20  1.00000000      inf      100.0000  20.0000
#>  40  1.00000000      inf      100.0000  40.0000
# --8<-- [end:naive]

# --8<-- [start:gradient]
z = torch.tensor(20.0, requires_grad=True)
(grad_y_hat,) = torch.autograd.grad(F.binary_cross_entropy(torch.sigmoid(z), y), z)
(grad_z,) = torch.autograd.grad(bce_with_logits(z, y), z)
print(f"gradient at z = 20: through y_hat {grad_y_hat:.4f}, stable {grad_z:.4f}")
#> gradient at z = 20: through y_hat 0.0000, stable 1.0000
# --8<-- [end:gradient]
