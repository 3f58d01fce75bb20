"""Accuracy gives no gradient; cross-entropy does. Weight decay is a term added to the loss."""
# --8<-- [start:accuracy]
import torch
import torch.nn.functional as F

torch.manual_seed(0)
X = torch.randn(20, 2, dtype=torch.float64)
y = (X[:, 0] + X[:, 1] > 0).double()  # the labels of a linear rule
w = torch.tensor([1.0, 0.2], dtype=torch.float64, requires_grad=True)


def accuracy(w):
    return ((X @ w > 0).double() == y).double().mean()  # a comparison: no slope


def loss(w):
    return F.binary_cross_entropy_with_logits(X @ w, y)


nudge = torch.tensor([0.0, 1e-3], dtype=torch.float64)
print(f"accuracy {accuracy(w):.4f} -> {accuracy(w + nudge):.4f}   requires_grad: {accuracy(w).requires_grad}")
#> accuracy 0.8000 -> 0.8000   requires_grad: False
print(f"BCE      {loss(w):.4f} -> {loss(w + nudge):.4f}   requires_grad: {loss(w).requires_grad}")
#> BCE      0.5093 -> 0.5091   requires_grad: True
# --8<-- [end:accuracy]

# --8<-- [start:weight_decay]
lam, lr = 0.1, 0.5  # the weight-decay coefficient and the learning rate


def train(w, weight_decay, penalty):
    """Three SGD steps on the loss plus penalty * ||w||^2."""
    w = w.detach().clone().requires_grad_()
    opt = torch.optim.SGD([w], lr=lr, weight_decay=weight_decay)
    for _ in range(3):
        opt.zero_grad()
        (loss(w) + penalty * (w**2).sum()).backward()
        opt.step()
    return w


w_decay = train(w, weight_decay=lam, penalty=0.0)  # decay inside the optimizer
w_term = train(w, weight_decay=0.0, penalty=lam / 2)  # decay as a term of the loss
print("weight_decay:", [round(v, 6) for v in w_decay.tolist()])
#> weight_decay: [0.927143, 0.456392]
print("loss term:   ", [round(v, 6) for v in w_term.tolist()])
#> loss term:    [0.927143, 0.456392]
print("the same:", torch.allclose(w_decay, w_term, rtol=1e-12, atol=0))
#> the same: True
# --8<-- [end:weight_decay]
