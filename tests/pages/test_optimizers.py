"""Optimizers: mini-batch gradients (unbiased, noise ~ 1/sqrt(B)), DataLoader, the linear scaling rule,
momentum and Nesterov rates, Adam's scale invariance, AdamW's decoupled decay, and every rule from scratch
equal to torch.optim."""

import itertools
import math

import matplotlib

matplotlib.use("Agg")  # figure snippets end with plt.show(); draw off-screen

import matplotlib.pyplot as plt
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from support import load_snippet, number_word

PAGE = "optimizers"
f64 = torch.float64


# --- mini-batches ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def minibatch():
    return load_snippet("optimizers/minibatch.py")


def test_per_sample_gradients_are_autograds(minibatch):
    X, y, w = minibatch["X"], minibatch["y"], torch.randn(3, dtype=f64)
    G = minibatch["per_sample_grads"](w)
    for i in (0, 7, 255):
        wi = w.clone().requires_grad_()
        ((X[i] @ wi - y[i]) ** 2 / 2).backward()
        torch.testing.assert_close(G[i], wi.grad, rtol=1e-12, atol=1e-12)
    # a mini-batch's gradient is autograd's gradient of the batch's mean loss
    rows = torch.tensor([3, 1, 4, 15, 92])
    wb = w.clone().requires_grad_()
    ((X[rows] @ wb - y[rows]) ** 2 / 2).mean().backward()
    torch.testing.assert_close(G[rows].mean(0), wb.grad, rtol=1e-12, atol=1e-12)


def test_the_minibatch_gradient_is_unbiased(minibatch, claim):
    """Each component of the mean of the draws is within K standard errors of the full gradient.

    The draws are independent, so by the central limit theorem the mean's error over its standard
    error is close to a standard normal; |Z| < 4 fails for an unbiased estimate with probability
    below 1e-4 per component, so the bound is not loose, and a biased estimator fails it."""
    K = 4
    z = minibatch["z"]
    assert z.abs().max() < K
    claim(PAGE, "unbiased-bound", number_word(K))
    claim(PAGE, "unbiased-largest-z", z.abs().max().item())
    p = math.erf(K / math.sqrt(2))
    assert p > 0.9999
    claim(PAGE, "unbiased-probability", p)
    # a biased estimator (always the first B rows) fails the same test
    biased = minibatch["G"][:8].mean(0)
    assert ((biased - minibatch["g_full"]) / minibatch["std_error"]).abs().max() > K


def test_the_noise_follows_the_exact_formula_and_one_over_sqrt_b(minibatch, claim):
    ns = minibatch
    N, V = ns["N"], ns["V"].item()
    largest_z = 0.0
    for B, squared in ns["squared"].items():
        exact_sq = V * (N - B) / (B * (N - 1))
        se = squared.std().item() / math.sqrt(len(squared))  # of the mean of the squared distances
        largest_z = max(largest_z, abs(squared.mean().item() - exact_sq) / se)
    assert largest_z < 3
    claim(PAGE, "noise-within-se", number_word(math.ceil(largest_z)))
    slope, tol = ns["slope"].item(), 0.05
    assert abs(slope + 0.5) < tol
    claim(PAGE, "noise-slope", slope)
    claim(PAGE, "noise-slope-tol", tol)
    claim(PAGE, "noise-fpc-64", math.sqrt((N - 64) / (N - 1)))
    log_B = torch.tensor(ns["batch_sizes"], dtype=f64).log()
    log_exact = 0.5 * ((N - torch.tensor(ns["batch_sizes"], dtype=f64)) / (N - 1)).log() - 0.5 * log_B
    exact_slope = ((log_B - log_B.mean()) * (log_exact - log_exact.mean())).sum() / ((log_B - log_B.mean()) ** 2).sum()
    claim(PAGE, "noise-exact-slope", exact_slope.item())
    assert abs(slope - exact_slope) < abs(slope + 0.5)  # the correction explains the extra steepness


def test_the_exact_formula_is_exact_on_a_tiny_data_set():
    """Every subset of a small data set, enumerated: the mean is the full gradient and the mean squared
    distance is V (N - B) / (B (N - 1)) exactly."""
    gen = torch.Generator().manual_seed(1)
    G = torch.randn(7, 2, generator=gen, dtype=f64)
    g_full = G.mean(0)
    sigma_sq = (G - g_full).norm(dim=1).pow(2).mean()
    N = len(G)
    for B in range(1, N + 1):
        batches = torch.stack([G[list(rows)].mean(0) for rows in itertools.combinations(range(N), B)])
        torch.testing.assert_close(batches.mean(0), g_full, rtol=1e-12, atol=1e-12)
        expected = sigma_sq * (N - B) / (B * (N - 1))
        torch.testing.assert_close((batches - g_full).norm(dim=1).pow(2).mean(), expected, rtol=1e-12, atol=1e-14)


