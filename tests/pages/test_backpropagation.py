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


# ---------------------------------------------------------------------------
# Any number of layers: the delta recursion (snippets/backpropagation/deep.py)
# ---------------------------------------------------------------------------

# (N, sizes): sizes = [d, n_1, ..., n_D] with a single output; widths 1 and 32, batches of 1 and more.
DEEP = [(4, [3, 1]), (1, [32, 1]), (8, [3, 8, 1]), (5, [1, 1, 1]), (16, [5, 32, 4, 1]),
        (1, [2, 16, 1, 16, 8, 1]), (12, [4, 32, 32, 7, 32, 3, 32, 16, 1])]


@pytest.fixture(scope="module")
def deep():
    return load_snippet("backpropagation/deep.py", run_main=False)


def deep_problem(seed, N, sizes):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1]))
        params[f"b{l}"] = rng.normal(size=sizes[l])
    return rng.normal(size=(N, sizes[0])), rng.normal(size=(N, 1)), params


def deep_autograd(X, y, params):
    """The same D-layer network in torch (float64), differentiated by autograd."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    D = len(params) // 2
    A = torch.tensor(X)
    for l in range(1, D + 1):
        Z = A @ t[f"W{l}"].T + t[f"b{l}"]
        A = Z if l == D else torch.sigmoid(Z)
    nn.functional.mse_loss(A, torch.tensor(y)).backward()
    return {k: v.grad.numpy() for k, v in t.items()}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", DEEP, ids=lambda c: f"N{c[0]}-" + "-".join(map(str, c[1])))
def test_deep_backprop_equals_autograd(deep, case, seed):
    X, y, params = deep_problem(seed, *case)
    grads, expected = deep["deep_backprop"](X, y, params), deep_autograd(X, y, params)
    assert set(grads) == set(params)
    for name, g in grads.items():
        assert g.shape == params[name].shape, name
        np.testing.assert_allclose(g, expected[name], rtol=0, atol=1e-12)


def test_the_page_states_the_depths_widths_and_agreement_of_the_deep_tests(claim):
    depths = sorted({len(sizes) - 1 for _, sizes in DEEP})
    claim("backpropagation", "deep-depths", "depths " + ", ".join(map(str, depths[:-1])) + f" and {depths[-1]}")
    widths = [n for _, sizes in DEEP for n in sizes[1:-1]]
    claim("backpropagation", "deep-widths", f"widths from {min(widths)} to {max(widths)}")
    claim("backpropagation", "deep-agree", r"\(10^{-12}\)")  # the tolerance of the test above


def test_deep_backprop_with_two_layers_is_the_one_hidden_layer_backprop(bp, deep):
    for seed, shape in zip(SEEDS, SHAPES):
        p = random_problem(seed, *shape)
        params = {k: p[k] for k in ("W1", "b1", "W2", "b2")}
        grads, two = deep["deep_backprop"](p["X"], p["y"], params), bp["backprop"](**p)
        for name in params:
            np.testing.assert_array_equal(grads[name], two[name])


def test_deep_backprop_equals_central_differences(deep):
    X, y, params = deep_problem(5, 6, [3, 4, 5, 2, 1])
    grads = deep["deep_backprop"](X, y, params)

    def loss():
        return np.mean((deep["deep_forward"](X, params)[-1] - y) ** 2)

    eps = 1e-6
    for name, P in params.items():
        numeric = np.zeros_like(P)
        for i in np.ndindex(P.shape):
            old = P[i]
            P[i] = old + eps
            up = loss()
            P[i] = old - eps
            down = loss()
            P[i] = old
            numeric[i] = (up - down) / (2 * eps)
        assert np.abs(numeric - grads[name]).max() < 1e-7 * max(1.0, np.abs(grads[name]).max()), name


def test_deep_demo_prints_every_gradient_from_the_output_down(claim):
    ns = load_snippet("backpropagation/deep.py")
    D = len(ns["sizes"]) - 1
    assert list(ns["grads"]) == [f"{k}{l}" for l in range(D, 0, -1) for k in ("W", "b")]
    claim("backpropagation", "deep-demo-hidden", number_word(D - 1))
    claim("backpropagation", "deep-gradients-per-layer", number_word(len(ns["grads"]) // D))
    expected = deep_autograd(ns["X"], ns["y"], ns["params"])
    for name, g in ns["grads"].items():
        np.testing.assert_allclose(g, expected[name], rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------
# Reverse mode (snippets/backpropagation/vjp.py)
# ---------------------------------------------------------------------------

FRACTIONS = {(2, 3): "Two thirds"}
FRACTION_WORDS = {0.5: "half"}


def test_a_vjp_is_the_row_vector_times_the_jacobian_and_the_jacobian_is_mostly_zeros(claim):
    ns = load_snippet("backpropagation/vjp.py")
    explicit = ns["explicit"]
    torch.testing.assert_close(ns["reverse"], explicit, rtol=0, atol=1e-12)
    torch.testing.assert_close(ns["by_hand"], explicit, rtol=0, atol=1e-12)
    N, n_in, n_out = 3, 4, 2  # the small layer (the snippet reuses the names for the big one)
    J = ns["J"]
    assert J.shape == (N * n_out, N * n_in)
    for i in range(N):  # sample i's block is on the diagonal; every other block is zero
        for k in range(N):
            block = J[i * n_out:(i + 1) * n_out, k * n_in:(k + 1) * n_in]
            assert (block != 0).all() if i == k else (block == 0).all()
    zeros = (J == 0).double().mean().item()
    assert zeros == pytest.approx((N - 1) / N, abs=1e-15)
    claim("backpropagation", "jacobian-zeros", FRACTIONS[(N - 1, N)])


def test_backward_does_two_products_of_the_forward_size(claim):
    ns = load_snippet("backpropagation/vjp.py")
    N, n_in, n_out = ns["N"], ns["n_in"], ns["n_out"]
    assert ns["jacobian_entries"] == (N * n_out) * (N * n_in)
    assert ns["P"] == n_out * n_in + n_out
    ratio = ns["backward_multiplies"] / ns["forward_multiplies"]
    assert ratio == 2
    claim("backpropagation", "backward-products", number_word(int(ratio)))
    claim("backpropagation", "backward-cost", TIMES[int(ratio)])
    claim("backpropagation", "summary-backward-cost", TIMES[int(ratio)])


# torch's first forward-mode call loads decompositions through torch.jit.script, which warns
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_forward_mode_needs_one_pass_per_parameter_and_reverse_mode_one():
    """The whole gradient of a small layer's loss: one vjp, or one jvp per parameter."""
    g = torch.Generator().manual_seed(0)
    A = torch.randn(5, 3, dtype=torch.float64, generator=g)
    theta = torch.randn(2 * 3 + 2, dtype=torch.float64, generator=g)  # W (2, 3) and b (2,), flat

    def loss(theta):
        W, b = theta[:6].reshape(2, 3), theta[6:]
        return (torch.sigmoid(A @ W.T + b) ** 2).mean()

    _, vjp_fn = torch.func.vjp(loss, theta)
    (reverse,) = vjp_fn(torch.ones((), dtype=torch.float64))  # one backward pass
    passes = [torch.func.jvp(loss, (theta,), (e,))[1] for e in torch.eye(len(theta), dtype=torch.float64)]
    assert len(passes) == theta.numel()
    torch.testing.assert_close(torch.stack(passes), reverse, rtol=0, atol=1e-14)
    leaf = theta.clone().requires_grad_()
    (expected,) = torch.autograd.grad(loss(leaf), leaf)
    torch.testing.assert_close(reverse, expected, rtol=0, atol=1e-14)


