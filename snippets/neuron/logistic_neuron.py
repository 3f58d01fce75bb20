"""A sigmoid neuron trained with binary cross-entropy is logistic regression."""
# --8<-- [start:data]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
N = 200
X = torch.randn(N, 2, dtype=torch.float64)
p_true = torch.sigmoid(X @ torch.tensor([1.5, -2.0], dtype=torch.float64) - 0.5)
y = torch.bernoulli(p_true).unsqueeze(1)  # labels 0 or 1; the classes overlap
# --8<-- [end:data]

# --8<-- [start:train]
neuron = nn.Linear(2, 1, dtype=torch.float64)  # computes the logit z = w . x + b
with torch.no_grad():
    y_hat = torch.sigmoid(neuron(X))  # the predicted probability of a 1
print(f"before: mean output {y_hat.mean():.4f}   fraction of 1s {y.mean():.4f}")
#> before: mean output 0.4461   fraction of 1s 0.3900

lr, num_epochs = 1.0, 500
for epoch in range(num_epochs):
    z = neuron(X)
    # the binary cross-entropy of sigmoid(z), computed from z itself
    loss = F.binary_cross_entropy_with_logits(z, y)
    neuron.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in neuron.parameters():
            p -= lr * p.grad

with torch.no_grad():
    y_hat = torch.sigmoid(neuron(X))
print(f"after:  mean output {y_hat.mean():.4f}   fraction of 1s {y.mean():.4f}")
#> after:  mean output 0.3900   fraction of 1s 0.3900
# --8<-- [end:train]
