"""DistributedDataParallel: no_sync() skips the all-reduce of all but the last micro-batch."""
# --8<-- [start:setup]
import contextlib
import copy
import tempfile

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook
from torch.nn.parallel import DistributedDataParallel as DDP

torch.manual_seed(0)
N, accum_steps = 12, 3
X = torch.randn(N, 3, dtype=torch.float64)
y = torch.randn(N, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(3, 8), nn.Sigmoid(), nn.Linear(8, 1)).double()
loss_fn = nn.MSELoss()
# --8<-- [end:setup]


# --8<-- [start:no_sync]
def accumulate(ddp_model):
    """One group of accum_steps micro-batches; only the last one all-reduces."""
    ddp_model.zero_grad()
    micro_batches = zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps))
    for m, (X_m, y_m) in enumerate(micro_batches):
        last = m == accum_steps - 1
        # forward AND backward inside no_sync(), except for the last micro-batch
        with contextlib.nullcontext() if last else ddp_model.no_sync():
            loss = loss_fn(ddp_model(X_m), y_m) / accum_steps
            loss.backward()
# --8<-- [end:no_sync]


# --8<-- [start:backward_only]
def accumulate_backward_only(ddp_model):
    """The mistake: no_sync() around backward() alone."""
    ddp_model.zero_grad()
    micro_batches = zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps))
    for m, (X_m, y_m) in enumerate(micro_batches):
        last = m == accum_steps - 1
        loss = loss_fn(ddp_model(X_m), y_m) / accum_steps  # DDP reads no_sync here
        with contextlib.nullcontext() if last else ddp_model.no_sync():
            loss.backward()
# --8<-- [end:backward_only]


if __name__ == "__main__":
    # --8<-- [start:run]
    with tempfile.TemporaryDirectory() as folder:  # one process, no network
        dist.init_process_group("gloo", init_method=f"file://{folder}/rendezvous",
                                rank=0, world_size=1)
        all_reduces = []

        def counting_hook(state, bucket):  # DDP's own all-reduce, counted
            all_reduces.append(bucket.index())
            return allreduce_hook(state, bucket)

        ddp_model = DDP(copy.deepcopy(model))
        ddp_model.register_comm_hook(None, counting_hook)
        for accumulate_fn in accumulate_backward_only, accumulate:  # right one last
            all_reduces.clear()
            accumulate_fn(ddp_model)
            print(f"{accumulate_fn.__name__}: {len(all_reduces)} all-reduce(s) "
                  f"for {accum_steps} micro-batches")
        dist.destroy_process_group()
    #> accumulate_backward_only: 3 all-reduce(s) for 3 micro-batches
    #> accumulate: 1 all-reduce(s) for 3 micro-batches

    model.zero_grad()  # the same micro-batches without DDP
    for X_m, y_m in zip(X.tensor_split(accum_steps), y.tensor_split(accum_steps)):
        (loss_fn(model(X_m), y_m) / accum_steps).backward()
    pairs = zip(model.parameters(), ddp_model.module.parameters())
    same = all(torch.allclose(p.grad, q.grad, rtol=0, atol=1e-12) for p, q in pairs)
    print("same gradients as without DDP:", same)
    #> same gradients as without DDP: True
    # --8<-- [end:run]
