"""Gradient accumulation: every claim of docs/gradient-accumulation.md, computed in float64."""

import copy
import math
import warnings

import pytest
import torch
from torch import nn

from support import load_snippet, number_word

PAGE = "gradient-accumulation"
ATOL = 1e-12  # float64: "equal" means equal up to round-off
COUNTS = range(1, 13)  # every micro-batch count for the page's N = 12
SPLITS = [[4, 4, 2], [5, 3, 2], [7, 3], [1, 9], [2, 2, 2, 4]]  # unequal splits of the page's 10 rows


def power_of_ten(x):
    """x as the page writes it in TeX, \\(10^{-12}\\); x must be a power of ten."""
    exponent = round(math.log10(x))
    assert x == 10.0 ** exponent
    return rf"\(10^{{{exponent}}}\)"


@pytest.fixture(scope="module")
def acc():
    return load_snippet("gradient_accumulation/accumulate.py", run_main=False)


@pytest.fixture(scope="module")
def unequal():
    return load_snippet("gradient_accumulation/unequal.py")


@pytest.fixture(scope="module")
def bn():
    return load_snippet("gradient_accumulation/batchnorm.py")


def reference_gradients(model, X, y):
    """Autograd on the whole batch, no accumulation."""
    loss = nn.functional.mse_loss(model(X), y)
    return torch.autograd.grad(loss, list(model.parameters()))


def accumulate(model, X, y, sizes, weights):
    """backward() on weight_i * (mean loss of micro-batch i); the gradients .grad adds up."""
    model.zero_grad()
    for X_i, y_i, weight in zip(X.split(sizes), y.split(sizes), weights):
        (weight * nn.functional.mse_loss(model(X_i), y_i)).backward()
    return [p.grad.clone() for p in model.parameters()]


def assert_same(grads, ref):
    for g, r in zip(grads, ref, strict=True):
        torch.testing.assert_close(g, r, rtol=0, atol=ATOL)


def largest_relative_difference(grads, ref):
    return max(((g - r).abs().max() / r.abs().max()).item() for g, r in zip(grads, ref))


def test_the_setup_is_float64(acc, claim):
    assert acc["X"].dtype == acc["y"].dtype == torch.float64
    assert all(p.dtype == torch.float64 for p in acc["model"].parameters())
    assert acc["loss_fn"].reduction == "mean"
    assert (acc["N"], acc["accum_steps"]) == (12, 3)  # the sizes the page names
    N, M = acc["N"], acc["accum_steps"]
    assert N % M == 0  # so every weight n_m / N is 1 / M
    claim(PAGE, "divides", f"{M} divides {N}")


def test_the_tests_try_every_count_and_several_splits(acc, unequal, claim):
    N = acc["N"]
    assert list(COUNTS) == list(range(1, N + 1))
    a, b, c, *_ = [m for m in COUNTS if N % m]
    claim(PAGE, "non-divisors", f"{a}, {b}, {c}, ..., which do not divide {N}")
    assert len({tuple(s) for s in SPLITS}) == len(SPLITS) and all(sum(s) == len(unequal["X"]) for s in SPLITS)
    claim(PAGE, "splits", number_word(len(SPLITS)))


@pytest.mark.parametrize("accum_steps", COUNTS)
def test_accumulated_step_gives_the_full_batch_gradient_for_every_count(acc, accum_steps):
    """Every micro-batch count from 1 to 12, also those that do not divide N = 12 (5, 7, ...)."""
    model = copy.deepcopy(acc["model"])
    ref = reference_gradients(model, acc["X"], acc["y"])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)  # lr 0: look at the gradient only
    acc["accumulated_step"](model, optimizer, acc["X"], acc["y"], accum_steps)
    assert_same([p.grad for p in model.parameters()], ref)
    assert len(acc["X"].tensor_split(accum_steps)) == accum_steps


