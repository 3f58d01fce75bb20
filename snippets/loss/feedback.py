"""The gradient of a loss is the feedback each prediction gets."""
# --8<-- [start:feedback]
import torch
import torch.nn.functional as F

y = torch.zeros(4)  # Huber uses its default delta = 1
errors = torch.tensor([-3.0, -0.5, 0.5, 3.0])  # y_hat - y

losses = {"MSE": F.mse_loss, "L1": F.l1_loss, "Huber": F.huber_loss}
for name, loss_fn in losses.items():
    y_hat = errors.clone().requires_grad_()
    loss_fn(y_hat, y, reduction="sum").backward()  # 'sum': unscaled
    print(f"{name:6s}", y_hat.grad.tolist())
#> MSE    [-6.0, -1.0, 1.0, 6.0]
#> L1     [-1.0, -1.0, 1.0, 1.0]
#> Huber  [-1.0, -0.5, 0.5, 1.0]
# --8<-- [end:feedback]
