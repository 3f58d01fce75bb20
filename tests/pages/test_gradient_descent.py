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


# --- Adam ------------------------------------------------------------------------------------


def test_adam_from_scratch_equals_torch_adam(claim):
    ns = load_snippet("gradient_descent/adam.py")
    assert torch.equal(ns["ours"], ns["w"].detach())  # float64, bit for bit
    claim("gradient-descent", "adam-exact", "to the last bit")
    c = ns["c"]
    claim("gradient-descent", "adam-curvature-ratio", (c[1] / c[0]).item())
    moved = 1.0 - ns["ours"]
    assert moved[0] == pytest.approx(moved[1].item(), rel=1e-6) and moved.min() > 0.4
    claim("gradient-descent", "adam-same-distance", "the same distance")
    # ten more steps from other starts and gradients, at the defaults, still equal torch's
    g = torch.Generator().manual_seed(0)
    ours = torch.randn(4, dtype=torch.float64, generator=g)
    w = ours.clone().requires_grad_()
    optimizer = torch.optim.Adam([w])
    m, s = torch.zeros(4, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)
    scale = torch.tensor([1e-3, 1.0, 10.0, 1e3], dtype=torch.float64)
    for t in range(1, 11):
        ours, m, s = ns["adam_step"](ours, scale * ours, m, s, t)
        optimizer.zero_grad()
        (scale * w**2 / 2).sum().backward()
        optimizer.step()
        np.testing.assert_allclose(ours.numpy(), w.detach().numpy(), rtol=1e-14, atol=1e-15)


def test_adam_defaults_and_its_first_step_of_size_lr(claim):
    defaults = torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults
    claim("gradient-descent", "adam-lr", defaults["lr"])
    claim("gradient-descent", "summary-adam-lr", defaults["lr"])
    claim("gradient-descent", "adam-beta1", defaults["betas"][0])
    claim("gradient-descent", "adam-beta2", defaults["betas"][1])
    assert defaults["eps"] == 1e-8
    claim("gradient-descent", "adam-eps", r"\(10^{-8}\)")
    adam_step = load_snippet("gradient_descent/adam.py")["adam_step"]
    g = torch.tensor([1e-4, -3.0, 500.0], dtype=torch.float64)
    w, _, _ = adam_step(torch.zeros(3, dtype=torch.float64), g, torch.zeros(3, dtype=torch.float64),
                        torch.zeros(3, dtype=torch.float64), 1)
    np.testing.assert_allclose(w.numpy(), -1e-3 * np.sign(g.numpy()), rtol=1e-4)  # about lr, whatever |g|


def test_adam_bias_correction_is_exact_for_a_constant_gradient():
    adam_step = load_snippet("gradient_descent/adam.py")["adam_step"]
    g = torch.tensor([0.3, -2.0, 1e-3], dtype=torch.float64)
    w = m = s = torch.zeros(3, dtype=torch.float64)
    for t in range(1, 20):
        w_before = w
        w, m, s = adam_step(w, g, m, s, t, lr=0.01, eps=0.0)
        np.testing.assert_allclose((m / (1 - 0.9**t)).numpy(), g.numpy(), rtol=1e-12)
        np.testing.assert_allclose((s / (1 - 0.999**t)).numpy(), (g**2).numpy(), rtol=1e-12)
        np.testing.assert_allclose((w_before - w).numpy(), 0.01 * np.sign(g.numpy()), rtol=1e-12)
        assert (m.abs() < g.abs()).all()  # without the correction: too small


def test_adamw_shrinks_the_weights_then_takes_the_adam_step():
    lr, wd, g = 0.1, 0.01, torch.tensor([0.3, -2.0], dtype=torch.float64)
    w = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.AdamW([w], lr=lr, weight_decay=wd)
    w.grad = g.clone()
    optimizer.step()
    adam_step = load_snippet("gradient_descent/adam.py")["adam_step"]
    zeros = torch.zeros(2, dtype=torch.float64)
    expected, _, _ = adam_step((1 - lr * wd) * torch.tensor([1.0, -1.0], dtype=torch.float64), g, zeros, zeros, 1,
                               lr=lr)
    np.testing.assert_allclose(w.detach().numpy(), expected.numpy(), rtol=1e-14)


