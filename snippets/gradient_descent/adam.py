"""Adam from scratch, step for step against torch.optim.Adam."""
# --8<-- [start:adam]
import torch


def adam_step(w, g, m, s, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (t counts from 1); returns the new w, m, s."""
    m = beta1 * m + (1 - beta1) * g  # running mean of the gradient
    s = beta2 * s + (1 - beta2) * g**2  # running mean of its square
    m_hat = m / (1 - beta1**t)  # bias correction: m and s start at 0
    s_hat = s / (1 - beta2**t)
    return w - lr * m_hat / (s_hat.sqrt() + eps), m, s


c = torch.tensor([0.5, 50.0], dtype=torch.float64)  # the narrow valley above
ours = torch.tensor([1.0, 1.0], dtype=torch.float64)
m, s = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
w = ours.clone().requires_grad_()
optimizer = torch.optim.Adam([w], lr=0.1)
for t in range(1, 6):
    ours, m, s = adam_step(ours, c * ours, m, s, t, lr=0.1)  # gradient c * w
    optimizer.zero_grad()
    (c * w**2 / 2).sum().backward()
    optimizer.step()
print("after 5 steps: ours", [round(x, 6) for x in ours.tolist()])
#> after 5 steps: ours [0.507964, 0.507964]
print("largest difference from torch:", (ours - w.detach()).abs().max().item())
#> largest difference from torch: 0.0
# --8<-- [end:adam]
