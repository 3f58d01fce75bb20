"""Gradient descent: the 2/c threshold, agreement with torch.optim.SGD, momentum's speed-up, and the schedules."""

import math
import re
import warnings

import matplotlib

matplotlib.use("Agg")  # figure snippets end with plt.show(); draw off-screen

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler

from support import SNIPPETS, load_snippet, number_word, playground_run

CURVATURES = [0.5, 1.0, 4.0, 10.0]
CONVERGING = [0.05, 0.3, 0.5, 0.9, 1.0, 1.5, 1.9, 1.99]  # lr * c, all below 2
DIVERGING = [2.01, 2.1, 3.0, 6.0]  # lr * c, all above 2


@pytest.fixture(scope="module")
def gd():
    return load_snippet("gradient_descent/quadratic.py")["gradient_descent"]


@pytest.fixture(scope="module")
def momentum_ns():
    return load_snippet("gradient_descent/momentum.py")


def sgd_path(w0, lr, c, num_steps, momentum=0.0, lrs=None):
    """torch.optim.SGD on L(w) = c w^2 / 2 in float64; every w visited."""
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum)
    path = [w.item()]
    for t in range(num_steps):
        if lrs is not None:
            optimizer.param_groups[0]["lr"] = lrs[t]
        optimizer.zero_grad()
        (c * w**2 / 2).backward()
        optimizer.step()
        path.append(w.item())
    return path


# --- the threshold 2/c ---------------------------------------------------------------------


@pytest.mark.parametrize("c", CURVATURES)
@pytest.mark.parametrize("lr_c", CONVERGING)
def test_converges_below_two_over_c(gd, c, lr_c):
    lr = lr_c / c
    history = gd(w0=1.0, lr=lr, c=c, num_steps=5000)
    for t in (1, 10, 100):  # the closed form w_t = (1 - lr c)^t w_0
        assert history[t] == pytest.approx((1 - lr * c) ** t, rel=1e-9, abs=1e-300)
    assert all(abs(b) <= abs(a) for a, b in zip(history, history[1:]))
    assert abs(history[-1]) < 1e-15


@pytest.mark.parametrize("c", CURVATURES)
@pytest.mark.parametrize("lr_c", DIVERGING)
def test_diverges_above_two_over_c(gd, c, lr_c):
    num_steps = math.ceil(50 / math.log10(abs(1 - lr_c)))  # enough to grow past 1e50, not to overflow
    history = gd(w0=1.0, lr=lr_c / c, c=c, num_steps=num_steps)
    assert all(abs(b) > abs(a) for a, b in zip(history, history[1:]))
    assert 1e50 <= abs(history[-1]) < math.inf


@pytest.mark.parametrize("c", CURVATURES)
def test_at_exactly_two_over_c_it_oscillates_forever(gd, c):
    assert (2 / c) * c == 2.0  # these curvatures make lr * c exactly 2 in floating point
    history = gd(1.0, 2 / c, c, 101)
    assert history == [(-1.0) ** t for t in range(102)]


@pytest.mark.parametrize("c", CURVATURES)
def test_the_four_regimes(gd, c):
    below = gd(1.0, 0.5 / c, c, 50)  # lr < 1/c: same sign throughout
    assert all(w > 0 for w in below)
    assert gd(1.0, 1 / c, c, 1)[1] == 0.0  # lr = 1/c: one step
    between = gd(1.0, 1.5 / c, c, 50)  # 1/c < lr < 2/c: sign flips every step, and shrinks
    assert all(a * b < 0 and abs(b) < abs(a) for a, b in zip(between, between[1:]))
    above = gd(1.0, 2.5 / c, c, 50)  # lr > 2/c: sign flips every step, and grows
    assert all(a * b < 0 and abs(b) > abs(a) for a, b in zip(above, above[1:]))