# --- warm-up + cosine, and ReduceLROnPlateau ---------------------------------------------------


@pytest.fixture(scope="module")
def warmup_plateau():
    ns = load_snippet("gradient_descent/fig_warmup_plateau.py")
    plt.close("all")
    return ns


def test_warmup_then_cosine_is_the_formula(warmup_plateau):
    """eta_t = eta0 (0.1 + 0.9 t / t_warm) for t < t_warm, then half a cosine to 0, from scratch."""
    eta0, T, T_warm = 0.1, 100, 10
    assert (warmup_plateau["lr"], warmup_plateau["num_steps"], warmup_plateau["warmup"]) == (eta0, T, T_warm)
    t = np.arange(T)
    formula = np.where(t < T_warm, eta0 * (0.1 + 0.9 * t / T_warm),
                       eta0 / 2 * (1 + np.cos(np.pi * (t - T_warm) / (T - T_warm))))
    np.testing.assert_allclose(warmup_plateau["warmup_cosine"], formula, rtol=0, atol=1e-12)
    # and a fresh optimizer and scheduler, built here, give the same rates
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=eta0)
    scheduler = lr_scheduler.SequentialLR(optimizer, milestones=[T_warm], schedulers=[
        lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=T_warm),
        lr_scheduler.CosineAnnealingLR(optimizer, T_max=T - T_warm)])
    fresh = []
    for _ in range(T):
        fresh.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    np.testing.assert_allclose(fresh, formula, rtol=0, atol=1e-12)


def plateau_from_scratch(losses, lr, factor, patience, threshold=1e-4, eps=1e-8):
    """The rate of every epoch: cut by factor once more than patience epochs in a row do not improve
    (torch skips a cut smaller than eps)."""
    best, bad, rates = math.inf, 0, []
    for loss in losses:
        rates.append(lr)
        if loss < best * (1 - threshold):
            best, bad = loss, 0
        else:
            bad += 1
        if bad > patience:
            lr, bad = (lr * factor if lr - lr * factor > eps else lr), 0
    return rates


def test_reduce_on_plateau_cuts_after_patience_epochs_without_improvement(warmup_plateau, claim):
    losses, plateau = warmup_plateau["losses"], warmup_plateau["plateau"]
    assert plateau == pytest.approx(plateau_from_scratch(losses, 0.1, 0.5, 10), rel=1e-12)
    last_improvement = max(t for t in range(1, len(losses)) if losses[t] < min(losses[:t]) * (1 - 1e-4))
    claim("gradient-descent", "plateau-last-improvement", last_improvement)
    cuts = [t for t in range(1, len(plateau)) if plateau[t] < plateau[t - 1]]
    assert all(plateau[t] == pytest.approx(0.5 * plateau[t - 1]) for t in cuts)
    gaps = set(np.diff(cuts).tolist())
    assert gaps == {11} and cuts[0] == last_improvement + 12  # 11 bad epochs, then the next epoch's rate
    gap = gaps.pop()
    claim("gradient-descent", "plateau-gap", gap)
    claim("gradient-descent", "plateau-gap-again", gap)
    claim("gradient-descent", "plateau-first-cut", cuts[0])
    assert warmup_plateau["cuts"] == cuts
    claim("gradient-descent", "plateau-gap-rule", "one more than")
    # made-up sequences of several kinds, against a fresh scheduler
    rng = np.random.default_rng(0)
    for patience, factor in [(0, 0.1), (2, 0.5), (5, 0.3)]:
        made_up = list(1 + 0.2 * rng.standard_normal(40).cumsum() ** 2)
        w = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, factor=factor, patience=patience)
        rates = []
        for loss in made_up:
            rates.append(scheduler.get_last_lr()[0])
            optimizer.step()
            scheduler.step(loss)
        assert rates == pytest.approx(plateau_from_scratch(made_up, 0.1, factor, patience), rel=1e-12)
        assert len(set(rates)) > 1  # the sequence did make it cut