def test_chunk_gives_fewer_pieces_when_the_count_does_not_divide_N(acc, claim):
    """The page: chunk(5) of 12 rows gives 4 pieces; dividing by 5 then loses a fifth of the gradient."""
    X, y, N = acc["X"], acc["y"], acc["N"]
    pieces = [len(c) for c in X.chunk(5)]
    (size,) = set(pieces)
    claim(PAGE, "chunk5", f"{len(pieces)} pieces of {size}")
    assert [len(c) for c in X.tensor_split(5)] == [3, 3, 2, 2, 2]
    model = copy.deepcopy(acc["model"])
    ref = reference_gradients(model, X, y)
    model.zero_grad()
    for X_m, y_m in zip(X.chunk(5), y.chunk(5)):  # the old code: chunk, then / accum_steps
        (nn.functional.mse_loss(model(X_m), y_m) / 5).backward()
    kept = (model[0].weight.grad / ref[0]).mean().item()  # the share of the gradient that is left
    for g, r in zip([p.grad for p in model.parameters()], ref):
        torch.testing.assert_close(g, r * kept, rtol=0, atol=ATOL)
    assert 1 - kept == pytest.approx(1 / 5, abs=1e-12)
    claim(PAGE, "chunk5-lost", "a fifth")
    # and 1 / accum_steps on tensor_split's unequal pieces is wrong too: the weights must be n_m / N
    assert largest_relative_difference(
        accumulate(model, X, y, [3, 3, 2, 2, 2], [1 / 5] * 5), ref) > 1e-3


def test_without_dividing_by_k_the_gradient_is_k_times_too_large(acc):
    model, X, y, M = copy.deepcopy(acc["model"]), acc["X"], acc["y"], acc["accum_steps"]
    ref = reference_gradients(model, X, y)
    grads = accumulate(model, X, y, [len(X) // M] * M, [1.0] * M)
    assert_same([g / M for g in grads], ref)


@pytest.mark.parametrize("sizes", SPLITS)
def test_unequal_micro_batches_weighted_by_size_give_the_full_batch_gradient(unequal, sizes):
    model, X, y = copy.deepcopy(unequal["model"]), unequal["X"], unequal["y"]
    N, M = len(X), len(sizes)
    assert sum(sizes) == N
    ref = reference_gradients(model, X, y)
    assert_same(accumulate(model, X, y, sizes, [n_m / N for n_m in sizes]), ref)
    # dividing by M instead does not match: the rows of small micro-batches weigh more
    by_steps = accumulate(model, X, y, sizes, [1 / M] * M)
    assert largest_relative_difference(by_steps, ref) > 1e-3


def test_the_pages_unequal_run(unequal, claim):
    assert unequal["sizes"] == [4, 4, 2] and unequal["accum_steps"] == 3 and unequal["N"] == 10
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(unequal["X"], unequal["y"]), batch_size=4)
    *first, last = [len(X_m) for X_m, _ in loader]
    claim(PAGE, "loader-sizes", f"{', '.join(map(str, first))} and {last}")
    ref = reference_gradients(unequal["model"], unequal["X"], unequal["y"])[0]  # W1
    torch.testing.assert_close(unequal["full"], ref, rtol=0, atol=ATOL)
    torch.testing.assert_close(unequal["by_size"], ref, rtol=0, atol=ATOL)
    assert not torch.allclose(unequal["by_steps"], ref, rtol=0, atol=ATOL)
    assert unequal["error"] > 0.1


def test_sum_reduction_divided_by_N_gives_the_full_batch_gradient(unequal):
    model, X, y = copy.deepcopy(unequal["model"]), unequal["X"], unequal["y"]
    ref = reference_gradients(model, X, y)
    model.zero_grad()
    for X_i, y_i in zip(X.split(unequal["sizes"]), y.split(unequal["sizes"])):
        (nn.functional.mse_loss(model(X_i), y_i, reduction="sum") / len(X)).backward()
    assert_same([p.grad for p in model.parameters()], ref)


def test_sum_then_divide_grad_after_the_last_micro_batch(unequal):
    """The page: N is not needed before the first backward(); divide .grad at the end."""
    ref = reference_gradients(unequal["model"], unequal["X"], unequal["y"])
    assert_same([p.grad for p in unequal["model"].parameters()], ref)  # the snippet's last state
    # gradients are linear: the sum of the per-row gradients, divided once
    model, X, y = copy.deepcopy(unequal["model"]), unequal["X"], unequal["y"]
    model.zero_grad()
    for X_m, y_m in zip(X.split(unequal["sizes"]), y.split(unequal["sizes"])):
        nn.functional.mse_loss(model(X_m), y_m, reduction="sum").backward()
    summed = [p.grad.clone() for p in model.parameters()]
    assert_same([g / len(X) for g in summed], ref)
    assert largest_relative_difference(summed, ref) > 1  # without the division: N times too large


def test_dividing_by_k_is_a_per_row_reweighting(unequal):
    """With 1/M, a row of micro-batch m weighs 1 / (M n_m) instead of 1 / N."""
    model, X, y, sizes, M = unequal["model"], unequal["X"], unequal["y"], unequal["sizes"], unequal["accum_steps"]
    row_weights = torch.cat([torch.full((n_m, 1), 1 / (M * n_m), dtype=torch.float64) for n_m in sizes])
    loss = (row_weights * (model(X) - y) ** 2).sum()
    (W1_grad,) = torch.autograd.grad(loss, model[0].weight)
    torch.testing.assert_close(unequal["by_steps"], W1_grad, rtol=0, atol=ATOL)


@pytest.mark.parametrize("make_optimizer", [
    lambda params: torch.optim.SGD(params, lr=0.1),
    lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-2),
    lambda params: torch.optim.Adam(params, lr=0.01),
], ids=["SGD", "SGD-momentum-weight-decay", "Adam"])
def test_one_step_after_accumulation_equals_one_full_batch_step(acc, make_optimizer, claim):
    X, y, k = acc["X"], acc["y"], acc["accum_steps"]
    model_full, model_acc = copy.deepcopy(acc["model"]), copy.deepcopy(acc["model"])
    opt_full, opt_acc = make_optimizer(model_full.parameters()), make_optimizer(model_acc.parameters())
    for _ in range(3):  # and the next steps too
        acc["full_batch_step"](model_full, opt_full, X, y)
        acc["accumulated_step"](model_acc, opt_acc, X, y, k)
        assert_same(list(model_acc.parameters()), list(model_full.parameters()))
    claim(PAGE, "steps-tol", power_of_ten(ATOL))
    claim(PAGE, "summary-tol", power_of_ten(ATOL))
    # the parameters did move
    assert largest_relative_difference(list(model_full.parameters()), list(acc["model"].parameters())) > 1e-3


