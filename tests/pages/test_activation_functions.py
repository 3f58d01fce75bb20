"""The claims of the activation-functions page, each checked against PyTorch."""

import math
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")  # the figure snippets end with plt.show(); draw off-screen

import matplotlib.pyplot as plt
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from support import load_snippet, number_word

# The page's from-scratch functions, with PyTorch's own versions as the reference.
REFERENCES = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": lambda z: F.elu(z, alpha=1.0),
    "silu": F.silu,
    "gelu": F.gelu,
    "gelu_tanh": lambda z: F.gelu(z, approximate="tanh"),
    "softplus": F.softplus,
    "prelu": lambda z: F.prelu(z, torch.tensor([0.25], dtype=z.dtype)),  # the snippet's default slope
}
# ReLU and Leaky ReLU have a kink at z = 0: no derivative exists there, so the formula
# and autograd are compared everywhere else (what PyTorch returns at 0 is tested apart).
KINKED = {"relu", "leaky_relu", "prelu"}
TIMES = {1: "once", 2: "twice", 3: "three times"}
FRACTIONS = {0.5: "half"}
COLLAPSE_SHAPES = [(1, 1, 1), (2, 5, 3), (7, 2, 4), (10, 20, 1)]  # (n_in, n_hidden, n_out), besides the page's
JACOBIAN_SIZES = (2, 3, 5, 10)
ZERO_BIAS_SEEDS = range(5)
BAD_DEAD_AT_LEAST, CURED_DEAD_AT_MOST = 0.5, 0.1  # the bounds the page states for the dying-ReLU runs


@pytest.fixture(scope="module")
def act():
    return load_snippet("activation_functions/activations.py")


@pytest.fixture(scope="module")
def dying():
    return load_snippet("activation_functions/dying_relu.py")


def grid(name):
    """Points where the formula and autograd are compared; skips exactly 0 for ReLU kinks."""
    z = torch.arange(-800, 801, dtype=torch.float64) / 100  # -8 to 8 in steps of 0.01, with 0 exactly
    return z[z != 0] if name in KINKED else z


def autograd_slope(f, z):
    z = z.clone().requires_grad_(True)
    (slope,) = torch.autograd.grad(f(z).sum(), z)  # element-wise f: d sum / d z_i = f'(z_i)
    return slope


