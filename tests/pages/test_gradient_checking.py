"""Gradient checking: every claim of docs/gradient-checking.md, computed."""

import inspect
import math
import re

import matplotlib

matplotlib.use("Agg")  # the figure snippet ends with plt.show(); draw off-screen

import numpy as np
import pytest
import torch
from torch.autograd.gradcheck import GradcheckError, gradcheck

from support import SNIPPETS, load_snippet, number_word

PAGE = "gradient-checking"
THRESHOLD = 1e-7  # the page's pass mark for float64 and h = 1e-5
CORRECT_BOUND = 1e-8  # the page: a correct backprop stays below this, ten times inside THRESHOLD
BROKEN_BOUND = 0.5  # the broken demo backprop's errors on W1 and b1 lie above this
FLOAT32_FLOOR = 1e-5  # no step brings a float32 check of a correct backprop below this
ONE_SIDED_BAND, CENTRAL_BAND = (9, 11), (90, 110)  # the error ratios per tenfold smaller h
H_STAR_FACTOR = 3  # each measured curve bottoms out within this factor of h*
ONE_PERCENT = 0.01  # the smallest planted bug: one weight's gradient this much off
DEMO_SEEDS = (1, 2, 3)  # random problems for this page's network, beside the page's own run
BACKPROP_SEEDS = (0, 1)  # random problems for the backpropagation page's network
NAMES = ("W1", "b1", "W2", "b2")
FOLD = {1: "tenfold", 2: "a hundredfold"}
TIMES = {3: "a thousand", 4: "ten thousand", 5: "a hundred thousand", 6: "a million"}


def exponent(x):
    """The power of ten nearest x (on a log scale): 2.2e-11 gives -11."""
    return round(math.log10(x))


def tex_power(x, prefix=""):
    """x, a power of ten, as the page writes it: \\(10^{-8}\\), or \\(h = 10^{-5}\\) with a prefix."""
    assert x == 10.0 ** exponent(x), x
    return rf"\({prefix}10^{{{exponent(x)}}}\)"


@pytest.fixture(scope="module")
def diff():
    return load_snippet("gradient_checking/differences.py")


@pytest.fixture(scope="module")
def checker():
    return load_snippet("gradient_checking/checker.py")


@pytest.fixture(scope="module")
def backprop_page():
    """The backpropagation page's from-scratch network: forward, mse and backprop."""
    return load_snippet("backpropagation/backprop.py", run_main=False)


@pytest.fixture(scope="module")
def tg():
    return load_snippet("gradient_checking/torch_gradcheck.py")


def network_problem(seed=0, N=8, d=3, n_hidden=4, dtype=np.float64):
    """Random data and parameters for a d-n_hidden-1 network."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
    params = {"W1": rng.normal(size=(n_hidden, d)), "b1": rng.normal(size=n_hidden),
              "W2": rng.normal(size=(1, n_hidden)), "b2": rng.normal(size=1)}
    return X.astype(dtype), y.astype(dtype), {n: p.astype(dtype) for n, p in params.items()}


def check(checker, ns, grad_fn, X, y, params, h=1e-5):
    """Run the page's checker on the network of namespace ns (this page's or backprop's)."""
    return checker["grad_check"](lambda p: ns["mse"](ns["forward"](X, **p)[0], y),
                                 lambda p: grad_fn(X, y, **p), params, h=h)


def torch_gradients(X, y, params):
    """The reference: autograd on the same network, in float64."""
    t = {n: torch.tensor(p, dtype=torch.float64, requires_grad=True) for n, p in params.items()}
    A1 = torch.sigmoid(torch.tensor(X) @ t["W1"].T + t["b1"])
    loss = ((A1 @ t["W2"].T + t["b2"] - torch.tensor(y)) ** 2).mean()
    loss.backward()
    return {n: t[n].grad.numpy() for n in NAMES}


# --- one-sided vs central differences ---------------------------------------------


def test_sigmoid_derivative_matches_autograd(diff):
    theta = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(theta).backward()
    assert diff["exact"] == pytest.approx(theta.grad.item(), rel=1e-15)
    assert diff["sigmoid"](0.5) == pytest.approx(torch.sigmoid(torch.tensor(0.5, dtype=torch.float64)).item(), rel=1e-15)


def test_one_sided_error_is_order_h_and_central_order_h_squared(diff, claim):
    """Each tenfold smaller h: one-sided error about 10x smaller, central about 100x."""
    f, exact = diff["sigmoid"], diff["exact"]
    hs = [1e-1, 1e-2, 1e-3, 1e-4]
    one = [abs(diff["one_sided"](f, 0.5, h) - exact) for h in hs]
    cen = [abs(diff["central"](f, 0.5, h) - exact) for h in hs]
    for i in range(len(hs) - 1):
        assert ONE_SIDED_BAND[0] < one[i] / one[i + 1] < ONE_SIDED_BAND[1]
        assert CENTRAL_BAND[0] < cen[i] / cen[i + 1] < CENTRAL_BAND[1]
    claim(PAGE, "ratio-bands", "between {} and {}, and between {} and {}".format(*ONE_SIDED_BAND, *CENTRAL_BAND))
    # digits lost per row: the power of ten of each ratio, the same on every row
    (digits_one,) = {exponent(one[i] / one[i + 1]) for i in range(len(hs) - 1)}
    (digits_central,) = {exponent(cen[i] / cen[i + 1]) for i in range(len(hs) - 1)}
    claim(PAGE, "one-sided-fold", FOLD[digits_one])
    claim(PAGE, "central-fold", FOLD[digits_central])
    claim(PAGE, "one-sided-digits", number_word(digits_one))
    claim(PAGE, "central-digits", number_word(digits_central))
    # and central beats one-sided at every h of the table, by more than ten times
    assert all(c * 10 < o for c, o in zip(cen, one))
    # the leading terms of the Taylor series: h |f''| / 2 and h^2 |f'''| / 6
    theta = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    (d1,) = torch.autograd.grad(torch.sigmoid(theta), theta, create_graph=True)
    (d2,) = torch.autograd.grad(d1, theta, create_graph=True)
    (d3,) = torch.autograd.grad(d2, theta)
    assert one[-1] == pytest.approx(1e-4 * abs(d2.item()) / 2, rel=1e-3)
    assert cen[-1] == pytest.approx(1e-8 * abs(d3.item()) / 6, rel=1e-2)