# ---------------------------------------------------------------------------
# Memory (snippets/backpropagation/memory.py)
# ---------------------------------------------------------------------------

def sigmoid_mlp(sizes):
    layers = []
    for l in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[l - 1], sizes[l]))
        if l < len(sizes) - 1:
            layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


def saved_activations(model, X):
    """The number of floats autograd saves for the backward pass, parameters left out."""
    params = {p.data_ptr() for p in model.parameters()}
    saved = {}

    def pack(t):
        if t.data_ptr() not in params:
            saved[t.data_ptr(), tuple(t.shape)] = t.numel()  # a tensor saved twice counts once
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(X)
    return sum(saved.values())


def test_autograd_saves_exactly_the_activations_the_page_counts(claim):
    ns = load_snippet("backpropagation/memory.py")
    sizes, D = ns["sizes"], ns["D"]
    torch.manual_seed(0)
    model = sigmoid_mlp(sizes)
    assert ns["P"] == sum(p.numel() for p in model.parameters())
    for N in (64, 256, 1024):  # the snippet's batches
        stored = sum(N * sizes[l] for l in range(D))
        assert saved_activations(model, torch.randn(N, sizes[0])) == stored
    assert ns["stored"] == stored  # the snippet's last batch
    claim("backpropagation", "memory-autograd", "the same number")
    per_row = sum(sizes[:D])
    crossover = ns["P"] // per_row + 1  # the smallest batch with more activations than parameters
    assert (crossover - 1) * per_row <= ns["P"] < crossover * per_row
    claim("backpropagation", "memory-crossover", crossover)


