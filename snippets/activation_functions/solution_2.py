"""Exercise 2: a hidden layer of width 1 makes W2 W1 a matrix of rank at most 1."""
import torch
from torch import nn

torch.manual_seed(0)
for n_hidden in [4, 1]:
    layer1 = nn.Linear(3, n_hidden, dtype=torch.float64)  # W1: (n_hidden, 3)
    layer2 = nn.Linear(n_hidden, 2, dtype=torch.float64)  # W2: (2, n_hidden)
    W = layer2.weight @ layer1.weight  # the merged layer's weights, (2, 3)
    rank = torch.linalg.matrix_rank(W).item()
    print(f"hidden width {n_hidden}: W2 W1 has shape {tuple(W.shape)} and rank {rank}")
#> hidden width 4: W2 W1 has shape (2, 3) and rank 2
#> hidden width 1: W2 W1 has shape (2, 3) and rank 1
