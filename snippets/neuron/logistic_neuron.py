"""A sigmoid neuron trained with binary cross-entropy is logistic regression."""
# --8<-- [start:data]
import torch
from torch import nn

torch.set_num_threads(1)  # tiny tensors: one thread is faster than several
torch.manual_seed(0)
n = 200
X = torch.randn(n, 2, dtype=torch.float64)
p_true = torch.sigmoid(X @ torch.tensor([1.5, -2.0], dtype=torch.float64) - 0.5)
y = torch.bernoulli(p_true).unsqueeze(1)  # labels 0 or 1; the classes overlap
# --8<-- [end:data]

# --8<-- [start:train]
neuron = nn.Linear(2, 1, dtype=torch.float64)
with torch.no_grad():
    print(f"before: mean output {torch.sigmoid(neuron(X)).mean():.4f}"
          f"   fraction of 1s {y.mean():.4f}")
#> before: mean output 0.4461   fraction of 1s 0.3900

lr, num_epochs = 1.0, 500
for epoch in range(num_epochs):
    a = torch.sigmoid(neuron(X))  # a = sigmoid(w . x + b)
    # binary cross-entropy
    loss = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).mean()
    neuron.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in neuron.parameters():
            p -= lr * p.grad

with torch.no_grad():
    a = torch.sigmoid(neuron(X))
print(f"after:  mean output {a.mean():.4f}   fraction of 1s {y.mean():.4f}")
#> after:  mean output 0.3900   fraction of 1s 0.3900
# --8<-- [end:train]
