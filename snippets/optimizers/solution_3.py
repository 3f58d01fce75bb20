"""Exercise 3: SGD with dampening; torch does not dampen the first step."""
import torch

torch.manual_seed(0)
f64 = torch.float64
X, y = torch.randn(20, 3, dtype=f64), torch.randn(20, dtype=f64)
w0 = torch.randn(3, dtype=f64)


def grad(w):
    w = w.detach().requires_grad_()
    ((torch.tanh(X @ w) - y) ** 2).mean().backward()
    return w.grad


def sgd_dampened(w, g, state, lr, momentum, dampening, first_undampened=True):
    if "v" not in state and first_undampened:
        state["v"] = g  # torch: the buffer starts as the gradient itself
    else:
        state["v"] = momentum * state.get("v", 0.0) + (1 - dampening) * g
    return w - lr * state["v"]


settings = dict(lr=0.1, momentum=0.9, dampening=0.5)
w = w0.clone().requires_grad_()
optimizer = torch.optim.SGD([w], **settings)
ours, naive, state, naive_state = w0.clone(), w0.clone(), {}, {}
for _ in range(100):
    ours = sgd_dampened(ours, grad(ours), state, **settings)
    naive = sgd_dampened(naive, grad(naive), naive_state, **settings,
                         first_undampened=False)
    optimizer.zero_grad()
    ((torch.tanh(X @ w) - y) ** 2).mean().backward()
    optimizer.step()
w = w.detach()
off, naive_off = (ours - w).abs().max(), (naive - w).abs().max()
print(f"v = g at step 1:               off torch by {off:.1e}")
#> v = g at step 1:               off torch by 2.8e-17
print(f"v = (1 - dampening) g, step 1: off torch by {naive_off:.1e}")
#> v = (1 - dampening) g, step 1: off torch by 5.5e-02
