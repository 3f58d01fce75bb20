"""Exercise 3: binary cross-entropy is cross-entropy with two classes and logits (0, z)."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
z = 3 * torch.randn(6, dtype=torch.float64)  # one logit per sample
y = torch.tensor([1, 0, 0, 1, 1, 0])  # class indices, 0 or 1

Z = torch.stack([torch.zeros_like(z), z], dim=1)  # logits (0, z): class 0 fixed at 0
two_class = F.cross_entropy(Z, y)
binary = F.binary_cross_entropy_with_logits(z, y.double())
print(f"cross_entropy on (0, z) {two_class:.6f}   bce_with_logits on z {binary:.6f}")
#> cross_entropy on (0, z) 0.638585   bce_with_logits on z 0.638585

c = 2.5  # add the same constant to both logits of every row
print(f"cross_entropy on (c, z + c) {F.cross_entropy(Z + c, y):.6f}")
#> cross_entropy on (c, z + c) 0.638585
print("softmax of (0, z), class 1:", torch.allclose(torch.softmax(Z, dim=1)[:, 1], torch.sigmoid(z)))
#> softmax of (0, z), class 1: True
