"""Gradient accumulation: every claim of docs/gradient-accumulation.md, computed in float64."""

import copy
import math
import warnings
from fractions import Fraction

import pytest
import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook
from torch.nn.parallel import DistributedDataParallel as DDP

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


# --- in-batch negatives -----------------------------------------------------------------


@pytest.fixture(scope="module")
def nce():
    return load_snippet("gradient_accumulation/contrastive.py")


def test_info_nce_is_the_pages_formula(nce):
    """l_i = -log(e^{s_ii} / sum_j e^{s_ij}) over the rows j of the batch, s_ij = logits[i, j]."""
    W, X_a, X_b = nce["W"], nce["X_a"], nce["X_b"]
    s = (X_a @ W) @ (X_b @ W).T
    ell = -torch.log(torch.exp(s.diagonal()) / torch.exp(s).sum(dim=1))
    torch.testing.assert_close(nce["info_nce"](X_a, X_b), ell.mean(), rtol=0, atol=ATOL)


def test_an_in_batch_contrastive_loss_breaks_accumulation(nce):
    """The page: a micro-batch has fewer negatives; the accumulated gradient differs."""
    W, X_a, X_b, M = nce["W"], nce["X_a"], nce["X_b"], nce["accum_steps"]
    (full,) = torch.autograd.grad(nce["info_nce"](X_a, X_b), W)
    torch.testing.assert_close(nce["full"], full, rtol=0, atol=ATOL)
    halves = sum(torch.autograd.grad(nce["info_nce"](a, b) / M, W)[0]
                 for a, b in zip(X_a.tensor_split(M), X_b.tensor_split(M)))
    torch.testing.assert_close(nce["accumulated"], halves, rtol=0, atol=ATOL)
    assert nce["error"] > 0.1
    # the loss itself changes, not only its weights: no weighting of the halves gives the full loss's gradient
    g = [torch.autograd.grad(nce["info_nce"](a, b), W)[0].flatten() for a, b in zip(X_a.tensor_split(M), X_b.tensor_split(M))]
    weights = torch.linalg.lstsq(torch.stack(g, dim=1), full.flatten().unsqueeze(1)).solution
    assert (torch.stack(g, dim=1) @ weights - full.flatten().unsqueeze(1)).abs().max() > 1e-3


def test_two_passes_give_the_full_batch_contrastive_gradient(nce, claim):
    """The page's way out: embeddings without a graph, the loss's gradient for them, then backward per micro-batch."""
    W, X_a, X_b, M = nce["W"], nce["X_a"], nce["X_b"], nce["accum_steps"]
    (full,) = torch.autograd.grad(nce["info_nce"](X_a, X_b), W)
    with torch.no_grad():  # pass 1: the whole batch's embeddings, micro-batch by micro-batch
        E_a = torch.cat([a @ W for a in X_a.tensor_split(M)])
        E_b = torch.cat([b @ W for b in X_b.tensor_split(M)])
    E_a.requires_grad_(), E_b.requires_grad_()
    loss = nn.functional.cross_entropy(E_a @ E_b.T, torch.arange(len(E_a)))  # the whole batch's loss
    dE_a, dE_b = torch.autograd.grad(loss, (E_a, E_b))
    grad = torch.zeros_like(W)
    for a, b, g_a, g_b in zip(X_a.tensor_split(M), X_b.tensor_split(M), dE_a.tensor_split(M), dE_b.tensor_split(M)):
        # pass 2: each micro-batch forward again, backward with its share of the embeddings' gradient
        grad += torch.autograd.grad(((a @ W) * g_a).sum() + ((b @ W) * g_b).sum(), W)[0]
    torch.testing.assert_close(grad, full, rtol=0, atol=ATOL)
    claim(PAGE, "contrastive-tol", power_of_ten(ATOL))


# --- a DataLoader loop ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ld():
    return load_snippet("gradient_accumulation/loader.py", run_main=False)


def trained(ld, train_fn, num_epochs, make_optimizer=lambda params: torch.optim.SGD(params, lr=0.1)):
    model = copy.deepcopy(ld["model"])
    train_fn(model, make_optimizer(model.parameters()), num_epochs)
    return model


