"""Softmax of three logits (z1, 0, 1) as z1 varies, with the slope d s1 / d z1."""
import matplotlib.pyplot as plt
import torch

z1 = torch.linspace(-6, 6, 601, dtype=torch.float64, requires_grad=True)
# one row of logits (z1, 0, 1) per value of z1
Z = torch.stack([z1, torch.zeros_like(z1), torch.ones_like(z1)], dim=1)
S = torch.softmax(Z, dim=1)
# rows are independent, so this gives d s1 / d z1 for every row
(slope,) = torch.autograd.grad(S[:, 0].sum(), z1)

fig, ax = plt.subplots(figsize=(7, 4.5))
for i, name in enumerate(["$s_1$ (logit $z_1$)", "$s_2$ (logit 0)", "$s_3$ (logit 1)"]):
    ax.plot(z1.detach(), S[:, i].detach(), label=name)
slope_label = r"$\partial s_1 / \partial z_1 = s_1 (1 - s_1)$"
ax.plot(z1.detach(), slope, "--", color="black", label=slope_label)
ax.set_title("Softmax of the logits $(z_1, 0, 1)$ as $z_1$ varies")
ax.set_xlabel("$z_1$")
ax.set_ylabel("probability")
ax.legend(loc="center left")
plt.show()
