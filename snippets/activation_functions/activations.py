"""Element-wise activation functions and their derivatives, written from the formulas."""
import torch


# --8<-- [start:sigmoid]
def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(z):
    # the textbook formula; exp overflows for |z| > 710 (torch.tanh does not)
    return (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z))


def tanh_grad(z):
    return 1 - tanh(z) ** 2
# --8<-- [end:tanh]


# --8<-- [start:relu]
def relu(z):
    return torch.where(z > 0, z, 0.0)


def relu_grad(z):
    return (z > 0).to(z.dtype)  # 1 where z > 0, else 0 (0 at z = 0, as PyTorch)
# --8<-- [end:relu]


# --8<-- [start:leaky_relu]
def leaky_relu(z, alpha=0.01):
    return torch.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    ones = torch.ones_like(z)
    return torch.where(z > 0, ones, alpha * ones)  # PyTorch uses alpha at z = 0
# --8<-- [end:leaky_relu]


# --8<-- [start:elu]
def elu(z, alpha=1.0):
    return torch.where(z > 0, z, alpha * (torch.exp(z) - 1))


def elu_grad(z, alpha=1.0):
    return torch.where(z > 0, torch.ones_like(z), alpha * torch.exp(z))
# --8<-- [end:elu]


# --8<-- [start:silu]
def silu(z):
    return z * sigmoid(z)


def silu_grad(z):
    s = sigmoid(z)
    return s * (1 + z * (1 - s))
# --8<-- [end:silu]


# --8<-- [start:gelu]
def gelu(z):
    Phi = 0.5 * (1 + torch.erf(z / 2**0.5))  # the standard normal CDF at z
    return z * Phi


def gelu_grad(z):
    Phi = 0.5 * (1 + torch.erf(z / 2**0.5))
    phi = torch.exp(-(z**2) / 2) / (2 * torch.pi) ** 0.5  # the standard normal density
    return Phi + z * phi


def gelu_tanh(z):
    """The tanh approximation (F.gelu(z, approximate="tanh"))."""
    c = (2 / torch.pi) ** 0.5
    return 0.5 * z * (1 + torch.tanh(c * (z + 0.044715 * z**3)))


def gelu_tanh_grad(z):
    c = (2 / torch.pi) ** 0.5
    t = torch.tanh(c * (z + 0.044715 * z**3))
    return 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * c * (1 + 3 * 0.044715 * z**2)
# --8<-- [end:gelu]


# --8<-- [start:gelu_gap]
zs = torch.linspace(-5, 5, 10001, dtype=torch.float64)  # steps of 1e-3
gap = (gelu(zs) - gelu_tanh(zs)).abs().max()
print(f"GELU's smallest value {gelu(zs).min():.4f}; largest |gelu - gelu_tanh| {gap:.1e}")
#> GELU's smallest value -0.1700; largest |gelu - gelu_tanh| 4.7e-04
# --8<-- [end:gelu_gap]


# --8<-- [start:softplus]
def softplus(z):
    return torch.log1p(torch.exp(z))  # log(1 + e^z); exp overflows for z > 709


def softplus_grad(z):
    return sigmoid(z)  # d/dz log(1 + e^z) = e^z / (1 + e^z)
# --8<-- [end:softplus]


# --8<-- [start:prelu]
def prelu(z, alpha=0.25):
    return torch.where(z > 0, z, alpha * z)  # Leaky ReLU, but alpha is learned


def prelu_grad(z, alpha=0.25):
    ones = torch.ones_like(z)
    return torch.where(z > 0, ones, alpha * ones)  # d prelu / dz


def prelu_grad_alpha(z):
    return torch.where(z > 0, torch.zeros_like(z), z)  # d prelu / d alpha: what trains it
# --8<-- [end:prelu]


# --8<-- [start:table]
def row(label, values):
    return f"{label:>11}: " + " ".join(f"{v:8.4f}" for v in values.tolist())


z = torch.tensor([-2.0, -0.5, 0.5, 2.0], dtype=torch.float64)
print(row("z", z))
#>           z:  -2.0000  -0.5000   0.5000   2.0000
functions = [
    ("sigmoid", sigmoid, sigmoid_grad),
    ("tanh", tanh, tanh_grad),
    ("relu", relu, relu_grad),
    ("leaky_relu", leaky_relu, leaky_relu_grad),
    ("elu", elu, elu_grad),
    ("silu", silu, silu_grad),
    ("gelu", gelu, gelu_grad),
    ("softplus", softplus, softplus_grad),
    ("prelu", prelu, prelu_grad),  # at alpha = 0.25, PyTorch's starting value
]
for name, f, f_grad in functions:
    print(row(name, f(z)))
    print(row(name + "'", f_grad(z)))  # the derivative
#>     sigmoid:   0.1192   0.3775   0.6225   0.8808
#>    sigmoid':   0.1050   0.2350   0.2350   0.1050
#>        tanh:  -0.9640  -0.4621   0.4621   0.9640
#>       tanh':   0.0707   0.7864   0.7864   0.0707
#>        relu:   0.0000   0.0000   0.5000   2.0000
#>       relu':   0.0000   0.0000   1.0000   1.0000
#>  leaky_relu:  -0.0200  -0.0050   0.5000   2.0000
#> leaky_relu':   0.0100   0.0100   1.0000   1.0000
#>         elu:  -0.8647  -0.3935   0.5000   2.0000
#>        elu':   0.1353   0.6065   1.0000   1.0000
#>        silu:  -0.2384  -0.1888   0.3112   1.7616
#>       silu':  -0.0908   0.2600   0.7400   1.0908
#>        gelu:  -0.0455  -0.1543   0.3457   1.9545
#>       gelu':  -0.0852   0.1325   0.8675   1.0852
#>    softplus:   0.1269   0.4741   0.9741   2.1269
#>   softplus':   0.1192   0.3775   0.6225   0.8808
#>       prelu:  -0.5000  -0.1250   0.5000   2.0000
#>      prelu':   0.2500   0.2500   1.0000   1.0000
# --8<-- [end:table]

# --8<-- [start:silu_min]
grid = torch.linspace(-5, 0, 50001, dtype=torch.float64)  # steps of 1e-4
i = silu(grid).argmin()
print(f"SiLU's smallest value {silu(grid)[i]:.4f} at z = {grid[i]:.4f}")
#> SiLU's smallest value -0.2785 at z = -1.2785
# --8<-- [end:silu_min]
