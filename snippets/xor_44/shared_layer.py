"""A layer called twice is one set of weights, however often a summary counts it."""
# --8<-- [start:shared]
import torch
from torch import nn


class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(2, 4)
        self.hidden = nn.Linear(4, 4)  # used twice in forward
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        x = torch.tanh(self.inp(x))
        x = torch.tanh(self.hidden(x))
        x = torch.tanh(self.hidden(x))  # same weights again
        return self.out(x)


model = Twice()

# What a per-call summary tool does: add up the parameters of every layer call.
counted_per_call = []
for layer in (model.inp, model.hidden, model.out):
    layer.register_forward_hook(
        lambda module, args, output: counted_per_call.append(
            sum(p.numel() for p in module.parameters())
        )
    )
model(torch.zeros(1, 2))

print("sum over layer calls: ", sum(counted_per_call))
#> sum over layer calls:  57
print("unique parameters:    ", sum(p.numel() for p in model.parameters()))
#> unique parameters:     37
# --8<-- [end:shared]
