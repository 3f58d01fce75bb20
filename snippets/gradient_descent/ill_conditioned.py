"""Momentum where it helps: L(w) = (c1 w1² + c2 w2²) / 2, one flat and one steep direction."""
# --8<-- [start:setup]
import math

import torch

c1, c2 = 0.5, 50.0  # the curvatures of the two directions
kappa = c2 / c1  # the condition number: 100
c = torch.tensor([c1, c2], dtype=torch.float64)


def distances(lr, mu, num_steps):
    """SGD from w = (1, 1); the distance |w| to the minimum after each step."""
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=mu)
    history = [w.norm().item()]
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c * w**2 / 2).sum().backward()
        optimizer.step()
        history.append(w.norm().item())
    return history
# --8<-- [end:setup]


# --8<-- [start:race]
# The best constant settings for this loss, and the rate each promises per step:
settings = {
    "plain GD": dict(lr=2 / (c1 + c2), mu=0.0,
                     rate=(kappa - 1) / (kappa + 1)),
    "momentum": dict(lr=4 / (math.sqrt(c1) + math.sqrt(c2)) ** 2,
                     mu=((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2,
                     rate=(math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)),
}
tol, num_steps = 1e-6, 1000  # steps: how many until |w| < tol
for name, s in settings.items():
    d = distances(s["lr"], s["mu"], num_steps)
    measured = (d[num_steps] / d[num_steps // 2]) ** (1 / (num_steps // 2))
    steps = next(t for t, dist in enumerate(d) if dist < tol)
    print(f"{name:9s} lr {s['lr']:.4f}  mu {s['mu']:.4f}  "
          f"rate {s['rate']:.4f}  measured {measured:.4f}  steps {steps}")
#> plain GD  lr 0.0396  mu 0.0000  rate 0.9802  measured 0.9802  steps 709
#> momentum  lr 0.0661  mu 0.6694  rate 0.8182  measured 0.8193  steps 95
# --8<-- [end:race]
