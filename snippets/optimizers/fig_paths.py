"""The paths of four optimizers on the narrow valley L(w) = (c1 w1^2 + c2 w2^2) / 2, over contour lines."""
import math

import matplotlib.pyplot as plt
import torch

c1, c2 = 0.5, 50.0  # the valley of the gradient-descent page; kappa = 100
q = math.sqrt(c1 / c2)
c = torch.tensor([c1, c2], dtype=torch.float64)
start, num_steps = [-1.0, 0.25], 40
runs = {  # label: the optimizer and its settings
    "plain GD, lr = 2/(c1 + c2)": (torch.optim.SGD, dict(lr=2 / (c1 + c2))),
    "heavy ball, best lr and momentum": (torch.optim.SGD, dict(
        lr=4 / (math.sqrt(c1) + math.sqrt(c2)) ** 2, momentum=((1 - q) / (1 + q)) ** 2)),
    "Nesterov, lr = 1/c2": (torch.optim.SGD, dict(lr=1 / c2, momentum=(1 - q) / (1 + q),
                                                    nesterov=True)),
    "Adam, lr = 0.05": (torch.optim.Adam, dict(lr=0.05)),
}


def path(optimizer_class, settings):
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([w], **settings)
    visited = [w.tolist()]
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c * w**2 / 2).sum().backward()
        optimizer.step()
        visited.append(w.tolist())
    return torch.tensor(visited)


fig, ax = plt.subplots(figsize=(8, 5.5))
w1, w2 = torch.meshgrid(torch.linspace(-1.1, 0.4, 151), torch.linspace(-1.0, 1.0, 201), indexing="xy")
loss = (c1 * w1**2 + c2 * w2**2) / 2
ax.contour(w1, w2, loss, levels=[0.01, 0.05, 0.2, 0.5, 1, 2, 5, 10, 20], colors="gray", linewidths=0.7)
for (label, (optimizer_class, settings)), marker in zip(runs.items(), "osD^"):
    visited = path(optimizer_class, settings)
    ax.plot(visited[:, 0], visited[:, 1], marker=marker, markersize=3, linewidth=1.2,
            label=f"{label}: |w| = {visited[-1].norm():.2g} after {num_steps} steps")
ax.plot(*start, "k*", markersize=12)
ax.plot(0, 0, "k+", markersize=12)
ax.set(title=f"{num_steps} steps on $L(w) = (c_1 w_1^2 + c_2 w_2^2)/2$, $c_1 = {c1:g}$, $c_2 = {c2:g}$",
       xlabel="$w_1$ (flat direction)", ylabel="$w_2$ (steep direction)", xlim=(-1.1, 0.4), ylim=(-1.0, 1.0))
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1)
fig.tight_layout()
plt.show()