def test_float32_round_off_swamps_small_steps(diff, claim):
    f, f32, exact, central = diff["sigmoid"], diff["sigmoid32"], diff["exact"], diff["central"]
    hs = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7]  # the page's table
    err64 = [abs(central(f, 0.5, h) - exact) for h in hs]
    err32 = [abs(central(f32, np.float32(0.5), np.float32(h)) - exact) for h in hs]
    assert all(isinstance(central(f32, np.float32(0.5), np.float32(h)), np.float32) for h in hs)
    # float64: falls down to h = 1e-5, then round-off makes it grow again
    best = err64.index(min(err64))
    assert all(a > b for a, b in zip(err64[:best], err64[1:best + 1]))
    assert all(a < b for a, b in zip(err64[best:], err64[best + 1:]))
    claim(PAGE, "f64-best-h", tex_power(hs[best], "h = "))
    # float32: grows with every row of the table from the first on ...
    grows_from = min(i for i in range(len(hs)) if all(a < b for a, b in zip(err32[i:], err32[i + 1:])))
    claim(PAGE, "f32-grows-from", tex_power(hs[grows_from], "h = "))
    # ... until at h = 1e-7 it is as large as the derivative itself
    as_large = next(h for h, e in zip(hs, err32) if e > 0.5 * exact)
    assert err32[-1] == pytest.approx(exact, rel=0.1)
    claim(PAGE, "f32-as-large", tex_power(as_large, "h = "))
    # there the change of sigma over the step is below the gap between float32 neighbours
    assert 2 * 1e-7 * exact < np.spacing(np.float32(f(0.5)))
    # float64 at the same small steps stays far more accurate
    assert max(err64[2:]) < 1e-9


def test_the_figure_shows_float32_bottoming_out_far_above_float64():
    fig = load_snippet("gradient_checking/fig_error_vs_h.py")
    curves = fig["curves"]
    assert min(curves["central, float32"]) > 1e4 * min(curves["central, float64"])
    assert min(curves["central, float64"]) < min(curves["one-sided, float64"])
    fig["plt"].close("all")


def test_machine_epsilon_and_its_cube_root():
    """The pycon block of the page, and the best step it suggests."""
    assert np.finfo(np.float64).eps == 2.0**-52 and np.finfo(np.float32).eps == 2.0**-23
    assert 1e-6 < np.finfo(np.float64).eps ** (1 / 3) < 1e-5


# --- the relative error ------------------------------------------------------------


