"""Exercise 5: with two logits, d s1/d z1 = s1 (1 - s1) = s1 s2 and d s1/d z2 = -s1 s2, as in J."""
import torch

z = torch.tensor([0.7, -1.2], dtype=torch.float64)
s = torch.softmax(z, dim=0)
s1 = torch.sigmoid(z[0] - z[1])  # softmax's first entry for two logits
print(f"s1 = {s[0]:.4f}, sigmoid(z1 - z2) = {s1:.4f}")
#> s1 = 0.8699, sigmoid(z1 - z2) = 0.8699
# chain rule on sigmoid(z1 - z2): sigma'(u) = s1 (1 - s1), and du/dz1 = 1, du/dz2 = -1
by_hand = torch.stack([s1 * (1 - s1), -s1 * (1 - s1)])
J = torch.diag(s) - torch.outer(s, s)  # the page's Jacobian, row 1: (s1 (1 - s1), -s1 s2)
autograd = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z)
ways = {"by hand": by_hand, "J row 1": J[0], "autograd": autograd[0]}
for name, row in ways.items():
    print(f"{name:>8}: {row.numpy().round(4)}")
#>  by hand: [ 0.1132 -0.1132]
#>  J row 1: [ 0.1132 -0.1132]
#> autograd: [ 0.1132 -0.1132]
same = all(torch.allclose(row, by_hand, rtol=0, atol=1e-12) for row in ways.values())
print("all equal to 1e-12:", same)
#> all equal to 1e-12: True