def test_the_loader_leaves_a_group_over(ld, claim):
    loader, k = ld["loader"], ld["accum_steps"]
    sizes = [len(X_m) for X_m, _ in loader]
    assert (ld["N"], ld["batch_size"], k) == (11, 2, 4)  # the page's settings
    claim(PAGE, "loader-count", len(loader))
    assert len(loader) % k != 0
    claim(PAGE, "leftover", len(loader) % k)
    claim(PAGE, "last-size", sizes[-1])
    assert sizes[-1] < sizes[0]


def test_the_naive_row_weights_of_the_leftover_group(ld, claim):
    """Divided by M, a row of micro-batch m weighs 1 / (M n_m); the group's real weight is 1 / (its rows)."""
    loader, k = ld["loader"], ld["accum_steps"]
    last = list(loader)[len(loader) // k * k:]  # the leftover group
    naive = [Fraction(1, k * len(X_m)) for X_m, _ in last]
    claim(PAGE, "naive-row-weights", " and ".join(str(w) for w in naive))
    right = Fraction(1, sum(len(X_m) for X_m, _ in last))
    claim(PAGE, "right-row-weight", str(right))
    # the gradients agree with those row weights
    model = copy.deepcopy(ld["model"])
    model.zero_grad()
    for X_m, y_m in last:
        (nn.functional.mse_loss(model(X_m), y_m) / k).backward()
    X_g, y_g = torch.cat([X for X, _ in last]), torch.cat([y for _, y in last])
    rows = torch.cat([torch.full((len(X_m), 1), float(w), dtype=torch.float64) for (X_m, _), w in zip(last, naive)])
    ref = torch.autograd.grad((rows * (model(X_g) - y_g) ** 2).sum(), list(model.parameters()))
    assert_same([p.grad for p in model.parameters()], ref)
    assert_same(reference_gradients(model, X_g, y_g),
                torch.autograd.grad(float(right) * ((model(X_g) - y_g) ** 2).sum(), list(model.parameters())))


@pytest.mark.parametrize("num_epochs", [1, 2])
def test_the_right_loop_equals_one_full_batch_step_per_group(ld, num_epochs, claim):
    reference = trained(ld, ld["train_full_batch"], num_epochs)
    assert_same(list(trained(ld, ld["train"], num_epochs).parameters()), list(reference.parameters()))
    claim(PAGE, "loader-tol", power_of_ten(ATOL))
    naive = trained(ld, ld["train_naive"], num_epochs)
    assert largest_relative_difference(list(naive.parameters()), list(reference.parameters())) > 1e-3
    # and the reference is plain autograd: one step per group on the group's mean loss
    model = copy.deepcopy(ld["model"])
    group = ld["batch_size"] * ld["accum_steps"]
    for _ in range(num_epochs):
        for X_g, y_g in zip(ld["X"].split(group), ld["y"].split(group)):
            grads = reference_gradients(model, X_g, y_g)
            with torch.no_grad():
                for p, g in zip(model.parameters(), grads):
                    p -= 0.1 * g
    assert_same(list(model.parameters()), list(reference.parameters()))


def test_the_naive_loop_leaks_the_leftover_into_the_next_epoch(ld, claim):
    """The first step of epoch 2 uses the leftover micro-batches of epoch 1 too, each / accum_steps."""
    loader, k = ld["loader"], ld["accum_steps"]
    model = copy.deepcopy(ld["model"])
    steps = []  # for each step: the micro-batches it saw, and its gradient

    class RecordingSGD(torch.optim.SGD):
        def step(self, closure=None):
            steps.append((len(forwards), [p.grad.clone() for p in model.parameters()]))
            forwards.clear()
            return super().step(closure)

    forwards = []
    model.register_forward_hook(lambda module, inputs, output: forwards.append(len(inputs[0])))
    ld["train_naive"](model, RecordingSGD(model.parameters(), lr=0.1), num_epochs=1)
    assert [count for count, _ in steps] == [k]  # one step in the whole epoch
    left = [p.grad.clone() for p in model.parameters()]
    micro = list(loader)
    expected = [torch.zeros_like(p) for p in model.parameters()]
    for X_m, y_m in micro[k:]:  # the leftover, at the parameters after the only step
        expected = [e + g / k for e, g in zip(expected, torch.autograd.grad(
            nn.functional.mse_loss(model(X_m), y_m), list(model.parameters())))]
    assert_same(left, expected)
    forwards.clear()
    steps.clear()
    before = copy.deepcopy(model)
    ld["train_naive"](model, RecordingSGD(model.parameters(), lr=0.1), num_epochs=1)
    count, grad = steps[0]
    claim(PAGE, "leak-count", count + len(micro) % k)
    for X_m, y_m in micro[:k]:
        expected = [e + g / k for e, g in zip(expected, torch.autograd.grad(
            nn.functional.mse_loss(before(X_m), y_m), list(before.parameters())))]
    assert_same(grad, expected)


def test_stepping_at_the_end_but_dividing_by_k_is_not_enough(ld):
    loader, k, loss_fn = ld["loader"], ld["accum_steps"], ld["loss_fn"]

    def train_end_step(model, optimizer, num_epochs):
        for _ in range(num_epochs):
            for i, (X_m, y_m) in enumerate(loader):
                (loss_fn(model(X_m), y_m) / k).backward()
                if (i + 1) % k == 0 or i + 1 == len(loader):
                    optimizer.step()
                    optimizer.zero_grad()

    reference = trained(ld, ld["train_full_batch"], 1)
    assert largest_relative_difference(list(trained(ld, train_end_step, 1).parameters()),
                                       list(reference.parameters())) > 1e-3


def test_weights_n_m_over_the_groups_rows_work_too(ld):
    """The page: weighting each micro-batch loss by n_m / (its group's rows), sizes known in advance."""
    loader, k, loss_fn = ld["loader"], ld["accum_steps"], ld["loss_fn"]
    sizes = [len(X_m) for X_m, _ in loader]
    group_rows = [sum(sizes[g:g + k]) for g in range(0, len(sizes), k)]

    def train_weighted(model, optimizer, num_epochs):
        for _ in range(num_epochs):
            for i, (X_m, y_m) in enumerate(loader):
                (loss_fn(model(X_m), y_m) * len(X_m) / group_rows[i // k]).backward()
                if (i + 1) % k == 0 or i + 1 == len(loader):
                    optimizer.step()
                    optimizer.zero_grad()

    reference = trained(ld, ld["train_full_batch"], 2)
    assert_same(list(trained(ld, train_weighted, 2).parameters()), list(reference.parameters()))


def test_the_naive_loop_is_right_when_the_groups_are_whole(ld):
    """The page: the naive loop is right when accum_steps divides len(loader) and the sizes are equal."""
    k, loss_fn = ld["accum_steps"], ld["loss_fn"]
    X, y = ld["X"][:8], ld["y"][:8]  # 4 micro-batches of 2: one whole group
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=2)
    assert len(loader) % k == 0
    naive, full = copy.deepcopy(ld["model"]), copy.deepcopy(ld["model"])
    opt_naive, opt_full = torch.optim.SGD(naive.parameters(), lr=0.1), torch.optim.SGD(full.parameters(), lr=0.1)
    for _ in range(2):
        for i, (X_m, y_m) in enumerate(loader):
            (loss_fn(naive(X_m), y_m) / k).backward()
            if (i + 1) % k == 0:
                opt_naive.step()
                opt_naive.zero_grad()
        opt_full.zero_grad()
        loss_fn(full(X), y).backward()
        opt_full.step()
    assert_same(list(naive.parameters()), list(full.parameters()))


def test_zero_grad_at_the_start_of_each_epoch_drops_the_leftover(ld):
    """The page: those rows then never train the model; the loop equals full-batch steps on the first group only."""
    loader, k, loss_fn, group = ld["loader"], ld["accum_steps"], ld["loss_fn"], ld["batch_size"] * ld["accum_steps"]

    def train_dropping(model, optimizer, num_epochs):
        for _ in range(num_epochs):
            optimizer.zero_grad()
            for i, (X_m, y_m) in enumerate(loader):
                (loss_fn(model(X_m), y_m) / k).backward()
                if (i + 1) % k == 0:
                    optimizer.step()
                    optimizer.zero_grad()

    def train_first_group_only(model, optimizer, num_epochs):
        for _ in range(num_epochs):
            optimizer.zero_grad()
            loss_fn(model(ld["X"][:group]), ld["y"][:group]).backward()
            optimizer.step()

    assert_same(list(trained(ld, train_dropping, 2).parameters()),
                list(trained(ld, train_first_group_only, 2).parameters()))


def test_the_pages_loader_run():
    ns = load_snippet("gradient_accumulation/loader.py")
    assert ns["train_fn"] is ns["train"] and ns["equal"]  # the last line printed: the right loop
    assert ns["left"] is None  # zero_grad() after the last step: nothing left


# --- DistributedDataParallel -----------------------------------------------------------------


@pytest.fixture()
def world_of_one(tmp_path):
    """A real gloo process group of one process, meeting through a file: no network."""
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/rendezvous", rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_no_sync_around_forward_and_backward_saves_all_but_one_all_reduce(world_of_one, claim):
    ns = load_snippet("gradient_accumulation/ddp.py", run_main=False)
    k = ns["accum_steps"]
    ddp_model = DDP(copy.deepcopy(ns["model"]))
    all_reduces = []

    def counting_hook(state, bucket):
        all_reduces.append(bucket.index())
        return allreduce_hook(state, bucket)

    ddp_model.register_comm_hook(None, counting_hook)
    ref = [g.clone() for g in accumulate(copy.deepcopy(ns["model"]), ns["X"], ns["y"],
                                         [len(X_m) for X_m in ns["X"].tensor_split(k)], [1 / k] * k)]
    counts = {}
    for accumulate_fn in ns["accumulate"], ns["accumulate_backward_only"]:
        all_reduces.clear()
        accumulate_fn(ddp_model)
        counts[accumulate_fn.__name__] = len(all_reduces)
        assert_same([p.grad for p in ddp_model.module.parameters()], ref)  # the same gradient either way
    assert counts == {"accumulate": 1, "accumulate_backward_only": k}
    claim(PAGE, "ddp-right", f"{counts['accumulate']} all-reduce for {k} micro-batches")
    claim(PAGE, "ddp-backward-only", f"{counts['accumulate_backward_only']} all-reduces for {k} micro-batches")
    claim(PAGE, "ddp-tol", power_of_ten(ATOL))
    # without no_sync at all, every micro-batch all-reduces
    all_reduces.clear()
    ddp_model.zero_grad()
    for X_m, y_m in zip(ns["X"].tensor_split(k), ns["y"].tensor_split(k)):
        (ns["loss_fn"](ddp_model(X_m), y_m) / k).backward()
    assert len(all_reduces) == k


def test_the_pages_ddp_run():
    ns = load_snippet("gradient_accumulation/ddp.py")
    assert ns["same"] and len(ns["all_reduces"]) == 1  # the right one ran last
    assert not dist.is_initialized()  # the snippet cleans up after itself


# --- mixed precision -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def amp():
    return load_snippet("gradient_accumulation/amp.py")


def test_autocast_runs_the_layers_in_bfloat16(amp):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert amp["model"][0](amp["X"]).dtype == torch.bfloat16  # so the comparison is not vacuous


def test_unscaled_gradients_equal_the_plain_ones_bit_for_bit(amp, claim):
    """The scale is a power of two: scaling and unscaling change only exponents, so no tolerance."""
    assert all(torch.equal(p, q) for p, q in zip(amp["plain"], amp["scaled"]))
    S = amp["scaler"].get_scale()
    assert S == 2.0 ** round(math.log2(S))
    claim(PAGE, "amp-power", "a power of two")
    claim(PAGE, "amp-scale", S)
    # before unscale_, .grad is S times the plain accumulated gradient, exactly
    model = copy.deepcopy(amp["model"])
    scaler = torch.amp.GradScaler("cpu")
    for X_m, y_m in zip(amp["X"].tensor_split(amp["accum_steps"]), amp["y"].tensor_split(amp["accum_steps"])):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = amp["loss_fn"](model(X_m), y_m) / amp["accum_steps"]
        scaler.scale(loss).backward()
    assert all(torch.equal(p.grad, S * q) for p, q in zip(model.parameters(), amp["plain"]))
    # and the clipped step is the plain clipped step
    stepped = []
    for enabled in False, True:
        model = copy.deepcopy(amp["model"])
        amp["amp_step"](model, torch.optim.SGD(model.parameters(), lr=0.1), torch.amp.GradScaler("cpu", enabled=enabled))
        stepped.append(list(model.parameters()))
    assert all(torch.equal(p, q) for p, q in zip(*stepped))
    assert any(not torch.equal(p, q) for p, q in zip(stepped[0], amp["model"].parameters()))  # it did step


def test_the_clip_inside_amp_step_sees_the_true_gradient(amp):
    grad_norm = torch.cat([g.flatten() for g in amp["plain"]]).norm()
    assert grad_norm > 1.0  # so max_norm=1.0 clips, and clipping scaled gradients would clip to a wrong size


def test_unscale_per_micro_batch_raises(amp, claim):
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        amp["run"](enabled=True, unscale_every_micro_batch=True)
    claim(PAGE, "amp-raises", "raises a RuntimeError")
    # what it refuses: unscaled twice, the first micro-batch's gradient would be divided by S twice
    S = amp["scaler"].get_scale()
    first = [g / amp["accum_steps"] for g in amp["plain"]]  # any gradient: / S once is right, / S**2 is not
    assert all(torch.equal((S * g) / S, g) for g in first)
    assert not any(torch.equal((S * g) / S / S, g) for g in first)


def test_an_overflow_in_one_micro_batch_skips_the_groups_step(amp):
    """The page: an inf in any micro-batch makes the sum inf; step() skips, update() lowers the scale."""
    model = copy.deepcopy(amp["model"])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    S = scaler.get_scale()
    for m, (X_m, y_m) in enumerate(zip(amp["X"].tensor_split(amp["accum_steps"]), amp["y"].tensor_split(amp["accum_steps"]))):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = amp["loss_fn"](model(X_m), y_m) / amp["accum_steps"]
        scaler.scale(loss).backward()
        if m == 0:
            model[0].weight.grad[0, 0] = math.inf  # an overflow in the first micro-batch only
    assert math.isinf(model[0].weight.grad[0, 0])  # the later micro-batches add to it: still inf
    scaler.unscale_(optimizer)
    scaler.step(optimizer)
    scaler.update()
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), amp["model"].parameters()))  # no step
    assert scaler.get_scale() < S