# --- DataLoader and the linear scaling rule -----------------------------------------------------


@pytest.fixture(scope="module")
def loader_ns():
    return load_snippet("optimizers/dataloader.py")


def test_each_epoch_visits_every_sample_once_in_a_seeded_order(loader_ns, claim):
    loader = loader_ns["loader"]
    epochs = [[i for (batch,) in loader for i in batch.tolist()] for _ in range(3)]
    for order in epochs:
        assert sorted(order) == list(range(10))
    assert epochs[0] != epochs[1]  # reshuffled every epoch
    def first_epochs(seed):
        fresh = DataLoader(TensorDataset(torch.arange(10)), batch_size=4, shuffle=True,
                           generator=torch.Generator().manual_seed(seed))
        return [[i for (batch,) in fresh for i in batch.tolist()] for _ in range(2)]
    torch.manual_seed(123)  # the global random state does not matter, the generator does
    orders = first_epochs(0)
    torch.manual_seed(456)
    assert first_epochs(0) == orders != first_epochs(1)

    def global_order(seed):  # no generator: the order comes from torch's global state
        torch.manual_seed(seed)
        return [i for (batch,) in DataLoader(TensorDataset(torch.arange(10)), batch_size=4, shuffle=True)
                for i in batch.tolist()]
    assert global_order(5) == global_order(5) != global_order(6)
    sizes = [len(batch) for (batch,) in loader]
    assert len(loader) == math.ceil(10 / 4) and len(loader_ns["dropping"]) == 10 // 4
    assert all(len(batch) == 4 for (batch,) in loader_ns["dropping"])
    claim(PAGE, "last-batch", sizes[-1])


def test_scaling_batch_and_rate_together_keeps_the_progress(loader_ns, claim):
    train, seeds = loader_ns["train"], loader_ns["seeds"]

    def excess(batch_size, lr):
        return sum(train(batch_size, lr, loader_ns["num_epochs"], s) for s in seeds) / len(seeds)

    small, scaled, unscaled = excess(8, 0.02), excess(32, 0.08), excess(32, 0.02)
    assert 0.5 < scaled / small < 2
    claim(PAGE, "scaling-same", "about as close to the minimum")
    assert unscaled / small > 40
    claim(PAGE, "scaling-worse", "more than 40 times")
    # the train loop is plain SGD on the full-data least-squares loss: its minimum is lstsq's
    X, y, w_best = loader_ns["X"], loader_ns["y"], loader_ns["w_best"]
    w = w_best.clone().requires_grad_()
    ((X @ w - y) ** 2).mean().backward()
    assert w.grad.abs().max() < 1e-12


# --- momentum and Nesterov --------------------------------------------------------------------


@pytest.fixture(scope="module")
def rates_ns():
    return load_snippet("optimizers/momentum_rates.py")