@pytest.mark.parametrize("name", REFERENCES)
def test_function_equals_torch(act, name):
    z = grid(name)
    torch.testing.assert_close(act[name](z), REFERENCES[name](z), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", REFERENCES)
def test_derivative_formula_equals_autograd(act, name):
    z = grid(name)
    formula = act[f"{name}_grad"](z)
    torch.testing.assert_close(formula, autograd_slope(REFERENCES[name], z), rtol=0, atol=1e-12)
    # and autograd through the page's own function agrees too
    torch.testing.assert_close(formula, autograd_slope(act[name], z), rtol=0, atol=1e-12)


def test_the_page_describes_the_derivative_checks(act, claim):
    z = grid("sigmoid")  # the full grid; the kinked functions skip its one point at 0
    claim("activation-functions", "grid-points", len(z))
    claim("activation-functions", "grid-from", z.min().item())
    claim("activation-functions", "grid-to", z.max().item())
    worst = max((act[f"{name}_grad"](grid(name)) - autograd_slope(f, grid(name))).abs().max().item()
                for name, f in REFERENCES.items())
    assert worst < 1e-12
    claim("activation-functions", "derivative-tolerance", r"\(10^{-12}\)")
    derivatives = {id(v) for k, v in act.items() if k.endswith("_grad")}  # the table prints each function with its own
    assert len(derivatives) == len(REFERENCES)
    table = {name for name, _, _ in act["functions"]}
    assert table == set(REFERENCES) - {"gelu_tanh"}  # every function once; GELU's approximation has its own line
    claim("activation-functions", "table-functions", number_word(len(table)))
    claim("activation-functions", "table-points", number_word(len(act["z"])))


@pytest.mark.parametrize("name", REFERENCES)
def test_derivative_formula_equals_central_differences(act, name):
    h = 1e-6
    z = grid(name)
    z = z[z.abs() > 10 * h]  # a difference across the kink measures no derivative
    numeric = (act[name](z + h) - act[name](z - h)) / (2 * h)
    torch.testing.assert_close(act[f"{name}_grad"](z), numeric, rtol=0, atol=1e-7)


def test_what_pytorch_returns_at_the_kink(act, claim):
    """No derivative exists at z = 0 for ReLU and Leaky ReLU; PyTorch picks 0 and alpha,
    and the page's code makes the same choice. ELU with alpha = 1 has a derivative there: 1."""
    zero = torch.zeros(1, dtype=torch.float64)
    assert autograd_slope(F.relu, zero).item() == 0.0 == act["relu_grad"](zero).item()
    claim("activation-functions", "relu-at-0", autograd_slope(F.relu, zero).item())
    claim("activation-functions", "relu-convention", autograd_slope(F.relu, zero).item())
    assert autograd_slope(lambda z: F.leaky_relu(z, 0.01), zero).item() == 0.01
    assert act["leaky_relu_grad"](zero).item() == 0.01
    assert autograd_slope(F.elu, zero).item() == 1.0 == act["elu_grad"](zero).item()
    left_of_zero = act["elu_grad"](torch.tensor([-1e-12], dtype=torch.float64)).item()  # alpha e^z
    assert left_of_zero == pytest.approx(1.0, abs=1e-11)
    claim("activation-functions", "elu-slope-0", left_of_zero)
    # one-sided slopes of ReLU at 0 differ: the kink is real
    h = 1e-8
    right = (act["relu"](zero + h) - act["relu"](zero)).item() / h
    left = (act["relu"](zero) - act["relu"](zero - h)).item() / h
    assert right == pytest.approx(1.0) and left == 0.0
    claim("activation-functions", "relu-left", left)
    claim("activation-functions", "relu-right", right)


def test_ranges_the_page_states(act, claim):
    z = torch.linspace(-30, 30, 60001, dtype=torch.float64)
    s, t = act["sigmoid"](z), act["tanh"](z)
    assert (s >= 0).all() and (s <= 1).all() and s.min() < 1e-12 and s.max() > 1 - 1e-12
    claim("activation-functions", "sigmoid-range", "between 0 and 1")
    claim("activation-functions", "sigmoid-range-again", "between 0 and 1")
    assert (t >= -1).all() and (t <= 1).all() and t.min() < -1 + 1e-12 and t.max() > 1 - 1e-12
    claim("activation-functions", "tanh-range", r"between \(-1\) and 1")
    torch.testing.assert_close(act["tanh"](-z), -act["tanh"](z), rtol=0, atol=1e-15)  # odd: centred on 0
    claim("activation-functions", "tanh-centre", act["tanh"](torch.zeros(1, dtype=torch.float64)).item())
    negative = z[z < 0]
    claim("activation-functions", "relu-cuts-to", act["relu"](negative).abs().max().item())
    assert (act["relu"](z) >= 0).all()
    assert (act["elu"](z) > -1).all() and act["elu"](z).min() < -1 + 1e-12
    assert act["leaky_relu"](z).min() < 0  # negative outputs: the range is all of R


def test_largest_slopes_sigmoid_quarter_tanh_one(act, claim):
    z = grid("sigmoid")
    assert act["sigmoid_grad"](z).max().item() == pytest.approx(0.25, abs=1e-15)
    claim("activation-functions", "sigmoid-peak", rf"\({Fraction(act['sigmoid_grad'](z).max().item()).limit_denominator(100)}\)")
    assert act["tanh_grad"](z).max().item() == pytest.approx(1.0, abs=1e-15)
    claim("activation-functions", "tanh-peak", act["tanh_grad"](z).max().item())
    assert z[act["sigmoid_grad"](z).argmax()].item() == 0.0
    assert z[act["tanh_grad"](z).argmax()].item() == 0.0
    claim("activation-functions", "tanh-slope-0", act["tanh_grad"](torch.zeros(1, dtype=torch.float64)).item())


def test_silu_minimum(act, claim):
    """SiLU dips below zero: its smallest value is about -0.2785 near z = -1.2785, where the
    derivative formula crosses zero (found here by bisection on silu_grad)."""
    silu_grad = act["silu_grad"]
    lo = torch.tensor(-2.0, dtype=torch.float64)
    hi = torch.tensor(-1.0, dtype=torch.float64)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if silu_grad(mid) < 0 else (lo, mid)
    assert abs(act["grid"][act["i"]].item() - lo.item()) < 1e-4
    assert act["silu"](act["grid"]).min().item() == pytest.approx(act["silu"](lo).item(), abs=1e-8)
    assert round(act["silu"](lo).item(), 4) == -0.2785 and round(lo.item(), 4) == -1.2785
    claim("activation-functions", "silu-range", act["silu"](lo).item())
    # the slope is negative to the left of the minimum (the page's table shows silu'(-2) < 0)
    assert silu_grad(torch.tensor(-2.0, dtype=torch.float64)) < 0
    # at the minimum z* sigmoid(z*) = 1 + 1/z*, so silu(z*) = z* + 1
    assert act["silu"](lo).item() == pytest.approx(lo.item() + 1, abs=1e-12)


def test_softmax_and_its_jacobian_equal_autograd(claim):
    sm = load_snippet("activation_functions/softmax.py")
    gen = torch.Generator().manual_seed(0)
    sums, row_sums = [], []
    for n in JACOBIAN_SIZES:
        for _ in range(5):
            z = 3 * torch.randn(n, generator=gen, dtype=torch.float64)
            torch.testing.assert_close(sm["softmax"](z), torch.softmax(z, dim=0), rtol=0, atol=1e-12)
            J = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z)
            torch.testing.assert_close(sm["softmax_jacobian"](z), J, rtol=0, atol=1e-12)
            s = sm["softmax"](z)
            torch.testing.assert_close(sm["softmax_jacobian"](z), torch.diag(s) - torch.outer(s, s))
            # rows of the Jacobian sum to 0: raising every logit together changes nothing
            torch.testing.assert_close(J.sum(dim=1), torch.zeros(n, dtype=torch.float64), rtol=0, atol=1e-12)
            sums.append(s.sum().item())
            row_sums.append(sm["softmax_jacobian"](z).sum(dim=1).abs().max().item())
    assert all((sm["softmax"](3 * torch.randn(n, generator=gen, dtype=torch.float64)) > 0).all() for n in JACOBIAN_SIZES)
    total = max(sums, key=lambda v: abs(v - 1))
    assert total == pytest.approx(1.0, abs=1e-12)
    for claim_id in ("softmax-sum", "softmax-table-sum", "summary-softmax-sum"):
        claim("activation-functions", claim_id, total)
    assert max(row_sums) < 1e-12
    claim("activation-functions", "jacobian-rows", max(row_sums))
    sizes = [str(n) for n in JACOBIAN_SIZES]
    claim("activation-functions", "jacobian-sizes", f"{', '.join(sizes[:-1])} and {sizes[-1]}")


def test_softmax_shift_and_overflow():
    sm = load_snippet("activation_functions/softmax.py")
    assert torch.isnan(sm["naive"]).all()  # the page's naive formula on logits near 1000
    torch.testing.assert_close(sm["softmax"](sm["z_big"]), sm["softmax"](sm["z"]), rtol=0, atol=1e-15)
    torch.testing.assert_close(sm["softmax"](sm["z_big"]), torch.softmax(sm["z_big"], dim=0))