def test_the_pages_comparison_run():
    ns = load_snippet("gradient_accumulation/accumulate.py")
    pairs = list(zip(ns["model_full"].parameters(), ns["model_acc"].parameters()))
    assert all(ns["same"](p.grad, q.grad) and ns["same"](p, q) for p, q in pairs)


# --- batch norm ------------------------------------------------------------------------


def test_batchnorm_breaks_the_equivalence(bn):
    full = bn["gradients"](bn["make_model"]("BatchNorm1d"), accum_steps=1)
    accumulated = bn["gradients"](bn["make_model"]("BatchNorm1d"), accum_steps=bn["accum_steps"])
    assert (accumulated - full).abs().max() / full.abs().max() > 0.01


def test_batchnorm_full_batch_reference_is_autograd(bn):
    model = bn["make_model"]("BatchNorm1d")
    ref = torch.cat([g.flatten() for g in reference_gradients(model, bn["X"], bn["y"])])
    torch.testing.assert_close(bn["gradients"](bn["make_model"]("BatchNorm1d"), accum_steps=1), ref, rtol=0, atol=ATOL)


@pytest.mark.parametrize("norm", ["LayerNorm", "GroupNorm"])
def test_per_sample_norms_keep_the_equivalence(bn, norm):
    full = bn["gradients"](bn["make_model"](norm), accum_steps=1)
    accumulated = bn["gradients"](bn["make_model"](norm), accum_steps=bn["accum_steps"])
    torch.testing.assert_close(accumulated, full, rtol=0, atol=ATOL)


def test_batchnorm_uses_micro_batch_statistics_and_updates_running_stats_k_times(bn):
    model, X, k = bn["make_model"]("BatchNorm1d"), bn["X"], bn["accum_steps"]
    bn["gradients"](model, accum_steps=k)
    layer = model[1]
    assert layer.num_batches_tracked.item() == k
    # in training mode it normalizes each micro-batch with that micro-batch's own mean
    with torch.no_grad():
        X_0 = X.chunk(k)[0]
        out = layer(model[0](X_0))
        assert out.mean(dim=0).abs().max() < 1e-12


# --- pitfalls ---------------------------------------------------------------------------


