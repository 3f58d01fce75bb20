"""Exercise 4: without a bias, the mean output misses the fraction of 1s."""
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)  # the page's data
N = 200
X = torch.randn(N, 2, dtype=torch.float64)
p_true = torch.sigmoid(X @ torch.tensor([1.5, -2.0], dtype=torch.float64) - 0.5)
y = torch.bernoulli(p_true).unsqueeze(1)

for bias in (True, False):
    torch.manual_seed(1)
    neuron = nn.Linear(2, 1, bias=bias, dtype=torch.float64)
    for epoch in range(500):
        loss = F.binary_cross_entropy_with_logits(neuron(X), y)
        neuron.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in neuron.parameters():
                p -= 1.0 * p.grad
    with torch.no_grad():
        y_hat = torch.sigmoid(neuron(X))
    largest_grad = max(p.grad.abs().max().item() for p in neuron.parameters())
    print(f"bias={bias!s:5}  mean output {y_hat.mean():.4f}  fraction of 1s {y.mean():.4f}",
          f" largest gradient {largest_grad:.0e}")
#> bias=True   mean output 0.3900  fraction of 1s 0.3900  largest gradient 2e-09
#> bias=False  mean output 0.4875  fraction of 1s 0.3900  largest gradient 7e-12
