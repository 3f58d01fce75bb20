"""The same network in PyTorch: autograd gives the gradients, one SGD step the new weights."""
# --8<-- [start:model]
import torch
from torch import nn

# The sheet's row 20 weights, sample and learning rate, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0
lr = 2.0

# float64 throughout: torch.tensor() would make float32 by default and
# round the sheet's weights to about 7 digits.
f64 = torch.float64
model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1), nn.Tanh())
model.to(f64)
with torch.no_grad():  # the sheet's weights, laid out as nn.Linear keeps them
    model[0].weight.copy_(torch.tensor([[w1, w2], [w3, w4]], dtype=f64))
    model[0].bias.copy_(torch.tensor([b1, b2], dtype=f64))
    model[2].weight.copy_(torch.tensor([[w5, w6]], dtype=f64))
    model[2].bias.copy_(torch.tensor([b3], dtype=f64))
# --8<-- [end:model]

# --8<-- [start:all_rows]
X = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=f64)
with torch.no_grad():
    y_hat_rows = model(X).flatten()
print("y_hat on the XOR rows:", [round(v, 4) for v in y_hat_rows.tolist()])
#> y_hat on the XOR rows: [-0.9998, -0.9997, -0.9997, -0.9974]
# --8<-- [end:all_rows]

# --8<-- [start:step]
def flat(tensors):
    """Every number in a sequence of tensors, in order, as Python floats."""
    return torch.cat([t.detach().flatten() for t in tensors]).tolist()


x = torch.tensor([x1, x2], dtype=f64)
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
optimizer.zero_grad()
loss = 0.5 * (model(x) - y).pow(2).sum()
loss.backward()
# model.parameters(): layer 1's weights, its biases, then layer 2's
names = ["w1", "w2", "w3", "w4", "b1", "b2", "w5", "w6", "b3"]
grads = dict(zip(names, flat(p.grad for p in model.parameters())))
optimizer.step()
new_params = dict(zip(names, flat(model.parameters())))
for name in ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]:
    grad = grads[name] + 0.0  # turns -0.0 into 0.0
    print(f"{name}: gradient {grad:+.4g}, new value {new_params[name]:+.6f}")
#> w1: gradient -0.0001296, new value +0.870352
#> w2: gradient +0, new value +1.641249
#> b1: gradient -0.0001296, new value -3.004592
#> w3: gradient -0.0008611, new value +0.705158
#> w4: gradient +0, new value +0.100222
#> b2: gradient -0.0008611, new value -1.598704
#> w5: gradient +0.001221, new value +1.894355
#> w6: gradient +0.0008974, new value +1.400786
#> b3: gradient -0.001255, new value -1.530059
# --8<-- [end:step]
