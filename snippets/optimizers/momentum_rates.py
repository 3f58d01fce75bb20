"""Plain GD, heavy ball, Nesterov on the valley (c1 w1^2 + c2 w2^2) / 2."""
# --8<-- [start:rates]
import math

import torch

c1, c2 = 0.5, 50.0  # the valley of the gradient-descent page
kappa, q = c2 / c1, math.sqrt(c1 / c2)  # kappa = 100, q = 1/sqrt(kappa)
c = torch.tensor([c1, c2], dtype=torch.float64)


def distances(num_steps, **settings):
    """torch.optim.SGD from w = (1, 1); the distance |w| after each step."""
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], **settings)
    history = [w.norm().item()]
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c * w**2 / 2).sum().backward()
        optimizer.step()
        history.append(w.norm().item())
    return history


runs = {  # each one's best settings for this valley, and the rate they promise
    "plain GD": (dict(lr=2 / (c1 + c2)), (kappa - 1) / (kappa + 1)),
    "heavy ball": (dict(lr=4 / (math.sqrt(c1) + math.sqrt(c2)) ** 2,
                        momentum=((1 - q) / (1 + q)) ** 2), (1 - q) / (1 + q)),
    "Nesterov": (dict(lr=1 / c2, momentum=(1 - q) / (1 + q), nesterov=True),
                 1 - q),
}
num_steps = 1000
for name, (settings, rate) in runs.items():
    d = distances(num_steps, **settings)
    measured = (d[num_steps] / d[num_steps // 2]) ** (1 / (num_steps // 2))
    print(f"{name:10s} rate {rate:.4f}  measured {measured:.4f}")
#> plain GD   rate 0.9802  measured 0.9802
#> heavy ball rate 0.8182  measured 0.8193
#> Nesterov   rate 0.9000  measured 0.9012
# --8<-- [end:rates]

# --8<-- [start:lookahead]
def nesterov_lookahead(w0, lr, mu, num_steps):
    """Sutskever et al.'s form: the gradient at the look-ahead w + mu v."""
    w, v, path = w0.clone(), torch.zeros_like(w0), []
    for _ in range(num_steps):
        v = mu * v - lr * c * (w + mu * v)  # grad L at the look-ahead point
        w = w + v
        path.append(w + mu * v)  # torch's weights are this look-ahead point
    return torch.stack(path)


lr, mu = 1 / c2, (1 - q) / (1 + q)
w = torch.ones(2, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=lr, momentum=mu, nesterov=True)
torch_path = []
for _ in range(100):
    optimizer.zero_grad()
    (c * w**2 / 2).sum().backward()
    optimizer.step()
    torch_path.append(w.detach().clone())
ours = nesterov_lookahead(torch.ones(2, dtype=torch.float64), lr, mu, 100)
largest = (ours - torch.stack(torch_path)).abs().max().item()
print("largest difference over 100 steps:", largest)
#> largest difference over 100 steps: 1.1102230246251565e-16
# --8<-- [end:lookahead]
