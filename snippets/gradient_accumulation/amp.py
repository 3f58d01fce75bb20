"""Mixed precision: scale every backward, then unscale_, clip, step and update once per group."""
# --8<-- [start:setup]
import copy

import torch
from torch import nn

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3)  # float32: autocast runs the layers in bfloat16
y = torch.randn(N, 1)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1))
loss_fn = nn.MSELoss()
# --8<-- [end:setup]


# --8<-- [start:amp]
def amp_step(model, optimizer, scaler, unscale_every_micro_batch=False):
    """One optimizer step from accum_steps micro-batches, with a GradScaler."""
    optimizer.zero_grad()
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = loss_fn(model(X_m), y_m) / accum_steps
        scaler.scale(loss).backward()  # every backward: .grad adds S * gradient
        if unscale_every_micro_batch:
            scaler.unscale_(optimizer)  # the mistake
    scaler.unscale_(optimizer)  # once per group: back to the true gradient
    grads = [p.grad.clone() for p in model.parameters()]  # kept to compare below
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # true units
    scaler.step(optimizer)  # skips the step if a gradient is inf or nan
    scaler.update()  # adjusts the scale, once per optimizer step
    return grads
# --8<-- [end:amp]


if __name__ == "__main__":
    # --8<-- [start:compare]
    def run(enabled, **options):
        model_copy = copy.deepcopy(model)
        optimizer = torch.optim.SGD(model_copy.parameters(), lr=0.1)
        # disabled, the scaler does nothing: the plain loop
        scaler = torch.amp.GradScaler("cpu", enabled=enabled)
        return amp_step(model_copy, optimizer, scaler, **options), scaler

    plain, _ = run(enabled=False)
    scaled, scaler = run(enabled=True)
    print("scale:", scaler.get_scale())
    #> scale: 65536.0
    print("unscaled gradients equal the plain ones bit for bit:",
          all(torch.equal(p, q) for p, q in zip(plain, scaled)))
    #> unscaled gradients equal the plain ones bit for bit: True
    try:
        run(enabled=True, unscale_every_micro_batch=True)
    except RuntimeError as error:
        print("unscale_ per micro-batch raises RuntimeError:")
        print(error)
    #> unscale_ per micro-batch raises RuntimeError:
    #> unscale_() has already been called on this optimizer since the last update().
    # --8<-- [end:compare]
