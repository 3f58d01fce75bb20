"""Exercise 5: the custom sigmoid with its derivative, checked by gradcheck."""
import torch
from torch.autograd.gradcheck import gradcheck


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z):
        A = torch.sigmoid(Z)
        ctx.save_for_backward(A)  # the backward pass needs the output
        return A

    @staticmethod
    def backward(ctx, grad_output):
        (A,) = ctx.saved_tensors
        return grad_output * A * (1 - A)  # sigmoid'(Z) = A (1 - A)


torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
y = torch.randn(8, 1, dtype=torch.float64)
params = [torch.randn(4, 3, dtype=torch.float64, requires_grad=True),
          torch.randn(4, dtype=torch.float64, requires_grad=True),
          torch.randn(1, 4, dtype=torch.float64, requires_grad=True),
          torch.randn(1, dtype=torch.float64, requires_grad=True)]


def loss(W1, b1, W2, b2):
    y_hat = Sigmoid.apply(X @ W1.T + b1) @ W2.T + b2
    return ((y_hat - y) ** 2).mean()


print(gradcheck(loss, params))
#> True
Z = torch.randn(5, dtype=torch.float64, requires_grad=True)
print(gradcheck(Sigmoid.apply, (Z,)))
#> True