def test_softmax_of_two_logits_is_sigmoid_of_their_difference():
    sm = load_snippet("activation_functions/softmax.py")
    for z1, z2 in [(0.0, 0.0), (2.0, -1.0), (-3.5, 4.0), (10.0, 9.0)]:
        s = sm["softmax"](torch.tensor([z1, z2], dtype=torch.float64))
        assert s[0].item() == pytest.approx(torch.sigmoid(torch.tensor(z1 - z2, dtype=torch.float64)).item(), abs=1e-15)


def test_two_linear_layers_are_one_linear_layer(claim):
    ns = load_snippet("activation_functions/collapse.py")
    X = ns["X"]
    with torch.no_grad():
        worst = (ns["two_layers"] - ns["merged"](X)).abs().max().item()
        assert not torch.allclose(ns["with_relu"], ns["merged"](X), rtol=0, atol=1e-6)
    claim("activation-functions", "collapse-hidden", ns["layer1"].out_features)
    # any shapes: W = W2 W1 and b = W2 b1 + b2
    gen = torch.Generator().manual_seed(1)
    page_shape = (ns["layer1"].in_features, ns["layer1"].out_features, ns["layer2"].out_features)
    assert page_shape not in COLLAPSE_SHAPES
    for n_in, n_hidden, n_out in COLLAPSE_SHAPES:
        l1 = nn.Linear(n_in, n_hidden, dtype=torch.float64)
        l2 = nn.Linear(n_hidden, n_out, dtype=torch.float64)
        X = torch.randn(8, n_in, generator=gen, dtype=torch.float64)
        with torch.no_grad():
            W = l2.weight @ l1.weight
            b = l2.weight @ l1.bias + l2.bias
            worst = max(worst, (l2(l1(X)) - (X @ W.T + b)).abs().max().item())
    assert worst < 1e-12
    claim("activation-functions", "collapse-shapes", number_word(1 + len(COLLAPSE_SHAPES)))
    claim("activation-functions", "collapse-tolerance", r"\(10^{-12}\)")


def test_saturation_values_the_page_states(claim):
    ns = load_snippet("activation_functions/saturation.py")
    z = torch.tensor([10.0], dtype=torch.float64)
    sigmoid_slope = autograd_slope(torch.sigmoid, z).item()
    tanh_slope = autograd_slope(torch.tanh, z).item()
    assert sigmoid_slope < 1e-4  # the page: below 1e-4 at |z| = 10
    claim("activation-functions", "sigmoid-slope-10", r"below \(10^{-4}\)")
    assert tanh_slope < 1e-8  # the page: below 1e-8 at |z| = 10
    claim("activation-functions", "tanh-slope-10", r"below \(10^{-8}\)")
    assert autograd_slope(torch.sigmoid, -z).item() == pytest.approx(sigmoid_slope, rel=1e-12)
    # ReLU's slope is exactly 0 for every negative z: "no vanishing gradient" is half true
    negative = torch.linspace(-100, -1e-6, 1000, dtype=torch.float64)
    assert (autograd_slope(torch.relu, negative) == 0).all()
    for claim_id in ("relu-slope-negative", "summary-relu-0", "dead-slope"):
        claim("activation-functions", claim_id, autograd_slope(torch.relu, negative).abs().max().item())
    page_z = ns["z"].detach()
    claim("activation-functions", "relu-row", autograd_slope(torch.relu, page_z[page_z < 0]).abs().max().item())
    assert (autograd_slope(torch.relu, -negative) == 1).all()
    for claim_id in ("relu-slope-positive", "summary-relu-1"):
        claim("activation-functions", claim_id, autograd_slope(torch.relu, -negative).min().item())
    assert ns["num_layers"] == 10
    peak = autograd_slope(torch.sigmoid, torch.zeros(1, dtype=torch.float64)).item()  # the sigmoid's largest slope
    assert 0 < ns["slope"].item() <= peak ** ns["num_layers"]  # ten sigmoids in a row, printed on the page
    claim("activation-functions", "depth-shrink", rf"at least \({round(1 / peak)}^{{{ns['num_layers']}}}\)-fold")


def test_a_saturated_wrong_output_sigmoid_gets_a_full_gradient_from_bce_and_none_from_mse():
    """The page: saturation starves hidden units, and output units trained with MSE; an output
    sigmoid trained with BCE gets dL/dz = a - y, near +-1 when it is confidently wrong."""
    ns = load_snippet("activation_functions/saturation.py")
    a = torch.sigmoid(ns["z_out"]).item()
    y = ns["y"].item()
    assert abs(a - y) > 0.999  # confidently wrong
    assert ns["grad_bce"].item() == pytest.approx(a - y, abs=1e-12)
    assert abs(ns["grad_bce"].item()) > 0.999
    assert ns["grad_mse"].item() == pytest.approx(2 * (a - y) * a * (1 - a), rel=1e-12)
    assert abs(ns["grad_mse"].item()) < 1e-3
    for z, target in [(10.0, 0.0), (-10.0, 1.0)]:  # both ways of being wrong
        zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(zt, torch.tensor(target, dtype=torch.float64)), zt)
        assert abs(g.item()) > 0.999
    # a saturated hidden sigmoid unit: its weight's gradient is scaled by sigma'(z) < 1e-4,
    # however wrong the output, even under BCE
    x = torch.tensor([[1.0]], dtype=torch.float64)
    w1 = torch.tensor([[10.0]], dtype=torch.float64, requires_grad=True)  # z = 10: saturated
    w2 = torch.tensor([[-5.0]], dtype=torch.float64)
    logit = torch.sigmoid(x @ w1.T) @ w2.T  # about -5: confidently 0
    (g_hidden,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(logit, torch.ones(1, 1, dtype=torch.float64)), w1)
    assert abs(g_hidden.item()) < 5 * 1e-4


