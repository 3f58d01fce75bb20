"""Exercise 2: Adam on a loss scaled down until its gradients are near eps."""
import torch

c = torch.tensor([0.5, 50.0], dtype=torch.float64)


def first_step(scale, eps=1e-8, lr=0.01):
    """The first Adam step from (1, 1) on scale * (c1 w1^2 + c2 w2^2) / 2."""
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=lr, eps=eps)
    (scale * (c * w**2 / 2).sum()).backward()
    g = w.grad.clone()
    optimizer.step()
    return g, 1 - w.detach()


def show(values, digits):
    return [f"{v:.{digits}e}" for v in values]


for scale in [1.0, 1e-9]:
    g, step = first_step(scale)
    print(f"scale {scale:g}: gradient {show(g, 0)}, step {show(step, 2)}")
#> scale 1: gradient ['5e-01', '5e+01'], step ['1.00e-02', '1.00e-02']
#> scale 1e-09: gradient ['5e-10', '5e-08'], step ['4.76e-04', '8.33e-03']
g, step = first_step(1e-9)
print("lr * g / (|g| + eps):", show(0.01 * g / (g.abs() + 1e-8), 2))
#> lr * g / (|g| + eps): ['4.76e-04', '8.33e-03']
print("with eps = 1e-20:", show(first_step(1e-9, eps=1e-20)[1], 2))
#> with eps = 1e-20: ['1.00e-02', '1.00e-02']
