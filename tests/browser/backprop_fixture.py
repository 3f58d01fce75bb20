"""The NumPy side of the backpropagation stepper's check: every node's value and gradient.

For the values on docs/backpropagation.md's stepper (its data attributes) and for
RANDOM_SETTINGS random inputs, targets and weights, this runs the page's NumPy
`forward` and `backprop` (snippets/backpropagation/backprop.py) on one sample and
writes every value and gradient as JSON; the intermediate gradients are the page's
derivation steps 1, 4 and 5, and dL/dX its exercise 2. The Node runner
tests/browser/backprop_stepper.mjs computes the same with the stepper's graph.js.
Written at test time, so the fixture never goes stale:

    python tests/browser/backprop_fixture.py FIXTURE.json
"""

import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "backpropagation.md"
RANDOM_SETTINGS = 20
SEED = 0


def page_params():
    """The stepper's starting values, from its data attributes on the page."""
    (div,) = re.findall(r'<div class="bp-stepper"([^>]*)>', PAGE.read_text(encoding="utf-8"))
    data = dict(re.findall(r'data-([\w-]+)="([^"]*)"', div))
    numbers = lambda text: [float(v) for v in text.split()]  # noqa: E731
    return {
        "x": numbers(data["x"]),
        "y": float(data["y"]),
        "W1": [numbers(row) for row in data["w1"].split(";")],
        "b1": numbers(data["b1"]),
        "W2": [numbers(data["w2"])],
        "b2": numbers(data["b2"]),
    }


def random_params(rng, d=2, h=2):
    return {
        "x": rng.normal(size=d).tolist(),
        "y": float(rng.normal()),
        "W1": rng.normal(size=(h, d)).tolist(),
        "b1": rng.normal(size=h).tolist(),
        "W2": rng.normal(size=(1, h)).tolist(),
        "b2": rng.normal(size=1).tolist(),
    }


def load_backprop():
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from support import load_snippet
    finally:
        sys.path.pop(0)
    return load_snippet("backpropagation/backprop.py", run_main=False)


def nodes(bp, params):
    """Every node's value and gradient for one sample, by the page's NumPy code."""
    X = np.array([params["x"]])  # one row: N = 1
    y = np.array([[params["y"]]])
    W1, b1 = np.array(params["W1"]), np.array(params["b1"])
    W2, b2 = np.array(params["W2"]), np.array(params["b2"])
    N = X.shape[0]
    y_hat, A1 = bp["forward"](X, W1, b1, W2, b2)
    Z1 = X @ W1.T + b1  # forward's first line
    grads = bp["backprop"](X, y, W1, b1, W2, b2)
    dL_dy_hat = 2 / N * (y_hat - y)  # step 1
    dL_dA1 = dL_dy_hat @ W2  # step 4
    dL_dZ1 = dL_dA1 * A1 * (1 - A1)  # step 5
    dL_dX = dL_dZ1 @ W1  # exercise 2
    return {
        "values": {"z": Z1[0].tolist(), "a": A1[0].tolist(), "y_hat": y_hat.item(),
                   "L": bp["mse"](y_hat, y).item()},
        "grads": {"y_hat": dL_dy_hat.item(), "a": dL_dA1[0].tolist(), "z": dL_dZ1[0].tolist(),
                  "x": dL_dX[0].tolist(), "sigma": (A1 * (1 - A1))[0].tolist(),
                  **{name: g.tolist() for name, g in grads.items()}},
    }


def fixture(bp=None):
    """The page's setting first, then the random ones."""
    bp = bp or load_backprop()
    rng = np.random.default_rng(SEED)
    settings = [page_params()] + [random_params(rng) for _ in range(RANDOM_SETTINGS)]
    return {"cases": [{"params": p, **nodes(bp, p)} for p in settings]}


def write_fixture(path, bp=None):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture(bp), f)  # floats as repr: they round-trip exactly


if __name__ == "__main__":
    write_fixture(sys.argv[1])
