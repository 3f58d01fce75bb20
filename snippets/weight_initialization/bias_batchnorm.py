"""A bias right before batch norm is cancelled; anywhere else it changes the output."""
# --8<-- [start:bias_bn]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
linear = nn.Linear(3, 4, dtype=torch.float64)
bn = nn.BatchNorm1d(4, dtype=torch.float64)  # training mode: uses the batch mean


def shift_in_output(model, shift=5.0):
    """Largest change in model(X) when every bias of `linear` grows by shift."""
    before = model(X)
    with torch.no_grad():
        linear.bias += shift
    after = model(X)
    with torch.no_grad():
        linear.bias -= shift  # put it back
    return (after - before).abs().max().item()


relu = nn.ReLU()
models = {
    "Linear -> BatchNorm": nn.Sequential(linear, bn),
    "Linear -> ReLU -> BatchNorm": nn.Sequential(linear, relu, bn),
    "Linear -> BatchNorm -> ReLU": nn.Sequential(linear, bn, relu),
}
for label, model in models.items():
    print(f"{label:28s} largest change {shift_in_output(model):.6f}")
#> Linear -> BatchNorm          largest change 0.000000
#> Linear -> ReLU -> BatchNorm  largest change 1.422147
#> Linear -> BatchNorm -> ReLU  largest change 0.000000
# --8<-- [end:bias_bn]

# --8<-- [start:grad]
# The cancelled bias also gets no gradient, whatever the loss:
loss = (nn.Sequential(linear, bn)(X) ** 3).sum()
loss.backward()
print(f"largest |dL/db| before batch norm: {linear.bias.grad.abs().max():.6f}")
#> largest |dL/db| before batch norm: 0.000000
# --8<-- [end:grad]
