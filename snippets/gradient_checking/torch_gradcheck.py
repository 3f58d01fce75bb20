"""torch.autograd.gradcheck on the network's loss, and on a wrong backward."""
# --8<-- [start:gradcheck]
import torch
from torch.autograd.gradcheck import GradcheckError, gradcheck

torch.manual_seed(0)
N, d, n_hidden = 8, 3, 4
X = torch.randn(N, d, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
# gradcheck perturbs the inputs that require grad: float64, requires_grad=True
W1 = torch.randn(n_hidden, d, dtype=torch.float64, requires_grad=True)
b1 = torch.randn(n_hidden, dtype=torch.float64, requires_grad=True)
W2 = torch.randn(1, n_hidden, dtype=torch.float64, requires_grad=True)
b2 = torch.randn(1, dtype=torch.float64, requires_grad=True)
params = (W1, b1, W2, b2)


def loss(W1, b1, W2, b2, sigmoid=torch.sigmoid):
    A1 = sigmoid(X @ W1.T + b1)
    y_hat = A1 @ W2.T + b2
    return ((y_hat - y) ** 2).mean()


print(gradcheck(loss, params))
#> True
# --8<-- [end:gradcheck]


# --8<-- [start:broken]
class SigmoidNoDerivative(torch.autograd.Function):
    """The sigmoid going forward; going backward it forgets sigmoid'(Z)."""

    @staticmethod
    def forward(ctx, Z):
        return torch.sigmoid(Z)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output  # BUG: should be grad_output * A * (1 - A)


def broken_loss(W1, b1, W2, b2):
    return loss(W1, b1, W2, b2, sigmoid=SigmoidNoDerivative.apply)


print(gradcheck(broken_loss, params, raise_exception=False))
#> False
try:
    gradcheck(broken_loss, params)
except GradcheckError as error:
    print(str(error).splitlines()[0])
#> Jacobian mismatch for output 0 with respect to input 0,
# --8<-- [end:broken]

# --8<-- [start:fast]
print(gradcheck(loss, params, fast_mode=True))
#> True
print(gradcheck(broken_loss, params, fast_mode=True, raise_exception=False))
#> False
# --8<-- [end:fast]
