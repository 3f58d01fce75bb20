"""Warm-up + cosine decay, and ReduceLROnPlateau, recorded from a real optimizer."""
import matplotlib.pyplot as plt

# --8<-- [start:warmup]
import torch
from torch.optim.lr_scheduler import (CosineAnnealingLR, LinearLR,
                                      ReduceLROnPlateau, SequentialLR)

num_steps, lr, warmup = 100, 0.1, 10
w = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=lr)
scheduler = SequentialLR(optimizer, milestones=[warmup], schedulers=[
    LinearLR(optimizer, start_factor=0.1, total_iters=warmup),  # 0.1 lr to lr
    CosineAnnealingLR(optimizer, T_max=num_steps - warmup),  # then down to 0
])
warmup_cosine = []
for _ in range(num_steps):
    warmup_cosine.append(scheduler.get_last_lr()[0])
    optimizer.step()  # (a real loop computes a loss and its gradient first)
    scheduler.step()
# --8<-- [end:warmup]

# --8<-- [start:plateau]
num_epochs = 60
losses = [0.3 + 0.7 * 0.8**t for t in range(20)] + [0.31] * 40  # made up
optimizer = torch.optim.SGD([w], lr=lr)
scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=10)
plateau = []
for loss in losses:
    plateau.append(scheduler.get_last_lr()[0])
    optimizer.step()
    scheduler.step(loss)  # the epoch's loss (in practice, the validation loss)
cuts = [t for t in range(1, num_epochs) if plateau[t] < plateau[t - 1]]
print("cut at epochs", cuts)
#> cut at epochs [32, 43, 54]
# --8<-- [end:plateau]

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(10, 4))
ax_a.plot(range(num_steps), warmup_cosine, label="get_last_lr()")
ax_a.set(title="LinearLR then CosineAnnealingLR (SequentialLR)", xlabel="batch",
         ylabel="learning rate", ylim=(0, 0.125))
ax_b.plot(range(num_epochs), plateau, label="get_last_lr()")
ax_b.set(title="ReduceLROnPlateau(factor=0.5, patience=10)", xlabel="epoch",
         ylabel="learning rate", ylim=(0, 0.125))
ax_loss = ax_b.twinx()
ax_loss.plot(range(num_epochs), losses, color="gray", linestyle="--", label="loss (made up)")
ax_loss.set(ylabel="loss", ylim=(0, 1.05))
for ax in (ax_a, ax_b):
    ax.title.set_fontsize(10)
ax_a.legend(loc="upper right")
ax_b.legend(handles=ax_b.lines + ax_loss.lines, loc="upper right")
fig.suptitle("Warm-up + cosine decay, and cuts on a plateau, as torch.optim.lr_scheduler sets them")
fig.tight_layout()
plt.show()