def test_measured_rates_match_the_formulas(rates_ns, claim):
    ns, num_steps, tol = rates_ns, rates_ns["num_steps"], 0.002
    claim(PAGE, "kappa", ns["kappa"])
    measured = {}
    for name, (settings, rate) in ns["runs"].items():
        d = ns["distances"](num_steps, **settings)
        measured[name] = (d[num_steps] / d[num_steps // 2]) ** (1 / (num_steps // 2))
        assert abs(measured[name] - rate) < tol
    claim(PAGE, "rates-tol", tol)
    kappa = ns["kappa"]
    claim(PAGE, "rate-plain", (kappa - 1) / (kappa + 1))
    claim(PAGE, "rate-heavy", (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    claim(PAGE, "rate-nesterov", 1 - 1 / math.sqrt(kappa))
    assert measured["heavy ball"] < measured["Nesterov"] < measured["plain GD"]


def test_the_rates_are_the_spectral_radii_of_the_iterations(rates_ns):
    """Independently of torch: the largest |eigenvalue| of each linear iteration over all curvatures."""
    c1, c2 = rates_ns["c1"], rates_ns["c2"]

    def radius(lr, mu, nesterov):
        worst = 0.0
        for c in (c1, c2):  # on a quadratic the worst curvature is an extreme one
            a = 1 - lr * c
            # state (w_t, w_{t-1}): heavy ball w+ = (1 + mu - lr c) w - mu w-; Nesterov (1 + mu) a w - mu a w-
            M = (torch.tensor([[(1 + mu) * a, -mu * a], [1.0, 0.0]], dtype=f64) if nesterov
                 else torch.tensor([[1 + mu - lr * c, -mu], [1.0, 0.0]], dtype=f64))
            worst = max(worst, torch.linalg.eigvals(M).abs().max().item())
        return worst

    for settings, rate in rates_ns["runs"].values():
        r = radius(settings["lr"], settings.get("momentum", 0.0), settings.get("nesterov", False))
        assert r == pytest.approx(rate, rel=1e-6)


def test_torch_nesterov_is_the_look_ahead_form(rates_ns, claim):
    ns = rates_ns
    assert (ns["ours"] - torch.stack(ns["torch_path"])).abs().max() < 1e-12
    claim(PAGE, "lookahead-equal", "to rounding")
    # and for other settings too, against a fresh torch run
    for lr, mu in [(0.01, 0.5), (0.02, 0.95)]:
        w = torch.tensor([0.3, -2.0], dtype=f64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=lr, momentum=mu, nesterov=True)
        path = []
        for _ in range(100):
            optimizer.zero_grad()
            (ns["c"] * w**2 / 2).sum().backward()
            optimizer.step()
            path.append(w.detach().clone())
        ours = ns["nesterov_lookahead"](torch.tensor([0.3, -2.0], dtype=f64), lr, mu, 100)
        torch.testing.assert_close(ours, torch.stack(path), rtol=1e-12, atol=1e-14)


# --- Adam and AdamW ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def adam_ns():
    return load_snippet("optimizers/adam_scale.py")


def test_adam_ignores_the_scale_of_the_loss_and_sgd_does_not(adam_ns, claim):
    steps, change = adam_ns["steps"], adam_ns["change"]
    with_eps = change(steps(torch.optim.Adam, 1000, lr=0.01), adam_ns["adam"])
    assert with_eps < 1e-6
    claim(PAGE, "adam-scale-change", with_eps)
    no_eps = change(steps(torch.optim.Adam, 1000, lr=0.01, eps=0.0), adam_ns["no_eps"])
    assert no_eps < 1e-12
    claim(PAGE, "adam-scale-no-eps", no_eps)
    ratio = adam_ns["sgd_1000"][0] / adam_ns["sgd"][0]
    torch.testing.assert_close(ratio, torch.full((2,), 1000.0, dtype=f64), rtol=1e-12, atol=0)
    claim(PAGE, "sgd-scale-ratio", ratio.min().item())
    # the same SGD rate on the scaled loss diverges
    assert steps(torch.optim.SGD, 1000, 20, lr=0.01).abs()[-1].max() > 1e10


def test_adam_weight_decay_ignores_lambda_and_adamw_follows_it(adam_ns, claim):
    after, no_decay = adam_ns["after"], adam_ns["no_decay"]
    adam = {wd: no_decay - after(torch.optim.Adam, wd) for wd in (0.01, 0.1)}
    adamw = {wd: no_decay - after(torch.optim.AdamW, wd) for wd in (0.01, 0.1)}
    busy = max(abs(d[0].item()) for d in adam.values())
    assert busy < 1e-10
    claim(PAGE, "adam-decay-busy", busy)
    for d in adam.values():
        claim(PAGE, "adam-decay-idle", d[1].item())
    assert abs(adam[0.01][1] - adam[0.1][1]) < 1e-3
    claim(PAGE, "adam-decay-same", "alike")
    claim(PAGE, "adamw-decay-idle", adamw[0.1][1].item())
    assert adamw[0.1][1].item() == pytest.approx(1 - (1 - 0.01 * 0.1) ** 10, rel=1e-12)  # (1 - lr lambda)^10
    ratio = (adamw[0.1][1] / adamw[0.01][1]).item()
    claim(PAGE, "adamw-decay-ratio", number_word(round(ratio)))
    assert adamw[0.1][0] > 1e-3  # the busy weight decays too


def test_the_weight_decay_defaults(claim):
    w = torch.zeros(1, requires_grad=True)
    claim(PAGE, "adam-wd-default", torch.optim.Adam([w]).defaults["weight_decay"])
    claim(PAGE, "adamw-wd-default", torch.optim.AdamW([w]).defaults["weight_decay"])


# --- every rule from scratch ------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch():
    return load_snippet("optimizers/from_scratch.py")


def test_the_page_compares_every_rule(scratch, claim):
    claim(PAGE, "rule-count", number_word(len(scratch["RULES"])))
    largest = max(scratch["largest_difference"](*spec) for spec in scratch["RULES"].values())
    assert largest < 1e-12
    claim(PAGE, "from-scratch-largest", largest)


SETTINGS = {  # (rule name, torch class, settings): more than the page shows, decay on and off
    "sgd": [(torch.optim.SGD, dict(lr=0.05)), (torch.optim.SGD, dict(lr=0.2, weight_decay=0.1))],
    "sgd_momentum": [(torch.optim.SGD, dict(lr=0.05, momentum=0.5)),
                     (torch.optim.SGD, dict(lr=0.1, momentum=0.99, weight_decay=0.05))],
    "sgd_nesterov": [(torch.optim.SGD, dict(lr=0.05, momentum=0.5, nesterov=True)),
                     (torch.optim.SGD, dict(lr=0.1, momentum=0.99, weight_decay=0.05, nesterov=True))],
    "adam": [(torch.optim.Adam, dict(lr=0.001)), (torch.optim.Adam, dict(lr=0.05, betas=(0.5, 0.9), eps=1e-6,
                                                                          weight_decay=0.3))],
    "adamw": [(torch.optim.AdamW, dict(lr=0.001)), (torch.optim.AdamW, dict(lr=0.05, betas=(0.5, 0.9), eps=1e-6,
                                                                            weight_decay=0.3))],
}


@pytest.mark.parametrize("rule_name,case", [(r, i) for r in SETTINGS for i in range(2)])
def test_each_rule_equals_torch_step_for_step(scratch, rule_name, case):
    optimizer_class, settings = SETTINGS[rule_name][case]
    assert scratch["largest_difference"](scratch[rule_name], optimizer_class, settings, num_steps=100) < 1e-12


@pytest.mark.parametrize("name", ["SGD", "momentum", "Nesterov", "Adam", "AdamW"])
def test_each_rule_of_the_page_equals_torch(scratch, name):
    assert scratch["largest_difference"](*scratch["RULES"][name]) < 1e-12


def test_adam_bias_correction_is_exact_for_a_constant_gradient(scratch):
    """With a constant gradient, m_hat = g and s_hat = g^2 from step 1: every step has length lr g / (|g| + eps)."""
    g = torch.tensor([0.3, -4.0], dtype=f64)
    w, state = torch.zeros(2, dtype=f64), {}
    for t in range(1, 20):
        new = scratch["adam"](w, g, state, lr=0.1)
        torch.testing.assert_close(w - new, 0.1 * g / (g.abs() + 1e-8), rtol=1e-12, atol=0)
        w = new
    # without the correction the first step would be (1 - beta1) / sqrt(1 - beta2) ~ 3.16 times longer
    assert state["t"] == 19


def test_the_first_step_of_momentum_is_the_gradient(scratch):
    g = torch.tensor([1.0, -2.0], dtype=f64)
    state = {}
    new = scratch["sgd_momentum"](torch.zeros(2, dtype=f64), g, state, lr=0.5, momentum=0.9)
    torch.testing.assert_close(new, -0.5 * g)
    torch.testing.assert_close(state["v"], g)


# --- the figure -------------------------------------------------------------------------------


def test_figure_draws_each_optimizers_torch_path(rates_ns, claim):
    ns = load_snippet("optimizers/fig_paths.py")
    try:
        lines = ns["ax"].lines[: len(ns["runs"])]
        assert len(lines) == len(ns["runs"]) == 4
        finals = {}
        for line, (label, (optimizer_class, settings)) in zip(lines, ns["runs"].items()):
            assert line.get_label().startswith(label)
            # an independent run with torch.optim, from the same start
            w = torch.tensor(ns["start"], dtype=f64, requires_grad=True)
            optimizer = optimizer_class([w], **settings)
            xs, ys = [w[0].item()], [w[1].item()]
            for _ in range(ns["num_steps"]):
                optimizer.zero_grad()
                (rates_ns["c"] * w**2 / 2).sum().backward()
                optimizer.step()
                xs.append(w[0].item())
                ys.append(w[1].item())
            torch.testing.assert_close(torch.tensor(line.get_xdata(), dtype=f64), torch.tensor(xs, dtype=f64))
            torch.testing.assert_close(torch.tensor(line.get_ydata(), dtype=f64), torch.tensor(ys, dtype=f64))
            finals[label] = math.hypot(xs[-1], ys[-1])
            assert f"|w| = {finals[label]:.2g}" in line.get_label()
        closest = min(finals, key=finals.get)
        assert closest.startswith("heavy ball")
        claim(PAGE, "fig-heavy-closest", "closest")
        # the settings are the page's best ones
        (c1, c2), q = (ns["c1"], ns["c2"]), math.sqrt(ns["c1"] / ns["c2"])
        assert (c1, c2) == (rates_ns["c1"], rates_ns["c2"])
        assert ns["runs"]["Nesterov, lr = 1/c2"][1] == dict(lr=1 / c2, momentum=(1 - q) / (1 + q), nesterov=True)
        assert len(plt.get_fignums()) == 1
    finally:
        plt.close("all")


# --- exercises --------------------------------------------------------------------------------


def test_solution_1_with_replacement_keeps_its_noise_at_b_equals_n(claim):
    ns = load_snippet("optimizers/solution_1.py")
    N, V = ns["N"], ns["V"].item()
    sigma = math.sqrt(V)  # the noise of one sample
    with_64, without_64 = ns["results"][64]
    with_N, without_N = ns["results"][N]
    assert without_N < 1e-12 and with_N == pytest.approx(sigma / math.sqrt(N), rel=0.05)
    claim(PAGE, "solution-1-with-64", with_64)
    claim(PAGE, "solution-1-sqrt-64", sigma / math.sqrt(64))
    claim(PAGE, "solution-1-without-64", without_64)
    claim(PAGE, "solution-1-without-N", without_N)
    claim(PAGE, "solution-1-with-N", with_N)
    assert with_64 == pytest.approx(sigma / 8, rel=0.05) and without_64 < with_64


def test_solution_2_eps_breaks_the_scale_invariance(claim):
    ns = load_snippet("optimizers/solution_2.py")
    g, step = ns["first_step"](1e-9)
    torch.testing.assert_close(step, 0.01 * g / (g.abs() + 1e-8), rtol=1e-9, atol=0)
    assert step[0] < step[1] < 0.01
    claim(PAGE, "solution-2-step-w1", step[0].item())
    claim(PAGE, "solution-2-step-w2", step[1].item())
    tiny = ns["first_step"](1e-9, eps=1e-20)[1]
    torch.testing.assert_close(tiny, torch.full((2,), 0.01, dtype=f64), rtol=1e-9, atol=0)
    claim(PAGE, "solution-2-step-tiny-eps", tiny[0].item())
    torch.testing.assert_close(ns["first_step"](1.0)[1], torch.full((2,), 0.01, dtype=f64), rtol=1e-6, atol=0)


def test_solution_3_the_first_momentum_step_is_undampened(claim):
    ns = load_snippet("optimizers/solution_3.py")
    w = ns["w"].detach()
    assert (ns["ours"] - w).abs().max() < 1e-12
    claim(PAGE, "solution-3-match", "to rounding")
    naive = (ns["naive"] - w).abs().max().item()
    assert naive > 1e-3
    claim(PAGE, "solution-3-naive", naive)


def test_solution_4_halving_a_weight_without_gradient(claim):
    def steps(optimizer_class, decay, lr=0.01):
        w = torch.ones(1, dtype=f64, requires_grad=True)
        optimizer = optimizer_class([w], lr=lr, weight_decay=decay)
        count = 0
        while w.item() > 0.5:
            w.grad = torch.zeros_like(w)
            optimizer.step()
            count += 1
        return count

    load_snippet("optimizers/solution_4.py")
    adamw, adamw_double = steps(torch.optim.AdamW, 0.1), steps(torch.optim.AdamW, 0.2)
    assert adamw == math.ceil(math.log(2) / -math.log(1 - 0.01 * 0.1))
    claim(PAGE, "solution-4-adamw", adamw)
    claim(PAGE, "solution-4-adamw-double", adamw_double)
    adam, adam_double = steps(torch.optim.Adam, 0.1), steps(torch.optim.Adam, 0.2)
    assert adam == adam_double and 0.5 / 0.01 <= adam < 0.6 / 0.01
    claim(PAGE, "solution-4-adam", adam)
    claim(PAGE, "solution-4-adam-same", "alike")