def test_warmup_plateau_figure_plots_the_recorded_rates(warmup_plateau):
    ax_a, ax_b = warmup_plateau["ax_a"], warmup_plateau["ax_b"]
    np.testing.assert_array_equal(ax_a.lines[0].get_ydata(), warmup_plateau["warmup_cosine"])
    np.testing.assert_array_equal(ax_b.lines[0].get_ydata(), warmup_plateau["plateau"])
    np.testing.assert_array_equal(warmup_plateau["ax_loss"].lines[0].get_ydata(), warmup_plateau["losses"])


# --- CyclicLR and OneCycleLR take over momentum ----------------------------------------------


def test_cyclic_and_one_cycle_momentum_is_what_the_optimizer_uses(claim):
    """Around SGD without momentum: the values they set, the range they cycle, and the steps taken."""
    for name, high, low in [("CyclicLR", 0.9, 0.8), ("OneCycleLR", 0.95, 0.85)]:
        w = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        assert optimizer.param_groups[0]["momentum"] == 0
        claim("gradient-descent", "sgd-momentum-default", optimizer.param_groups[0]["momentum"])
        scheduler = FRESH[name](optimizer)
        lrs, momenta, path = [], [], [1.0]
        for _ in range(100):
            lrs.append(optimizer.param_groups[0]["lr"])
            momenta.append(optimizer.param_groups[0]["momentum"])
            optimizer.zero_grad()
            (0.5 * w**2).sum().backward()
            optimizer.step()
            scheduler.step()
            path.append(w.item())
        assert momenta[0] == pytest.approx(high) and max(momenta) == pytest.approx(high)
        assert min(momenta) == pytest.approx(low) and momenta[int(np.argmax(lrs))] == pytest.approx(low)
        claim("gradient-descent", f"{name.lower()}-momentum-low", min(momenta))
        # the weights follow the heavy-ball recursion with these momenta, not plain SGD
        ours, v, plain = 1.0, 0.0, 1.0
        for lr, mu in zip(lrs, momenta):
            v = mu * v + 0.5 * 2 * ours
            ours, plain = ours - lr * v, plain - lr * plain
        assert path[-1] == pytest.approx(ours, rel=1e-9, abs=1e-12)
        assert abs(path[-1] - plain) > 1e-3
    # around Adam they cycle beta1 the same way
    for name, high, low in [("CyclicLR", 0.9, 0.8), ("OneCycleLR", 0.95, 0.85)]:
        w = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.Adam([w], lr=0.1, betas=(0.5, 0.999))
        scheduler = FRESH[name](optimizer)
        betas = []
        for _ in range(100):
            betas.append(optimizer.param_groups[0]["betas"][0])
            optimizer.step()
            scheduler.step()
        assert (betas[0], max(betas), min(betas)) == pytest.approx((high, high, low))


def test_fig_schedulers_momentum_does_not_change_the_curves(plotted):
    """record passes momentum=0.9: the rate curves are the same with momentum 0."""
    for name in FRESH:
        w = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        scheduler = FRESH[name](optimizer)
        lrs = []
        for _ in range(100):
            lrs.append(scheduler.get_last_lr()[0])
            optimizer.step()
            scheduler.step()
        (title,) = [t for t in plotted if t.split("(")[0] == name]
        np.testing.assert_allclose(plotted[title][1], lrs, rtol=1e-12, atol=0)


# --- the learning-rate range test ------------------------------------------------------------


@pytest.fixture(scope="module")
def range_ns():
    ns = load_snippet("gradient_descent/fig_range_test.py")
    plt.close("all")
    return ns