def test_bfloat16_has_the_range_of_float32_and_float16_has_not():
    bf16, f32, f16 = torch.finfo(torch.bfloat16), torch.finfo(torch.float32), torch.finfo(torch.float16)
    assert bf16.max == pytest.approx(f32.max, rel=0.01) and bf16.tiny == f32.tiny
    assert f16.max < 1e5 and f16.tiny > 1e-5  # float16: 65504 at most, normal numbers from 6.1e-5


def test_float16_needs_the_scaler():
    """The page: in float16, small gradients round to zero; the scaler keeps them."""
    torch.manual_seed(0)
    x = torch.randn(16, 3)
    layer = nn.Linear(3, 1)
    grads = {}
    for S in 1.0, 65536.0:
        layer.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            out = layer(x)
        (S * 1e-8 * out.float().sum()).backward()  # a loss whose gradient is below float16's smallest number
        grads[S] = layer.weight.grad / S
    assert (grads[1.0] == 0).all() and (grads[65536.0] != 0).all()


# --- solutions -------------------------------------------------------------------------------


def test_solution_1_without_the_weights(claim):
    ns = load_snippet("gradient_accumulation/solution_1.py")
    M = ns["accum_steps"]
    assert ns["factor"] == pytest.approx(M, abs=1e-12)
    torch.testing.assert_close(ns["gradient"](ns["model"], weighted=False), M * ns["gradient"](ns["model"], weighted=True),
                               rtol=0, atol=ATOL)
    claim(PAGE, "solution-1-factor", ns["factor"])
    claim(PAGE, "solution-1-lr", ns["lr"] / M)
    torch.testing.assert_close(ns["sgd_fixed"], ns["sgd_right"], rtol=0, atol=ATOL)
    assert 0 < ns["adam_error"] < 1e-4
    claim(PAGE, "solution-1-adam", "less than one part in ten thousand")
    # only eps tells them apart: without it the steps are the same
    no_eps = [ns["moved"](lambda params: torch.optim.Adam(params, lr=0.1, eps=0.0), weighted=w) for w in (True, False)]
    torch.testing.assert_close(no_eps[0], no_eps[1], rtol=0, atol=ATOL)