def test_lr_3_with_c_half_converges_and_lr_0_9_with_c_4_diverges(gd, claim):
    """'The learning rate must lie in (0, 1)' is false in both directions."""
    history = gd(w0=1.0, lr=3.0, c=0.5, num_steps=100)
    assert all(abs(b) == 0.5 * abs(a) and a * b < 0 for a, b in zip(history, history[1:]))
    claim("gradient-descent", "lr3-shrinks", "by half (with a flip of sign)")
    assert abs(history[-1]) < 1e-29
    claim("gradient-descent", "summary-lr3", "converges")
    assert sgd_path(1.0, 3.0, 0.5, 100)[-1] == history[-1]
    claim("gradient-descent", "limit-c4", 2 / 4.0)
    history = gd(w0=1.0, lr=0.9, c=4.0, num_steps=100)
    growth = abs(history[1] / history[0])
    assert all(abs(b) == pytest.approx(growth * abs(a), rel=1e-12) for a, b in zip(history, history[1:]))
    claim("gradient-descent", "growth-lr0.9", growth)
    assert abs(history[-1]) > 1e40
    claim("gradient-descent", "summary-lr0.9", "diverges")


def kind(path):
    """How a path of gradient descent moves, in the words of the page's list."""
    steps = list(zip(path, path[1:]))
    if all(w == 0 for w in path[1:]):
        return "lands in one step"
    if all(a * b > 0 and abs(b) < abs(a) for a, b in steps):
        return "slides from one side"
    if all(a * b < 0 and abs(b) < abs(a) for a, b in steps):
        return "jumps, each jump shorter"
    if all(b == -a for a, b in steps):
        return "bounces forever"
    if all(a * b < 0 and abs(b) > abs(a) for a, b in steps):
        return "jumps, each jump longer"
    return "something else"


def test_the_regimes_are_the_ones_the_page_lists(gd, claim):
    c = load_snippet("gradient_descent/quadratic.py")["c"]
    rates = [k / 20 / c for k in range(1, 81)]  # lr * c from 0.05 to 4, with 1 and 2 exactly
    regimes = {}
    for lr in rates:
        path = gd(1.0, lr, c, 100)
        regimes.setdefault(kind(path), []).append((lr * c, abs(path[-1]) < 1e-2))
    converging = {name for name, runs in regimes.items() if all(done for _, done in runs)}
    failing = set(regimes) - converging
    assert converging == {"slides from one side", "lands in one step", "jumps, each jump shorter"}
    assert [x for x, _ in regimes["lands in one step"]] == [1.0]  # between the two ways, at 1/c only
    claim("gradient-descent", "ways-to-converge", number_word(len(converging - {"lands in one step"})))
    assert failing == {"bounces forever", "jumps, each jump longer"}
    claim("gradient-descent", "ways-to-fail", number_word(len(failing)))
    # each bullet: the range of lr * c, the factor 1 - lr * c there, and how w moves
    assert all(0 < x < 1 and 0 < 1 - x < 1 for x, _ in regimes["slides from one side"])
    claim("gradient-descent", "factor-below-one-over-c", "between 0 and 1")
    assert abs(gd(1.0, 1.0, c, 5000)[-1]) < 1e-300  # towards the minimum at 0
    claim("gradient-descent", "path-below-one-over-c", "slides towards 0 from one side")
    claim("gradient-descent", "factor-at-one-over-c", 1 - (1 / c) * c)
    claim("gradient-descent", "path-at-one-over-c", "One step lands exactly on the minimum")
    assert all(1 < x < 2 and -1 < 1 - x < 0 for x, _ in regimes["jumps, each jump shorter"])
    claim("gradient-descent", "factor-between", r"between \(-1\) and 0")
    claim("gradient-descent", "path-between",
          "jumps over the minimum every step, and each jump is shorter than the last")
    assert [x for x, _ in regimes["bounces forever"]] == [2.0]
    claim("gradient-descent", "factor-at-two-over-c", 1 - (2 / c) * c)
    assert gd(1.0, 2 / c, c, 2) == [1.0, -1.0, 1.0]
    claim("gradient-descent", "path-at-two-over-c", r"bounces between \(w_0\) and \(-w_0\) forever")
    assert all(x > 2 and 1 - x < -1 for x, _ in regimes["jumps, each jump longer"])
    claim("gradient-descent", "factor-above-two-over-c", r"below \(-1\)")
    claim("gradient-descent", "path-above-two-over-c", "Every jump overshoots further")


