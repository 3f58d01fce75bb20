"""Torch's side of the playground check: fixed weights and inputs, and what torch computes.

For every activation x loss the playground offers, on two shapes, this builds a
network with explicit random float64 weights, runs forward and backward with
autograd and one `torch.optim.SGD` step, and writes it all as JSON. The Node
runner tests/playground_nn.mjs computes the same things with the playground's
nn.js. Written at test time, so the fixture never goes stale:

    python tests/playground_fixture.py FIXTURE.json
"""

import json
import sys

import torch
import torch.nn.functional as F

# The playground's names (docs/assets/javascripts/playground/nn.js) -> torch.
ACTIVATIONS = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,  # negative_slope 0.01
    "elu": F.elu,  # alpha 1
    "silu": F.silu,
}
# Each takes the output z of the last layer (no activation there) and y.
LOSSES = {
    "mse": F.mse_loss,
    "l1": F.l1_loss,
    "huber": F.huber_loss,  # delta 1
    "bce": F.binary_cross_entropy_with_logits,  # z is a logit
}
PREDICTIONS = {"mse": lambda z: z, "l1": lambda z: z, "huber": lambda z: z, "bce": torch.sigmoid}
SHAPES = [[2, 5, 1], [2, 3, 4, 1]]
LR = 0.3
# Initial weights the Node runner draws for the variance checks: a layer with
# fan-in 256 and fan-out 512 (not square, so fan-in and fan-out cannot be mixed up).
INIT_SIZES = [256, 512]
INIT_SCHEMES = ["zero", "constant", "normal", "xavier", "kaiming", "default"]


def network(sizes, generator):
    """Explicit random float64 weights and biases, one (n_out, n_in) matrix per layer."""
    W = [torch.randn(n_out, n_in, generator=generator, dtype=torch.float64)
         for n_in, n_out in zip(sizes, sizes[1:])]
    b = [0.5 * torch.randn(n_out, generator=generator, dtype=torch.float64) for n_out in sizes[1:]]
    return W, b


def spread_outputs(W, b, X, activation):
    """Rescale the last layer so the outputs spread around the targets (mean 0.5, std 1.5):
    then Huber's errors fall on both sides of delta = 1 and L1's on both signs."""
    a = X
    for W_l, b_l in zip(W[:-1], b[:-1]):
        a = ACTIVATIONS[activation](F.linear(a, W_l, b_l))
    z = F.linear(a, W[-1])
    scale = 1.5 / z.std()
    return W[:-1] + [W[-1] * scale], b[:-1] + [torch.full_like(b[-1], 0.5) - scale * z.mean()]


def run(W, b, X, Y, activation, loss):
    """Forward, loss, autograd and one SGD step with torch; plain lists out."""
    params = [p.clone().requires_grad_() for p in W + b]
    Ws, bs = params[:len(W)], params[len(W):]
    a = X
    for l, (W_l, b_l) in enumerate(zip(Ws, bs)):
        z = F.linear(a, W_l, b_l)
        a = ACTIVATIONS[activation](z) if l < len(Ws) - 1 else z  # no activation after the last layer
    z_out = a.squeeze(1)
    value = LOSSES[loss](z_out, Y)
    value.backward()
    grads = [p.grad.clone() for p in params]
    torch.optim.SGD(params, lr=LR).step()
    return {
        "z_out": z_out.tolist(),
        "y_hat": PREDICTIONS[loss](z_out).tolist(),
        "loss": value.item(),
        "dW": [g.tolist() for g in grads[:len(W)]],
        "db": [g.tolist() for g in grads[len(W):]],
        "W_next": [p.tolist() for p in Ws],
        "b_next": [p.tolist() for p in bs],
    }


def fixture(seed=0):
    """Every shape x activation x loss, with torch's results under "torch"."""
    generator = torch.Generator().manual_seed(seed)
    cases = []
    for sizes in SHAPES:
        W, b = network(sizes, generator)
        X = torch.randn(8, 2, generator=generator, dtype=torch.float64)
        Y = torch.tensor([0.0, 1.0] * 4, dtype=torch.float64)
        for activation in ACTIVATIONS:
            W_case, b_case = spread_outputs(W, b, X, activation)
            for loss in LOSSES:
                cases.append({
                    "sizes": sizes, "activation": activation, "loss": loss, "lr": LR,
                    "W": [w.tolist() for w in W_case], "b": [v.tolist() for v in b_case],
                    "X": X.tolist(), "Y": Y.tolist(),
                    "torch": run(W_case, b_case, X, Y, activation, loss),
                })
    inits = [{"scheme": s, "sizes": INIT_SIZES, "seed": 1} for s in INIT_SCHEMES]
    return {"cases": cases, "inits": inits}


def write_fixture(path, seed=0):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture(seed), f)  # floats as repr: they round-trip exactly


if __name__ == "__main__":
    write_fixture(sys.argv[1])
