"""Regression losses from scratch: MSE, L1 (MAE) and Huber, checked against torch."""
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


# --8<-- [start:losses]
def mse(y_hat, y, reduction="mean"):
    """Mean squared error: the square of every error."""
    return reduce((y_hat - y) ** 2, reduction)


def l1(y_hat, y, reduction="mean"):
    """L1 loss, or mean absolute error (MAE): the size of every error."""
    return reduce((y_hat - y).abs(), reduction)


def huber(y_hat, y, delta=1.0, reduction="mean"):
    """Quadratic for errors up to delta, linear beyond."""
    e = (y_hat - y).abs()
    loss = torch.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))
    return reduce(loss, reduction)
# --8<-- [end:losses]


# --8<-- [start:compare]
y = torch.tensor([1.0, 2.0, 3.0, 4.0])
y_hat = torch.tensor([1.5, 2.0, 1.0, 10.0])  # the last prediction is far off

for name, ours, theirs in [
    ("MSE", mse(y_hat, y), F.mse_loss(y_hat, y)),
    ("L1", l1(y_hat, y), F.l1_loss(y_hat, y)),
    ("Huber", huber(y_hat, y, delta=1.0), F.huber_loss(y_hat, y, delta=1.0)),
]:
    print(f"{name:6s}{ours:8.4f}   torch {theirs:8.4f}")
#> MSE    10.0625   torch  10.0625
#> L1      2.1250   torch   2.1250
#> Huber   1.7812   torch   1.7812
print("per element, MSE:  ", mse(y_hat, y, reduction="none").tolist())
#> per element, MSE:   [0.25, 0.0, 4.0, 36.0]
print("per element, L1:   ", l1(y_hat, y, reduction="none").tolist())
#> per element, L1:    [0.5, 0.0, 2.0, 6.0]
print("per element, Huber:", huber(y_hat, y, reduction="none").tolist())
#> per element, Huber: [0.125, 0.0, 1.5, 5.5]
# --8<-- [end:compare]

# --8<-- [start:share]
pred = y_hat.clone().requires_grad_()
loss_l1 = l1(pred, y, reduction="none")
loss_l1.sum().backward()
push = pred.grad.abs()  # |d l_i / d y_hat_i| = |sign(e_i)|: at most 1
print("L1 per element:", loss_l1.tolist(), "  push:", push.tolist())
#> L1 per element: [0.5, 0.0, 2.0, 6.0]   push: [1.0, 0.0, 1.0, 1.0]
print(f"the outlier's share: {loss_l1[3] / loss_l1.sum():.0%} of the loss,",
      f"{push[3] / push.sum():.0%} of the push")
#> the outlier's share: 71% of the loss, 33% of the push
# --8<-- [end:share]
