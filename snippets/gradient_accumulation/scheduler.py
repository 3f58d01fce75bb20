"""Step the scheduler once per optimizer step, not once per micro-batch."""
# --8<-- [start:scheduler]
import torch
from torch import nn
from torch.optim.lr_scheduler import LinearLR

torch.manual_seed(0)
accum_steps, num_steps = 4, 8  # 8 optimizer steps of 4 micro-batches each
X = torch.randn(num_steps * accum_steps * 2, 3)
y = torch.randn(num_steps * accum_steps * 2, 1)
loss_fn = nn.MSELoss()


def train(scheduler_step_per_micro_batch):
    """The learning rate of every optimizer step; the schedule goes 0.1 -> 0."""
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = LinearLR(optimizer, start_factor=1.0, end_factor=0.0,
                         total_iters=num_steps)
    lrs = []
    for X_batch, y_batch in zip(X.tensor_split(num_steps), y.tensor_split(num_steps)):
        optimizer.zero_grad()
        for X_m, y_m in zip(X_batch.tensor_split(accum_steps), y_batch.tensor_split(accum_steps)):
            (loss_fn(model(X_m), y_m) / accum_steps).backward()
            if scheduler_step_per_micro_batch:
                scheduler.step()  # BUG: accum_steps scheduler steps per optimizer step
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if not scheduler_step_per_micro_batch:
            scheduler.step()  # right: once per optimizer step
    return lrs


print("per optimizer step:", [round(lr, 3) for lr in train(False)])
#> per optimizer step: [0.1, 0.088, 0.075, 0.063, 0.05, 0.038, 0.025, 0.013]
print("per micro-batch:   ", [round(lr, 3) for lr in train(True)])
#> per micro-batch:    [0.05, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
# --8<-- [end:scheduler]