def test_relative_error_formula(checker, claim):
    rel = checker["relative_error"]
    a = np.array([1.0, 1e-6, -2.0, 0.0, 3.0])
    n = np.array([1.0 + 1e-6, 2e-6, 2.0, 0.0, 3.0])
    # the definition, one pair at a time in plain Python
    expected = [abs(ai - ni) / max(abs(ai), abs(ni), 1e-12) for ai, ni in zip(a.tolist(), n.tolist())]
    np.testing.assert_allclose(rel(a, n), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(expected[1:3], [0.5, 2.0], rtol=1e-15)
    np.testing.assert_array_equal(rel(a, n), rel(n, a))  # symmetric
    # the same absolute error 1e-6 is tiny next to 1 and huge next to 1e-6
    assert rel(np.array(1.0), np.array(1.0 + 1e-6)) < 1e-5 < 0.4 < rel(np.array(1e-6), np.array(2e-6))
    # never above 2, and above 1 only where the signs disagree
    rng = np.random.default_rng(0)
    a, n = rng.normal(size=10_000), rng.normal(size=10_000)
    errors = rel(a, n)
    largest = rel(np.array(1.0), np.array(-1.0)).item()  # equal sizes, opposite signs
    assert errors.max() <= largest and errors.max() > 0.95 * largest
    claim(PAGE, "rel-max", f"never exceeds {largest:g}")
    assert np.all(np.sign(a[errors > 1]) != np.sign(n[errors > 1]))
    assert np.all(errors[np.sign(a) == np.sign(n)] <= 1) and np.all(errors[np.sign(a) != np.sign(n)] > 1)
    claim(PAGE, "rel-above-one", "above 1")


def test_both_error_terms_at_the_pages_step(checker, claim):
    """At h = 1e-5: h^2 = 1e-10, and eps / h of about 1e-11."""
    h = inspect.signature(checker["grad_check"]).parameters["h"].default
    assert h == inspect.signature(checker["numerical_gradient"]).parameters["h"].default == 1e-5
    claim(PAGE, "h-squared", rf"\(h^2 = 10^{{{exponent(h**2)}}}\)")
    roundoff = np.finfo(np.float64).eps / h
    claim(PAGE, "roundoff-at-h", rf"\(10^{{{exponent(roundoff)}}}\)")
    claim(PAGE, "roundoff-pitfall", rf"\(10^{{{exponent(roundoff)}}}\)")


def test_a_central_difference_costs_two_losses_per_entry(checker, claim):
    """The page: a central difference costs two loss evaluations per parameter entry."""
    calls = []

    def loss_fn(p):
        calls.append(1)
        return checker["loss_fn"](p)

    checker["numerical_gradient"](loss_fn, checker["params"])
    entries = sum(p.size for p in checker["params"].values())
    assert len(calls) % entries == 0
    per_entry = len(calls) // entries
    claim(PAGE, "central-cost", number_word(per_entry))
    claim(PAGE, "entry-cost", number_word(per_entry))


# --- the checker on this page's network ------------------------------------------------


def test_demo_backprop_matches_autograd(checker, claim):
    X, y, params = checker["X"], checker["y"], checker["params"]
    grads, ref = checker["backprop"](X, y, **params), torch_gradients(X, y, params)
    rtol = 1e-12
    for n in NAMES:
        assert grads[n].shape == params[n].shape
        np.testing.assert_allclose(grads[n], ref[n], rtol=rtol, atol=1e-15)
    claim(PAGE, "backprop-rtol", tex_power(rtol))


def test_numerical_gradient_matches_autograd_and_restores_parameters(checker, claim):
    X, y, params = checker["X"], checker["y"], checker["params"]
    before = {n: p.copy() for n, p in params.items()}
    numeric = checker["numerical_gradient"](checker["loss_fn"], params)
    ref = torch_gradients(X, y, params)
    rtol = 1e-8
    for n in NAMES:
        np.testing.assert_allclose(numeric[n], ref[n], rtol=rtol, atol=1e-12)
        np.testing.assert_array_equal(params[n], before[n])  # every entry put back exactly
    claim(PAGE, "numeric-rtol", tex_power(rtol))


def test_checker_accepts_the_demo_backprop(checker, claim):
    max_error, errors = check(checker, checker, checker["backprop"], checker["X"], checker["y"],
                              checker["params"])
    assert checker["THRESHOLD"] == THRESHOLD
    assert max_error < CORRECT_BOUND
    for claim_id in ("correct-below", "correct-below-here", "summary-correct-below"):
        claim(PAGE, claim_id, tex_power(CORRECT_BOUND))
    claim(PAGE, "margin", number_word(round(THRESHOLD / CORRECT_BOUND)))
    claim(PAGE, "problems-here", number_word(1 + len(DEMO_SEEDS)))  # the page's run and DEMO_SEEDS
    claim(PAGE, "other-problems", number_word(len(DEMO_SEEDS)))
    assert set(errors) == set(NAMES)
    assert all(errors[n].shape == checker["params"][n].shape for n in NAMES)


def test_checker_rejects_the_broken_demo_backprop_and_points_at_the_hidden_layer(checker, claim):
    max_error, errors = check(checker, checker, checker["backprop_broken"], checker["X"],
                              checker["y"], checker["params"])
    assert errors["W1"].max() > BROKEN_BOUND and errors["b1"].max() > BROKEN_BOUND
    claim(PAGE, "broken-above", f"above {BROKEN_BOUND}")
    (order,) = {exponent(errors[n].max()) for n in ("W1", "b1")}
    claim(PAGE, "broken-order", f"of order {10 ** order}")
    # the output layer's gradients do not involve sigmoid'(Z1): they still pass
    assert errors["W2"].max() < THRESHOLD and errors["b2"].max() < THRESHOLD
    # an error above 1 on W1: some entries point the wrong way
    assert errors["W1"].max() > 1
    claim(PAGE, "w1-above-one", "above 1")
    broken = checker["backprop_broken"](checker["X"], checker["y"], **checker["params"])
    right = checker["backprop"](checker["X"], checker["y"], **checker["params"])
    wrong_way = errors["W1"] > 1
    assert np.all(np.sign(broken["W1"][wrong_way]) != np.sign(right["W1"][wrong_way]))


@pytest.mark.parametrize("seed", DEMO_SEEDS)
def test_demo_verdicts_hold_for_other_data(checker, seed, claim):
    X, y, params = network_problem(seed, N=16, d=4, n_hidden=5)
    assert check(checker, checker, checker["backprop"], X, y, params)[0] < CORRECT_BOUND
    for claim_id in ("correct-below", "correct-below-here", "summary-correct-below"):
        claim(PAGE, claim_id, tex_power(CORRECT_BOUND))
    assert check(checker, checker, checker["backprop_broken"], X, y, params)[0] > 1e-2


@pytest.mark.parametrize("h", [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6])
def test_float32_fails_the_correct_backprop_at_every_step(checker, h, claim):
    X, y, params = network_problem(0, dtype=np.float32)
    assert params["W1"].dtype == np.float32
    max_error, _ = check(checker, checker, checker["backprop"], X, y, params, h=h)
    assert max_error > FLOAT32_FLOOR  # a hundred times above the float64 pass mark
    claim(PAGE, "f32-never-below", tex_power(FLOAT32_FLOOR))


def test_demo_float32_run_fails(checker):
    assert checker["params32"]["W1"].dtype == np.float32
    max_error, _ = check(checker, checker, checker["backprop"], checker["X32"], checker["y32"],
                         checker["params32"])
    assert max_error > THRESHOLD


# --- the checker on the backpropagation page's backprop ------------------------------


def test_checker_accepts_the_backpropagation_page(checker, backprop_page, claim):
    for seed in BACKPROP_SEEDS:
        X, y, params = network_problem(seed, N=16, d=3, n_hidden=6)
        max_error, _ = check(checker, backprop_page, backprop_page["backprop"], X, y, params)
        assert max_error < CORRECT_BOUND
    for claim_id in ("correct-below", "correct-below-backprop", "summary-correct-below"):
        claim(PAGE, claim_id, tex_power(CORRECT_BOUND))
    claim(PAGE, "problems-backprop", number_word(len(BACKPROP_SEEDS)))
    claim(PAGE, "backprop-more", number_word(len(BACKPROP_SEEDS)))


def _halved(grads):  # the factor 2 of the MSE's derivative forgotten
    return {n: g / 2 for n, g in grads.items()}


def _bias_mean(grads):  # the bias gradient averaged over the 16 rows instead of summed
    return {**grads, "b1": grads["b1"] / 16}


def _one_entry_off(grads):  # a single weight 1 % off
    W1 = grads["W1"].copy()
    W1[0, 0] *= 1 + ONE_PERCENT
    return {**grads, "W1": W1}


MUTATIONS = [_halved, _bias_mean, _one_entry_off, "no_sigmoid_prime", "sigmoid_prime_at_A1"]


@pytest.mark.parametrize("mutate", MUTATIONS)
def test_checker_rejects_a_broken_backpropagation_page(checker, backprop_page, mutate, claim):
    X, y, params = network_problem(0, N=16, d=3, n_hidden=6)

    def broken(X, y, **p):
        grads = backprop_page["backprop"](X, y, **p)
        if isinstance(mutate, str):
            y_hat, A1 = backprop_page["forward"](X, **p)
            dL_dA1 = 2 / len(X) * (y_hat - y) @ p["W2"]
            if mutate == "no_sigmoid_prime":  # dL/dZ1 = dL/dA1, as in this page's bug
                dL_dZ1 = dL_dA1
            else:  # the backpropagation page's pitfall: sigmoid applied twice
                sA1 = backprop_page["sigmoid"](A1)
                dL_dZ1 = dL_dA1 * sA1 * (1 - sA1)
            return {**grads, "W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0)}
        return mutate(grads)

    max_error, _ = check(checker, backprop_page, broken, X, y, params)
    assert max_error > 1e-3 > THRESHOLD
    claim(PAGE, "variants", number_word(len(MUTATIONS)))


# --- torch.autograd.gradcheck -------------------------------------------------------


def test_gradcheck_defaults_are_what_the_page_says(claim):
    defaults = inspect.signature(gradcheck).parameters
    eps = defaults["eps"].default
    assert eps == 10.0 ** exponent(eps)
    claim(PAGE, "gradcheck-eps", f"`eps=1e{exponent(eps)}`")
    claim(PAGE, "gradcheck-atol", tex_power(defaults["atol"].default, r"\text{atol} = "))
    claim(PAGE, "gradcheck-rtol", tex_power(defaults["rtol"].default, r"\text{rtol} = "))


def test_gradcheck_accepts_the_loss_and_rejects_the_wrong_backward(tg, claim):
    params = tg["params"]
    assert all(p.dtype == torch.float64 and p.requires_grad for p in params)
    assert gradcheck(tg["loss"], params) is True
    assert gradcheck(tg["broken_loss"], params, raise_exception=False) is False
    with pytest.raises(GradcheckError) as raised:
        gradcheck(tg["broken_loss"], params)
    output, index = re.match(r"Jacobian mismatch for output (\d+) with respect to input (\d+)",
                             str(raised.value)).groups()
    assert tg["broken_loss"](*params).dim() == 0 and output == "0"  # the only output: the loss
    assert params[int(index)] is tg["W1"]
    claim(PAGE, "mismatch", f"output {output} (the loss) with respect to input {index}")
    # the broken sigmoid computes the right values: only its backward is wrong
    assert torch.equal(tg["broken_loss"](*params), tg["loss"](*params))


def test_gradcheck_in_float32_fails_even_the_correct_loss(tg):
    X, y = tg["X"].float(), tg["y"].float()
    params32 = [p.detach().float().requires_grad_() for p in tg["params"]]

    def loss32(W1, b1, W2, b2):
        return ((torch.sigmoid(X @ W1.T + b1) @ W2.T + b2 - y) ** 2).mean()

    with pytest.warns(UserWarning, match="not a double precision"):
        assert gradcheck(loss32, params32, raise_exception=False) is False


def numpy_backprop_as_function(ns, grad_fn, X, y):
    """A custom autograd.Function whose backward is grad_fn, a from-scratch backprop."""

    class Loss(torch.autograd.Function):
        @staticmethod
        def forward(ctx, W1, b1, W2, b2):
            ctx.save_for_backward(W1, b1, W2, b2)
            p = [t.detach().numpy() for t in (W1, b1, W2, b2)]
            return torch.tensor(ns["mse"](ns["forward"](X, *p)[0], y), dtype=torch.float64)

        @staticmethod
        def backward(ctx, grad_output):
            p = {n: t.detach().numpy() for n, t in zip(NAMES, ctx.saved_tensors)}
            grads = grad_fn(X, y, **p)
            return tuple(grad_output * torch.from_numpy(np.asarray(grads[n])) for n in NAMES)

    return Loss.apply


@pytest.mark.parametrize("which", ["demo", "backpropagation page"])
def test_gradcheck_agrees_with_the_checker(checker, backprop_page, which):
    ns = checker if which == "demo" else backprop_page
    X, y, params = network_problem(0)
    inputs = [torch.tensor(params[n], requires_grad=True) for n in NAMES]
    right = numpy_backprop_as_function(ns, ns["backprop"], X, y)
    wrong = numpy_backprop_as_function(ns, checker["backprop_broken"], X, y)
    assert gradcheck(right, inputs) is True
    assert gradcheck(wrong, inputs, raise_exception=False) is False
    with pytest.raises(GradcheckError):
        gradcheck(wrong, inputs)
    # and the from-scratch checker gives the same two verdicts
    assert check(checker, ns, ns["backprop"], X, y, params)[0] < THRESHOLD
    assert check(checker, ns, checker["backprop_broken"], X, y, params)[0] > THRESHOLD


# --- claims added with the review: Taylor remainder, best step, bands, tips -----------


def sigmoid_derivatives(order, theta=0.5):
    """sigma and its derivatives at theta, by autograd: [f, f', f'', ...]."""
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    values, d = [torch.sigmoid(t)], torch.sigmoid(t)
    for _ in range(order):
        (d,) = torch.autograd.grad(d, t, create_graph=True)
        values.append(d)
    return [v.item() for v in values]


def test_central_difference_remainder_is_order_h_to_the_fourth(diff):
    """The page expands to h^4 f''''/24, which cancels: what is left after h^2 f'''/6 is O(h^4)."""
    f0, f1, f2, f3, f4, f5 = sigmoid_derivatives(5)
    for h in (0.05, 0.025):
        remainder = diff["central"](diff["sigmoid"], 0.5, h) - f1 - h**2 * f3 / 6
        assert remainder == pytest.approx(h**4 * f5 / 120, rel=2e-2)
    # the one-sided quotient keeps the even term: its remainder after h f''/2 is h^2 f'''/6
    h = 1e-3
    remainder = diff["one_sided"](diff["sigmoid"], 0.5, h) - f1 - h * f2 / 2
    assert remainder == pytest.approx(h**2 * f3 / 6, rel=1e-2)


def test_best_step_and_best_error_of_the_two_term_estimate(claim):
    """h* = (3 eps |f| / |f'''|)^(1/3) minimizes h^2 |f'''|/6 + eps |f|/h, where the sum is
    (3/2) eps |f| / h*, proportional to eps^(2/3); the figure's curves bottom out near h*."""
    f0, f1, f2, f3 = sigmoid_derivatives(3)
    fig = load_snippet("gradient_checking/fig_error_vs_h.py")
    fig["plt"].close("all")
    hs = np.asarray(fig["hs"])
    for curve, dtype in (("central, float64", np.float64), ("central, float32", np.float32)):
        eps = float(np.finfo(dtype).eps)
        h_star = (3 * eps * abs(f0) / abs(f3)) ** (1 / 3)
        best = 1.5 * eps * abs(f0) / h_star
        grid = np.logspace(np.log10(h_star) - 2, np.log10(h_star) + 2, 40001)
        estimate = grid**2 * abs(f3) / 6 + eps * abs(f0) / grid
        assert grid[estimate.argmin()] == pytest.approx(h_star, rel=1e-3)
        assert estimate.min() == pytest.approx(best, rel=1e-9)
        assert best == pytest.approx(1.5 * 3 ** (-1 / 3) * abs(f0) ** (2 / 3) * abs(f3) ** (1 / 3)
                                     * eps ** (2 / 3), rel=1e-12)
        # the measured curve: lowest within a factor of 3 of h*, and never above the estimate
        errors = np.asarray(fig["curves"][curve])
        assert 1 / H_STAR_FACTOR < hs[errors.argmin()] / h_star < H_STAR_FACTOR, curve
        assert np.all(errors <= 1.01 * (hs**2 * abs(f3) / 6 + eps * abs(f0) / hs)), curve
        if dtype is np.float64:  # the summary: h* near eps^(1/3), both about 1e-5
            assert exponent(h_star) == exponent(eps ** (1 / 3))
            claim(PAGE, "cube-root-eps", rf"\(10^{{{exponent(h_star)}}}\)")
    claim(PAGE, "h-star-factor", H_STAR_FACTOR)
    # float32's best error is far above a relative 1e-7, float64's far below
    assert np.finfo(np.float32).eps ** (2 / 3) > 100 * THRESHOLD > 1e4 * np.finfo(np.float64).eps ** (2 / 3)
    best32 = float(np.finfo(np.float32).eps) ** (2 / 3)
    power = math.floor(math.log10(best32))
    claim(PAGE, "f32-best-error", rf"\(\varepsilon^{{2/3}} \approx {round(best32 / 10**power)} \cdot 10^{{{power}}}\)")


def test_machine_epsilon_is_the_gap_after_one():
    for dtype in (np.float64, np.float32):
        eps = np.finfo(dtype).eps
        assert np.nextafter(dtype(1), dtype(2)) - dtype(1) == eps
        assert dtype(1) + dtype(eps) / 2 == dtype(1)  # half the gap rounds back to 1


def test_one_weight_one_percent_off_lands_where_the_page_says(checker, backprop_page, claim):
    """0.01 / 1.01 on that entry: about 1e-2, about 1e5 times the mark, below CS231n's 'bug' 1e-2."""
    X, y, params = network_problem(0, N=16, d=3, n_hidden=6)
    _, errors = check(checker, backprop_page, lambda X, y, **p: _one_entry_off(backprop_page["backprop"](X, y, **p)),
                      X, y, params)
    error = errors["W1"][0, 0]
    assert error == pytest.approx(ONE_PERCENT / (1 + ONE_PERCENT), rel=1e-5)
    claim(PAGE, "one-percent-error", rf"\({ONE_PERCENT:g} / {1 + ONE_PERCENT:g} \approx 10^{{{exponent(error)}}}\)")
    claim(PAGE, "times-the-mark", TIMES[exponent(error / THRESHOLD)])
    # CS231n's scale: below 1e-7 good, around 1e-4 uneasy, above 1e-2 almost surely a bug
    verdict = "good" if error < 1e-7 else "uneasy" if error <= 1e-2 else "a bug"
    claim(PAGE, "cs231n-verdict", verdict)
    assert 1e-4 < error < 1e-2 and 5e4 < error / THRESHOLD < 2e5
    assert errors["W1"].max() == error  # every other entry still passes
    assert np.sort(errors["W1"].ravel())[-2] < THRESHOLD


def test_a_directional_check_costs_two_evaluations_and_catches_the_bug(checker, tg, claim):
    X, y, params = checker["X"], checker["y"], checker["params"]
    rng = np.random.default_rng(1)
    v = {n: rng.normal(size=p.shape) for n, p in params.items()}
    calls = []

    def loss_fn(p):
        calls.append(1)
        return checker["mse"](checker["forward"](X, **p)[0], y)

    h = 1e-5
    numeric = (loss_fn({n: params[n] + h * v[n] for n in NAMES})
               - loss_fn({n: params[n] - h * v[n] for n in NAMES})) / (2 * h)
    assert len(calls) == 2
    claim(PAGE, "directional-cost", number_word(len(calls)))
    for grad_fn, passes in ((checker["backprop"], True), (checker["backprop_broken"], False)):
        g = grad_fn(X, y, **params)
        analytic = sum(float((g[n] * v[n]).sum()) for n in NAMES)
        assert (checker["relative_error"](np.array(analytic), np.array(numeric)) < THRESHOLD) == passes
    # gradcheck's fast mode does the same kind of check, with the same verdicts
    assert gradcheck(tg["loss"], tg["params"], fast_mode=True) is True
    assert gradcheck(tg["broken_loss"], tg["params"], fast_mode=True, raise_exception=False) is False


def test_gradcheck_takes_complex128_without_a_warning(recwarn):
    z = torch.randn(3, dtype=torch.complex128, requires_grad=True)
    assert gradcheck(lambda z: (z * z.conj()).real.sum(), (z,)) is True
    assert not [w for w in recwarn if "precision" in str(w.message)]


def test_eval_also_switches_batchnorm():
    """The page: model.eval() turns dropout off but changes batch norm too."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Dropout(0.5)).double()
    x = torch.randn(8, 3, dtype=torch.float64)
    model.train()
    model[2].eval()  # only dropout in eval mode: a fixed function, still batch statistics
    a, b = model(x), model(x)
    assert torch.equal(a, b)
    model.eval()
    assert not torch.allclose(model(x), a)  # running statistics: another function


def test_kink_window_is_h_times_the_input_for_a_weight(checker):
    """A ReLU pre-activation 5h from its kink, with input x = 10: outside h, inside h |x|.
    The weight's check fails there (a false alarm), the bias's passes."""
    h, x = 1e-5, 10.0
    params = {"w": np.array([0.3]), "b": np.array([5 * h - 0.3 * x])}  # z = w x + b = 5h

    def loss_fn(p):
        return max(0.0, float(p["w"][0] * x + p["b"][0]))  # ReLU(z)

    def grad_fn(p):  # correct: z > 0, so dL/dw = x and dL/db = 1
        return {"w": np.array([x]), "b": np.array([1.0])}

    _, errors = checker["grad_check"](loss_fn, grad_fn, params, h=h)
    assert errors["b"][0] < THRESHOLD
    assert errors["w"][0] > 0.1


def test_h_is_only_the_step_in_the_included_code():
    """The page: h is the step, the hidden width is n_hidden; the included code agrees."""
    source = (SNIPPETS / "gradient_checking" / "checker.py").read_text(encoding="utf-8")
    network = source.split("# --8<-- [start:network]")[1].split("# --8<-- [end:network]")[0]
    assert "(N, n_hidden)" in network and "(N, h)" not in network


# --- the directional check and gradcheck's fast mode -------------------------------


def test_the_directional_check_costs_two_losses_and_separates_the_backprops(checker, claim):
    X, y, params = checker["X"], checker["y"], checker["params"]
    calls = []

    def loss_fn(p):
        calls.append(1)
        return checker["loss_fn"](p)

    error = checker["directional_check"](loss_fn, lambda p: checker["backprop"](X, y, **p), params)
    assert len(calls) == 2 and error < CORRECT_BOUND
    claim(PAGE, "directional-cost", number_word(len(calls)))
    claim(PAGE, "summary-directional-cost", number_word(len(calls)))
    # the direction's slope is what autograd says: grad . u, for the snippet's u
    rng = np.random.default_rng(0)
    u = {n: rng.normal(size=p.shape) for n, p in params.items()}
    ref = torch_gradients(X, y, params)
    slope = sum(float((ref[n] * u[n]).sum()) for n in NAMES)
    h = 1e-5
    numeric = (checker["loss_fn"]({n: params[n] + h * u[n] for n in NAMES})
               - checker["loss_fn"]({n: params[n] - h * u[n] for n in NAMES})) / (2 * h)
    assert numeric == pytest.approx(slope, rel=1e-8)
    # and the verdicts hold for other directions and other problems
    for seed in DEMO_SEEDS:
        X2, y2, p2 = network_problem(seed, N=16, d=4, n_hidden=5)
        loss2 = lambda p: checker["mse"](checker["forward"](X2, **p)[0], y2)  # noqa: E731
        for direction in range(3):
            right = checker["directional_check"](loss2, lambda p: checker["backprop"](X2, y2, **p), p2, seed=direction)
            wrong = checker["directional_check"](loss2, lambda p: checker["backprop_broken"](X2, y2, **p), p2,
                                                 seed=direction)
            assert right < CORRECT_BOUND and wrong > 1e-2


def test_the_directional_run_prints_the_verdicts(checker):
    X, y, params = checker["X"], checker["y"], checker["params"]
    right = checker["directional_check"](checker["loss_fn"], lambda p: checker["backprop"](X, y, **p), params)
    wrong = checker["directional_check"](checker["loss_fn"], lambda p: checker["backprop_broken"](X, y, **p), params)
    assert right < THRESHOLD < 0.5 < wrong  # PASS and FAIL, the broken one by a good fraction


def count_calls(func, inputs, **options):
    calls = []

    def counted(*args):
        calls.append(1)
        return func(*args)

    verdict = gradcheck(counted, inputs, **options)
    return verdict, len(calls)


def test_fast_mode_is_a_directional_check_two_evaluations_per_input(tg, checker, claim):
    params = tg["params"]
    # fast mode accepts the correct loss and rejects the custom backward that forgets sigma'
    assert gradcheck(tg["loss"], params, fast_mode=True) is True
    assert gradcheck(tg["broken_loss"], params, fast_mode=True, raise_exception=False) is False
    # and the same for the from-scratch backprop and its broken copy, wrapped as Functions
    X, y, p = network_problem(0)
    inputs = [torch.tensor(p[n], requires_grad=True) for n in NAMES]
    assert gradcheck(numpy_backprop_as_function(checker, checker["backprop"], X, y), inputs, fast_mode=True)
    assert not gradcheck(numpy_backprop_as_function(checker, checker["backprop_broken"], X, y), inputs,
                         fast_mode=True, raise_exception=False)
    # the cost: per input tensor, not per entry
    _, four = count_calls(tg["loss"], params, fast_mode=True)
    W1, b1, W2, b2 = params
    _, two = count_calls(lambda W1, b1: tg["loss"](W1, b1, W2, b2), (W1, b1), fast_mode=True)
    per_input = (four - two) // 2
    assert four - two == 2 * per_input and four == 4 * per_input + (two - 2 * per_input)
    _, slow = count_calls(tg["loss"], params)
    assert slow - (two - 2 * per_input) == 2 * sum(t.numel() for t in params)  # slow: two per entry
    claim(PAGE, "fast-per-input", number_word(per_input))


# --- after a burn-in, and one term at a time ---------------------------------------


def clip_backprop(checker):
    """The correct backward pass of the clipped network: the mask where |Z1| < 1."""

    def backprop_clip(X, y, W1, b1, W2, b2):
        y_hat, A1 = checker["forward_clip"](X, W1, b1, W2, b2)
        Z1 = X @ W1.T + b1
        dL_dy_hat = 2 / len(X) * (y_hat - y)
        dL_dZ1 = (dL_dy_hat @ W2) * (np.abs(Z1) < 1)
        return {"W1": dL_dZ1.T @ X, "b1": dL_dZ1.sum(axis=0),
                "W2": dL_dy_hat.T @ A1, "b2": dL_dy_hat.sum(axis=0)}

    return backprop_clip


def test_the_clipped_network_is_hardtanh_and_its_correct_backward_is_autograd(checker):
    X, y, params = network_problem(4)
    params["W1"] *= 2  # some units clipped, some not
    Z1 = X @ params["W1"].T + params["b1"]
    assert 0 < np.mean(np.abs(Z1) > 1) < 1
    t = {n: torch.tensor(p, requires_grad=True) for n, p in params.items()}
    A1 = torch.nn.functional.hardtanh(torch.tensor(X) @ t["W1"].T + t["b1"])
    y_hat = A1 @ t["W2"].T + t["b2"]
    torch.nn.functional.mse_loss(y_hat, torch.tensor(y)).backward()
    np.testing.assert_allclose(checker["forward_clip"](X, **params)[0], y_hat.detach().numpy(), rtol=1e-14)
    grads = clip_backprop(checker)(X, y, **params)
    broken = checker["backprop_clip_broken"](X, y, **params)
    for n in NAMES:
        np.testing.assert_allclose(grads[n], t[n].grad.numpy(), rtol=1e-12, atol=1e-15)
    assert not np.allclose(broken["W1"], grads["W1"])  # the bug shows once units are clipped


def test_the_burn_in_bug_passes_at_init_and_fails_after_five_steps(checker, claim):
    rng = np.random.default_rng(0)  # the snippet's problem, replayed from its start
    N, d, n_hidden = checker["N"], checker["d"], checker["n_hidden"]
    X, y = rng.normal(size=(N, d)), rng.normal(size=(N, 1))
    params = {"W1": 0.1 * rng.normal(size=(n_hidden, d)), "b1": np.zeros(n_hidden),
              "W2": rng.normal(size=(1, n_hidden)), "b2": np.zeros(1)}
    np.testing.assert_array_equal(X, checker["X_c"])
    loss = lambda p: checker["mse"](checker["forward_clip"](X, **p)[0], y)  # noqa: E731
    broken = lambda p: checker["backprop_clip_broken"](X, y, **p)  # noqa: E731
    right = lambda p: clip_backprop(checker)(X, y, **p)  # noqa: E731
    verdicts = {}
    for step in range(6):
        if step in (0, 5):
            clipped = np.sum(np.abs(X @ params["W1"].T + params["b1"]) > 1)
            verdicts[step] = (clipped, checker["grad_check"](loss, broken, params)[0],
                              checker["grad_check"](loss, right, params)[0])
        grads = broken(params)
        for n in params:
            params[n] -= 0.3 * grads[n]
    clipped0, broken0, right0 = verdicts[0]
    clipped5, broken5, right5 = verdicts[5]
    assert clipped0 == 0 and broken0 < CORRECT_BOUND and right0 < CORRECT_BOUND
    claim(PAGE, "burn-in-clipped-at-init", "no unit")
    assert clipped5 > 0 and broken5 > BROKEN_BOUND and right5 < CORRECT_BOUND
    # the snippet's parameters went on for one more step: same run
    np.testing.assert_allclose(checker["params_c"]["W2"], params["W2"], rtol=1e-12)


def test_a_large_penalty_hides_a_data_loss_bug(checker, claim):
    X, y, params, lam = checker["X"], checker["y"], checker["params"], checker["weight_decay"]
    # the penalty's gradient is lam * theta, what torch.optim.SGD(weight_decay=lam) adds
    t = [torch.tensor(params[n], requires_grad=True) for n in NAMES]
    (0.5 * lam * sum((p ** 2).sum() for p in t)).backward()
    grads = [p.grad.clone() for p in t]
    for p in t:
        p.grad.zero_()
    torch.optim.SGD(t, lr=1.0, weight_decay=lam).step()
    for n, p, g in zip(NAMES, t, grads):
        np.testing.assert_allclose(g.numpy(), lam * params[n], rtol=1e-15)
        np.testing.assert_allclose(p.detach().numpy(), params[n] - lam * params[n], rtol=1e-12)
    loss = lambda p: checker["loss_fn"](p) + checker["penalty"](p)  # noqa: E731
    combined, _ = checker["grad_check"](loss, checker["total_grad"], params)
    alone, _ = checker["grad_check"](checker["loss_fn"], checker["backprop_one_off"], params)
    assert alone == pytest.approx(ONE_PERCENT / (1 + ONE_PERCENT), rel=1e-5)
    claim(PAGE, "penalty-alone", rf"\({ONE_PERCENT:g} / {1 + ONE_PERCENT:g}\)")
    assert THRESHOLD < combined and 30 * combined < alone
    claim(PAGE, "penalty-shrinks", "more than 30")
    # the combined error falls as 1 / lam: ten times the penalty, about a tenth of the error
    big = 10 * lam
    _, errors = checker["grad_check"](
        lambda p: checker["loss_fn"](p) + big / 2 * sum(np.sum(q ** 2) for q in p.values()),
        lambda p: {n: g + big * p[n] for n, g in checker["backprop_one_off"](p).items()}, params)
    assert errors["W1"][0, 0] == pytest.approx(combined / 10, rel=0.15)
    # gradcheck's default tolerances: the sum passes, the data loss alone fails
    one_off = lambda X, y, **p: checker["backprop_one_off"](p)  # noqa: E731
    data = numpy_backprop_as_function(checker, one_off, X, y)
    inputs = [torch.tensor(params[n], requires_grad=True) for n in NAMES]

    def regularized(*ps):
        return data(*ps) + lam / 2 * sum((p ** 2).sum() for p in ps)

    assert gradcheck(regularized, inputs) is True
    claim(PAGE, "penalty-gradcheck-sum", "passes")
    assert gradcheck(data, inputs, raise_exception=False) is False


# --- the exercises' solutions ------------------------------------------------------------


def test_solution_1_too_large_a_step_truncates_too_small_rounds_off(checker, claim):
    ns = load_snippet("gradient_checking/solution_1.py")
    errors = ns["errors"]
    # the solution's problem and gradients are the page's
    for n in NAMES:
        np.testing.assert_array_equal(ns["params"][n], checker["params"][n])
        np.testing.assert_allclose(ns["backprop"](ns["params"])[n],
                                   checker["backprop"](checker["X"], checker["y"], **checker["params"])[n], rtol=1e-14)
    assert errors[1e-5] < CORRECT_BOUND
    assert errors[1e-2] > THRESHOLD and errors[1e-9] > THRESHOLD  # both fail the mark
    claim(PAGE, "sol1-large", tex_power(10.0 ** exponent(errors[1e-2])))
    claim(PAGE, "sol1-small", tex_power(10.0 ** exponent(errors[1e-9])))
    # h = 1e-2 is truncation: a tenfold smaller step cuts it about a hundredfold
    fold = errors[1e-2] / ns["largest_error"](1e-3)
    assert CENTRAL_BAND[0] < fold < CENTRAL_BAND[1]
    claim(PAGE, "sol1-fold", FOLD[exponent(fold)])
    # h = 1e-9 is round-off: it grows as h shrinks, about eps |f| / h relative to the gradient
    assert ns["largest_error"](1e-10) > errors[1e-9] > ns["largest_error"](1e-7)


def test_solution_2_one_sided_needs_a_looser_mark(checker, backprop_page, claim):
    ns = load_snippet("gradient_checking/solution_2.py")
    np.testing.assert_array_equal(ns["params"]["W1"], checker["params"]["W1"])
    broken = checker["backprop_broken"](checker["X"], checker["y"], **checker["params"])
    for n in NAMES:
        np.testing.assert_allclose(ns["backprop"](ns["params"], broken=True)[n], broken[n], rtol=1e-14)
    correct, wrong = ns["correct"], ns["broken"]
    assert 1e-5 < correct < 1e-3 < wrong
    claim(PAGE, "sol2-correct", tex_power(10.0 ** exponent(correct)))
    assert wrong > 1
    claim(PAGE, "sol2-broken", "above 1")
    # the 1 % bug under one-sided differences: about 1e-2, ten times a 1e-3 mark
    g = ns["backprop"](ns["params"])
    g["W1"][0, 0] *= 1 + ONE_PERCENT
    one_off = ns["largest_error"](g)
    assert exponent(one_off) == -2
    claim(PAGE, "sol2-room", number_word(round(10.0 ** exponent(one_off) / 1e-3)))


def test_solution_3_only_the_diagonal_passes(claim):
    ns = load_snippet("gradient_checking/solution_3.py")
    passes = ns["passes"]
    np.testing.assert_array_equal(passes, np.eye(3, dtype=bool))
    claim(PAGE, "sol3-diagonal", number_word(int(passes.sum())))
    # the numerical gradient is autograd's, and the transposed one is its transpose
    p = ns["params"]
    t = {n: torch.tensor(v, requires_grad=True) for n, v in p.items()}
    A1 = torch.sigmoid(torch.tensor(ns["X"]) @ t["W1"].T + t["b1"])
    ((A1 @ t["W2"].T + t["b2"] - torch.tensor(ns["y"])) ** 2).mean().backward()
    np.testing.assert_allclose(ns["n"], t["W1"].grad.numpy(), rtol=1e-8)
    np.testing.assert_allclose(ns["a"], t["W1"].grad.numpy().T, rtol=1e-12)


def test_solution_4_the_correct_relu_backprop_fails_exactly_where_the_kink_is_crossed():
    ns = load_snippet("gradient_checking/solution_4.py")
    X, h, Z1, errors = ns["X"], ns["h"], ns["Z1"], ns["errors"]
    # the backward pass is correct: autograd agrees
    t = {n: torch.tensor(v, requires_grad=True) for n, v in ns["params"].items()}
    Zt = torch.tensor(X) @ t["W1"].T + t["b1"]
    ((torch.relu(Zt) @ t["W2"].T + t["b2"] - torch.tensor(ns["y"])) ** 2).mean().backward()
    grads = ns["backprop"](X, ns["y"], **ns["params"])
    for n in NAMES:
        np.testing.assert_allclose(grads[n], t[n].grad.numpy(), rtol=1e-12, atol=1e-15)
    assert 0 < Z1[0, 0] < h  # just above the kink, within the bias's window
    # the failing entries are exactly those whose nudge carries some z across 0
    window_W1 = np.abs(Z1)[:, :, None] < h * np.abs(X)[:, None, :]  # row, unit, input
    predicted_W1 = window_W1.any(axis=0)
    predicted_b1 = (np.abs(Z1) < h).any(axis=0)
    np.testing.assert_array_equal(errors["W1"] > THRESHOLD, predicted_W1)
    np.testing.assert_array_equal(errors["b1"] > THRESHOLD, predicted_b1)
    assert predicted_W1.sum() >= 1 and predicted_b1.sum() == 1  # some fail, and only unit 0's
    assert errors["W2"].max() < THRESHOLD and errors["b2"].max() < THRESHOLD


def test_solution_5_the_fixed_sigmoid_passes_gradcheck(tg, claim):
    ns = load_snippet("gradient_checking/solution_5.py")
    assert gradcheck(ns["loss"], ns["params"]) is True
    assert gradcheck(ns["Sigmoid"].apply, (ns["Z"],)) is True
    claim(PAGE, "sol5-verdict", "returns True")
    # the fixed Function gives the gradients of torch.sigmoid, and the unfixed one does not
    Z = torch.randn(6, dtype=torch.float64, requires_grad=True)
    (g_fixed,) = torch.autograd.grad(ns["Sigmoid"].apply(Z).sum(), Z)
    (g_ref,) = torch.autograd.grad(torch.sigmoid(Z).sum(), Z)
    (g_broken,) = torch.autograd.grad(tg["SigmoidNoDerivative"].apply(Z).sum(), Z)
    torch.testing.assert_close(g_fixed, g_ref, rtol=1e-15, atol=0)
    assert not torch.allclose(g_broken, g_ref)
