"""KL divergence from scratch, and the argument order torch's F.kl_div expects."""
# --8<-- [start:kl]
import torch
import torch.nn.functional as F


def kl_divergence(P, Q, reduction="batchmean"):
    """D_KL(P || Q), row by row: P holds the targets, Q the model's."""
    loss = torch.xlogy(P, P) - torch.xlogy(P, Q)  # terms with p_k = 0 count as 0
    if reduction == "batchmean":
        return loss.sum() / P.shape[0]  # each row's KL, averaged over rows
    if reduction == "mean":
        return loss.mean()  # divides by rows * classes: not a KL divergence
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"unknown reduction {reduction!r}")
# --8<-- [end:kl]


# --8<-- [start:compare]
torch.manual_seed(0)
P = torch.softmax(torch.randn(4, 5, dtype=torch.float64), dim=1)  # the targets
Q = torch.softmax(torch.randn(4, 5, dtype=torch.float64), dim=1)  # the model's

right = F.kl_div(torch.log(Q), P, reduction="batchmean")  # log Q first, then P
wrong = F.kl_div(P, Q, reduction="batchmean")  # the formula's order, no logs
print(f"D_KL(P || Q)       {kl_divergence(P, Q):.6f}")
#> D_KL(P || Q)       0.288737
print(f"F.kl_div(log Q, P) {right:.6f}")
#> F.kl_div(log Q, P) 0.288737
print(f"D_KL(Q || P)       {kl_divergence(Q, P):.6f}  (not symmetric)")
#> D_KL(Q || P)       0.326911  (not symmetric)
print(f"F.kl_div(P, Q)     {wrong:.6f}  (wrong call, no error)")
#> F.kl_div(P, Q)     -1.567211  (wrong call, no error)
# --8<-- [end:compare]
