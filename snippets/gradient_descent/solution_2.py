"""Exercise 2: the limit on L = (0.5 w1^2 + 10 w2^2) / 2, and w1 just below."""
import torch

c = torch.tensor([0.5, 10.0], dtype=torch.float64)  # the Hessian is diag(c)
limit = 2 / c.max().item()  # the most sharply curved direction sets it
print(f"converges for lr < 2 / {c.max().item():g} = {limit:g}")
#> converges for lr < 2 / 10 = 0.2
for lr in [0.99 * limit, 1.01 * limit]:
    w = torch.ones(2, dtype=torch.float64)
    for _ in range(200):
        w = w - lr * c * w  # the gradient of L is c * w
    factors = [round(f, 3) for f in (1 - lr * c).tolist()]
    print(f"lr = {lr:.3f}: factors {factors}, w_200 = [{w[0]:.1e}, {w[1]:.1e}]")
#> lr = 0.198: factors [0.901, -0.98], w_200 = [8.8e-10, 1.8e-02]
#> lr = 0.202: factors [0.899, -1.02], w_200 = [5.6e-10, 5.2e+01]