def test_forgetting_zero_grad_sums_the_gradients_of_every_step(acc, claim):
    model, X, y, k = copy.deepcopy(acc["model"]), acc["X"], acc["y"], acc["accum_steps"]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    total = [torch.zeros_like(p) for p in model.parameters()]
    wrong = []  # the steps whose .grad is not their own full-batch gradient
    for step in range(4):
        ref = reference_gradients(model, X, y)
        total = [t + r for t, r in zip(total, ref)]
        for X_i, y_i in zip(X.chunk(k), y.chunk(k)):  # no zero_grad
            (nn.functional.mse_loss(model(X_i), y_i) / k).backward()
        assert_same([p.grad for p in model.parameters()], total)
        difference = largest_relative_difference([p.grad for p in model.parameters()], ref)
        if difference > 0.1:
            wrong.append(step)
        else:
            assert difference < ATOL
        optimizer.step()
    assert wrong == list(range(wrong[0], 4))
    claim(PAGE, "forgot-from", f"from step {wrong[0]} on")


def test_the_pages_forgot_zero_grad_run():
    ns = load_snippet("gradient_accumulation/forgot_zero_grad.py")
    assert ns["W1"].grad.norm() > 2 * ns["g"].norm()


def test_scheduler_per_micro_batch_runs_k_times_too_fast(claim):
    with pytest.warns(UserWarning, match="before `optimizer.step"):  # the page's own run
        ns = load_snippet("gradient_accumulation/scheduler.py")
    k, num_steps = ns["accum_steps"], ns["num_steps"]
    assert (k, num_steps) == (4, 8)  # the page's numbers
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        right = ns["train"](False)
        assert caught == []
        wrong = ns["train"](True)
    # PyTorch warns once, about the first scheduler.step() before optimizer.step()
    assert len(caught) == 1 and "before `optimizer.step()`" in str(caught[0].message)
    claim(PAGE, "sched-warns", "warns once")
    assert len(right) == len(wrong) == num_steps
    for t in range(num_steps):
        assert right[t] == pytest.approx(0.1 * (1 - t / num_steps), abs=1e-12)
        # stepped per micro-batch, optimizer step t sees the schedule's value at k (t + 1)
        assert wrong[t] == pytest.approx(0.1 * max(0.0, 1 - k * (t + 1) / num_steps), abs=1e-12)
    assert wrong[num_steps // k - 1] == 0.0 and right[-1] > 0
    # where the schedule is at the first optimizer step: it fell by 0.1 / num_steps per step of its own
    claim(PAGE, "sched-advance", number_word(round((right[0] - wrong[0]) / (0.1 / num_steps))))
    assert wrong[0] == pytest.approx(right[0] / 2, abs=1e-12)
    claim(PAGE, "sched-first", "half the rate")
    assert all(lr == 0 for lr in wrong[1:]) and sum(lr > 0 for lr in wrong) == 1
    claim(PAGE, "sched-rest", "from the second on the rate is 0, so only one step learns")


def test_lbfgs_calls_the_loss_again_inside_step(acc):
    """The page: LBFGS's step needs a closure and calls it, several times per step."""
    model, X, y = copy.deepcopy(acc["model"]), acc["X"], acc["y"]
    optimizer = torch.optim.LBFGS(model.parameters(), lr=0.1, max_iter=5)
    with pytest.raises(TypeError):
        optimizer.step()  # no closure: it cannot work from .grad alone
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        return loss

    optimizer.step(closure)
    assert len(calls) > 1


def test_an_in_batch_contrastive_loss_breaks_accumulation():
    """The page: InfoNCE compares each row with the other rows of its batch; micro-batches change it."""
    torch.manual_seed(0)
    N, M = 12, 3
    a, b = torch.randn(N, 4, dtype=torch.float64), torch.randn(N, 4, dtype=torch.float64)
    W = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)

    def info_nce(a, b):  # row i of a should match row i of b, against the other rows of b
        logits = (a @ W) @ (b @ W).T
        return nn.functional.cross_entropy(logits, torch.arange(len(a)))

    (full,) = torch.autograd.grad(info_nce(a, b), W)
    accumulated = sum(torch.autograd.grad(info_nce(a_m, b_m) / M, W)[0]
                      for a_m, b_m in zip(a.tensor_split(M), b.tensor_split(M)))
    assert (accumulated - full).abs().max() / full.abs().max() > 0.01
