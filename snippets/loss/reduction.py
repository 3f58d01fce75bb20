"""What reduction="mean" divides by, loss by loss: the ratio of 'sum' to 'mean'."""
# --8<-- [start:divides]
import torch
import torch.nn.functional as F

torch.manual_seed(0)
N, n_out, K = 4, 3, 5  # 4 samples with 3 outputs each, or with 5 classes
Y_hat, Y = torch.randn(N, n_out, dtype=torch.float64), torch.randn(N, n_out, dtype=torch.float64)
labels = torch.rand(N, n_out, dtype=torch.float64).round()  # 0/1 targets for BCE
Z = torch.randn(N, K, dtype=torch.float64)  # logits
y = torch.tensor([0, 3, 3, 1])  # class indices
weight = torch.tensor([0.5, 1.0, 1.0, 2.0, 1.0], dtype=torch.float64)  # one per class
P = torch.softmax(torch.randn(N, K, dtype=torch.float64), dim=1)  # target distributions

losses = {
    "mse_loss": lambda r: F.mse_loss(Y_hat, Y, reduction=r),
    "l1_loss": lambda r: F.l1_loss(Y_hat, Y, reduction=r),
    "huber_loss": lambda r: F.huber_loss(Y_hat, Y, reduction=r),
    "bce_with_logits": lambda r: F.binary_cross_entropy_with_logits(Y_hat, labels, reduction=r),
    "cross_entropy": lambda r: F.cross_entropy(Z, y, reduction=r),
    "cross_entropy, weight": lambda r: F.cross_entropy(Z, y, weight=weight, reduction=r),
    "kl_div, 'batchmean'": lambda r: F.kl_div(F.log_softmax(Z, dim=1), P, reduction=r),
}
for name, loss in losses.items():
    mean = "batchmean" if "batchmean" in name else "mean"
    print(f"{name:22s} sum / {mean} = {loss('sum') / loss(mean):.2f}")
#> mse_loss               sum / mean = 12.00
#> l1_loss                sum / mean = 12.00
#> huber_loss             sum / mean = 12.00
#> bce_with_logits        sum / mean = 12.00
#> cross_entropy          sum / mean = 4.00
#> cross_entropy, weight  sum / mean = 5.50
#> kl_div, 'batchmean'    sum / batchmean = 4.00
print(f"weight[y].sum() = {weight[y].sum():.2f}")
#> weight[y].sum() = 5.50
# --8<-- [end:divides]
