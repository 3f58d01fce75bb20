"""Cross-entropy for several classes, from logits and class-index targets."""
# --8<-- [start:log_softmax]
import torch
import torch.nn.functional as F


def log_softmax(Z):
    """Log-softmax of each row, shifted by its maximum: exp cannot overflow."""
    m = Z.max(dim=1, keepdim=True).values
    return Z - m - torch.log(torch.exp(Z - m).sum(dim=1, keepdim=True))
# --8<-- [end:log_softmax]


# --8<-- [start:reduce]
def reduce(loss, reduction="mean"):
    """Reduce per-sample losses as torch's `reduction` argument does."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"unknown reduction {reduction!r}")
# --8<-- [end:reduce]


# --8<-- [start:cross_entropy]
def cross_entropy(Z, y, reduction="mean"):
    """Z: logits, a row per sample; y: the index of each sample's true class."""
    log_y_hat = log_softmax(Z)
    loss = -log_y_hat[torch.arange(len(y)), y]  # log-probability of the true class
    return reduce(loss, reduction)
# --8<-- [end:cross_entropy]


# --8<-- [start:compare]
torch.manual_seed(0)
Z = torch.randn(4, 3, dtype=torch.float64)  # 4 samples, 3 classes
y = torch.tensor([0, 2, 1, 2])  # class indices, not one-hot vectors

print(f"ours {cross_entropy(Z, y):.6f}   torch {F.cross_entropy(Z, y):.6f}")
#> ours 0.935686   torch 0.935686
per_sample = cross_entropy(Z, y, reduction="none")
print("per sample:", [round(v, 4) for v in per_sample.tolist()])
#> per sample: [0.1689, 2.2532, 0.6196, 0.7011]
# --8<-- [end:compare]


# --8<-- [start:overflow]
Z = torch.tensor([[1000.0, 0.0, -1000.0]])  # a very confident logit
naive = torch.log(torch.exp(Z) / torch.exp(Z).sum(dim=1, keepdim=True))
print("naive log(softmax):", naive.tolist())
#> naive log(softmax): [[nan, -inf, -inf]]
print("log_softmax:       ", log_softmax(Z).tolist())
#> log_softmax:        [[0.0, -1000.0, -2000.0]]
# --8<-- [end:overflow]
