"""The same quadratic, minimized by torch.optim.SGD: lr = 3 with c = 0.5 converges."""
# --8<-- [start:sgd]
import torch

c, lr = 0.5, 3.0  # lr is larger than 1, and still below 2/c = 4
w = torch.tensor(1.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=lr)

for step in range(1, 7):
    optimizer.zero_grad()
    loss = c * w**2 / 2
    loss.backward()  # w.grad = c * w
    optimizer.step()  # w <- w - lr * w.grad
    print(f"step {step}   w = {w.item():+.6f}")
#> step 1   w = -0.500000
#> step 2   w = +0.250000
#> step 3   w = -0.125000
#> step 4   w = +0.062500
#> step 5   w = -0.031250
#> step 6   w = +0.015625
# --8<-- [end:sgd]
