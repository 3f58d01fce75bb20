"""Momentum as torch.optim.SGD computes it: v <- mu*v + g, w <- w - lr*v."""
# --8<-- [start:momentum]
import torch


def gradient_descent_momentum(w0, lr, c, mu, num_steps):
    """Heavy-ball descent on L(w) = c * w**2 / 2; return every w visited."""
    w, v = w0, 0.0
    history = [w]
    for _ in range(num_steps):
        grad = c * w
        v = mu * v + grad  # a decaying sum of past gradients
        w = w - lr * v
        history.append(w)
    return history


c, lr, mu = 0.5, 0.1, 0.9
ours = gradient_descent_momentum(w0=1.0, lr=lr, c=c, mu=mu, num_steps=30)

w = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=lr, momentum=mu)
for _ in range(30):
    optimizer.zero_grad()
    (c * w**2 / 2).backward()
    optimizer.step()
print(f"w after 30 steps: ours {ours[-1]:+.6f}   torch {w.item():+.6f}")
#> w after 30 steps: ours +0.197061   torch +0.197061
print(f"without momentum:  (1 - lr*c)**30 = {(1 - lr * c) ** 30:+.6f}")
#> without momentum:  (1 - lr*c)**30 = +0.214639
print("sign changes:", sum(a * b < 0 for a, b in zip(ours, ours[1:])))
#> sign changes: 2
# --8<-- [end:momentum]
