"""Exercise 2: the limit of gradient descent on L = (0.5 w1^2 + 10 w2^2) / 2, and w1 just below it."""
import torch

c = torch.tensor([0.5, 10.0], dtype=torch.float64)  # the curvatures: the Hessian is diag(c)
limit = 2 / c.max().item()  # the most sharply curved direction sets it
print(f"converges for lr < 2 / {c.max().item():g} = {limit:g}")
#> converges for lr < 2 / 10 = 0.2
for lr in [0.99 * limit, 1.01 * limit]:
    w = torch.ones(2, dtype=torch.float64)
    for _ in range(200):
        w = w - lr * c * w  # the gradient of L is c * w
    print(f"lr = {lr:.3f}: factors per step {(1 - lr * c).tolist()}, after 200 steps w = {[f'{x:.1e}' for x in w.tolist()]}")
#> lr = 0.198: factors per step [0.901, -0.98], after 200 steps w = ['8.8e-10', '1.8e-02']
#> lr = 0.202: factors per step [0.899, -1.02], after 200 steps w = ['5.6e-10', '5.2e+01']