@pytest.mark.parametrize("depth", [1, 5, 10])
def test_a_sigmoid_chain_shrinks_the_gradient_at_least_fourfold_per_layer(depth):
    """Through `depth` sigmoids in a row, d out / d in is at most (1/4)**depth."""
    z = torch.linspace(-4, 4, 81, dtype=torch.float64)

    def chain(v):
        for _ in range(depth):
            v = torch.sigmoid(v)
        return v

    slope = autograd_slope(chain, z)
    assert (slope <= 0.25**depth + 1e-18).all()


def test_the_page_counts_the_dying_relu_runs(dying, claim):
    settings = dying["settings"]
    cures = [name for name in settings if name.startswith("cure")]
    claim("activation-functions", "runs", number_word(len(settings)).capitalize())
    claim("activation-functions", "bad-settings", number_word(len(settings) - len(cures)))
    claim("activation-functions", "cures", number_word(len(cures)))
    options = [opts for _, opts in settings.values()]
    defaults = next(i for i, opts in enumerate(options) if opts)  # runs before the first that changes the model
    claim("activation-functions", "default-runs", number_word(defaults))
    claim("activation-functions", "bad-bound", BAD_DEAD_AT_LEAST)
    claim("activation-functions", "cure-bound", CURED_DEAD_AT_MOST)
    claim("activation-functions", "zero-bias-seeds", number_word(len(ZERO_BIAS_SEEDS)))
    slope = settings["cure: Leaky ReLU"][1]["activation"].negative_slope
    claim("activation-functions", "leaky-cure-slope", slope)
    claim("activation-functions", "exercise-leaky", slope)


def test_dying_relu_bad_settings_kill_most_units(dying):
    dead, at_start = dying["dead"], dying["dead_at_start"]
    assert dead["large lr = 10"] >= BAD_DEAD_AT_LEAST  # the bounds the page states
    assert dead["biases start at -3"] >= BAD_DEAD_AT_LEAST
    # the large learning rate kills units during training ...
    assert at_start["large lr = 10"] <= 0.1
    # ... the negative bias before it, and training revives none of them
    assert at_start["biases start at -3"] >= BAD_DEAD_AT_LEAST
    assert dead["biases start at -3"] >= at_start["biases start at -3"]


def test_zero_biases_not_he_weights_keep_first_layer_units_alive_at_the_start(dying):
    """The page: it is the zero bias that does the work. With b = 0 a first-layer unit computes
    z = w . x, and the inputs surround 0, so every unit is positive on some input, whatever the
    weights. He weights (Var w = 2 / n_in) neither give this nor save a unit from a bad bias."""
    make_model, dead_fraction, X = dying["make_model"], dying["dead_fraction"], dying["X"]
    assert dying["dead_at_start"]["cure: zero biases"] == 0.0
    he_default_bias, he_negative_bias = [], []
    for seed in ZERO_BIAS_SEEDS:
        zero_bias = make_model(bias=0.0, seed=seed)  # PyTorch's default weights, not He's
        assert dead_fraction(zero_bias, X) == 0.0
        he = make_model(seed=seed)
        with torch.no_grad():
            nn.init.kaiming_normal_(he[0].weight, nonlinearity="relu")
        he_default_bias.append(dead_fraction(he, X))
        nn.init.constant_(he[0].bias, -3.0)
        he_negative_bias.append(dead_fraction(he, X))
    # PyTorch's default biases (uniform in +-1/sqrt(2)) leave some units dead at the start ...
    assert dying["dead_at_start"]["cure: lr = 1"] > 0
    # ... and so do they under He weights; He weights with biases at -3 leave many dead
    assert max(he_default_bias) > 0
    assert min(he_negative_bias) >= 0.2
    # a zero bias does not cure a learning rate that is too large (exercise 3)
    model = make_model(bias=0.0)
    dying["train"](model, 10.0)
    assert dead_fraction(model, X) >= 0.5


def test_zero_biases_do_not_protect_a_deeper_relu_layer():
    """The page: "centred on 0" holds for the first layer only. A second ReLU layer reads the
    first layer's outputs, which are never negative, so a unit whose weights are all negative
    is dead at the start even with a zero bias."""
    torch.manual_seed(0)
    X = torch.randn(256, 2)
    layer1, layer2 = nn.Linear(2, 100), nn.Linear(100, 100)
    nn.init.zeros_(layer1.bias)
    nn.init.zeros_(layer2.bias)
    with torch.no_grad():
        A1 = torch.relu(layer1(X))
        assert (A1 >= 0).all()
        layer2.weight[0] = -layer2.weight[0].abs()  # one unit: every weight negative
        A2 = torch.relu(layer2(A1))
    assert (A2[:, 0] == 0).all()


@pytest.mark.parametrize("cure", ["cure: lr = 1", "cure: zero biases", "cure: Leaky ReLU"])
def test_dying_relu_each_cure_leaves_few_dead(dying, cure):
    assert dying["dead"][cure] <= CURED_DEAD_AT_MOST


def test_dead_fraction_counts_units_that_are_zero_on_every_input(dying):
    """The counter agrees with a direct count, done unit by unit."""
    for name, model in dying["models"].items():
        with torch.no_grad():
            A = model[1](model[0](dying["X"]))
        dead_units = sum(1 for j in range(A.shape[1]) if A[:, j].abs().max().item() == 0.0)
        assert dying["dead_fraction"](model, dying["X"]) == pytest.approx(dead_units / A.shape[1])


