"""Without zero_grad, .grad keeps the gradients of every earlier step too."""
# --8<-- [start:forgot]
import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
W1 = model[0].weight

for step in range(4):
    # BUG: optimizer.zero_grad() is missing here
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
    # the gradient this step should use: the full batch's, at the current W1
    (g,) = torch.autograd.grad(loss_fn(model(X), y), W1)
    print(f"step {step}: |W1.grad| = {W1.grad.norm():.4f}, "
          f"|full-batch gradient| = {g.norm():.4f}")
    optimizer.step()
#> step 0: |W1.grad| = 0.2680, |full-batch gradient| = 0.2680
#> step 1: |W1.grad| = 0.6538, |full-batch gradient| = 0.5626
#> step 2: |W1.grad| = 0.8059, |full-batch gradient| = 0.3560
#> step 3: |W1.grad| = 1.1702, |full-batch gradient| = 0.4804
# --8<-- [end:forgot]
