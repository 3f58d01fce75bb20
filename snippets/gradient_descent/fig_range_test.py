"""The learning-rate range test (Smith 2017, section 3.3) on a small least-squares fit."""
import matplotlib.pyplot as plt

# --8<-- [start:sweep]
import torch

torch.manual_seed(0)
f64 = torch.float64
X = torch.randn(64, 3, dtype=f64) * torch.tensor([1.0, 2.0, 4.0], dtype=f64)
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=f64)
y = X @ w_true + 0.1 * torch.randn(64, dtype=f64)  # plus noise


def loss_fn(w):
    return ((X @ w - y) ** 2).mean()  # the MSE of a linear model


def range_test(loss_fn, lr_min=1e-4, lr_max=10.0, num_steps=100):
    """Raise the rate by a constant factor each step; stop at a blow-up."""
    w = torch.zeros(3, dtype=f64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr_min)
    gamma = (lr_max / lr_min) ** (1 / num_steps)  # from lr_min to lr_max
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    lrs, losses = [], []
    for _ in range(num_steps):
        lrs.append(scheduler.get_last_lr()[0])  # the rate of this step
        optimizer.zero_grad()
        loss_fn(w).backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss_fn(w).item())  # the loss after it
        if losses[-1] > 4 * min(losses):  # blown up: no point going further
            break
    return lrs, losses
# --8<-- [end:sweep]


# --8<-- [start:pick]
lrs, losses = range_test(loss_fn)
blow_up = lrs[-1]  # the first rate whose step blew the loss up
pick = blow_up / 10
falls = [(b - a) / a for a, b in zip(losses, losses[1:])]  # change per step
fastest = lrs[1 + falls.index(min(falls))]  # where the loss falls fastest
print(f"{len(lrs)} steps; blows up at {blow_up:.3f}; pick {pick:.4f}")
#> 72 steps; blows up at 0.355; pick 0.0355
print(f"falls fastest at {fastest:.4f}")
#> falls fastest at 0.0316
# --8<-- [end:pick]


# --8<-- [start:check]
def train(lr, num_steps=100):
    """Plain gradient descent at one constant rate; the final loss."""
    w = torch.zeros(3, dtype=f64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss_fn(w).backward()
        optimizer.step()
    return loss_fn(w).item()


start = loss_fn(torch.zeros(3, dtype=f64)).item()
print(f"start {start:.3g}   at the pick {train(pick):.3g}   "
      f"at the blow-up rate {train(blow_up):.3g}")
#> start 21.8   at the pick 0.00995   at the blow-up rate 4.45e+195
# --8<-- [end:check]

fig, ax = plt.subplots(figsize=(8, 4.5))
ax.loglog(lrs, losses, marker="o", markersize=3, label="loss after a step at that rate")
ax.axvline(blow_up, color="tab:red", linestyle="--", label=f"blows up: {blow_up:.3g}")
ax.axvline(pick, color="tab:green", linestyle="--", label=f"pick = blow-up / 10: {pick:.3g}")
ax.axvline(fastest, color="tab:orange", linestyle=":", label=f"falls fastest: {fastest:.3g}")
ax.set(title="Learning-rate range test: the rate grows by a constant factor every step",
       xlabel="learning rate (log scale)", ylabel="MSE loss (log scale)")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()
