"""Dying ReLU: count the hidden units that output 0 for every input, in bad and cured set-ups."""
# --8<-- [start:data]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(256, 2)
# label 1 inside a circle, 0 outside
y = ((X**2).sum(dim=1, keepdim=True) < 1.4).float()
# --8<-- [end:data]


# --8<-- [start:dead]
def dead_fraction(model, X):
    """Fraction of hidden units whose output is exactly 0 for every row of X."""
    with torch.no_grad():
        A = model[1](model[0](X))  # hidden layer: linear, then the activation
    return (A == 0).all(dim=0).float().mean().item()
# --8<-- [end:dead]


# --8<-- [start:setup]
def make_model(activation=None, bias=None, width=100, seed=0):
    """2 inputs -> `width` hidden units -> 1 output logit."""
    torch.manual_seed(seed)
    activation = activation or nn.ReLU()
    model = nn.Sequential(nn.Linear(2, width), activation, nn.Linear(width, 1))
    if bias is not None:  # else PyTorch's default: uniform in +-1/sqrt(2)
        nn.init.constant_(model[0].bias, bias)
    return model


def train(model, lr, num_steps=200, batch_size=32, seed=1):
    """Plain minibatch SGD on binary cross-entropy."""
    gen = torch.Generator().manual_seed(seed)
    loss_fn = nn.BCEWithLogitsLoss()
    for step in range(num_steps):
        i = torch.randint(0, len(X), (batch_size,), generator=gen)
        loss = loss_fn(model(X[i]), y[i])
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
# --8<-- [end:setup]


# --8<-- [start:runs]
settings = {  # name: (learning rate, options for make_model)
    "large lr = 10": (10.0, {}),
    "cure: lr = 1": (1.0, {}),
    "biases start at -3": (1.0, {"bias": -3.0}),
    "cure: zero biases": (1.0, {"bias": 0.0}),
    "cure: Leaky ReLU": (1.0, {"bias": -3.0, "activation": nn.LeakyReLU(0.1)}),
}
models, dead_at_start, dead = {}, {}, {}
print(f"{'':27} dead at start  after training")
#>                             dead at start  after training
for name, (lr, options) in settings.items():
    models[name] = make_model(**options)
    dead_at_start[name] = dead_fraction(models[name], X)
    train(models[name], lr)
    dead[name] = dead_fraction(models[name], X)
    print(f"{name:27} {dead_at_start[name]:13.2f}  {dead[name]:14.2f}")
#> large lr = 10                        0.02            0.68
#> cure: lr = 1                         0.02            0.02
#> biases start at -3                   0.95            0.95
#> cure: zero biases                    0.00            0.00
#> cure: Leaky ReLU                     0.00            0.00
# --8<-- [end:runs]

# --8<-- [start:leaky]
with torch.no_grad():
    Z = models["cure: Leaky ReLU"][0](X)
negative_everywhere = (Z < 0).all(dim=0).float().mean()
print(f"Leaky units with z < 0 for every input: {negative_everywhere:.2f}")
#> Leaky units with z < 0 for every input: 0.81
# --8<-- [end:leaky]