def test_thirty_steps_at_each_rate_end_where_the_page_says(claim):
    ns = load_snippet("gradient_descent/quadratic.py")
    gd, c = ns["gradient_descent"], ns["c"]
    assert (1 / c, 2 / c) == (2.0, 4.0)
    claim("gradient-descent", "one-over-c", 1 / c)
    claim("gradient-descent", "two-over-c", 2 / c)
    w_30 = gd(1.0, 0.1, c, 30)[-1]
    assert w_30 == pytest.approx((1 - 0.1 * c) ** 30, rel=1e-12)
    claim("gradient-descent", "w30-lr0.1", w_30)
    claim("gradient-descent", "factor-lr0.1", 1 - 0.1 * c)
    assert gd(1.0, 2.0, c, 30)[-1] == 0.0
    claim("gradient-descent", "lr2-at-minimum", "exactly at the minimum")
    assert gd(1.0, 4.0, c, 30)[-1] == 1.0
    claim("gradient-descent", "lr4-back", "back where it started")
    assert gd(1.0, 4.2, c, 30)[-1] > 10.0
    claim("gradient-descent", "lr4.2-far", "far away")


def test_scaling_the_loss_scales_the_threshold(gd, claim):
    """Multiply the loss by 10: a rate that converged now diverges, and one 10x smaller converges."""
    c, lr = 0.5, 3.0

    def curvature(scale):  # d2/dw2 of scale * c w^2 / 2, by autograd
        return torch.autograd.functional.hessian(lambda w: scale * c * w**2 / 2,
                                                 torch.tensor(0.7, dtype=torch.float64)).item()

    curvature_ratio = curvature(10) / curvature(1)
    threshold_ratio = (2 / curvature(1)) / (2 / curvature(10))
    claim("gradient-descent", "scaled-curvature", number_word(round(curvature_ratio)) + "fold")
    claim("gradient-descent", "scaled-threshold", number_word(round(threshold_ratio)) + "fold")
    assert abs(gd(1.0, lr, c, 200)[-1]) < 1e-30
    assert abs(gd(1.0, lr, 10 * c, 200)[-1]) > 1e30
    assert abs(gd(1.0, lr / 10, 10 * c, 200)[-1]) < 1e-30


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_many_weights_converge_below_two_over_largest_curvature(seed):
    """L(w) = w^T H w / 2 with curvatures 0.5 ... 8 in random directions: the limit is 2 / 8."""
    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(5, 5, dtype=torch.float64, generator=g))
    H = Q @ torch.diag(torch.tensor([0.5, 1.0, 2.0, 4.0, 8.0], dtype=torch.float64)) @ Q.T
    lam_max = torch.linalg.eigvalsh(H).max().item()
    assert lam_max == pytest.approx(8.0)
    finals = {}
    for factor in (0.9, 1.1):
        w = torch.ones(5, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=factor * 2 / lam_max)
        for _ in range(300):
            optimizer.zero_grad()
            (w @ H @ w / 2).backward()
            optimizer.step()
        finals[factor] = w.detach().norm().item()
    assert finals[0.9] < 1e-10
    assert finals[1.1] > 1e10


# --- the playground's network, with the page's presets -------------------------------------

def playground_losses(steps, **changes):
    """The loss after 0, 1, 2 ... steps of the page's playground (None once it overflows)."""
    return playground_run("gradient-descent.md", steps, **changes)["losses"]