def test_solution_2_clip_after_the_division(claim):
    ns = load_snippet("gradient_accumulation/solution_2.py")
    assert ns["full_norm"] > ns["max_norm"]  # so the clip acts
    after, before = ns["summed_then_clipped"](False), ns["summed_then_clipped"](True)
    torch.testing.assert_close(after, ns["reference"], rtol=0, atol=ATOL)
    # clip_grad_norm_ scales by max_norm / (norm + 1e-6): norms land within 1e-6 of the threshold
    assert ns["reference"].norm().item() == pytest.approx(ns["max_norm"], abs=1e-6)
    assert before.norm().item() == pytest.approx(ns["max_norm"] / ns["N"], abs=1e-6)
    claim(PAGE, "solution-2-before", before.norm().item())
    torch.testing.assert_close(before * ns["N"], ns["reference"], rtol=0, atol=1e-6)  # same direction, N times short


def test_solution_3_clip_every_micro_batch(claim):
    ns = load_snippet("gradient_accumulation/solution_3.py")
    model, X, y, M, max_norm = ns["model"], ns["X"], ns["y"], ns["accum_steps"], ns["max_norm"]
    once, every = ns["accumulated"](False), ns["accumulated"](True)
    torch.testing.assert_close(once, ns["reference"], rtol=0, atol=ATOL)
    assert ns["full"].norm() > max_norm
    # clipping every micro-batch rescales the partial sum: g <- c_m (g + g_m), c_m = min(1, max_norm / |g + g_m|)
    g, factors = torch.zeros_like(once), []
    for X_m, y_m in zip(X.tensor_split(M), y.tensor_split(M)):
        grads = torch.autograd.grad(nn.functional.mse_loss(model(X_m), y_m) / M, list(model.parameters()))
        g = g + torch.cat([d.flatten() for d in grads])
        factors.append(min(1.0, max_norm / (g.norm().item() + 1e-6)))  # clip_grad_norm_ divides by norm + 1e-6
        g = g * factors[-1]
    assert all(c < 1 for c in factors)  # every clip acts: micro-batch m is shrunk by c_m ... c_M
    torch.testing.assert_close(every, g, rtol=0, atol=ATOL)
    assert every.norm().item() == pytest.approx(max_norm, abs=1e-5)
    error = ((every - ns["reference"]).abs().max() / ns["reference"].abs().max()).item()
    assert error > 1e-3
    claim(PAGE, "solution-3-error", f"{error:.1%}")


