"""Exercise 3: the final tanh back on the 2-5-4-1 network, ten starts side by side."""
import torch

torch.manual_seed(0)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([0.0, 1.0, 1.0, 0.0])
K = 10  # ten networks, each with its own weights and its own order of rows


def layer(n_in, n_out):
    """K layers at once: weights from N(0, 1), biases as nn.Linear draws them."""
    W = torch.randn(K, n_out, n_in)
    b = (2 * torch.rand(K, n_out, 1) - 1) / n_in**0.5
    return [W.requires_grad_(), b.requires_grad_()]


params = layer(2, 5) + layer(5, 4) + layer(4, 1)


def forward(x):
    """x: (K, 2, n), n inputs as columns for each network. Tanh after every layer."""
    W1, b1, W2, b2, W3, b3 = params
    a1 = torch.tanh(W1 @ x + b1)
    a2 = torch.tanh(W2 @ a1 + b2)
    return torch.tanh(W3 @ a2 + b3).squeeze(1)  # the final tanh is back


# The page's recipe. The networks share no parameters, so the sum of their L1
# losses gives each one its own gradient, and SGD updates each as if it were alone.
optimizer = torch.optim.SGD(params, lr=0.02, momentum=0.9)
num_epochs = 200  # fewer than the page's 2001, to stay quick
solved = torch.zeros(K, dtype=torch.int64)  # epochs that round to XOR, per network
for epoch in range(num_epochs):
    for _ in range(len(X)):
        i = torch.randint(len(X), (K,))  # one row for each network
        optimizer.zero_grad()
        (forward(X[i].unsqueeze(2)).squeeze(1) - y[i]).abs().sum().backward()
        optimizer.step()
    with torch.no_grad():
        y_hat = forward(X.T.expand(K, 2, 4))  # all four rows, for every network
        solved += (y_hat.round() == y).all(dim=1)

for k in range(K):
    print(f"network {k}: XOR in {solved[k]:3d} of {num_epochs} epochs, outputs",
          [round(v, 2) for v in y_hat[k].tolist()])
#> network 0: XOR in   0 of 200 epochs, outputs [0.02, 1.0, 1.0, 1.0]
#> network 1: XOR in 133 of 200 epochs, outputs [0.07, 1.0, 1.0, -0.1]
#> network 2: XOR in   0 of 200 epochs, outputs [0.87, 1.0, 1.0, 1.0]
#> network 3: XOR in   0 of 200 epochs, outputs [-0.23, 1.0, 1.0, 1.0]
#> network 4: XOR in   0 of 200 epochs, outputs [0.25, 0.99, 0.99, 0.99]
#> network 5: XOR in   1 of 200 epochs, outputs [0.13, 0.98, 0.98, 0.66]
#> network 6: XOR in  17 of 200 epochs, outputs [0.13, 0.98, 0.96, -0.63]
#> network 7: XOR in   0 of 200 epochs, outputs [0.18, 1.0, 0.99, 1.0]
#> network 8: XOR in   0 of 200 epochs, outputs [1.0, 1.0, 1.0, 1.0]
#> network 9: XOR in   0 of 200 epochs, outputs [0.15, 1.0, 1.0, 1.0]
stuck = (solved == 0).sum().item()
print(f"stuck (never XOR): {stuck} of {K}")
#> stuck (never XOR): 7 of 10
