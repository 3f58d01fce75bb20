"""Regression losses against the error, and binary cross-entropy against the probability."""
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

fig, (ax_reg, ax_bce) = plt.subplots(1, 2, figsize=(10, 4))

e = torch.linspace(-3, 3, 301, dtype=torch.float64)  # the error y_hat - y
zeros = torch.zeros_like(e)
ax_reg.plot(e, F.mse_loss(e, zeros, reduction="none"), label="MSE: $e^2$")
ax_reg.plot(e, F.l1_loss(e, zeros, reduction="none"), label="L1: $|e|$")
for delta in (1.0, 2.0):
    ax_reg.plot(e, F.huber_loss(e, zeros, reduction="none", delta=delta),
                label=f"Huber, $\\delta = {delta:g}$")
ax_reg.set(title="Regression losses", xlabel="error $e = \\hat{y} - y$", ylabel="loss", ylim=(0, 5))
ax_reg.legend()

y_hat = torch.linspace(0.001, 0.999, 999, dtype=torch.float64)  # predicted probability of class 1
for y in (1.0, 0.0):
    loss = F.binary_cross_entropy(y_hat, torch.full_like(y_hat, y), reduction="none")
    ax_bce.plot(y_hat, loss, label=f"target $y = {y:g}$")
ax_bce.set(title="Binary cross-entropy", xlabel="predicted probability $\\hat{y}$", ylabel="loss",
           ylim=(0, 5))
ax_bce.legend()

fig.tight_layout()
plt.show()
