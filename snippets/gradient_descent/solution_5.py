"""Exercise 5: OneCycleLR, pct_start=0.5 and linear, beside the default."""
import torch
from torch.optim.lr_scheduler import OneCycleLR


def one_cycle(**options):
    """OneCycleLR's rate at each of 100 steps around SGD(lr=0.1)."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=100, **options)
    lrs = []
    for _ in range(100):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return lrs


halfway_linear = one_cycle(pct_start=0.5, anneal_strategy="linear")
for title, lrs in [("default", one_cycle()), ("half, linear", halfway_linear)]:
    peak = lrs.index(max(lrs))
    rise, fall = lrs[1] - lrs[0], lrs[peak + 1] - lrs[peak]
    print(f"{title}: peak at step {peak}, start {lrs[0]:.3g}, end {lrs[-1]:.1g}")
    print(f"    first rise {rise:.5f}, first fall {fall:+.5f}")
#> default: peak at step 29, start 0.004, end 4e-07
#>     first rise 0.00028, first fall -0.00005
#> half, linear: peak at step 49, start 0.004, end 4e-07
#>     first rise 0.00196, first fall -0.00200
# plt.plot(one_cycle()); plt.plot(halfway_linear) draws the two curves
