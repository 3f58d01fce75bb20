"""Nine activations and their derivatives, from PyTorch's own functions and autograd."""
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

panels = [
    ("sigmoid", torch.sigmoid),
    ("tanh", torch.tanh),
    ("ReLU", F.relu),
    # slope 0.1, not the default 0.01, so that it shows
    ("Leaky ReLU (α = 0.1)", lambda z: F.leaky_relu(z, 0.1)),
    ("ELU (α = 1)", F.elu),
    ("SiLU / Swish", F.silu),
    ("GELU", F.gelu),
    ("softplus", F.softplus),
    # PReLU learns its slope; 0.25 is where PyTorch starts it
    ("PReLU (α = 0.25 at the start)", lambda z: F.prelu(z, torch.tensor([0.25], dtype=z.dtype))),
]
z = torch.linspace(-5, 5, 1001, dtype=torch.float64, requires_grad=True)

fig, axes = plt.subplots(3, 3, figsize=(10, 9.5), sharex=True)
for ax, (name, f) in zip(axes.flat, panels):
    a = f(z)
    (slope,) = torch.autograd.grad(a.sum(), z)  # f'(z) at every point
    ax.plot(z.detach(), a.detach(), label="f(z)")
    ax.plot(z.detach(), slope, "--", label="f'(z)")
    ax.axhline(0, color="gray", lw=0.5)
    ax.axvline(0, color="gray", lw=0.5)
    ax.set_ylim(-1.5, 2.5)
    ax.set_title(name)
    ax.legend(loc="upper left")
for ax in axes[:, 0]:
    ax.set_ylabel("f(z) and f'(z)")
for ax in axes[-1]:
    ax.set_xlabel("z")
fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
fig.tight_layout()
plt.show()