def test_the_playground_learns_at_the_preset_rate_and_diverges_at_1(claim):
    learning = playground_losses(500)
    assert learning[0] > 0.1 and min(learning) < 1e-3  # from well above to below 1e-3
    claim("gradient-descent", "playground-learns", r"falls below \(10^{-3}\) within 500 steps")
    diverging = playground_losses(1000, lr=1.0)
    finite = [loss for loss in diverging if loss is not None]
    assert finite[10] > 10 * finite[0] and finite[50] > 1e6 * finite[0]
    claim("gradient-descent", "playground-climbs", "the curve climbs")
    assert diverging[-1] is None and len(diverging) < 1000  # it overflowed, and the run stopped
    claim("gradient-descent", "playground-overflows", "the loss grows until the numbers overflow")


# --- the snippet against torch.optim.SGD ---------------------------------------------------


@pytest.mark.parametrize("c", CURVATURES)
@pytest.mark.parametrize("lr_c", [0.3, 1.5, 1.99, 2.5])
def test_snippet_update_matches_torch_sgd(gd, c, lr_c):
    lr = lr_c / c
    ours = gd(w0=1.7, lr=lr, c=c, num_steps=60)
    np.testing.assert_allclose(ours, sgd_path(1.7, lr, c, 60), rtol=1e-12, atol=0)


def test_torch_sgd_snippet_follows_the_formula(gd):
    ns = load_snippet("gradient_descent/torch_sgd.py")
    assert (ns["c"], ns["lr"]) == (0.5, 3.0)
    assert ns["w"].item() == gd(1.0, 3.0, 0.5, 6)[-1] == 0.5**6


# --- momentum ------------------------------------------------------------------------------


@pytest.mark.parametrize("mu", [0.5, 0.9, 0.99])
@pytest.mark.parametrize("c, lr", [(0.5, 0.1), (4.0, 0.3), (1.0, 2.5)])
def test_momentum_matches_torch_sgd(momentum_ns, c, lr, mu):
    ours = momentum_ns["gradient_descent_momentum"](1.3, lr, c, mu, 80)
    np.testing.assert_allclose(ours, sgd_path(1.3, lr, c, 80, momentum=mu), rtol=1e-10, atol=1e-12)


def test_momentum_snippet_agrees_with_torch(momentum_ns):
    assert momentum_ns["ours"][-1] == pytest.approx(momentum_ns["w"].item(), rel=1e-12)


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("c", [0.5, 4.0])
def test_momentum_threshold_is_two_times_one_plus_mu_over_c(momentum_ns, c, mu):
    run = momentum_ns["gradient_descent_momentum"]
    limit = 2 * (1 + mu) / c
    for factor in (0.5, 0.9, 0.97):
        assert abs(run(1.0, factor * limit, c, mu, 3000)[-1]) < 1e-6
    for factor in (1.03, 1.2, 2.0):  # grows past 1e6 (and may overflow to inf or nan later)
        assert max(abs(w) for w in run(1.0, factor * limit, c, mu, 3000) if math.isfinite(w)) > 1e6
    if mu > 0:  # a rate beyond 2/c that converges only thanks to momentum
        assert abs(run(1.0, 1.1 * 2 / c, c, mu, 3000)[-1]) < 1e-6


def test_velocity_builds_up_to_g_over_one_minus_mu(claim):
    mu, g, v = 0.9, 0.3, 0.0
    for _ in range(500):
        v = mu * v + g
    assert v == pytest.approx(g / (1 - mu), rel=1e-12)
    claim("gradient-descent", "velocity-build-up", number_word(round(v / g)))


def test_velocity_is_an_exponentially_decaying_sum_of_past_gradients():
    """v_t = g_t + mu g_(t-1) + mu^2 g_(t-2) + ...: not a plain running sum."""
    mu, g = 0.9, np.random.default_rng(0).normal(size=40)
    v = 0.0
    for t in range(len(g)):
        v = mu * v + g[t]
        decaying = sum(mu ** (t - s) * g[s] for s in range(t + 1))
        assert v == pytest.approx(decaying, rel=1e-12, abs=1e-12)
    assert abs(v - g.sum()) > 0.1  # an unweighted sum would be something else


