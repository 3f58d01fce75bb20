"""Each loss is a negative log-likelihood, up to a factor and a constant (torch.distributions)."""
# --8<-- [start:nll]
import math

import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Categorical, Laplace, Normal

torch.manual_seed(0)
N, s = 6, 0.5  # samples; the noise scale, fixed
y_hat = torch.randn(N, dtype=torch.float64)  # predictions, the centre of the noise
y = y_hat + s * torch.randn(N, dtype=torch.float64)  # regression targets
z = torch.randn(N, dtype=torch.float64)  # logits, one per sample
labels = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.0], dtype=torch.float64)  # 0/1 targets
Z = torch.randn(N, 3, dtype=torch.float64)  # logits, 3 classes
k = torch.tensor([2, 0, 1, 1, 0, 2])  # class indices

rows = [  # (noise model, its negative log-likelihood, the same from the loss)
    ("Normal", -Normal(y_hat, s).log_prob(y).sum(),
     N / (2 * s**2) * F.mse_loss(y_hat, y) + N / 2 * math.log(2 * math.pi * s**2)),
    ("Laplace", -Laplace(y_hat, s).log_prob(y).sum(),
     N / s * F.l1_loss(y_hat, y) + N * math.log(2 * s)),
    ("Bernoulli", -Bernoulli(logits=z).log_prob(labels).sum(),
     N * F.binary_cross_entropy_with_logits(z, labels)),
    ("Categorical", -Categorical(logits=Z).log_prob(k).sum(),
     N * F.cross_entropy(Z, k)),
]
for name, nll, from_loss in rows:
    print(f"{name:11s} NLL {nll:9.6f}   from the loss {from_loss:9.6f}")
#> Normal      NLL  2.321801   from the loss  2.321801
#> Laplace     NLL  3.142646   from the loss  3.142646
#> Bernoulli   NLL  5.439498   from the loss  5.439498
#> Categorical NLL  9.562273   from the loss  9.562273
# --8<-- [end:nll]

# --8<-- [start:two_steps]
ce = torch.nn.CrossEntropyLoss()(Z, k)
two_steps = torch.nn.NLLLoss()(torch.nn.LogSoftmax(dim=1)(Z), k)
print(f"CrossEntropyLoss {ce:.6f}   NLLLoss(LogSoftmax) {two_steps:.6f}")
#> CrossEntropyLoss 1.593712   NLLLoss(LogSoftmax) 1.593712
# --8<-- [end:two_steps]
