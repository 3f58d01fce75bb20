"""Five learning-rate schedulers, each curve recorded from a real optimizer."""
import matplotlib.pyplot as plt

# --8<-- [start:schedulers]
import torch
from torch.optim.lr_scheduler import (CyclicLR, ExponentialLR, MultiStepLR,
                                      OneCycleLR, StepLR)

num_steps, lr = 100, 0.1
schedulers = {  # title -> how to build the scheduler around an optimizer
    "StepLR(step_size=30, gamma=0.5)":
        lambda opt: StepLR(opt, step_size=30, gamma=0.5),
    "MultiStepLR(milestones=[30, 80], gamma=0.1)":
        lambda opt: MultiStepLR(opt, milestones=[30, 80], gamma=0.1),
    "ExponentialLR(gamma=0.96)":
        lambda opt: ExponentialLR(opt, gamma=0.96),
    "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=25)":
        lambda opt: CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=25),
    "OneCycleLR(max_lr=0.1, total_steps=100)":
        lambda opt: OneCycleLR(opt, max_lr=0.1, total_steps=num_steps),
}
# --8<-- [end:schedulers]


# --8<-- [start:record]
def record(make_scheduler):
    """The learning rate of every step, as the scheduler reports it."""
    w = torch.zeros(1, requires_grad=True)
    # the usual momentum for SGD; it does not change these curves, and CyclicLR and
    # OneCycleLR overwrite it (see the pitfall on momentum)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(num_steps):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this step uses
        optimizer.step()  # (a real loop computes a loss and its gradient first)
        scheduler.step()
    return lrs
# --8<-- [end:record]


fig, axes = plt.subplot_mosaic("AB;CD;EE", figsize=(10, 10))
for ax, (title, make_scheduler) in zip(axes.values(), schedulers.items()):
    ax.plot(range(num_steps), record(make_scheduler), label="get_last_lr()")
    per_batch = title.startswith(("CyclicLR", "OneCycleLR"))
    ax.set(title=title, xlabel="batch" if per_batch else "epoch", ylabel="learning rate",
           ylim=(0, 0.125))
    ax.title.set_fontsize(10)
    ax.legend(loc="upper right")
fig.suptitle("The learning rate of every step, as torch.optim.lr_scheduler sets it")
fig.tight_layout()
plt.show()