def test_dead_relu_units_never_move_but_leaky_units_do(dying, claim):
    """A ReLU unit dead from the start gets a zero gradient, so SGD leaves its weights exactly
    as they were; every Leaky ReLU unit, started the same way, is moved by training."""
    make_model, train, X = dying["make_model"], dying["train"], dying["X"]

    relu = make_model(bias=-3.0)
    with torch.no_grad():
        dead = (relu[1](relu[0](X)) == 0).all(dim=0)
    W0, b0 = relu[0].weight.detach().clone(), relu[0].bias.detach().clone()
    nn.BCEWithLogitsLoss()(relu(X), dying["y"]).backward()
    largest = max(relu[0].weight.grad[dead].abs().max().item(), relu[0].bias.grad[dead].abs().max().item())
    assert largest == 0.0
    claim("activation-functions", "dead-gradient", largest)
    relu.zero_grad()
    train(relu, 1.0)
    assert dead.float().mean() >= 0.5
    assert torch.equal(relu[0].weight[dead], W0[dead]) and torch.equal(relu[0].bias[dead], b0[dead])

    leaky = make_model(bias=-3.0, activation=nn.LeakyReLU(0.1))
    with torch.no_grad():
        Z = leaky[0](X)
        assert (leaky[1](Z)[Z < 0] != 0).all()
    claim("activation-functions", "leaky-not-0", "not 0")
    W0, b0 = leaky[0].weight.detach().clone(), leaky[0].bias.detach().clone()
    train(leaky, 1.0)
    moved = (leaky[0].weight != W0).any(dim=1) & (leaky[0].bias != b0)
    assert moved.all()


def test_leaky_units_still_in_the_negative_region(dying):
    """The page: Leaky ReLU keeps units learning, not necessarily back in z > 0 (most are not)."""
    with torch.no_grad():
        Z = dying["models"]["cure: Leaky ReLU"][0](dying["X"])
    assert (Z < 0).all(dim=0).float().mean() >= 0.5


def test_tanh_is_a_stretched_sigmoid(act, claim):
    z = grid("tanh")
    height, squeeze, shift = 2, 2, 1  # tanh(z) = height * sigmoid(squeeze * z) - shift
    torch.testing.assert_close(act["tanh"](z), height * act["sigmoid"](squeeze * z) - shift, rtol=0, atol=1e-12)
    claim("activation-functions", "tanh-width", FRACTIONS[1 / squeeze])
    claim("activation-functions", "tanh-height", {2: "doubles"}[height])
    claim("activation-functions", "tanh-shift", shift)


def test_pytorch_defaults_the_page_states(claim):
    assert nn.LeakyReLU().negative_slope == 0.01
    minus_one = torch.tensor(-1.0, dtype=torch.float64)
    assert -F.leaky_relu(minus_one).item() == nn.LeakyReLU().negative_slope  # the functional form too
    claim("activation-functions", "leaky-default", nn.LeakyReLU().negative_slope)
    claim("activation-functions", "leaky-default-again", nn.LeakyReLU().negative_slope)
    assert nn.ELU().alpha == 1.0
    z = torch.linspace(-5, 5, 101, dtype=torch.float64)
    torch.testing.assert_close(nn.SiLU()(z), z * torch.sigmoid(z))


def test_textbook_formulas_overflow_where_the_page_says(act, claim):
    assert torch.isinf(torch.exp(torch.tensor(710.0, dtype=torch.float64)))
    assert torch.isfinite(torch.exp(torch.tensor(709.0, dtype=torch.float64)))
    assert torch.isinf(torch.exp(torch.tensor(89.0, dtype=torch.float32)))
    assert torch.isfinite(torch.exp(torch.tensor(88.0, dtype=torch.float32)))
    for dtype, claim_id in [(torch.float64, "exp-edge-64"), (torch.float32, "exp-edge-32")]:
        edge = math.log(torch.finfo(dtype).max)  # e^z overflows just above this z
        assert torch.isinf(torch.exp(torch.tensor(edge * (1 + 1e-6), dtype=dtype)))
        assert torch.isfinite(torch.exp(torch.tensor(edge * (1 - 1e-6), dtype=dtype)))
        claim("activation-functions", claim_id, edge)
    big = torch.tensor([711.0], dtype=torch.float64)
    assert torch.isnan(act["tanh"](big)).all()
    assert torch.tanh(big).item() == 1.0


def test_softmax_before_cross_entropy_is_wrong(claim):
    """nn.CrossEntropyLoss applies log-softmax itself: feed it logits, not probabilities."""
    gen = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(8, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 5, (8,), generator=gen)
    right = nn.CrossEntropyLoss()(logits, target)
    by_hand = -torch.log_softmax(logits, dim=1)[torch.arange(8), target].mean()
    torch.testing.assert_close(right, by_hand)
    twice = nn.CrossEntropyLoss()(torch.softmax(logits, dim=1), target)
    assert abs(twice.item() - right.item()) > 0.1

    def loss_after(softmaxes):
        p = logits
        for _ in range(softmaxes):
            p = torch.softmax(p, dim=1)
        return -torch.log(p)[torch.arange(8), target].mean()

    matching = [k for k in TIMES if torch.allclose(loss_after(k), twice, rtol=1e-12, atol=0)]
    assert len(matching) == 1
    claim("activation-functions", "softmax-twice", TIMES[matching[0]])
    (g_right,) = torch.autograd.grad(right, logits)
    (g_twice,) = torch.autograd.grad(twice, logits)
    assert g_twice.abs().sum() < g_right.abs().sum()  # flattened gradients


