"""|dl/dz| for a sigmoid output with target 1: MSE on the probability against BCE on the logit."""
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

z = torch.linspace(-8, 8, 801, dtype=torch.float64, requires_grad=True)  # the logit
y = torch.ones_like(z)  # the answer is 1: z < 0 is the wrong side
(grad_mse,) = torch.autograd.grad(F.mse_loss(torch.sigmoid(z), y, reduction="sum"), z)
(grad_bce,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z, y, reduction="sum"), z)

fig, ax = plt.subplots(figsize=(7, 4))
ax.axvspan(-8, 0, color="tab:red", alpha=0.08, lw=0)
ax.text(-7.6, 1.02, "wrong side: the model says 0", va="bottom")
ax.plot(z.detach(), grad_bce.abs(), label=r"BCE from the logit: $|\hat y - y|$")
ax.plot(z.detach(), grad_mse.abs(), label=r"MSE on $\hat y = \sigma(z)$: $|2(\hat y - y)\,\sigma'(z)|$")
ax.set(title="The push on the logit when the target is 1", xlabel="logit $z$",
       ylabel=r"$|\partial \ell / \partial z|$", xlim=(-8, 8), ylim=(0, 1.15))
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()
