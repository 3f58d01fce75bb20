"""Exercise 4: the steps that halve a weight the loss does not touch."""
import math

import torch

lr, weight_decay = 0.01, 0.1
formula = math.log(2) / -math.log(1 - lr * weight_decay)
print(f"AdamW by the formula: {formula:.1f} steps")
#> AdamW by the formula: 692.8 steps
for optimizer_class in (torch.optim.AdamW, torch.optim.Adam):
    for decay in (weight_decay, 2 * weight_decay):
        w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        optimizer = optimizer_class([w], lr=lr, weight_decay=decay)
        steps = 0
        while w.item() > 0.5:
            w.grad = torch.zeros_like(w)  # no loss: the gradient is 0
            optimizer.step()
            steps += 1
        name = optimizer_class.__name__
        print(f"{name:5s} weight_decay {decay:g}: {steps} steps")
#> AdamW weight_decay 0.1: 693 steps
#> AdamW weight_decay 0.2: 347 steps
#> Adam  weight_decay 0.1: 55 steps
#> Adam  weight_decay 0.2: 55 steps