def test_the_figures_draw_what_the_page_says(claim):
    try:
        ns = load_snippet("activation_functions/fig_activations.py")
        claim("activation-functions", "figure-panels", number_word(len(ns["panels"])))
        (leaky,) = [f for name, f in ns["panels"] if name.startswith("Leaky")]
        slope = -leaky(torch.tensor(-1.0, dtype=torch.float64)).item()  # f(-1) = -alpha
        claim("activation-functions", "figure-leaky", slope)
        names = [name.split(" ")[0] for name, _ in ns["panels"]]
        assert {"GELU", "softplus", "PReLU"} <= set(names)
        assert ns["axes"].size == len(ns["panels"])  # every panel drawn, none left empty
        (prelu,) = [f for name, f in ns["panels"] if name.startswith("PReLU")]
        assert -prelu(torch.tensor([-1.0], dtype=torch.float64)).item() == nn.PReLU().weight.item()
        plt.close("all")
        ns = load_snippet("activation_functions/fig_softmax.py")
        probabilities = [line for line in ns["ax"].lines if line.get_label().startswith("$s_")]
        assert len(probabilities) == ns["S"].shape[1]
        claim("activation-functions", "softmax-figure-curves", number_word(len(probabilities)))
    finally:
        plt.close("all")


# ---------------------------------------------------------------------------
# GELU, softplus, PReLU (issue 14)
# ---------------------------------------------------------------------------

def test_gelu_minimum_and_its_tanh_approximation(act, claim):
    """GELU dips to about -0.1700 (where gelu' = 0, found by bisection); the tanh form stays
    within 5e-4 of the exact one; the snippet's Phi and phi are the normal CDF and density."""
    gelu_grad = act["gelu_grad"]
    lo = torch.tensor(-2.0, dtype=torch.float64)
    hi = torch.tensor(-0.1, dtype=torch.float64)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gelu_grad(mid) < 0 else (lo, mid)
    smallest = act["gelu"](lo).item()
    assert act["gelu"](act["zs"]).min().item() == pytest.approx(smallest, abs=1e-6)
    claim("activation-functions", "gelu-range", smallest)
    claim("activation-functions", "gelu-min", smallest)
    z = torch.linspace(-30, 30, 60001, dtype=torch.float64)
    assert act["gelu"](z).min().item() >= smallest - 1e-15
    normal = torch.distributions.Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
    torch.testing.assert_close(act["gelu"](z), z * normal.cdf(z), rtol=0, atol=1e-12)
    bound = 5e-4
    gap = (F.gelu(z) - F.gelu(z, approximate="tanh")).abs().max().item()
    assert gap < bound and act["gap"].item() == pytest.approx(gap, abs=1e-6)
    claim("activation-functions", "gelu-gap", f"{bound:g}")


def test_softplus_is_a_smooth_relu_and_the_log_inside_bce(act, claim):
    z = grid("softplus")
    softplus = act["softplus"](z)
    assert (softplus > 0).all() and (softplus > F.relu(z)).all()
    gap = softplus - F.relu(z)
    assert z[gap.argmax()].item() == 0.0
    assert gap.max().item() == pytest.approx(math.log(2), abs=1e-15)
    claim("activation-functions", "softplus-log2", gap.max().item())
    torch.testing.assert_close(act["softplus_grad"](z), torch.sigmoid(z), rtol=0, atol=1e-15)  # its slope is the sigmoid
    # BCE on logits: l(z, 0) = softplus(z), l(z, 1) = softplus(-z), and the page's form (1 - y) z + log(1 + e^-z)
    for y, expected in [(0.0, act["softplus"](z)), (1.0, act["softplus"](-z))]:
        target = torch.full_like(z, y)
        bce = F.binary_cross_entropy_with_logits(z, target, reduction="none")
        torch.testing.assert_close(bce, expected, rtol=0, atol=1e-12)
        torch.testing.assert_close(bce, (1 - y) * z + torch.log1p(torch.exp(-z)), rtol=0, atol=1e-12)
    assert torch.isinf(act["softplus"](torch.tensor([711.0], dtype=torch.float64))).all()  # the pitfall
    assert F.softplus(torch.tensor([711.0], dtype=torch.float64)).item() == 711.0


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_learns_its_slope_like_nn_prelu(act, claim, num_parameters):
    """nn.PReLU, shared (1) or per channel (3), in float64: the page's prelu and both its
    derivatives equal PyTorch's forward, input gradient and the gradient on the slope."""
    gen = torch.Generator().manual_seed(num_parameters)
    module = nn.PReLU(num_parameters=num_parameters, dtype=torch.float64)
    assert (module.weight == 0.25).all()  # PyTorch's starting slope
    claim("activation-functions", "prelu-init", module.weight[0].item())
    with torch.no_grad():
        module.weight.copy_(torch.tensor([0.25, -0.5, 1.7][:num_parameters], dtype=torch.float64))
    Z = torch.randn(16, 3, 5, generator=gen, dtype=torch.float64, requires_grad=True)  # (N, channels, length)
    upstream = torch.randn(16, 3, 5, generator=gen, dtype=torch.float64)  # dL/d output, any
    alpha = module.weight.detach().view(1, -1, 1)  # one slope per channel, or one for all
    out = module(Z)
    torch.testing.assert_close(out, act["prelu"](Z.detach(), alpha), rtol=0, atol=1e-15)
    (out * upstream).sum().backward()
    torch.testing.assert_close(Z.grad, upstream * act["prelu_grad"](Z.detach(), alpha), rtol=0, atol=1e-12)
    by_hand = (upstream * act["prelu_grad_alpha"](Z.detach())).sum(dim=(0, 2))  # sum over what shares a slope
    if num_parameters == 1:
        by_hand = by_hand.sum(dim=0, keepdim=True)
        claim("activation-functions", "prelu-shared", number_word(module.weight.numel()))
    assert module.weight.grad.abs().min() > 0  # the slope does learn
    torch.testing.assert_close(module.weight.grad, by_hand, rtol=0, atol=1e-12)
    # d prelu / d alpha by autograd too, element-wise
    a = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    z = grid("prelu")
    (g,) = torch.autograd.grad(F.prelu(z, a.view(1)).sum(), a)
    assert g.item() == pytest.approx(act["prelu_grad_alpha"](z).sum().item(), abs=1e-9)