def test_one_weight_momentum_buys_nothing_and_oscillates(momentum_ns, claim):
    """The page's 1-D run: mu = 0.9 ends about where plain GD does, swinging around 0."""
    c, lr, mu, ours = momentum_ns["c"], momentum_ns["lr"], momentum_ns["mu"], momentum_ns["ours"]
    plain = (1 - lr * c) ** 30
    assert abs(ours[-1] - plain) < 0.2 * plain  # no speed-up worth the name
    claim("gradient-descent", "momentum-1d-end", "about where plain gradient descent puts it")
    assert sum(a * b < 0 for a, b in zip(ours, ours[1:])) >= 2  # below 0 and back on the way
    claim("gradient-descent", "momentum-1d-swings", "swinging back and forth around 0")
    # the recursion's roots are complex, of size sqrt(mu) ~ 0.949, against 1 - lr c = 0.95
    roots = np.roots([1, -(1 + mu - lr * c), mu])
    assert np.all(np.iscomplex(roots))
    np.testing.assert_allclose(abs(roots), math.sqrt(mu), rtol=1e-12)
    assert abs(math.sqrt(mu) - (1 - lr * c)) < 0.01
    # the rate alone does it in one step
    assert load_snippet("gradient_descent/quadratic.py")["gradient_descent"](1.0, 1 / c, c, 1)[1] == 0.0


def test_nesterov_steps_along_g_plus_mu_v():
    c, lr, mu = 0.5, 0.3, 0.9
    w = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=mu, nesterov=True)
    ours, v = 1.0, 0.0
    for _ in range(20):
        optimizer.zero_grad()
        (c * w**2 / 2).backward()
        optimizer.step()
        g = c * ours
        v = mu * v + g
        ours = ours - lr * (g + mu * v)
        assert w.item() == pytest.approx(ours, rel=1e-12, abs=1e-15)
    assert w.item() != pytest.approx(momentum_path := sgd_path(1.0, lr, c, 20, momentum=mu)[-1], rel=1e-3)
    assert momentum_path != 0


def test_adam_ignores_the_scale_of_the_loss_and_sgd_does_not(claim):
    def path(optimizer_class, scale, **kwargs):
        w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
        optimizer = optimizer_class([w], **kwargs)
        for _ in range(50):
            optimizer.zero_grad()
            (scale * (0.5 * w[0] ** 2 + 10 * w[1] ** 2)).backward()
            optimizer.step()
        return w.detach().numpy()
    np.testing.assert_allclose(path(torch.optim.Adam, 10, lr=0.05), path(torch.optim.Adam, 1, lr=0.05),
                               rtol=1e-6, atol=1e-7)
    claim("gradient-descent", "adam-scale", "almost unchanged")
    assert np.abs(path(torch.optim.SGD, 10, lr=0.05) - path(torch.optim.SGD, 1, lr=0.05)).max() > 1


# --- momentum on an ill-conditioned quadratic ------------------------------------------------


@pytest.fixture(scope="module")
def valley():
    return load_snippet("gradient_descent/ill_conditioned.py")


def race(c1, c2, tol=1e-6, num_steps=4000):
    """Steps to |w| < tol from (1, 1), plain GD and momentum at their best constant settings."""
    kappa, steps = c2 / c1, {}
    for name, lr, mu in [("gd", 2 / (c1 + c2), 0.0),
                         ("momentum", 4 / (math.sqrt(c1) + math.sqrt(c2)) ** 2,
                          ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2)]:
        w = torch.ones(2, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=lr, momentum=mu)
        c = torch.tensor([c1, c2], dtype=torch.float64)
        for t in range(1, num_steps + 1):
            optimizer.zero_grad()
            (c * w**2 / 2).sum().backward()
            optimizer.step()
            if w.norm() < tol:
                steps[name] = t
                break
    return steps


