"""Exercise 4: scheduler.step() first: the same logged curve, other rates used."""
import warnings

import torch
from torch.optim.lr_scheduler import OneCycleLR, StepLR


def record(make_scheduler, scheduler_first, num_steps=100):
    """What get_last_lr() logs, what optimizer.step() uses, and the warnings."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    logged, used = [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(num_steps):
            logged.append(scheduler.get_last_lr()[0])
            if scheduler_first:
                scheduler.step()
            used.append(optimizer.param_groups[0]["lr"])  # the step uses it
            optimizer.step()
            if not scheduler_first:
                scheduler.step()
    return logged, used, [str(w.message).split(". ")[0] for w in caught]


schedulers = {"StepLR": lambda opt: StepLR(opt, step_size=30, gamma=0.5),
              "OneCycleLR": lambda opt: OneCycleLR(opt, max_lr=0.1, total_steps=100)}
for name, make in schedulers.items():
    logged_a, used_a, _ = record(make, scheduler_first=False)
    logged_b, used_b, caught = record(make, scheduler_first=True)
    print(f"{name}: logged curves equal: {logged_a == logged_b}")
    for order, used in [("right", used_a), ("wrong", used_b)]:
        drop = next(t for t in range(1, 100) if used[t] < used[t - 1])
        print(f"  used, {order} order: {[round(r, 4) for r in used[:3]]} ... "
              f"first drop at step {drop}")
#> StepLR: logged curves equal: True
#>   used, right order: [0.1, 0.1, 0.1] ... first drop at step 30
#>   used, wrong order: [0.1, 0.1, 0.1] ... first drop at step 29
#> OneCycleLR: logged curves equal: True
#>   used, right order: [0.004, 0.0043, 0.0051] ... first drop at step 30
#>   used, wrong order: [0.0043, 0.0051, 0.0065] ... first drop at step 29
print("PyTorch warns:", caught[0])
#> PyTorch warns: Detected call of `lr_scheduler.step()` before `optimizer.step()`
