"""Constant initialization: every hidden unit computes, and learns, the same thing."""
# --8<-- [start:setup]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def make_model(init):
    """A 2-4-1 tanh network whose parameters are set by init(model)."""
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        init(model)
    return model


def train(model, num_steps=500, lr=0.2):
    """Full-batch gradient descent on the MSE; returns the final loss."""
    for _ in range(num_steps):
        model.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad  # the plain update w <- w - lr * dL/dw
    return loss.item()
# --8<-- [end:setup]


# --8<-- [start:inits]
def zeros(model):
    for p in model.parameters():
        p.zero_()


def constant(model):
    for p in model.parameters():
        p.fill_(0.5)


def random_weights_zero_biases(model):
    for layer in (model[0], model[2]):
        nn.init.xavier_uniform_(layer.weight)  # random: breaks the symmetry
        nn.init.zeros_(layer.bias)  # zero biases are fine
# --8<-- [end:inits]


if __name__ == "__main__":
    # --8<-- [start:run]
    for init in (zeros, constant, random_weights_zero_biases):
        model = make_model(init)
        loss = train(model)
        W1 = model[0].weight  # one row per hidden unit: its incoming weights
        print(f"{init.__name__}: final loss {loss:.4f}")
        for row in W1.tolist():
            print("   W1 row:", [round(w, 4) for w in row])
    #> zeros: final loss 0.2500
    #>    W1 row: [0.0, 0.0]
    #>    W1 row: [0.0, 0.0]
    #>    W1 row: [0.0, 0.0]
    #>    W1 row: [0.0, 0.0]
    #> constant: final loss 0.1923
    #>    W1 row: [1.1776, 1.1776]
    #>    W1 row: [1.1776, 1.1776]
    #>    W1 row: [1.1776, 1.1776]
    #>    W1 row: [1.1776, 1.1776]
    #> random_weights_zero_biases: final loss 0.0000
    #>    W1 row: [0.6548, 0.8288]
    #>    W1 row: [0.5619, 0.5945]
    #>    W1 row: [-0.6509, -0.1732]
    #>    W1 row: [-1.8491, -1.6263]
    # --8<-- [end:run]