# ---------------------------------------------------------------------------
# Zero-centred outputs (issue 14)
# ---------------------------------------------------------------------------

def per_sample_weight_gradients(A, w, b, y, loss):
    """dl_i/dw for each row of A, one autograd call per sample."""
    w = w.clone().requires_grad_(True)
    return torch.stack([torch.autograd.grad(loss(a_i @ w + b, y_i), w)[0] for a_i, y_i in zip(A, y)])


@pytest.mark.parametrize("loss", ["squared", "bce"])
def test_positive_inputs_give_per_sample_weight_gradients_of_one_sign(loss):
    """For z = w . a + b, dl/dw = (dl/dz) a: with every a_j > 0, all of one sign, for any
    weights, targets and loss; checked against autograd over many random draws."""
    losses = {"squared": lambda z, y: (z - y) ** 2 / 2,
              "bce": lambda z, y: F.binary_cross_entropy_with_logits(z, (y > 0).to(z.dtype))}
    gen = torch.Generator().manual_seed(0)
    for draw in range(20):
        n_in = int(torch.randint(2, 9, (1,), generator=gen))
        Z_prev = 3 * torch.randn(16, n_in, generator=gen, dtype=torch.float64)
        w = torch.randn(n_in, generator=gen, dtype=torch.float64)
        b = torch.randn((), generator=gen, dtype=torch.float64)
        y = torch.randn(16, generator=gen, dtype=torch.float64)
        A = torch.sigmoid(Z_prev)
        G = per_sample_weight_gradients(A, w, b, y, losses[loss])
        zz = (A @ w + b).requires_grad_(True)
        (dl_dz,) = torch.autograd.grad(sum(losses[loss](zi, yi) for zi, yi in zip(zz, y)), zz)
        torch.testing.assert_close(G, dl_dz[:, None] * A, rtol=0, atol=1e-12)
        nonzero = dl_dz != 0
        assert ((G[nonzero] > 0).all(dim=1) | (G[nonzero] < 0).all(dim=1)).all()
        # after a ReLU layer: never of two signs (zero inputs give zero gradients)
        G = per_sample_weight_gradients(torch.relu(Z_prev), w, b, y, losses[loss])
        assert ((G >= 0).all(dim=1) | (G <= 0).all(dim=1)).all()
    # and the claim needs its condition: with inputs of both signs it fails for some sample
    A = torch.tanh(Z_prev)
    G = per_sample_weight_gradients(A, w, b, y, losses[loss])
    assert not ((G > 0).all(dim=1) | (G < 0).all(dim=1)).all()


def test_the_page_counts_one_sign_gradients(claim):
    ns = load_snippet("activation_functions/zero_centred.py")
    shares, batch_one_sign = {}, {}
    for name, f in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
        A = f(ns["Z_prev"])
        G = ns["per_sample_gradients"](A)
        dl_dz = A @ ns["w"].detach() - ns["y"]
        torch.testing.assert_close(G, dl_dz[:, None] * A, rtol=0, atol=1e-12)
        shares[name] = ((G > 0).all(dim=1) | (G < 0).all(dim=1)).double().mean().item()
        mean = G.mean(dim=0)
        batch_one_sign[name] = bool((mean > 0).all() or (mean < 0).all())
    assert shares["sigmoid"] == 1.0 and (ns["A"] > -1).all()
    claim("activation-functions", "one-sign-sigmoid", "every")
    assert batch_one_sign["sigmoid"] and not batch_one_sign["tanh"]
    claim("activation-functions", "batch-mean-sigmoid", "so does the batch mean")
    claim("activation-functions", "one-sign-tanh", shares["tanh"])
    assert shares["tanh"] < 0.5


# ---------------------------------------------------------------------------
# Saturation in a hidden unit and at an output trained with BCE (issue 14)
# ---------------------------------------------------------------------------

def hidden_then_output(w1, w2, x, y):
    """The page's tiny network by autograd: (dL/dz2, dL/dw1, y_hat, sigma'(z1))."""
    w1 = torch.tensor(w1, dtype=torch.float64, requires_grad=True)
    a1 = torch.sigmoid(w1 * x)
    z2 = w2 * a1
    z2.retain_grad()
    F.binary_cross_entropy_with_logits(z2, torch.tensor(y, dtype=torch.float64)).backward()
    return z2.grad.item(), w1.grad.item(), torch.sigmoid(z2).item(), (a1 * (1 - a1)).item()


def test_a_saturated_hidden_unit_barely_learns_while_the_output_gradient_stays_large(claim):
    ns = load_snippet("activation_functions/saturation.py")
    x, w2, y = ns["x"], ns["w2"], ns["y"].item()
    rows = {w1: hidden_then_output(w1, w2, x, y) for w1 in (0.5, 10.0)}
    for w1, (dl_dz2, dl_dw1, y_hat, sigma_prime) in rows.items():
        assert dl_dz2 == pytest.approx(y_hat - y, abs=1e-12)  # sigma'(z2) cancelled
        assert dl_dw1 == pytest.approx((y_hat - y) * w2 * sigma_prime * x, rel=1e-12)
        assert abs(dl_dz2) > 0.9  # confidently wrong, and told so
    assert rows[10.0][3] < 1e-4  # the saturated hidden unit
    # the page's run is the saturated one, and its printed by-hand value is autograd's
    assert ns["w1"].item() == 10.0 and ns["by_hand"] == pytest.approx(ns["w1"].grad.item(), rel=1e-12)
    claim("activation-functions", "hidden-ratio", rows[0.5][1] / rows[10.0][1])
    # over random networks: the by-hand chain rule equals autograd, and the hidden weight's
    # gradient is at most |w2 x| sigma'(z1), tiny once z1 is large, whatever the output
    gen = torch.Generator().manual_seed(0)
    for _ in range(200):
        w1, w2, x = (4 * torch.randn(3, generator=gen, dtype=torch.float64)).tolist()
        y = float(torch.randint(0, 2, (1,), generator=gen))
        dl_dz2, dl_dw1, y_hat, sigma_prime = hidden_then_output(w1, w2, x, y)
        assert dl_dz2 == pytest.approx(y_hat - y, abs=1e-12)
        assert dl_dw1 == pytest.approx((y_hat - y) * w2 * sigma_prime * x, rel=1e-9, abs=1e-300)
        assert abs(dl_dw1) <= abs(w2 * x) * sigma_prime + 1e-15