def test_range_test_pick_is_computed_from_the_run(range_ns, claim):
    lrs, losses = range_ns["lrs"], range_ns["losses"]
    # the rate grows by one constant factor each step, from lr_min
    ratios = np.array(lrs[1:]) / np.array(lrs[:-1])
    np.testing.assert_allclose(ratios, (10.0 / 1e-4) ** (1 / 100), rtol=1e-9)
    assert lrs[0] == pytest.approx(1e-4)
    # it stopped at the first loss above 4x the best so far, and nowhere before
    assert losses[-1] > 4 * min(losses) and all(loss <= 4 * min(losses[: i + 1]) for i, loss in enumerate(losses[:-1]))
    assert range_ns["blow_up"] == lrs[-1] and range_ns["pick"] == pytest.approx(lrs[-1] / 10, rel=1e-15)
    falls = np.diff(losses) / np.array(losses[:-1])
    assert range_ns["fastest"] == lrs[1 + int(np.argmin(falls))]
    # the procedure, not a typed number: scale the loss by 10 and the blow-up moves about tenfold down
    scaled_lrs, _ = range_ns["range_test"](lambda w: 10 * range_ns["loss_fn"](w))
    assert scaled_lrs[-1] / range_ns["blow_up"] == pytest.approx(0.1, rel=0.3)
    # against the quadratic's limit 2 / lambda_max, by autograd
    H = torch.autograd.functional.hessian(range_ns["loss_fn"], torch.zeros(3, dtype=torch.float64))
    limit = 2 / torch.linalg.eigvalsh(H).max().item()
    assert range_ns["pick"] < limit < range_ns["blow_up"]
    claim("gradient-descent", "range-limit", limit)
    claim("gradient-descent", "range-blow-up-factor", number_word(round(range_ns["blow_up"] / limit)))
    first_past = next(i for i, lr in enumerate(lrs) if lr > limit)
    claim("gradient-descent", "range-lag", len(lrs) - 1 - first_past)


def test_range_test_pick_converges_and_the_blow_up_rate_does_not(range_ns, claim):
    train, loss_fn, X, y = range_ns["train"], range_ns["loss_fn"], range_ns["X"], range_ns["y"]
    best = loss_fn(torch.linalg.lstsq(X, y).solution).item()  # the least-squares minimum: the noise
    assert train(range_ns["pick"]) == pytest.approx(best, rel=1e-3)
    claim("gradient-descent", "range-pick-converges", "down to the noise in the targets")
    start = loss_fn(torch.zeros(3, dtype=torch.float64)).item()
    assert train(range_ns["blow_up"]) > 1e100 * start
    claim("gradient-descent", "range-blow-up-diverges", "grows without bound")
    # training longer at the blow-up rate does not help: it keeps growing
    assert train(range_ns["blow_up"], 200) > train(range_ns["blow_up"], 100)


# --- worked solutions ------------------------------------------------------------------------


def test_solution_1_steps_below_a_thousandth(gd, claim):
    ns = load_snippet("gradient_descent/solution_1.py")
    for lr, name in [(0.1, "lr0.1"), (3.0, "lr3")]:
        factor = abs(1 - lr * 0.5)
        steps = next(t for t, w in enumerate(gd(1.0, lr, 0.5, 1000)) if abs(w) < 1e-3)  # the page's own function
        assert factor**steps < 1e-3 <= factor ** (steps - 1)
        claim("gradient-descent", f"solution-1-factor-{name}", factor)
        claim("gradient-descent", f"solution-1-steps-{name}", steps)
    assert ns["by_running"] == ns["by_formula"] == 10  # the last rate the snippet ran, lr = 3


def test_solution_2_the_steep_weight_sets_the_limit(claim):
    ns = load_snippet("gradient_descent/solution_2.py")
    H = torch.autograd.functional.hessian(lambda w: (0.5 * w[0] ** 2 + 10 * w[1] ** 2) / 2,
                                          torch.zeros(2, dtype=torch.float64))
    limit = 2 / torch.linalg.eigvalsh(H).max().item()
    assert ns["limit"] == pytest.approx(limit, rel=1e-12)
    claim("gradient-descent", "solution-2-limit", limit)
    claim("gradient-descent", "solution-2-factor", 1 - limit * 0.5)

    def run(lr):
        w = torch.ones(2, dtype=torch.float64)
        for _ in range(200):
            w = w - lr * torch.tensor([0.5, 10.0], dtype=torch.float64) * w
        return w
    below, above = run(0.99 * limit), run(1.01 * limit)
    assert abs(below[0]) < 1e-8 and 1e-3 < abs(below[1]) < 1
    claim("gradient-descent", "solution-2-w2-below", "still bounces")
    assert abs(above[0]) < 1e-8 and abs(above[1]) > 10
    claim("gradient-descent", "solution-2-w2-above", "blows up")