def test_momentum_reaches_the_square_root_rate_on_the_valley(valley, claim):
    kappa, settings, distances = valley["kappa"], valley["settings"], valley["distances"]
    claim("gradient-descent", "kappa", kappa)
    assert settings["plain GD"]["rate"] == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)
    assert settings["momentum"]["rate"] == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), rel=1e-12)
    steps = {}
    for name, s in settings.items():
        d = distances(s["lr"], s["mu"], 1000)
        measured = (d[1000] / d[500]) ** (1 / 500)
        assert measured == pytest.approx(s["rate"], rel=0.005), name  # the formula, measured
        steps[name] = next(t for t, dist in enumerate(d) if dist < 1e-6)
    assert 5 * steps["momentum"] < steps["plain GD"]  # far fewer steps
    claim("gradient-descent", "race-fewer-steps", "in a fraction of the steps")
    claim("gradient-descent", "rate-plain", settings["plain GD"]["rate"])
    claim("gradient-descent", "rate-momentum", settings["momentum"]["rate"])


def test_the_settings_are_the_best_constant_ones(valley):
    """No (lr, mu) on a grid beats the formulas' spectral radius on both curvatures."""
    c1, c2, settings = valley["c1"], valley["c2"], valley["settings"]

    def radius(lr, mu):  # the slowest of the two directions, one step of (w_t, w_(t-1))
        return max(max(abs(np.roots([1, -(1 + mu - lr * c), mu]))) for c in (c1, c2))

    for name, s in settings.items():
        assert radius(s["lr"], s["mu"]) == pytest.approx(s["rate"], rel=1e-6), name
    grid_gd = min(radius(lr, 0.0) for lr in np.linspace(0.001, 2 / c2, 400))
    assert grid_gd >= settings["plain GD"]["rate"] - 1e-9
    grid_momentum = min(radius(lr, mu) for lr in np.linspace(0.001, 0.2, 200) for mu in np.linspace(0, 0.99, 100))
    assert grid_momentum >= settings["momentum"]["rate"] - 1e-6


def test_steps_grow_like_kappa_without_momentum_and_like_its_square_root_with_it(claim):
    narrow, narrower = race(0.5, 50.0), race(0.5, 200.0)  # kappa 100 and 400
    for name, claim_id, expected in [("gd", "race-plain-growth", 400 / 100),
                                     ("momentum", "race-momentum-growth", math.sqrt(400 / 100))]:
        growth = narrower[name] / narrow[name]
        assert growth == pytest.approx(expected, rel=0.25), name
        claim("gradient-descent", claim_id, f"about {number_word(round(growth))}fold")


def test_sutskever_form_is_the_same_path_with_a_constant_lr_and_not_with_a_schedule(momentum_ns):
    c, mu = 0.5, 0.9

    def sutskever(lrs):
        w, v, path = 1.0, 0.0, [1.0]
        for lr in lrs:
            v = mu * v - lr * c * w
            w = w + v
            path.append(w)
        return path

    constant = [0.3] * 60
    np.testing.assert_allclose(sutskever(constant), momentum_ns["gradient_descent_momentum"](1.0, 0.3, c, mu, 60),
                               rtol=1e-10, atol=1e-14)
    schedule = [0.3 * 0.9**t for t in range(60)]
    torch_path = sgd_path(1.0, 0.3, c, 60, momentum=mu, lrs=schedule)
    assert max(abs(a - b) for a, b in zip(sutskever(schedule), torch_path)) > 1e-3


# --- figures -------------------------------------------------------------------------------