# ---------------------------------------------------------------------------
# Worked solutions of the exercises (issue 14)
# ---------------------------------------------------------------------------

def test_solution_1_slopes_at_zero_and_the_tanh_identity(act, claim):
    ns = load_snippet("activation_functions/solution_1.py")
    zero = torch.zeros(1, dtype=torch.float64)
    sigmoid_slope = (ns["s"] * (1 - ns["s"])).item()
    tanh_slope = (1 - ns["t"] ** 2).item()
    assert sigmoid_slope == autograd_slope(torch.sigmoid, zero).item() == 0.25
    assert tanh_slope == autograd_slope(torch.tanh, zero).item() == 1.0
    claim("activation-functions", "solution-1-sigmoid", sigmoid_slope)
    claim("activation-functions", "solution-1-tanh", tanh_slope)
    assert ns["same"]
    z = ns["z"]
    torch.testing.assert_close(ns["tanh"](z), 2 * torch.sigmoid(2 * z) - 1, rtol=0, atol=1e-12)
    torch.testing.assert_close(ns["tanh"](z), torch.tanh(z), rtol=0, atol=1e-12)
    claim("activation-functions", "solution-1-points", len(z))


def test_solution_2_a_width_one_layer_caps_the_rank_at_one(claim):
    ns = load_snippet("activation_functions/solution_2.py")
    assert ns["n_hidden"] == 1 and ns["rank"] == 1  # the last run: width 1
    claim("activation-functions", "solution-2-rank", ns["rank"])
    claim("activation-functions", "solution-2-rank-again", ns["rank"])
    gen = torch.Generator().manual_seed(0)
    for _ in range(20):  # rank(W2 W1) <= min(rank W1, rank W2) <= the narrowest width
        W1 = torch.randn(1, 3, generator=gen, dtype=torch.float64)
        W2 = torch.randn(2, 1, generator=gen, dtype=torch.float64)
        assert torch.linalg.matrix_rank(W2 @ W1).item() == 1
    page = load_snippet("activation_functions/collapse.py")  # the page's width 4
    W = page["layer2"].weight @ page["layer1"].weight
    claim("activation-functions", "solution-2-rank-4", torch.linalg.matrix_rank(W).item())
    assert torch.linalg.matrix_rank(W).item() == min(W.shape)


def test_solution_3_zero_biases_do_not_cure_a_large_learning_rate(claim):
    ns = load_snippet("activation_functions/solution_3.py")
    (start_1, after_1), (start_10, after_10) = ns["results"][1.0], ns["results"][10.0]
    assert start_10 == start_1 == 0.0 and after_10 >= BAD_DEAD_AT_LEAST and after_1 <= CURED_DEAD_AT_MOST
    claim("activation-functions", "solution-3-start", start_10)
    claim("activation-functions", "solution-3-dead", after_10)
    claim("activation-functions", "solution-3-dead-lr1", after_1)


def test_solution_4_a_smaller_leaky_slope_learns_more_slowly(claim):
    ns = load_snippet("activation_functions/solution_4.py")
    small, large = ns["alphas"]
    (negative_small, moved_small), (negative_large, moved_large) = ns["results"][small], ns["results"][large]
    share_small, share_large = negative_small.float().mean().item(), negative_large.float().mean().item()
    assert share_small > share_large
    claim("activation-functions", "solution-4-negative-001", share_small)
    claim("activation-functions", "solution-4-negative-01", share_large)
    ratio = moved_large[negative_large].mean().item() / moved_small[negative_small].mean().item()
    assert 5 < ratio < 15  # about the ratio of the slopes
    claim("activation-functions", "solution-4-ratio", ratio)
    claim("activation-functions", "solution-4-slope-ratio", number_word(round(large / small)))
    assert (moved_small[negative_small] > 0).all()  # alive: every such unit moved


def test_solution_5_two_logits_match_the_jacobian(claim):
    ns = load_snippet("activation_functions/solution_5.py")
    torch.testing.assert_close(ns["by_hand"], ns["J"][0], rtol=0, atol=1e-12)
    torch.testing.assert_close(ns["by_hand"], ns["autograd"][0], rtol=0, atol=1e-12)
    s = ns["s"]
    torch.testing.assert_close(ns["by_hand"][1], -s[0] * s[1], rtol=0, atol=1e-15)  # -s1 (1 - s1) = -s1 s2
    gen = torch.Generator().manual_seed(0)
    for _ in range(20):
        z = 3 * torch.randn(2, generator=gen, dtype=torch.float64)
        J = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z)
        s1 = torch.sigmoid(z[0] - z[1])
        torch.testing.assert_close(J[0], torch.stack([s1 * (1 - s1), -s1 * (1 - s1)]), rtol=0, atol=1e-12)
    assert ns["same"]
    claim("activation-functions", "solution-5-ways", number_word(len(ns["ways"])))