def test_solution_3_momentum_converges_beyond_two_over_c(momentum_ns, claim):
    ns = load_snippet("gradient_descent/solution_3.py")
    c, mu, lr = 0.5, 0.9, 6.0
    assert 2 / c < lr < 2 * (1 + mu) / c
    claim("gradient-descent", "solution-3-plain-factor", 1 - lr * c)
    path = momentum_ns["gradient_descent_momentum"](1.0, lr, c, mu, 100)  # the page's function
    assert ns["gradient_descent_momentum"](1.0, lr, c, mu, 100) == path
    roots = np.roots([1, -(1 + mu - lr * c), mu])
    assert np.all(np.iscomplex(roots))
    claim("gradient-descent", "solution-3-root", abs(roots[0]))
    claim("gradient-descent", "solution-3-flips", sum(a * b < 0 for a, b in zip(path, path[1:])))
    assert abs(path[-1]) < 0.02 and abs(momentum_ns["gradient_descent_momentum"](1.0, lr, c, mu, 1000)[-1]) < 1e-20
    claim("gradient-descent", "solution-3-w100", path[-1])
    assert 8.0 > 2 * (1 + mu) / c and abs(ns["history"][-1]) > 1e15  # the snippet's last run, lr = 8
    claim("gradient-descent", "solution-3-diverges", "diverges")


def test_solution_4_the_order_shifts_the_rates_used(claim):
    ns = load_snippet("gradient_descent/solution_4.py")
    record = ns["record"]
    step_lr = lambda opt: lr_scheduler.StepLR(opt, step_size=30, gamma=0.5)  # noqa: E731
    logged_right, used_right, caught_right = record(step_lr, scheduler_first=False)
    logged_wrong, used_wrong, caught_wrong = record(step_lr, scheduler_first=True)
    assert logged_right == logged_wrong and not caught_right
    claim("gradient-descent", "solution-4-logged-equal", "equal")
    assert any("before `optimizer.step()`" in message for message in caught_wrong)
    assert used_wrong[:-1] == used_right[1:]  # every rate one step early
    claim("gradient-descent", "solution-4-steplr-right", next(t for t in range(1, 100) if used_right[t] < used_right[t - 1]))
    claim("gradient-descent", "solution-4-steplr-wrong", next(t for t in range(1, 100) if used_wrong[t] < used_wrong[t - 1]))
    one_cycle = lambda opt: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100)  # noqa: E731
    _, right, _ = record(one_cycle, scheduler_first=False)
    _, wrong, _ = record(one_cycle, scheduler_first=True)
    assert right[0] not in wrong
    claim("gradient-descent", "solution-4-skipped", right[0])


def test_solution_5_one_cycle_half_and_linear(claim):
    ns = load_snippet("gradient_descent/solution_5.py")
    default, linear = ns["one_cycle"](), ns["one_cycle"](pct_start=0.5, anneal_strategy="linear")
    assert default == pytest.approx(fresh_schedule("OneCycleLR")[0].tolist(), rel=1e-12)
    claim("gradient-descent", "solution-5-peak-default", int(np.argmax(default)))
    peak = int(np.argmax(linear))
    claim("gradient-descent", "solution-5-peak-half", peak)
    assert peak + 1 == len(linear) // 2  # the warm-up is the first half of the steps
    claim("gradient-descent", "solution-5-half-way", "half-way")
    np.testing.assert_allclose(np.diff(linear[: peak + 1]), (0.1 - 0.004) / peak, rtol=1e-9)  # a straight rise
    falls = np.diff(linear[peak:])
    np.testing.assert_allclose(falls, falls[0], rtol=1e-9)  # a straight fall
    claim("gradient-descent", "solution-5-rise", linear[1] - linear[0])
    top = int(np.argmax(default))
    assert abs(default[top + 1] - default[top]) < abs(falls[0]) / 10  # the cosine leaves its peak slowly
    assert default[0] == pytest.approx(linear[0], rel=1e-12) and default[-1] == pytest.approx(linear[-1], rel=1e-9)
    claim("gradient-descent", "solution-5-start", linear[0])
    claim("gradient-descent", "solution-5-end", linear[-1])
