"""The course's original XOR network: 2-2-1, tanh after both layers, 9 parameters."""
# --8<-- [start:data]
import random

import torch
from torch import nn

random.seed(0)
torch.manual_seed(0)

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
# --8<-- [end:data]


# --8<-- [start:model]
class XOR(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin1 = nn.Linear(2, 2)
        self.lin2 = nn.Linear(2, 1)

    def forward(self, x):
        x = torch.tanh(self.lin1(x))
        return torch.tanh(self.lin2(x))  # the activation the exercise removes


model = XOR()
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, 1.0)  # weights from N(0, 1); biases keep torch's default
print(sum(p.numel() for p in model.parameters()), "parameters")
#> 9 parameters
# --8<-- [end:model]

# --8<-- [start:train]
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
num_epochs = 2001
solved_epochs = 0  # epochs after which all four predictions round to XOR

for epoch in range(num_epochs):
    for _ in range(len(X)):  # one "epoch" is four steps on randomly drawn samples
        i = random.randrange(len(X))
        optimizer.zero_grad()
        loss = loss_fn(model(X[i]), y[i])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        solved_epochs += torch.equal(model(X).round(), y)
    if epoch % 500 == 0:
        print(f"epoch {epoch:4d}  loss on the last sample {loss.item():.4f}")
#> epoch    0  loss on the last sample 1.2035
#> epoch  500  loss on the last sample 0.0020
#> epoch 1000  loss on the last sample 0.9996
#> epoch 1500  loss on the last sample 0.9997
#> epoch 2000  loss on the last sample 0.0005
print(f"epochs whose four predictions round to XOR: {solved_epochs} of {num_epochs}")
#> epochs whose four predictions round to XOR: 0 of 2001
# --8<-- [end:train]

# --8<-- [start:evaluate]
with torch.no_grad():
    z = model.lin2(torch.tanh(model.lin1(X)))  # the output unit's pre-activation
    y_hat = torch.tanh(z)
print("whole-data L1 loss:", round(loss_fn(y_hat, y).item(), 4))
#> whole-data L1 loss: 0.2605
print("predictions:    ", [round(v, 3) for v in y_hat.flatten().tolist()])
#> predictions:     [-0.041, 0.999, 0.999, 1.0]
print("pre-activations:", [round(v, 2) for v in z.flatten().tolist()])
#> pre-activations: [-0.04, 4.1, 4.11, 4.51]
print("rounded:", y_hat.round().flatten().int().tolist(), " targets:", y.flatten().int().tolist())
#> rounded: [0, 1, 1, 1]  targets: [0, 1, 1, 0]
# --8<-- [end:evaluate]
