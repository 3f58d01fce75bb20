"""Exercise 2: the smallest float32 logit whose sigmoid rounds to exactly 1."""
import math

import torch

low, high = torch.tensor(10.0), torch.tensor(20.0)  # sigmoid(low) < 1, sigmoid(high) == 1
while torch.nextafter(low, high) < high:  # until no float32 lies between them
    mid = (low + high) / 2
    if torch.sigmoid(mid) == 1.0:
        high = mid
    else:
        low = mid
print(f"sigmoid({high.item():.7f}) = {torch.sigmoid(high).item()}")
#> sigmoid(16.6355324) = 1.0
print(f"sigmoid({low.item():.7f}) = {torch.sigmoid(low).item():.9f}")
#> sigmoid(16.6355305) = 0.999999881
print(f"24 ln 2 = {24 * math.log(2):.7f}")  # where e^-z drops below half the gap above 1
#> 24 ln 2 = 16.6355323