def test_learning_rate_figure_plots_gradient_descent(gd, claim):
    ns = load_snippet("gradient_descent/fig_learning_rates.py")
    try:
        c = ns["c"]
        lines = ns["ax"].lines[: len(ns["runs"])]
        regimes = []
        for line in lines:
            lr = float(re.match(r"lr = ([\d.]+):", line.get_label()).group(1))
            np.testing.assert_allclose(line.get_ydata(), gd(ns["w0"], lr, c, ns["num_steps"]), rtol=1e-12)
            regimes.append((lr * c, line.get_label()))
        # every regime the page names is drawn, and labelled for what it is
        assert any(x < 1 for x, _ in regimes) and any(1 < x < 2 for x, _ in regimes)
        assert any(x == 2 for x, _ in regimes) and any(x > 2 for x, _ in regimes)
        assert any(x == 1 for x, _ in regimes)
        # the figure draws the rates of the printed run, 1/c included
        printed = (SNIPPETS / "gradient_descent" / "quadratic.py").read_text(encoding="utf-8")
        assert sorted(ns["runs"]) == [float(lr) for lr in re.findall(r"^#> lr = ([\d.]+)", printed, re.M)]
        claim("gradient-descent", "figure-rates", number_word(len(ns["runs"])))
        for x, label in regimes:
            assert ("diverges" in label) == (x > 2)
            assert ("forever" in label) == (x == 2)
            assert ("oscillates, converges" in label) == (1 < x < 2)
            assert ("one step" in label) == (x == 1)
        assert len(plt.get_fignums()) == 1
    finally:
        plt.close("all")


FRESH = {  # built here, independently of the snippet: a changed snippet fails the test
    "StepLR": lambda opt: lr_scheduler.StepLR(opt, step_size=30, gamma=0.5),
    "MultiStepLR": lambda opt: lr_scheduler.MultiStepLR(opt, milestones=[30, 80], gamma=0.1),
    "ExponentialLR": lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.96),
    "CyclicLR": lambda opt: lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=25),
    "OneCycleLR": lambda opt: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100),
}


def fresh_schedule(name, num_steps=100, lr=0.1):
    """Learning rates and momenta of a freshly built optimizer + scheduler, step by step."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=0.9)
    scheduler = FRESH[name](optimizer)
    lrs, momenta = [], []
    for _ in range(num_steps):
        lrs.append(scheduler.get_last_lr()[0])
        momenta.append(optimizer.param_groups[0]["momentum"])
        optimizer.zero_grad()
        (w**2).sum().backward()
        optimizer.step()
        scheduler.step()
    return np.array(lrs), np.array(momenta)


@pytest.fixture(scope="module")
def plotted():
    """Each panel's title and the y data of its curve, read back from the figure object."""
    ns = load_snippet("gradient_descent/fig_schedulers.py")
    try:
        assert len(plt.get_fignums()) == 1
        return {ax.get_title(): (ax.lines[0].get_xdata(), ax.lines[0].get_ydata()) for ax in ns["fig"].axes}
    finally:
        plt.close("all")


def test_all_five_schedulers_are_plotted(plotted, claim):
    names = sorted(title.split("(")[0] for title in plotted)
    assert names == sorted(FRESH)
    claim("gradient-descent", "scheduler-count", number_word(len(names)))


@pytest.mark.parametrize("name", sorted(FRESH))
def test_plotted_curve_equals_get_last_lr_step_by_step(plotted, name):
    (title,) = [t for t in plotted if t.split("(")[0] == name]
    x, y = plotted[title]
    lrs, _ = fresh_schedule(name)
    np.testing.assert_array_equal(x, np.arange(100))
    np.testing.assert_allclose(y, lrs, rtol=1e-12, atol=0)


