"""Five update rules in a few lines each, equal to torch.optim in float64."""
# --8<-- [start:rules]
import torch


def sgd(w, g, state, lr, weight_decay=0.0):
    g = g + weight_decay * w  # weight decay: lambda w added to the gradient
    return w - lr * g


def sgd_momentum(w, g, state, lr, momentum, weight_decay=0.0):
    g = g + weight_decay * w
    state["v"] = momentum * state.get("v", 0.0) + g  # v = g at step 1
    return w - lr * state["v"]


def sgd_nesterov(w, g, state, lr, momentum, weight_decay=0.0):
    g = g + weight_decay * w
    state["v"] = momentum * state.get("v", 0.0) + g
    return w - lr * (g + momentum * state["v"])  # one step further along v


def adam(w, g, state, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    g = g + weight_decay * w  # Adam's decay: into the gradient, then scaled
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    s = state["s"] = beta2 * state.get("s", 0.0) + (1 - beta2) * g**2
    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)  # bias correction
    return w - lr * m_hat / (s_hat.sqrt() + eps)


def adamw(w, g, state, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
    w = w * (1 - lr * weight_decay)  # decoupled: shrink the weights directly
    return adam(w, g, state, lr, betas, eps)  # then Adam without weight decay
# --8<-- [end:rules]


# --8<-- [start:compare]
torch.manual_seed(0)
f64 = torch.float64
X, y = torch.randn(20, 3, dtype=f64), torch.randn(20, dtype=f64)
w0 = torch.randn(3, dtype=f64)


def loss_fn(w):
    return ((torch.tanh(X @ w) - y) ** 2).mean()  # a small non-quadratic loss


def grad(w):
    w = w.detach().requires_grad_()
    loss_fn(w).backward()
    return w.grad


SGD, Adam, AdamW = torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW
heavy = dict(lr=0.1, momentum=0.9, weight_decay=0.01)
adaptive = dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)
RULES = {  # ours, torch's, and the settings both get
    "SGD": (sgd, SGD, dict(lr=0.1, weight_decay=0.01)),
    "momentum": (sgd_momentum, SGD, heavy),
    "Nesterov": (sgd_nesterov, SGD, dict(heavy, nesterov=True)),
    "Adam": (adam, Adam, adaptive),
    "AdamW": (adamw, AdamW, adaptive),
}


def largest_difference(rule, optimizer_class, settings, num_steps=100):
    """Ours and torch's side by side; the largest |difference| of any weight."""
    ours, state = w0.clone(), {}
    w = w0.clone().requires_grad_()
    optimizer = optimizer_class([w], **settings)
    ours_settings = {k: v for k, v in settings.items() if k != "nesterov"}
    largest = 0.0
    for _ in range(num_steps):
        ours = rule(ours, grad(ours), state, **ours_settings)
        optimizer.zero_grad()
        loss_fn(w).backward()
        optimizer.step()
        largest = max(largest, (ours - w.detach()).abs().max().item())
    return largest


for name, (rule, optimizer_class, settings) in RULES.items():
    print(f"{name:8s} largest difference over 100 steps: "
          f"{largest_difference(rule, optimizer_class, settings):.1e}")
#> SGD      largest difference over 100 steps: 1.1e-16
#> momentum largest difference over 100 steps: 8.9e-16
#> Nesterov largest difference over 100 steps: 2.2e-16
#> Adam     largest difference over 100 steps: 1.1e-16
#> AdamW    largest difference over 100 steps: 1.1e-16
# --8<-- [end:compare]