def test_memory_grows_with_batch_width_and_depth():
    torch.manual_seed(0)
    base = saved_activations(sigmoid_mlp([16, 32, 32, 1]), torch.randn(8, 16))
    assert saved_activations(sigmoid_mlp([16, 32, 32, 1]), torch.randn(16, 16)) == 2 * base
    assert saved_activations(sigmoid_mlp([32, 64, 64, 1]), torch.randn(8, 32)) == 2 * base
    deeper = saved_activations(sigmoid_mlp([16, 32, 32, 32, 32, 1]), torch.randn(8, 16))
    assert deeper - base == 2 * 8 * 32  # two more layers, one stored input each


def test_checkpointing_runs_part_of_the_forward_pass_again_for_the_same_gradients():
    from torch.utils.checkpoint import checkpoint_sequential

    torch.manual_seed(0)
    model = sigmoid_mlp([8, 16, 16, 16, 1]).double()
    X = torch.randn(4, 8, dtype=torch.float64)
    calls = []
    model[0].register_forward_hook(lambda *_: calls.append(1))
    model(X).sum().backward()
    plain = [p.grad.clone() for p in model.parameters()]
    assert len(calls) == 1
    model.zero_grad()
    checkpoint_sequential(model, 2, X, use_reentrant=False).sum().backward()
    assert len(calls) == 1 + 2  # the plain run; then the checkpointed forward and its rerun in backward
    for p, g in zip(model.parameters(), plain):
        torch.testing.assert_close(p.grad, g, rtol=0, atol=1e-14)


# ---------------------------------------------------------------------------
# Vanishing gradients (snippets/backpropagation/vanishing.py)
# ---------------------------------------------------------------------------

def test_sigmoid_slope_is_at_most_a_quarter_at_zero(claim):
    z = (torch.arange(-1000, 1001, dtype=torch.float64) / 100).requires_grad_()  # -10 to 10, with 0
    (slope,) = torch.autograd.grad(torch.sigmoid(z).sum(), z)
    assert slope.max().item() == 0.25 and z[slope.argmax()].item() == 0
    assert (slope[z != 0] < 0.25).all()
    claim("backpropagation", "summary-fourfold", {4: "fourfold"}[round(1 / slope.max().item())])


