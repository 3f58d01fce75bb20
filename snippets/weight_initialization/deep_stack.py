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
