"""The exercise: no activation after the last layer, exactly 44 parameters, 2001 epochs."""
# --8<-- [start:build]
import random

import torch
from torch import nn

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def build_mlp(sizes, bias=True):
    """Linear layers with tanh between them and nothing after the last one."""
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [nn.Linear(n_in, n_out, bias=bias), nn.Tanh()]
    model = nn.Sequential(*layers[:-1])  # drop the final tanh: the output is a plain number
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 1.0)  # the course's N(0, 1) weights
    return model
# --8<-- [end:build]


# --8<-- [start:train]
def train(model, num_epochs=2001, lr=0.02, momentum=0.9, seed=0):
    """The course's recipe. After every epoch, on all four rows: the L1 loss,
    and whether the rounded predictions are XOR."""
    rng = random.Random(seed)
    loss_fn = nn.L1Loss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses, solved = [], []
    for epoch in range(num_epochs):
        for _ in range(len(X)):
            i = rng.randrange(len(X))  # one randomly drawn sample per step
            optimizer.zero_grad()
            loss_fn(model(X[i]), y[i]).backward()
            optimizer.step()
        with torch.no_grad():  # measured on the whole data set, not one noisy sample
            y_hat = model(X)
            losses.append(loss_fn(y_hat, y).item())
            solved.append(torch.equal(y_hat.round(), y))
    return losses, solved


def judge(losses, solved, window=200):
    """A run's verdict over its last `window` epochs, not its last one:
    the mean whole-data loss, and the share of epochs that round to XOR."""
    return sum(losses[-window:]) / window, sum(solved[-window:]) / window
# --8<-- [end:train]


if __name__ == "__main__":
    # --8<-- [start:run]
    seed = 3  # one seed for the weights and for the order of the samples
    torch.manual_seed(seed)
    model = build_mlp([2, 5, 4, 1])
    print(model)
    #> Sequential(
    #>   (0): Linear(in_features=2, out_features=5, bias=True)
    #>   (1): Tanh()
    #>   (2): Linear(in_features=5, out_features=4, bias=True)
    #>   (3): Tanh()
    #>   (4): Linear(in_features=4, out_features=1, bias=True)
    #> )
    print("trainable parameters:", sum(p.numel() for p in model.parameters() if p.requires_grad))
    #> trainable parameters: 44
    losses, solved = train(model, seed=seed)
    mean_loss, share_solved = judge(losses, solved)
    last = losses[-200:]
    print(f"epochs: {len(losses)}  first loss {losses[0]:.3f}")
    #> epochs: 2001  first loss 0.741
    print(f"last 200 epochs: mean loss {mean_loss:.3f} (from {min(last):.3f} to {max(last):.3f})")
    #> last 200 epochs: mean loss 0.165 (from 0.020 to 0.540)
    print(f"last 200 epochs that round to XOR: {share_solved:.0%}")
    #> last 200 epochs that round to XOR: 88%
    # --8<-- [end:run]
