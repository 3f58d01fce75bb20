"""Huber's delta is in the units of the target: change the units, change the loss."""
# --8<-- [start:units]
import torch
import torch.nn.functional as F

e_m = torch.tensor([0.1, -0.4, 0.9, 3.0], dtype=torch.float64)  # errors, in metres
zero = torch.zeros_like(e_m)
for units, scale in [("m", 1.0), ("cm", 100.0)]:
    e = scale * e_m  # the same errors in other units
    print(f"in {units}: delta = 1 keeps {(e.abs() <= 1).sum()} of 4 errors quadratic,",
          f"delta = {scale:g} keeps {(e.abs() <= scale).sum()}")
#> in m: delta = 1 keeps 3 of 4 errors quadratic, delta = 1 keeps 3
#> in cm: delta = 1 keeps 0 of 4 errors quadratic, delta = 100 keeps 3
huber_m = F.huber_loss(e_m, zero, delta=1.0)
huber_cm = F.huber_loss(100 * e_m, zero, delta=100.0)  # delta scaled with the errors
print(f"scaled delta: the loss is {huber_cm / huber_m:.0f} times larger, the same shape")
#> scaled delta: the loss is 10000 times larger, the same shape
# --8<-- [end:units]

# --8<-- [start:noise]
noise_std = 0.3  # metres: how far good predictions typically miss
delta = 1.345 * noise_std  # Huber's choice for Gaussian noise
print(f"delta = 1.345 * {noise_std} m = {delta:.4f} m = {100 * delta:.2f} cm")
#> delta = 1.345 * 0.3 m = 0.4035 m = 40.35 cm
# --8<-- [end:noise]
