"""Exercise 4: KL is infinite where the model gives 0 to a class the target does not."""
import torch

P = torch.tensor([[0.5, 0.5, 0.0]], dtype=torch.float64)  # the target


def kl(P, Q):
    """D_KL(P || Q) of each row; terms with p_k = 0 count as 0."""
    return (torch.xlogy(P, P) - torch.xlogy(P, Q)).sum(dim=1)


print("q = (1, 0, 0):", kl(P, torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)).item())
#> q = (1, 0, 0): inf
for eps in (1e-2, 1e-4, 1e-8):  # the model gives class 2 almost nothing
    Q = torch.tensor([[1 - eps, eps, 0.0]], dtype=torch.float64)
    print(f"q_2 = {eps:g}: D_KL = {kl(P, Q).item():.3f}")
#> q_2 = 0.01: D_KL = 1.614
#> q_2 = 0.0001: D_KL = 3.912
#> q_2 = 1e-08: D_KL = 8.517
print("q = (0.5, 0.4, 0.1):", round(kl(P, torch.tensor([[0.5, 0.4, 0.1]], dtype=torch.float64)).item(), 3))
#> q = (0.5, 0.4, 0.1): 0.112
