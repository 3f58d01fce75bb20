"""Activation statistics through a deep stack of layers under five initializations."""
# --8<-- [start:schemes]
import torch
from torch import nn


def normal_1(layer):
    nn.init.normal_(layer.weight, 0.0, 1.0)
    nn.init.zeros_(layer.bias)


def small_normal(layer):
    nn.init.normal_(layer.weight, 0.0, 0.01)
    nn.init.zeros_(layer.bias)


def xavier(layer):
    nn.init.xavier_normal_(layer.weight)
    nn.init.zeros_(layer.bias)


def kaiming(layer):
    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.zeros_(layer.bias)


def pytorch_default(layer):
    pass  # keep nn.Linear's own draw: U(-1/√fan_in, 1/√fan_in), biases too


SCHEMES = {"N(0, 1)": normal_1, "N(0, 0.01²)": small_normal, "Xavier": xavier,
           "Kaiming": kaiming, "PyTorch default": pytorch_default}
# --8<-- [end:schemes]


# --8<-- [start:stack]
def activation_stds(init, activation, depth=50, width=256, N=256, seed=0):
    """Std of the activations after each layer (forward only), and the last A."""
    torch.manual_seed(seed)
    A = torch.randn(N, width, dtype=torch.float64)  # standard-normal inputs
    stds = []
    for _ in range(depth):
        layer = nn.Linear(width, width, dtype=torch.float64)
        init(layer)
        with torch.no_grad():
            A = activation(layer(A))
        stds.append(A.std().item())
    return stds, A
# --8<-- [end:stack]


# --8<-- [start:backward]
def gradient_stds(init, activation, depth=50, width=256, N=256, seed=0):
    """Std of A_l and of dL/dA_l at each layer l, for the loss L = sum(A_D * G)."""
    torch.manual_seed(seed)  # the same draws as activation_stds
    A = torch.randn(N, width, dtype=torch.float64)
    activations = []
    for _ in range(depth):
        layer = nn.Linear(width, width, dtype=torch.float64)
        init(layer)
        A = activation(layer(A))
        A.retain_grad()  # keep dL/dA_l, not only the parameters' gradients
        activations.append(A)
    G = torch.randn(N, width, dtype=torch.float64)  # dL/dA_D, standard normal
    (A * G).sum().backward()
    forward = [A_l.std().item() for A_l in activations]
    backward = [A_l.grad.std().item() for A_l in activations]
    return forward, backward
# --8<-- [end:backward]


if __name__ == "__main__":
    # --8<-- [start:run]
    for activation in (torch.tanh, torch.relu):
        print(f"{activation.__name__:16s}   layer 1  layer 10  layer 50")
        for name, init in SCHEMES.items():
            stds, _ = activation_stds(init, activation)
            row = "".join(f"{stds[l - 1]:10.2e}" for l in (1, 10, 50))
            print(f"{name:16s}{row}")
    #> tanh               layer 1  layer 10  layer 50
    #> N(0, 1)           9.75e-01  9.74e-01  9.74e-01
    #> N(0, 0.01²)       1.57e-01  1.07e-08  1.37e-40
    #> Xavier            6.29e-01  2.27e-01  8.97e-02
    #> Kaiming           7.22e-01  5.54e-01  5.57e-01
    #> PyTorch default   4.62e-01  4.30e-02  4.58e-02
    #> relu               layer 1  layer 10  layer 50
    #> N(0, 1)           9.39e+00  2.96e+10  4.81e+52
    #> N(0, 0.01²)       9.39e-02  2.96e-10  4.81e-48
    #> Xavier            5.87e-01  2.69e-02  2.99e-08
    #> Kaiming           8.30e-01  8.62e-01  1.00e+00
    #> PyTorch default   3.39e-01  2.23e-02  2.30e-02
    # --8<-- [end:run]

    # --8<-- [start:run_backward]
    for activation in (torch.tanh, torch.relu):
        print(f"dL/dA, {activation.__name__:9s}   layer 1  layer 10  layer 50")
        for name, init in SCHEMES.items():
            _, backward = gradient_stds(init, activation)
            row = "".join(f"{backward[l - 1]:10.2e}" for l in (1, 10, 50))
            print(f"{name:16s}{row}")
    #> dL/dA, tanh        layer 1  layer 10  layer 50
    #> N(0, 1)           1.03e+23  4.40e+18  1.00e+00
    #> N(0, 0.01²)       9.25e-40  1.36e-32  1.00e+00
    #> Xavier            1.68e-01  4.30e-01  1.00e+00
    #> Kaiming           9.95e+00  7.63e+00  1.00e+00
    #> PyTorch default   1.75e-12  2.75e-10  9.99e-01
    #> dL/dA, relu        layer 1  layer 10  layer 50
    #> N(0, 1)           5.54e+51  1.75e+42  1.00e+00
    #> N(0, 0.01²)       5.54e-47  1.75e-38  1.00e+00
    #> Xavier            5.52e-08  1.20e-06  1.00e+00
    #> Kaiming           1.31e+00  1.26e+00  1.00e+00
    #> PyTorch default   9.62e-20  3.12e-16  9.99e-01
    # --8<-- [end:run_backward]
