"""Adam ignores the loss's scale, SGD does not; weight decay in Adam and AdamW."""
# --8<-- [start:scale]
import torch

f64 = torch.float64
c = torch.tensor([0.5, 50.0], dtype=f64)  # the narrow valley again
Adam, AdamW, SGD = torch.optim.Adam, torch.optim.AdamW, torch.optim.SGD


def steps(optimizer_class, scale, num_steps=100, **settings):
    """Each step w_new - w_old on scale * L(w), from w = (1, 1)."""
    w = torch.ones(2, dtype=f64, requires_grad=True)
    optimizer = optimizer_class([w], **settings)
    taken = []
    for _ in range(num_steps):
        before = w.detach().clone()
        optimizer.zero_grad()
        (scale * (c * w**2 / 2).sum()).backward()
        optimizer.step()
        taken.append(w.detach() - before)
    return torch.stack(taken)


def change(a, b):
    """The largest relative difference between two runs' steps."""
    return ((a - b).abs() / b.abs()).max().item()


adam, adam_1000 = steps(Adam, 1, lr=0.01), steps(Adam, 1000, lr=0.01)
print(f"Adam, loss x 1000: steps change by {change(adam_1000, adam):.1e}")
#> Adam, loss x 1000: steps change by 2.1e-08
no_eps = steps(Adam, 1, lr=0.01, eps=0.0)
no_eps_1000 = steps(Adam, 1000, lr=0.01, eps=0.0)
print(f"  the same with eps = 0:     {change(no_eps_1000, no_eps):.1e}")
#>   the same with eps = 0:     1.4e-14
sgd, sgd_1000 = steps(SGD, 1, 1, lr=0.01), steps(SGD, 1000, 1, lr=0.01)
ratio = (sgd_1000[0] / sgd[0]).min()
print(f"SGD,  loss x 1000: the first step is {ratio:.6g} times longer")
#> SGD,  loss x 1000: the first step is 1000 times longer
# --8<-- [end:scale]

# --8<-- [start:decay]
def after(optimizer_class, weight_decay, num_steps=10):
    """w after a few steps from (1, 1); only w1 has a loss, c2 w1^2 / 2."""
    w = torch.ones(2, dtype=f64, requires_grad=True)
    optimizer = optimizer_class([w], lr=0.01, weight_decay=weight_decay)
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c[1] * w[0] ** 2 / 2).backward()
        optimizer.step()
    return w.detach()


no_decay = after(Adam, 0.0)  # what the loss alone does: w2 stays at 1
for optimizer_class in (Adam, AdamW):
    for weight_decay in (0.01, 0.1):
        shrink = no_decay - after(optimizer_class, weight_decay)  # the decay
        print(f"{optimizer_class.__name__:5s} weight_decay {weight_decay:4}: "
              f"decay moved w1 by {shrink[0]:.1e}, w2 by {shrink[1]:.1e}")
#> Adam  weight_decay 0.01: decay moved w1 by 4.0e-15, w2 by 1.0e-01
#> Adam  weight_decay  0.1: decay moved w1 by 4.0e-14, w2 by 1.0e-01
#> AdamW weight_decay 0.01: decay moved w1 by 9.5e-04, w2 by 1.0e-03
#> AdamW weight_decay  0.1: decay moved w1 by 9.5e-03, w2 by 1.0e-02
# --8<-- [end:decay]