def test_step_and_exponential_formulas():
    t = np.arange(100)
    np.testing.assert_allclose(fresh_schedule("StepLR")[0], 0.1 * 0.5 ** (t // 30), rtol=1e-12)
    np.testing.assert_allclose(fresh_schedule("ExponentialLR")[0], 0.1 * 0.96**t, rtol=1e-10)
    drops = (t >= 30).astype(int) + (t >= 80).astype(int)
    np.testing.assert_allclose(fresh_schedule("MultiStepLR")[0], 0.1 * 0.1**drops, rtol=1e-12)


def test_cyclic_lr_rises_from_base_to_max_and_back_twice():
    lrs, momenta = fresh_schedule("CyclicLR")
    assert lrs[0] == pytest.approx(0.01) and lrs[50] == pytest.approx(0.01)
    assert lrs[25] == pytest.approx(0.1) and lrs[75] == pytest.approx(0.1)
    assert lrs.max() == pytest.approx(0.1) and lrs.min() == pytest.approx(0.01)
    np.testing.assert_allclose(np.diff(lrs[:26]), (0.1 - 0.01) / 25, rtol=1e-9)  # linear rise
    assert momenta.argmin() == lrs.argmax()  # momentum moves against the rate
    assert np.corrcoef(lrs, momenta)[0, 1] < -0.99


def test_one_cycle_warms_up_for_30_percent_then_decays(claim):
    lrs, momenta = fresh_schedule("OneCycleLR")
    assert lrs[0] == pytest.approx(0.1 / 25, rel=1e-9)
    assert lrs.argmax() == 29 and lrs.max() == pytest.approx(0.1)
    claim("gradient-descent", "onecycle-warm-up", 100 * (lrs.argmax() + 1) / len(lrs))
    assert lrs[-1] == pytest.approx(0.1 / 250000, rel=1e-9)
    assert np.all(np.diff(lrs[:30]) > 0) and np.all(np.diff(lrs[29:]) < 0)
    assert momenta.argmin() == lrs.argmax()
    assert np.corrcoef(lrs, momenta)[0, 1] < -0.99
    # the decay after the peak is half a cosine, from max_lr down to max_lr / 250000
    t = np.arange(29, 100)
    lo, hi = 0.1 / 250000, 0.1
    cosine = lo + (hi - lo) / 2 * (1 + np.cos(np.pi * (t - 29) / (99 - 29)))
    np.testing.assert_allclose(lrs[29:], cosine, rtol=1e-9)


def test_one_cycle_raises_when_stepped_past_total_steps():
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=100)
    for _ in range(100):
        optimizer.step()
        scheduler.step()
    optimizer.step()
    with pytest.raises(ValueError, match="total steps"):
        scheduler.step()


def test_scheduler_before_optimizer_warns():
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=30)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()


def test_cyclic_and_one_cycle_switch_momentum_on(claim):
    for name in ("CyclicLR", "OneCycleLR"):
        w = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)  # no momentum
        assert optimizer.param_groups[0]["momentum"] == 0
        FRESH[name](optimizer)
        assert optimizer.param_groups[0]["momentum"] > 0
        claim("gradient-descent", f"{name.lower()}-momentum", optimizer.param_groups[0]["momentum"])
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, cycle_momentum=False)
    assert optimizer.param_groups[0]["momentum"] == 0


def test_one_cycle_three_phase_linear_is_the_papers_symmetric_cycle():
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=100, three_phase=True,
                                        anneal_strategy="linear")
    lrs = []
    for _ in range(100):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    lrs = np.array(lrs)
    peak = lrs.argmax()
    back = peak + np.argmin(np.abs(lrs[peak:] - lrs[0]))  # down again to the starting rate
    assert back - peak == pytest.approx(peak, abs=1)  # symmetric
    np.testing.assert_allclose(np.diff(lrs[:peak + 1]), (lrs[peak] - lrs[0]) / peak, rtol=1e-9)  # linear
    assert lrs[-1] == pytest.approx(0.1 / 250000, rel=1e-9) and lrs[-1] < lrs[0] / 1000  # annihilation


def test_scheduler_order_changes_the_rates_used_not_the_logged_curve():
    """Exercise 4: get_last_lr() logs the same curve either way; the optimizer uses other rates."""
    def run(scheduler_first):
        w = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        scheduler = lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
        logged, used = [], []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(10):
                logged.append(scheduler.get_last_lr()[0])
                if scheduler_first:
                    scheduler.step()
                used.append(optimizer.param_groups[0]["lr"])  # what optimizer.step() uses
                optimizer.step()
                if not scheduler_first:
                    scheduler.step()
        return logged, used
    logged_right, used_right = run(False)
    logged_wrong, used_wrong = run(True)
    assert logged_wrong == logged_right == used_right
    assert used_wrong == logged_right[1:] + [used_wrong[-1]]  # the first value is skipped
    assert used_wrong != used_right
