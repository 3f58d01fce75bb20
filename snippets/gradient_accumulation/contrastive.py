"""An in-batch contrastive loss (InfoNCE) is not a sum over rows: accumulation changes it."""
# --8<-- [start:contrastive]
import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 8, 2
X_a = torch.randn(N, 4, dtype=torch.float64)  # view a of each sample
# view b: the same samples, perturbed
X_b = X_a + 0.3 * torch.randn(N, 4, dtype=torch.float64)
W = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)  # an encoder


def info_nce(X_a, X_b):
    """Row i of view a should match row i of view b, not its other rows."""
    logits = (X_a @ W) @ (X_b @ W).T  # logits[i, j] = s_ij
    return nn.functional.cross_entropy(logits, torch.arange(len(X_a)))


(full,) = torch.autograd.grad(info_nce(X_a, X_b), W)
for X_a_m, X_b_m in zip(X_a.tensor_split(accum_steps), X_b.tensor_split(accum_steps)):
    # each half sees only its own rows as negatives
    (info_nce(X_a_m, X_b_m) / accum_steps).backward()
accumulated = W.grad
error = (accumulated - full).abs().max() / full.abs().max()
print(f"accumulated over {accum_steps} halves: off by up to {error:.0%}")
#> accumulated over 2 halves: off by up to 34%
# --8<-- [end:contrastive]