def test_each_sigmoid_layer_scales_the_signal_by_at_most_a_quarter(claim):
    ns = load_snippet("backpropagation/vanishing.py")
    model, X, y, D = ns["model"], ns["X"], ns["y"], ns["D"]
    model.zero_grad()  # the snippet ran its backward pass already
    Zs, A = [], X
    for module in model:
        A = module(A)
        if isinstance(module, nn.Linear):
            A.retain_grad()
            Zs.append(A)
    nn.functional.mse_loss(A, y).backward()
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert len(Zs) == D
    slopes = []
    for l in range(D - 1):  # delta_l = (delta_{l+1} W_{l+1}) * sigma'(Z_l), each entry at most a quarter
        upstream = Zs[l + 1].grad @ linears[l + 1].weight
        slope = torch.sigmoid(Zs[l]) * (1 - torch.sigmoid(Zs[l]))
        torch.testing.assert_close(Zs[l].grad, upstream * slope, rtol=1e-12, atol=0)
        assert (Zs[l].grad.abs() <= upstream.abs() / 4).all()
        slopes.append(slope.mean().item())
    norms = ns["norms"]
    assert norms == [m.weight.grad.norm().item() for m in linears]
    assert all(after < before for before, after in zip(norms[::-1], norms[-2::-1]))  # shrinks at every layer
    factor = ns["factor"]
    claim("backpropagation", "vanishing-factor", factor)
    mean_slope = math.exp(np.mean(np.log(slopes)))  # per layer, on average over the stack
    claim("backpropagation", "vanishing-slope", mean_slope)
    assert abs(factor / mean_slope - 1) < 0.10 and mean_slope < 0.25
    claim("backpropagation", "vanishing-slope-close", "within 10 %")
    assert norms[-1] / norms[0] > 1e12
    claim("backpropagation", "vanishing-ratio", r"more than \(10^{12}\) times smaller")


# ---------------------------------------------------------------------------
# Worked solutions
# ---------------------------------------------------------------------------

def test_solution_1_tanh_changes_one_line_and_matches_autograd(claim):
    ns = load_snippet("backpropagation/solution_1.py")
    assert ns["worst"] < 1e-12
    claim("backpropagation", "solution-1-agree", r"\(10^{-12}\)")
    source = inspect.getsource(ns["backprop"])
    page = inspect.getsource(load_snippet("backpropagation/backprop.py", run_main=False)["backprop"])
    body = [line for line in source.splitlines() if " = " in line]
    original = [line for line in page.splitlines() if " = " in line and "raise" not in line]
    changed = [line for line in body if line.split("#")[0].rstrip() not in {o.split("#")[0].rstrip() for o in original}]
    assert [line.split("=")[0].strip() for line in changed] == ["dL_dZ1"]
    # a sigmoid's derivative would be wrong here
    p = ns["p"]
    A1 = np.tanh(p["X"] @ p["W1"].T + p["b1"])
    assert np.abs((A1 * (1 - A1) - (1 - A1**2))).max() > 0.1


def test_solution_2_the_input_gradient_reuses_dl_dz1(bp):
    ns = load_snippet("backpropagation/solution_2.py")
    p = ns["p"]
    t = {k: torch.tensor(v, requires_grad=k == "X") for k, v in p.items()}
    y_hat = torch.sigmoid(t["X"] @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
    nn.functional.mse_loss(y_hat, t["y"]).backward()
    np.testing.assert_allclose(ns["dL_dX"], t["X"].grad.numpy(), rtol=0, atol=1e-12)
    assert ns["dL_dX"].shape == p["X"].shape
    grads = bp["backprop"](**p)
    for name in ("W1", "b1", "W2", "b2"):  # the rest is the page's backprop
        np.testing.assert_array_equal(ns["backprop"](**p)[name], grads[name])


def test_solution_3_without_the_2_the_loss_falls_as_with_half_the_rate(claim):
    ns = load_snippet("backpropagation/solution_3.py")
    right, no_2, half_lr = ns["right"], ns["no_2"], ns["half_lr"]
    assert np.all(np.diff(no_2) < 0)
    claim("backpropagation", "solution-3-falls", "at every step")
    np.testing.assert_array_equal(no_2, half_lr)
    claim("backpropagation", "solution-3-same", "the same losses")
    N = 64
    residual = np.random.default_rng(0).normal(size=(N, 1))
    ratio = (1 / N * residual) / (2 / N * residual)  # dL/dy_hat without the 2, over the right one
    np.testing.assert_array_equal(ratio, 0.5)
    claim("backpropagation", "solution-3-half-gradient", FRACTION_WORDS[0.5])
    claim("backpropagation", "solution-3-half-rate", FRACTION_WORDS[0.25 / 0.5])  # the rates of half_lr and right
    claim("backpropagation", "solution-3-no-2", no_2[1000])
    claim("backpropagation", "solution-3-right", right[1000])
    assert no_2[1000] > 2 * right[1000]
    # the right run is the page's demo: its start, its rate, the page's backprop
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(64, 1))
    params = {"W1": rng.normal(0, 1, size=(8, 1)), "b1": np.zeros(8),
              "W2": rng.normal(0, 1 / np.sqrt(8), size=(1, 8)), "b2": np.zeros(1)}
    bp = load_snippet("backpropagation/backprop.py", run_main=False)
    for step in range(len(right)):
        assert bp["mse"](bp["forward"](X, **params)[0], np.sin(X)) == pytest.approx(right[step], rel=1e-9)
        grads = bp["backprop"](X, np.sin(X), **params)
        params = {k: v - 0.5 * grads[k] for k, v in params.items()}