def test_solution_4_larger_micro_batches(claim):
    ns = load_snippet("gradient_accumulation/solution_4.py")
    errors = ns["errors"]
    assert list(errors) == [12, 120, 1200]
    for N in errors:
        claim(PAGE, f"solution-4-{N}", f"{errors[N]:.2%}")
    assert errors[12] > errors[120] > errors[1200] > 0
    for small, large in [(12, 120), (120, 1200)]:
        # ten times the rows: about a tenth of the difference (far below 1/sqrt(10), far above 1/100)
        assert 0.05 < errors[large] / errors[small] < 0.2
    claim(PAGE, "solution-4-tenfold", "about ten times smaller for ten times the rows")


def test_solution_5_eval_mode(claim):
    ns = load_snippet("gradient_accumulation/solution_5.py")
    model = ns["make_model"]()
    model.eval()
    ref = torch.cat([g.flatten() for g in reference_gradients(model, ns["X"], ns["y"])])
    torch.testing.assert_close(ns["full"], ref, rtol=0, atol=ATOL)  # the last mode run: eval
    torch.testing.assert_close(ns["accumulated"], ref, rtol=0, atol=ATOL)
    assert ns["same"]
    tracked = ns["acc_model"][1].num_batches_tracked.item()
    claim(PAGE, "solution-5-tracked", tracked)
    assert tracked == 0
    # in eval() the layer is a fixed scale and shift of each feature
    layer, Z = model[1], model[0](ns["X"])
    with torch.no_grad():
        scale = layer.weight / torch.sqrt(layer.running_var + layer.eps)
        torch.testing.assert_close(layer(Z), Z * scale + (layer.bias - layer.running_mean * scale), rtol=0, atol=ATOL)
    train_model, train_acc = ns["make_model"](), ns["make_model"]()
    assert not torch.allclose(ns["gradients"](train_acc, ns["accum_steps"]), ns["gradients"](train_model, 1),
                              rtol=0, atol=ATOL)
