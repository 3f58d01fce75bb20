"""Backpropagation: the from-scratch gradients of docs/backpropagation.md against autograd."""

import inspect
import math
import re
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from support import DOCS, load_snippet, number_word

# (N, d, h): rows, inputs, hidden units. N = 1 and h = 1 catch a wrong sum or transpose.
SHAPES = [(1, 1, 1), (4, 2, 3), (16, 3, 8), (64, 5, 2), (7, 10, 16)]
SEEDS = [0, 1, 2]
TIMES = {1: "once", 2: "twice"}


def page_source():
    return (DOCS / "backpropagation.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bp():
    return load_snippet("backpropagation/backprop.py", run_main=False)


def random_problem(seed, N, d, h):
    rng = np.random.default_rng(seed)
    return {
        "X": rng.normal(size=(N, d)),
        "y": rng.normal(size=(N, 1)),
        "W1": rng.normal(size=(h, d)),
        "b1": rng.normal(size=h),
        "W2": rng.normal(size=(1, h)),
        "b2": rng.normal(size=1),
    }


def autograd_gradients(p):
    """The same network in torch (float64), differentiated by autograd."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k not in ("X", "y")) for k, v in p.items()}
    A1 = torch.sigmoid(t["X"] @ t["W1"].T + t["b1"])
    y_hat = A1 @ t["W2"].T + t["b2"]
    loss = nn.functional.mse_loss(y_hat, t["y"])
    loss.backward()
    return loss.item(), y_hat.detach().numpy(), {k: t[k].grad.numpy() for k in ("W1", "b1", "W2", "b2")}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "N{}-d{}-h{}".format(*s))
def test_backprop_equals_autograd(bp, seed, shape):
    p = random_problem(seed, *shape)
    loss, y_hat_torch, expected = autograd_gradients(p)
    y_hat, _ = bp["forward"](p["X"], p["W1"], p["b1"], p["W2"], p["b2"])
    np.testing.assert_allclose(y_hat, y_hat_torch, rtol=0, atol=1e-12)
    assert bp["mse"](y_hat, p["y"]) == pytest.approx(loss, rel=1e-12)

    grads = bp["backprop"](**p)
    assert set(grads) == {"W1", "b1", "W2", "b2"}
    for name, g in grads.items():
        assert g.shape == p[name].shape, name
        np.testing.assert_allclose(g, expected[name], rtol=0, atol=1e-6)  # the promise
        np.testing.assert_allclose(g, expected[name], rtol=0, atol=1e-12)  # what we get


def test_the_page_counts_the_shapes_and_seeds_and_states_the_agreement(bp, claim):
    """What the page says about the test above: its shapes, its seeds, and how close they come."""
    assert any(N == 1 for N, _, _ in SHAPES) and any(h == 1 for _, _, h in SHAPES)
    claim("backpropagation", "shapes", number_word(len(SHAPES)))
    claim("backpropagation", "seeds", number_word(len(SEEDS)))
    worst = 0.0
    for shape in SHAPES:
        for seed in SEEDS:
            p = random_problem(seed, *shape)
            _, _, expected = autograd_gradients(p)
            grads = bp["backprop"](**p)
            worst = max(worst, *(np.abs(grads[k] - expected[k]).max() for k in grads))
    assert worst < 1e-12
    claim("backpropagation", "agree", r"\(10^{-12}\)")
    claim("backpropagation", "summary-agree", r"\(10^{-12}\)")


def test_the_derivation_has_a_step_for_each_line_of_the_forward_pass_and_of_backprop(bp, claim):
    page = page_source()
    forward = re.search(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", page.split("## Forward propagation")[1], re.S)[1]
    claim("backpropagation", "forward-lines", number_word(len(forward.strip().split(r"\\"))))
    derivation = page.split("## The derivation")[1].split("## ")[0]
    steps = re.findall(r"^\*\*\{\{ n\(\"(\d+)\"\) \}\}\. ", derivation, re.M)
    assert steps == [str(k) for k in range(1, len(steps) + 1)]
    code_lines = re.findall(r"^\s+dL_\w+ = ", inspect.getsource(bp["backprop"]), re.M)
    assert len(code_lines) == len(steps)  # one line of code per equation
    claim("backpropagation", "derivation-lines", number_word(len(steps)))


def test_the_mse_gradient_carries_a_factor_2(claim):
    y_hat = torch.randn(6, 1, dtype=torch.float64, generator=torch.Generator().manual_seed(0), requires_grad=True)
    y = torch.zeros(6, 1, dtype=torch.float64)
    (grad,) = torch.autograd.grad(nn.functional.mse_loss(y_hat, y), y_hat)
    factor = grad * len(y) / (y_hat - y)  # dL/dy_hat = factor / N * (y_hat - y)
    torch.testing.assert_close(factor, torch.full_like(factor, factor[0, 0].item()), rtol=1e-12, atol=0)
    claim("backpropagation", "factor-2", factor[0, 0].item())


def test_weight_layout_is_nn_linear(bp):
    """W1 and W2 are laid out like nn.Linear's weights, so they can be copied into one."""
    p = random_problem(3, 8, 3, 5)
    model = nn.Sequential(nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 1)).double()
    with torch.no_grad():
        for layer, (W, b) in zip((model[0], model[2]), (("W1", "b1"), ("W2", "b2"))):
            layer.weight.copy_(torch.from_numpy(p[W]))
            layer.bias.copy_(torch.from_numpy(p[b]))
    loss = nn.functional.mse_loss(model(torch.from_numpy(p["X"])), torch.from_numpy(p["y"]))
    loss.backward()
    grads = bp["backprop"](**p)
    for layer, (W, b) in zip((model[0], model[2]), (("W1", "b1"), ("W2", "b2"))):
        np.testing.assert_allclose(grads[W], layer.weight.grad.numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(grads[b], layer.bias.grad.numpy(), rtol=0, atol=1e-12)


def test_backprop_equals_central_differences(bp):
    p = random_problem(4, 6, 3, 4)
    grads = bp["backprop"](**p)

    def loss():
        y_hat, _ = bp["forward"](p["X"], p["W1"], p["b1"], p["W2"], p["b2"])
        return bp["mse"](y_hat, p["y"])

    eps = 1e-6
    for name in ("W1", "b1", "W2", "b2"):
        numeric = np.zeros_like(p[name])
        for i in np.ndindex(p[name].shape):
            old = p[name][i]
            p[name][i] = old + eps
            up = loss()
            p[name][i] = old - eps
            down = loss()
            p[name][i] = old
            numeric[i] = (up - down) / (2 * eps)
        rel = np.abs(numeric - grads[name]).max() / np.abs(grads[name]).max()
        assert rel < 1e-7, name


@pytest.mark.parametrize("seed", SEEDS)
def test_loss_decreases_against_the_gradient_and_increases_along_it(bp, seed):
    p = random_problem(seed, 32, 2, 6)
    data = {"X": p.pop("X"), "y": p.pop("y")}

    def loss(params):
        return bp["mse"](bp["forward"](data["X"], **params)[0], data["y"])

    lr = 0.05
    grads = bp["backprop"](**data, **p)
    uphill = {k: v + lr * grads[k] for k, v in p.items()}
    assert loss(uphill) > loss(p)
    losses = [loss(p)]
    for _ in range(50):
        grads = bp["backprop"](**data, **p)
        p = {k: v - lr * grads[k] for k, v in p.items()}
        losses.append(loss(p))
    assert all(after < before for before, after in zip(losses, losses[1:]))
    assert losses[-1] < 0.9 * losses[0]


def test_demo_trains(bp):
    """The page's demo: its loss falls at every printed step and ends far below the start."""
    ns = load_snippet("backpropagation/backprop.py")
    X, y, params = ns["X"], ns["y"], ns["params"]
    final = ns["mse"](ns["forward"](X, **params)[0], y)
    assert final < 1e-3
    assert y.shape == (X.shape[0], 1)


def test_y_of_shape_n_is_refused_because_it_would_broadcast(bp):
    p = random_problem(0, 5, 2, 3)
    y_flat = p["y"].ravel()
    y_hat, _ = bp["forward"](p["X"], p["W1"], p["b1"], p["W2"], p["b2"])
    assert (y_hat - y_flat).shape == (5, 5)  # the silent (N, N) matrix
    assert bp["mse"](y_hat, y_flat) != pytest.approx(bp["mse"](y_hat, p["y"]))
    with pytest.raises(ValueError, match=r"\(N, 1\)"):
        bp["backprop"](p["X"], y_flat, p["W1"], p["b1"], p["W2"], p["b2"])


def test_torch_tensors_broadcast_silently_and_mse_loss_warns_then_broadcasts():
    y_hat, y = torch.randn(5, 1, dtype=torch.float64), torch.randn(5, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # raw tensors: no warning at all
        assert (y_hat - y).shape == (5, 5)
    for loss in (nn.functional.mse_loss, nn.MSELoss()):
        with pytest.warns(UserWarning, match="that is different to the input size"):
            wrong = loss(y_hat, y)
        assert wrong.item() == pytest.approx(((y_hat - y) ** 2).mean().item(), rel=1e-12)  # the (N, N) mean
        assert wrong.item() != pytest.approx(loss(y_hat, y[:, None]).item(), rel=1e-3)
    page = " ".join((DOCS / "backpropagation.md").read_text(encoding="utf-8").split())
    assert '("Using a target size ... that is different to the input size")' in page


def test_sigmoid_derivative_taken_at_a1_instead_of_z1_is_wrong(bp, claim):
    """The pitfall: sigma'(A1) in place of A1 (1 - A1) gives gradients autograd rejects."""
    p = random_problem(0, 8, 3, 4)
    _, _, expected = autograd_gradients(p)
    y_hat, A1 = bp["forward"](p["X"], p["W1"], p["b1"], p["W2"], p["b2"])
    dL_dA1 = 2 / len(p["X"]) * (y_hat - p["y"]) @ p["W2"]
    s = bp["sigmoid"](A1)
    Z1 = p["X"] @ p["W1"].T + p["b1"]
    applications = [k for k in (1, 2) if np.allclose(s, nested(bp["sigmoid"], Z1, k), rtol=0, atol=1e-15)]
    assert len(applications) == 1
    claim("backpropagation", "sigmoid-twice", TIMES[applications[0]])
    wrong_dL_dW1 = (dL_dA1 * s * (1 - s)).T @ p["X"]
    right_dL_dW1 = (dL_dA1 * A1 * (1 - A1)).T @ p["X"]
    np.testing.assert_allclose(right_dL_dW1, expected["W1"], rtol=0, atol=1e-12)
    assert np.abs(wrong_dL_dW1 - expected["W1"]).max() > 1e-3


def nested(f, x, times):
    for _ in range(times):
        x = f(x)
    return x


def test_chain_rule_example_equals_autograd():
    ns = load_snippet("backpropagation/chain_rule.py")
    x, w, b = (torch.tensor(ns[k], dtype=torch.float64, requires_grad=True) for k in ("x", "w", "b"))
    L = (torch.sigmoid(w * x + b) - ns["y"]) ** 2
    L.backward()
    assert ns["L"] == pytest.approx(L.item(), rel=1e-12)
    assert ns["dL_dw"] == pytest.approx(w.grad.item(), rel=1e-12)
    assert ns["dL_db"] == pytest.approx(b.grad.item(), rel=1e-12)
    assert ns["dL_dx"] == pytest.approx(x.grad.item(), rel=1e-12)


def test_bias_gradients_divided_by_n_twice_still_train_but_are_wrong(bp, claim):
    """The pitfall: averaging the bias gradients again only shrinks their step."""
    p = random_problem(1, 16, 2, 4)
    data = {"X": p.pop("X"), "y": p.pop("y")}
    _, _, expected = autograd_gradients({**data, **p})
    N = len(data["X"])
    residual = bp["forward"](data["X"], **p)[0] - data["y"]
    averaged = (2 / N * residual).mean(axis=0)  # the bug: dL/dy_hat, then a mean over the rows
    np.testing.assert_allclose(averaged, bp["backprop"](**data, **p)["b2"] / N, rtol=1e-12, atol=0)
    claim("backpropagation", "divide-twice", TIMES[round(math.log((2 * residual).sum() / averaged[0], N))])

    def loss(params):
        return bp["mse"](bp["forward"](data["X"], **params)[0], data["y"])

    losses = [loss(p)]
    for step in range(20):
        grads = bp["backprop"](**data, **p)
        grads["b1"], grads["b2"] = grads["b1"] / N, grads["b2"] / N  # the bug
        if step == 0:
            assert np.abs(grads["b1"] - expected["b1"]).max() > 1e-3
        p = {k: v - 0.05 * grads[k] for k, v in p.items()}
        losses.append(loss(p))
    assert all(after < before for before, after in zip(losses, losses[1:]))


def test_identical_hidden_units_get_identical_gradients(bp):
    """The symmetry argument of the weight initialization page, with this backprop."""
    p = random_problem(2, 10, 3, 4)
    p["W1"][:] = p["W1"][0]
    p["b1"][:] = p["b1"][0]
    p["W2"][:] = p["W2"][0, 0]
    grads = bp["backprop"](**p)
    np.testing.assert_allclose(grads["W1"], np.tile(grads["W1"][0], (4, 1)), rtol=1e-12, atol=0)
    np.testing.assert_allclose(grads["b1"], np.full(4, grads["b1"][0]), rtol=1e-12, atol=0)
    np.testing.assert_allclose(grads["W2"], np.full((1, 4), grads["W2"][0, 0]), rtol=1e-12, atol=0)