def test_solution_4_the_loop_over_rows_equals_the_matrix_product(claim):
    ns = load_snippet("backpropagation/solution_4.py")
    assert np.abs(ns["dL_dW2_loop"] - ns["dL_dW2"]).max() < 1e-15
    claim("backpropagation", "solution-4-agree", r"\(10^{-15}\)")
    claim("backpropagation", "solution-4-ways", "two")


def test_solution_5_identical_units_stay_identical(bp, claim):
    ns = load_snippet("backpropagation/solution_5.py")
    params = ns["params"]
    assert np.abs(params["W1"] - params["W1"][0]).max() < 1e-12
    claim("backpropagation", "solution-5-steps", "still equals the first")
    claim("backpropagation", "solution-5-units", number_word(ns["n_hidden"]))
    rng = np.random.default_rng(0)  # the snippet's start, drawn again
    X, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 1))
    np.testing.assert_array_equal(X, ns["X"])
    start = {"W1": np.tile(rng.normal(size=3), (4, 1)), "b1": np.full(4, 0.1),
             "W2": np.full((1, 4), 0.5), "b2": np.zeros(1)}
    grads = bp["backprop"](X, y, **start)  # the page's backprop agrees
    np.testing.assert_allclose(grads["W1"], np.tile(grads["W1"][0], (4, 1)), rtol=1e-12, atol=0)
    np.testing.assert_allclose(ns["backprop"](X, y, **start)["W1"], grads["W1"], rtol=0, atol=1e-15)
    claim("backpropagation", "solution-5-rows", "identical")


def test_the_figure_plots_the_measured_norms_against_a_quarter_per_layer():
    fig = load_snippet("backpropagation/fig_vanishing.py")
    fig["plt"].close("all")
    ns = load_snippet("backpropagation/vanishing.py")
    np.testing.assert_allclose(fig["norms"], ns["norms"], rtol=1e-12, atol=0)
    D = fig["D"]
    assert D == 20 == len(fig["norms"])  # the alt text's 20 layers
    assert len(fig["quarter"]) == D - 1 and fig["quarter"][-1] == fig["norms"][D - 2]
    np.testing.assert_allclose(np.diff(np.log(fig["quarter"])), math.log(4), rtol=1e-12)
    # what the alt text says: about 3 at the output, about 1e-12 at layer 1, a little steeper than 1/4
    assert 2.5 < fig["norms"][-1] < 3.5 and 1e-13 < fig["norms"][0] < 1e-11
    ratios = [m / q for m, q in zip(fig["norms"], fig["quarter"])]  # measured over the dashed line
    assert ratios[-1] == 1 and 0.05 < ratios[0] < 1  # steeper, but only a little: within 20x over 18 layers
