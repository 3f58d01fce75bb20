"""Xavier/Glorot and Kaiming/He initialization from scratch, checked on a large sample."""
# --8<-- [start:schemes]
import math

import torch


def xavier_normal(fan_in, fan_out):
    std = math.sqrt(2.0 / (fan_in + fan_out))
    return std * torch.randn(fan_out, fan_in, dtype=torch.float64)


def xavier_uniform(fan_in, fan_out):
    a = math.sqrt(6.0 / (fan_in + fan_out))  # U(-a, a) has variance a²/3
    return torch.empty(fan_out, fan_in, dtype=torch.float64).uniform_(-a, a)


def kaiming_normal(fan_in, fan_out):
    std = math.sqrt(2.0 / fan_in)  # gain √2 for ReLU, times 1/√fan_in
    return std * torch.randn(fan_out, fan_in, dtype=torch.float64)


def kaiming_uniform(fan_in, fan_out):
    a = math.sqrt(6.0 / fan_in)
    return torch.empty(fan_out, fan_in, dtype=torch.float64).uniform_(-a, a)
# --8<-- [end:schemes]


if __name__ == "__main__":
    # --8<-- [start:check]
    torch.manual_seed(0)
    fan_in, fan_out = 256, 512  # W is (fan_out, fan_in), like nn.Linear's weight
    xavier_var = 2.0 / (fan_in + fan_out)
    kaiming_var = 2.0 / fan_in
    for init, var in [(xavier_normal, xavier_var), (xavier_uniform, xavier_var),
                      (kaiming_normal, kaiming_var),
                      (kaiming_uniform, kaiming_var)]:
        W = init(fan_in, fan_out)
        line = f"{init.__name__:15s} Var(W) {W.var():.6f}, formula {var:.6f}"
        if "uniform" in init.__name__:  # U(-a, a) with a = √(3 Var)
            line += f"; max|W| {W.abs().max():.4f} ≤ {math.sqrt(3 * var):.4f}"
        print(line)
    #> xavier_normal   Var(W) 0.002615, formula 0.002604
    #> xavier_uniform  Var(W) 0.002604, formula 0.002604; max|W| 0.0884 ≤ 0.0884
    #> kaiming_normal  Var(W) 0.007723, formula 0.007812
    #> kaiming_uniform Var(W) 0.007853, formula 0.007812; max|W| 0.1531 ≤ 0.1531
    # --8<-- [end:check]
