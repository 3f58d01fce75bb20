"""Weight initialization: every claim of docs/weight-initialization.md, computed."""

import inspect
import math
from fractions import Fraction
from functools import partial

import numpy as np
import pytest
import torch
from torch import nn

import support
from support import load_snippet, number_word

PAGE = "weight-initialization"
# Tolerances and bounds the page states.
VAR_RTOL = 0.01  # empirical variance of a 512 x 2048 matrix vs the formula
SYMMETRY_ATOL = 1e-6  # "identical" hidden units after training (float32)
RANDOM_LOSS_BOUND = 1e-3  # the random start solves XOR: its loss ends below this
SHARES = {0.5: "half"}  # a share as the page says it in words


def tex_power(x):
    """x, a power of ten, as the page writes it: \\(10^{-6}\\)."""
    exponent = round(math.log10(x))
    assert x == 10.0**exponent, x
    return rf"\(10^{{{exponent}}}\)"


def percent(x):
    """0.1 as the page writes it: 10 %."""
    return f"{x * 100:g} %"


@pytest.fixture(scope="module")
def symmetry():
    return load_snippet("weight_initialization/symmetry.py", run_main=False)


@pytest.fixture(scope="module")
def schemes():
    return load_snippet("weight_initialization/schemes.py", run_main=False)


@pytest.fixture(scope="module")
def stack():
    return load_snippet("weight_initialization/deep_stack.py", run_main=False)


# --- zero and constant init: the symmetry problem ---------------------------------


@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_constant_init_keeps_hidden_units_identical_after_training(symmetry, init, claim):
    torch.manual_seed(0)
    model = symmetry["make_model"](symmetry[init])
    loss = symmetry["train"](model)
    W1, b1, W2 = model[0].weight, model[0].bias, model[2].weight
    # every hidden unit: same incoming weights, same bias, same outgoing weight
    assert (W1 - W1[0]).abs().max() <= SYMMETRY_ATOL
    assert (b1 - b1[0]).abs().max() <= SYMMETRY_ATOL
    assert (W2 - W2[0, 0]).abs().max() <= SYMMETRY_ATOL
    claim(PAGE, "symmetry-atol", tex_power(SYMMETRY_ATOL))
    # four copies of one unit cannot solve XOR
    assert loss > 0.1
    if init == "zeros":
        # tanh(0) = 0 and W2 = 0: the hidden layer gets no gradient at all
        assert torch.all(W1 == 0) and torch.all(b1 == 0) and torch.all(W2 == 0)
        # only the output bias learns: 0.5 for every row, an MSE of 0.25
        with torch.no_grad():
            prediction = model(symmetry["X"])
        torch.testing.assert_close(prediction, torch.full((4, 1), 0.5))
        claim(PAGE, "zeros-prediction", prediction[0].item())
        assert loss == pytest.approx(0.25, abs=1e-4)
        claim(PAGE, "zeros-loss", loss)
    else:
        # the units did train, just all in the same way
        assert (W1 - 0.5).abs().min() > 0.1
        claim(PAGE, "constant-loss", "the loss stays high")
        # and each row's two weights are equal: XOR is symmetric in x1 and x2
        assert (W1[:, 0] - W1[:, 1]).abs().max() <= SYMMETRY_ATOL


def test_random_weights_with_zero_biases_break_the_symmetry(symmetry, claim):
    torch.manual_seed(0)
    model = symmetry["make_model"](symmetry["random_weights_zero_biases"])
    assert torch.all(model[0].bias == 0) and torch.all(model[2].bias == 0)
    loss = symmetry["train"](model)
    W1, b1 = model[0].weight, model[0].bias
    rows_apart = torch.cdist(W1, W1) + torch.eye(len(W1)) * 1e9
    assert rows_apart.min() > 0.1  # every pair of hidden units differs
    distinct = len(W1)
    claim(PAGE, "random-distinct", number_word(distinct).capitalize())
    claim(PAGE, "random-distinct-tests", number_word(distinct))
    claim(PAGE, "biases-distinct", number_word(distinct))
    assert b1.abs().max() > 0.01  # the zero biases learned too
    assert loss < RANDOM_LOSS_BOUND  # and the network solves XOR
    claim(PAGE, "random-loss", tex_power(RANDOM_LOSS_BOUND))


# --- N(0, 1) and U(-1, 1): Var(z) = fan_in Var(w) --------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_naive_init_pre_activation_std_is_sqrt_fan_in_var_w(seed, claim):
    torch.manual_seed(seed)
    fan_in, N = 512, 1000
    X = torch.randn(N, fan_in, dtype=torch.float64)
    for W, var_w in [(torch.randn(256, fan_in, dtype=torch.float64), 1.0),
                     (torch.empty(256, fan_in, dtype=torch.float64).uniform_(-1, 1), 1 / 3)]:
        Z = X @ W.T
        assert Z.std().item() == pytest.approx(math.sqrt(fan_in * var_w), rel=0.03)
        assert 10 <= Z.std().item() < 100
        assert (torch.tanh(Z).abs() > 0.99).double().mean() > 0.8  # mostly saturated
    claim(PAGE, "naive-tens", "in the tens")
    claim(PAGE, "naive-most", "most")


def test_relu_keeps_half_of_a_symmetric_input_and_half_its_mean_square(claim):
    torch.manual_seed(0)
    z = 3 * torch.randn(10**6, dtype=torch.float64)  # symmetric around 0, any scale
    survives = (z > 0).double().mean().item()
    assert survives == pytest.approx(0.5, abs=0.005)
    claim(PAGE, "relu-survives", SHARES[round(survives, 2)])
    mean_square = (torch.relu(z) ** 2).mean().item() / z.var().item()
    assert mean_square == pytest.approx(0.5, abs=0.005)
    claim(PAGE, "relu-mean-square", SHARES[round(mean_square, 2)])


# --- Xavier and Kaiming: formulas, torch's nn.init, and nn.Linear's default --------

FAN_IN, FAN_OUT = 512, 2048  # not square, so swapping fan_in and fan_out would show
XAVIER_VAR = 2 / (FAN_IN + FAN_OUT)
KAIMING_VAR = 2 / FAN_IN

FROM_SCRATCH = [("xavier_normal", XAVIER_VAR), ("xavier_uniform", XAVIER_VAR),
                ("kaiming_normal", KAIMING_VAR), ("kaiming_uniform", KAIMING_VAR)]
TORCH_INIT = {
    "xavier_normal": nn.init.xavier_normal_,
    "xavier_uniform": nn.init.xavier_uniform_,
    "kaiming_normal": partial(nn.init.kaiming_normal_, nonlinearity="relu"),
    "kaiming_uniform": partial(nn.init.kaiming_uniform_, nonlinearity="relu"),
}


def check_distribution(W, name, var):
    """Variance within VAR_RTOL of the formula; a uniform one fills (-√(3 var), √(3 var))."""
    assert W.shape == (FAN_OUT, FAN_IN)
    assert W.var().item() == pytest.approx(var, rel=VAR_RTOL)
    assert abs(W.mean().item()) < 0.01 * math.sqrt(var)
    if "uniform" in name:
        bound = math.sqrt(3 * var)
        assert W.abs().max().item() <= bound
        assert W.abs().max().item() > 0.999 * bound


@pytest.mark.parametrize("name, var", FROM_SCRATCH)
def test_from_scratch_variance_matches_formula(schemes, name, var, claim):
    torch.manual_seed(0)
    check_distribution(schemes[name](FAN_IN, FAN_OUT), name, var)
    claim(PAGE, "var-rtol", f"within {percent(VAR_RTOL)}")


def test_the_pages_check_draws_its_matrix_once(claim):
    ns = load_snippet("weight_initialization/schemes.py")
    assert ns["W"].shape == (ns["fan_out"], ns["fan_in"])
    claim(PAGE, "schemes-samples", f"{ns['W'].numel():,}".replace(",", " "))


@pytest.mark.parametrize("name, var", FROM_SCRATCH)
def test_torch_nn_init_matches_formula_and_the_from_scratch_draw(schemes, name, var, claim):
    torch.manual_seed(1)
    W = TORCH_INIT[name](torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64))
    check_distribution(W, name, var)
    claim(PAGE, "var-rtol", f"within {percent(VAR_RTOL)}")
    torch.manual_seed(1)  # same seed: the from-scratch function draws the same numbers
    torch.testing.assert_close(schemes[name](FAN_IN, FAN_OUT), W, rtol=1e-12, atol=0)


def test_gains(claim):
    gain = inspect.signature(nn.init.xavier_normal_).parameters["gain"].default
    assert inspect.signature(nn.init.xavier_uniform_).parameters["gain"].default == gain
    claim(PAGE, "xavier-gain", gain)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2), rel=1e-15)
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3, rel=1e-15)
    assert nn.init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(
        1 / math.sqrt(3), rel=1e-15
    )


def test_init_reads_fans_from_the_layout():
    """On a (fan_in, fan_out)-shaped tensor kaiming_normal_ uses the wrong fan."""
    torch.manual_seed(0)
    W = nn.init.kaiming_normal_(torch.empty(FAN_IN, FAN_OUT, dtype=torch.float64),
                                nonlinearity="relu")
    assert W.var().item() == pytest.approx(2 / FAN_OUT, rel=VAR_RTOL)
    assert W.var().item() < KAIMING_VAR / 2


def test_linear_default_is_uniform_one_over_sqrt_fan_in_for_weights_and_biases(claim):
    torch.manual_seed(0)
    layer = nn.Linear(FAN_IN, FAN_OUT, dtype=torch.float64)
    bound = 1 / math.sqrt(FAN_IN)
    for p in (layer.weight, layer.bias):
        assert p.abs().max().item() <= bound
        assert p.abs().max().item() > 0.99 * bound
    assert layer.weight.var().item() == pytest.approx(1 / (3 * FAN_IN), rel=VAR_RTOL)
    assert layer.bias.var().item() == pytest.approx(1 / (3 * FAN_IN), rel=0.1)  # 2048 samples
    # one sixth of Kaiming's variance
    assert 1 / (3 * FAN_IN) == pytest.approx(KAIMING_VAR / 6, rel=1e-15)
    assert layer.weight.var().item() / KAIMING_VAR == pytest.approx(1 / 6, rel=VAR_RTOL)
    claim(PAGE, "default-sixth", "one sixth")


def test_xavier_on_a_square_layer_gives_half_of_kaimings_variance(claim):
    torch.manual_seed(0)
    xavier = nn.init.xavier_normal_(torch.empty(FAN_IN, FAN_IN, dtype=torch.float64))
    kaiming = nn.init.kaiming_normal_(torch.empty(FAN_IN, FAN_IN, dtype=torch.float64), nonlinearity="relu")
    share = xavier.var().item() / kaiming.var().item()
    assert share == pytest.approx(0.5, rel=2 * VAR_RTOL)
    claim(PAGE, "xavier-half", SHARES[round(share, 1)])


def test_linear_default_is_kaiming_uniform_with_a_sqrt5():
    torch.manual_seed(3)
    layer = nn.Linear(FAN_IN, FAN_OUT, dtype=torch.float64)
    torch.manual_seed(3)
    W = nn.init.kaiming_uniform_(torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), a=math.sqrt(5))
    assert torch.equal(W, layer.weight)
    torch.manual_seed(3)
    bound = 1 / math.sqrt(FAN_IN)
    U = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64).uniform_(-bound, bound)
    torch.testing.assert_close(U, layer.weight, rtol=1e-12, atol=0)


# --- biases and batch norm --------------------------------------------------------


def test_bias_is_cancelled_only_right_before_batch_norm():
    ns = load_snippet("weight_initialization/bias_batchnorm.py")
    shift, linear, bn = ns["shift_in_output"], ns["linear"], ns["bn"]
    assert shift(nn.Sequential(linear, bn)) < 1e-12
    assert shift(nn.Sequential(linear, bn, nn.ReLU())) < 1e-12
    assert shift(nn.Sequential(linear, nn.ReLU(), bn)) > 0.1
    assert shift(linear) == pytest.approx(5.0, rel=1e-12)  # no batch norm: the full shift
    assert linear.bias.grad.abs().max().item() < 1e-12


# --- activations through deep stacks ----------------------------------------------

# The page's stack has 50 layers of 256 units and a batch of 256; the tests use the same
# depth with 128 units and a batch of 64, over three seeds.
SMALL = dict(depth=50, width=128, N=64)
SEEDS = [0, 1, 2]
SMALL_STD = 0.01  # the scheme N(0, 0.01²)
VANISHED, EXPLODED = 1e-30, 1e30  # where N(0, 0.01²) ends, and N(0, 1) under ReLU
FACTOR_RTOL = 0.1  # the per-layer factors against their formulas
TANH_N01_MIN, SATURATED, SATURATED_SHARE = 0.9, 0.99, 0.5  # N(0, 1) under tanh
TANH_KAIMING = (0.4, 1)  # Kaiming's std under tanh, at every layer
RELU_XAVIER = (0.6, 0.8)  # Xavier's factor per layer under ReLU
RELU_KAIMING_FACTOR, RELU_KAIMING_STD = (0.9, 1.1), (0.1, 10)  # Kaiming under ReLU
DEFAULT_FLOOR, DEFAULT_SPREAD = 0.01, 1e-8  # PyTorch's default: the std, and the spread across inputs
TANH_SMALL_TEXT = (r"ends below {vanished}, shrinking by a factor within {rtol} of "
                   r"\({std}\sqrt{{n_{{\text{{in}}}}}}\)")
RELU_EXTREMES_TEXT = (r"ends above \(10^{{{exploded}}}\) and \(\mathcal{{N}}(0, {std}^2)\) below {vanished}, "
                      r"changing per layer by factors within {rtol} of \(\sqrt{{n_{{\text{{in}}}}/2}}\) and "
                      r"\({std}\sqrt{{n_{{\text{{in}}}}/2}}\)")


def stacks_text():
    return (f"{SMALL['depth']}-layer stacks with {SMALL['width']} units and a batch of {SMALL['N']}, "
            f"for {number_word(len(SEEDS))} seeds")


def test_the_stack_has_five_schemes(stack, claim):
    assert all(callable(init) for init in stack["SCHEMES"].values())
    claim(PAGE, "schemes-count", number_word(len(stack["SCHEMES"])))
    claim(PAGE, "notebook-schemes", number_word(len(stack["SCHEMES"])))


def run(stack, scheme, activation, seed):
    stds, A = stack["activation_stds"](stack["SCHEMES"][scheme], activation, seed=seed, **SMALL)
    assert len(stds) == SMALL["depth"] and A.shape == (SMALL["N"], SMALL["width"])
    return stds, A


def per_layer(stds):
    """The average factor by which the std changes from one layer to the next."""
    return (stds[-1] / stds[0]) ** (1 / (len(stds) - 1))


def across_inputs(A):
    """Std across the batch for each unit, averaged over units: the input's share."""
    return A.std(dim=0).mean().item()


@pytest.mark.parametrize("seed", SEEDS)
def test_tanh_stack(stack, seed, claim):
    stds, A = run(stack, "N(0, 1)", torch.tanh, seed)
    assert min(stds) > TANH_N01_MIN and max(stds) < 1  # saturated at every depth
    claim(PAGE, "tanh-n01-level", "just below 1")
    assert (A.abs() > SATURATED).double().mean() > SATURATED_SHARE  # most units sit at ±1
    claim(PAGE, "tanh-n01", rf"above {TANH_N01_MIN} at every layer with more than {SHARES[SATURATED_SHARE]} "
                            rf"of the last activations beyond \(\pm {SATURATED}\)")

    stds, _ = run(stack, "N(0, 0.01²)", torch.tanh, seed)
    assert stds[-1] < VANISHED  # vanished
    assert per_layer(stds) == pytest.approx(SMALL_STD * math.sqrt(SMALL["width"]), rel=FACTOR_RTOL)
    claim(PAGE, "tanh-small", TANH_SMALL_TEXT.format(vanished=tex_power(VANISHED), rtol=percent(FACTOR_RTOL),
                                                     std=SMALL_STD))

    stds, _ = run(stack, "Xavier", torch.tanh, seed)
    assert stds[-1] < stds[0] / 2  # falling over 50 layers (the long run below: it keeps falling)

    stds, _ = run(stack, "Kaiming", torch.tanh, seed)
    assert TANH_KAIMING[0] < min(stds) and max(stds) < TANH_KAIMING[1]
    claim(PAGE, "tanh-kaiming", "stays between {} and {}".format(*TANH_KAIMING))

    stds, A = run(stack, "PyTorch default", torch.tanh, seed)
    assert stds[-1] > DEFAULT_FLOOR  # the biases set a floor...
    assert across_inputs(A) < DEFAULT_SPREAD  # ...while the input's part has vanished
    claim(PAGE, "default-stacks", rf"end with a std above {DEFAULT_FLOOR} but a spread across inputs below "
                                  rf"{tex_power(DEFAULT_SPREAD)}")
    claim(PAGE, "tests-stacks", stacks_text())


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_stack(stack, seed, claim):
    stds, _ = run(stack, "N(0, 1)", torch.relu, seed)
    assert stds[-1] > EXPLODED  # exploded
    assert per_layer(stds) == pytest.approx(math.sqrt(SMALL["width"] / 2), rel=FACTOR_RTOL)

    stds, _ = run(stack, "N(0, 0.01²)", torch.relu, seed)
    assert stds[-1] < VANISHED  # vanished
    assert per_layer(stds) == pytest.approx(SMALL_STD * math.sqrt(SMALL["width"] / 2), rel=FACTOR_RTOL)
    claim(PAGE, "relu-n01-small", RELU_EXTREMES_TEXT.format(
        exploded=round(math.log10(EXPLODED)), std=SMALL_STD, vanished=tex_power(VANISHED), rtol=percent(FACTOR_RTOL)))

    stds, _ = run(stack, "Xavier", torch.relu, seed)
    assert RELU_XAVIER[0] < per_layer(stds) < RELU_XAVIER[1]  # about 1/√2 per layer
    assert stds[-1] < 1e-5
    claim(PAGE, "relu-xavier", "shrinks by a factor between {} and {} per layer on average".format(*RELU_XAVIER))

    stds_kaiming, A_kaiming = run(stack, "Kaiming", torch.relu, seed)
    assert RELU_KAIMING_FACTOR[0] < per_layer(stds_kaiming) < RELU_KAIMING_FACTOR[1]  # level
    assert RELU_KAIMING_STD[0] < min(stds_kaiming) and max(stds_kaiming) < RELU_KAIMING_STD[1]
    claim(PAGE, "relu-kaiming", "changes by a factor between {} and {} per layer on average and stays between "
                                "{} and {}".format(*RELU_KAIMING_FACTOR, *RELU_KAIMING_STD))
    claim(PAGE, "relu-kaiming-level", "of order 1")  # between a tenth and ten, as asserted above

    stds, A = run(stack, "PyTorch default", torch.relu, seed)
    assert stds[-1] > DEFAULT_FLOOR
    assert across_inputs(A) < DEFAULT_SPREAD
    claim(PAGE, "default-stacks", rf"end with a std above {DEFAULT_FLOOR} but a spread across inputs below "
                                  rf"{tex_power(DEFAULT_SPREAD)}")
    claim(PAGE, "tests-stacks", stacks_text())
    # Kaiming keeps the input's signal, if a smaller share of it than the overall std
    assert 1e-2 < across_inputs(A_kaiming) < 0.5 * stds_kaiming[-1]


# Xavier on tanh fades like 1/sqrt(2l); a gain above 1 settles. Wide layers, to see the trend
# through the finite-width noise of 200 random matrices.
LONG = dict(depth=200, width=512, N=64)
LONG_LAYERS = (10, 50, 200)  # where the std is compared with 1/sqrt(2l)
POWER_RTOL, HALVING_RTOL, LEVEL_ATOL = 0.2, 0.3, 0.1
FALLS = {0.5: "halves"}  # a ratio of stds as the page says it


def tanh_gain(gain):
    def init(layer):
        nn.init.xavier_normal_(layer.weight, gain=gain)
        nn.init.zeros_(layer.bias)
    return init


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_tanh_is_a_slow_power_law_collapse_and_a_gain_above_one_settles(stack, seed, claim):
    stds = stack["activation_stds"](stack["SCHEMES"]["Xavier"], torch.tanh, seed=seed, **LONG)[0]
    for layer in LONG_LAYERS:
        assert stds[layer - 1] == pytest.approx(1 / math.sqrt(2 * layer), rel=POWER_RTOL), layer
    first, *_, last = LONG_LAYERS[1:]
    ratio = math.sqrt(first / last)  # 1/sqrt(2l) from layer 50 to layer 200
    assert stds[last - 1] / stds[first - 1] == pytest.approx(ratio, rel=HALVING_RTOL)  # still falling: no band
    *earlier, deepest = LONG_LAYERS
    claim(PAGE, "xavier-long", rf"{LONG['depth']} layers of {LONG['width']} units: the std at layers "
                               rf"{', '.join(map(str, earlier))} and {deepest} is within {percent(POWER_RTOL)} of "
                               rf"\(1/\sqrt{{2l}}\), and it {FALLS[ratio]} (to within "
                               rf"{percent(HALVING_RTOL)}) from layer {first} to layer {last}")
    settled = {}
    gain = Fraction(nn.init.calculate_gain("tanh")).limit_denominator(10)
    for name, init in [("Kaiming", stack["SCHEMES"]["Kaiming"]), ("tanh", tanh_gain(float(gain)))]:
        stds = stack["activation_stds"](init, torch.tanh, seed=seed, **LONG)[0]
        assert stds[last - 1] / stds[first - 1] == pytest.approx(1, abs=LEVEL_ATOL), name  # a level
        settled[name] = stds[last - 1]
    assert settled["tanh"] > settled["Kaiming"]  # the larger gain settles higher
    claim(PAGE, "gains-level", rf"change by less than {percent(LEVEL_ATOL)} over the same layers, and the gain "
                               rf"\({gain}\) settles above Kaiming")


def test_xavier_tanh_follows_the_variance_recursion():
    """q_(l+1) = E[tanh(z)^2] for z ~ N(0, q_l) (infinite width) gives q_l ~ 1/(2l)."""
    x, weights = np.polynomial.hermite_e.hermegauss(101)
    weights = weights / weights.sum()
    q = 1.0
    for layer in range(1, 401):
        q = float((np.tanh(np.sqrt(q) * x) ** 2 * weights).sum())
        if layer in (50, 200, 400):
            assert q * 2 * layer == pytest.approx(1, rel=0.05), layer


def test_tanh_gain_is_larger_than_kaimings(claim):
    """5/3 does not lie between Xavier's gain 1 and Kaiming's sqrt(2): it is above both."""
    tanh, relu = nn.init.calculate_gain("tanh"), nn.init.calculate_gain("relu")
    assert tanh > relu > 1
    assert Fraction(tanh).limit_denominator(10) == Fraction(5, 3) and relu == math.sqrt(2)
    claim(PAGE, "tanh-gain", rf"\({Fraction(tanh).limit_denominator(10)} \approx {tanh:.2f}\)")
    claim(PAGE, "relu-gain", rf"\(\sqrt 2 \approx {relu:.2f}\)")


def test_pytorch_fan_is_fan_in_for_kaiming_and_the_mean_fan_for_xavier():
    torch.manual_seed(0)
    gain = nn.init.calculate_gain("tanh")
    W = nn.init.xavier_normal_(torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), gain=gain)
    assert W.std().item() == pytest.approx(gain / math.sqrt((FAN_IN + FAN_OUT) / 2), rel=0.01)
    W = nn.init.kaiming_normal_(torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), nonlinearity="relu")
    assert W.std().item() == pytest.approx(math.sqrt(2) / math.sqrt(FAN_IN), rel=0.01)


@pytest.mark.parametrize("scheme", ["Xavier", "Kaiming"])
def test_sigmoid_stack_keeps_its_std_and_loses_the_input(stack, scheme):
    """Exercise 3: a steady std, while the part that depends on the input vanishes."""
    stds, A = run(stack, scheme, torch.sigmoid, 0)
    assert 0.05 < min(stds[9:]) and max(stds[9:]) < 0.3  # steady after the first layers
    assert stds[-1] == pytest.approx(stds[9], rel=0.3)
    assert across_inputs(A) < 1e-12  # every input gives the same output
    # the input's share shrinks by about sigma'(0) sqrt(n Var w) = 1/4 (Xavier) or sqrt(2)/4 per layer
    spreads = [across_inputs(stack["activation_stds"](stack["SCHEMES"][scheme], torch.sigmoid,
                                                      depth=depth, width=128, N=64, seed=0)[1])
               for depth in (5, 10)]
    factor = (spreads[1] / spreads[0]) ** (1 / 5)
    expected = 0.25 * (1 if scheme == "Xavier" else math.sqrt(2))
    assert factor == pytest.approx(expected, rel=0.15)
    # the variance formula needs zero-mean weights, not zero-mean inputs: it holds for sigmoid outputs
    torch.manual_seed(0)
    X = torch.sigmoid(torch.randn(1024, 256, dtype=torch.float64))
    W = torch.randn(8192, 256, dtype=torch.float64) / math.sqrt(256)  # many units: E over weights
    assert (X @ W.T).var().item() == pytest.approx(256 * (1 / 256) * (X**2).mean().item(), rel=0.05)


def test_relu_scales_through_the_stack():
    """relu(c z) = c relu(z): 0.01 times the weights is 0.01**depth times the output."""
    ns = load_snippet("weight_initialization/deep_stack.py", run_main=False)
    big, _ = ns["activation_stds"](ns["normal_1"], torch.relu, depth=10, width=64, N=32)
    small, _ = ns["activation_stds"](ns["small_normal"], torch.relu, depth=10, width=64, N=32)
    for layer, (b, s) in enumerate(zip(big, small), start=1):
        assert s == pytest.approx(b * 0.01**layer, rel=1e-9)


# --- gradients through deep stacks -----------------------------------------------------

BACKWARD_ATOL = 1e-12  # the backward recursion by hand against autograd
GRAD_BAND = (0.5, 2)  # Kaiming's gradient under ReLU, at every layer
XAVIER_GRAD_LAYERS, XAVIER_GRAD_RTOL = (10, 25, 40), 0.2  # tanh, Xavier: against sqrt(l/D)
ABOUT = {10: "about 10", 100: "about 100"}  # a ratio as the page rounds it


@pytest.fixture(scope="module")
def grads(stack):
    """{(activation, scheme, seed): (forward stds, backward stds)}: the tests' smaller stacks."""
    return {(act.__name__, name, seed): stack["gradient_stds"](init, act, seed=seed, **SMALL)
            for act in (torch.tanh, torch.relu) for name, init in stack["SCHEMES"].items() for seed in SEEDS}


@pytest.fixture(scope="module")
def page_grads(stack):
    """The page's printed run (its defaults, seed 0) for the schemes the prose quantifies."""
    return {(act.__name__, name): stack["gradient_stds"](stack["SCHEMES"][name], act)
            for act, name in [(torch.relu, "Kaiming"), (torch.tanh, "N(0, 1)"), (torch.tanh, "Kaiming")]}


def backward_factor(backward):
    """The average factor by which the gradient's std changes per layer, from the top down."""
    return (backward[0] / backward[-1]) ** (1 / (len(backward) - 1))


def test_gradient_stds_runs_the_same_stack_and_matches_the_backward_formula(stack, claim):
    """Same draws as activation_stds; autograd's dL/dA_l = (f'(Z_l) * dL/dA_l) W_l, from scratch."""
    for act in (torch.tanh, torch.relu):
        forward, _ = stack["gradient_stds"](stack["SCHEMES"]["Kaiming"], act, **SMALL)
        assert forward == run(stack, "Kaiming", act, 0)[0]
    torch.manual_seed(0)
    A0 = torch.randn(8, 6, dtype=torch.float64)
    layers = [nn.Linear(6, 6, dtype=torch.float64) for _ in range(4)]
    for f, slope in [(torch.tanh, lambda Z: 1 - torch.tanh(Z) ** 2), (torch.relu, lambda Z: (Z > 0).double())]:
        A, Zs, As = A0, [], []
        for layer in layers:
            Zs.append(layer(A))
            A = f(Zs[-1])
            A.retain_grad()
            As.append(A)
        G = torch.randn_like(A)
        (A * G).sum().backward()
        dA = G
        for l in range(len(layers) - 1, 0, -1):  # down to dL/dA_1
            dA = (slope(Zs[l]) * dA) @ layers[l].weight
            torch.testing.assert_close(dA, As[l - 1].grad, rtol=BACKWARD_ATOL, atol=BACKWARD_ATOL)
    claim(PAGE, "backward-atol", tex_power(BACKWARD_ATOL))


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_gradients_mirror_the_activations(stack, grads, page_grads, seed, claim):
    width = SMALL["width"]
    for _, backward in (grads["relu", "Kaiming", seed], page_grads["relu", "Kaiming"]):
        assert GRAD_BAND[0] < min(backward) and max(backward) < GRAD_BAND[1]
    claim(PAGE, "relu-kaiming-grad", "between {} and {}".format(*GRAD_BAND))
    for name, factor in [("N(0, 1)", math.sqrt(width / 2)), ("N(0, 0.01²)", SMALL_STD * math.sqrt(width / 2)),
                         ("Xavier", 1 / math.sqrt(2))]:
        forward, backward = grads["relu", name, seed]
        assert backward_factor(backward) == pytest.approx(factor, rel=FACTOR_RTOL), name
        assert backward_factor(backward) == pytest.approx(per_layer(forward), rel=FACTOR_RTOL), name  # the mirror
    # ReLU's slope is 1 on half of a symmetric pre-activation
    torch.manual_seed(seed)
    Z = nn.Linear(width, width, dtype=torch.float64)(torch.randn(SMALL["N"], width, dtype=torch.float64))
    share = (Z > 0).double().mean().item()
    assert share == pytest.approx(0.5, abs=0.02)
    claim(PAGE, "relu-slope-half", SHARES[round(share, 1)])


def tanh_backward_ratio(stack, gain, seed, **sizes):
    """dL/dA at layer 1 over dL/dA at the top, tanh stack, Xavier's scale times gain."""
    _, backward = stack["gradient_stds"](tanh_gain(gain), torch.tanh, seed=seed, **sizes)
    return backward[0] / backward[-1]


def test_tanh_gradients_in_the_pages_run(stack, page_grads, claim):
    width = inspect.signature(stack["gradient_stds"]).parameters["width"].default
    forward, backward = page_grads["tanh", "N(0, 1)"]
    assert min(forward) > TANH_N01_MIN  # saturated forward...
    assert backward[0] > EXPLODED ** (2 / 3)  # ...exploding backward
    claim(PAGE, "tanh-n01-grad", backward_factor(backward))  # about 3 per layer
    too_large = 1.0 / (1.0 / math.sqrt(width))  # std 1 against Xavier's 1/sqrt(n) on a square layer
    claim(PAGE, "n01-too-large", too_large)
    kaiming = page_grads["tanh", "Kaiming"][1]
    assert all(b > a for a, b in zip(kaiming[-1:0:-10], kaiming[-11::-10]))  # growing toward the input
    claim(PAGE, "tanh-kaiming-grad", ABOUT[round(kaiming[0] / kaiming[-1], -1)])
    gain = float(Fraction(nn.init.calculate_gain("tanh")).limit_denominator(10))
    claim(PAGE, "tanh-gain-grad", ABOUT[round(tanh_backward_ratio(stack, gain, 0), -2)])


@pytest.mark.parametrize("seed", SEEDS)
def test_tanh_gradients(stack, grads, seed, claim):
    depth = SMALL["depth"]
    forward, backward = grads["tanh", "N(0, 1)", seed]
    assert backward_factor(backward) > 2  # explodes in the tests' stacks too
    _, backward = grads["tanh", "Xavier", seed]
    for layer in XAVIER_GRAD_LAYERS:
        assert backward[layer - 1] / backward[-1] == pytest.approx(math.sqrt(layer / depth), rel=XAVIER_GRAD_RTOL)

    kaiming = grads["tanh", "Kaiming", seed][1]
    assert kaiming[0] > 5 * kaiming[-1]

    # gain 1 (Xavier): both fade; any gain above 1 holds the activations and lets the gradient grow
    forward, backward = grads["tanh", "Xavier", seed]
    assert forward[-1] < forward[0] / 2 and backward[0] < backward[-1] / 2
    for gain in (1.2, math.sqrt(2), 5 / 3):
        assert tanh_backward_ratio(stack, gain, seed, **SMALL) > 1.2, gain
    claim(PAGE, "gain-one-both-fade", "at gain 1 both fade, above it the gradient grows")

    for act in ("tanh", "relu"):  # PyTorch's default: vanishing
        _, backward = grads[act, "PyTorch default", seed]
        assert backward[0] < 1e-10 * backward[-1] and backward_factor(backward) < 0.7


# --- LeCun, Kaiming's two modes, convolutions ---------------------------------------------

MODE_RTOL, CONV_RTOL = 0.02, 0.01
WIDTHS = (128, 512)  # the page's layer: n_in, n_out


@pytest.fixture(scope="module")
def fans():
    return load_snippet("weight_initialization/fans.py")


def test_lecun_is_kaiming_with_the_gain_of_the_identity(fans, claim):
    assert torch.equal(fans["W"], fans["W_torch"])  # the same numbers, to the last bit
    torch.manual_seed(0)
    W = fans["lecun_normal"](FAN_IN, FAN_OUT)
    assert W.var().item() == pytest.approx(1 / FAN_IN, rel=VAR_RTOL)
    torch.manual_seed(0)
    W_torch = nn.init.kaiming_normal_(torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), nonlinearity="linear")
    torch.testing.assert_close(W, W_torch, rtol=1e-12, atol=0)
    claim(PAGE, "lecun-gain", nn.init.calculate_gain("linear"))


@pytest.mark.parametrize("seed", SEEDS)
def test_fan_in_keeps_the_activations_and_fan_out_the_gradient(seed, claim):
    n_in, n_out = WIDTHS
    torch.manual_seed(seed)
    X = torch.randn(4096, n_in, dtype=torch.float64)
    measured = {}
    for mode in ("fan_in", "fan_out"):
        W = nn.init.kaiming_normal_(torch.empty(n_out, n_in, dtype=torch.float64), mode=mode, nonlinearity="relu")
        X_grad = X.clone().requires_grad_()
        A = torch.relu(X_grad @ W.T)
        dA = torch.randn_like(A)  # a standard-normal gradient from above
        (dX,) = torch.autograd.grad(A, X_grad, dA)
        measured[mode] = (A.detach().pow(2).mean() / X.pow(2).mean()).item(), (dX.var() / dA.var()).item()
    assert measured["fan_in"][0] == pytest.approx(1, rel=MODE_RTOL)
    assert measured["fan_in"][1] == pytest.approx(n_out / n_in, rel=MODE_RTOL)
    assert measured["fan_out"][0] == pytest.approx(n_in / n_out, rel=MODE_RTOL)
    assert measured["fan_out"][1] == pytest.approx(1, rel=MODE_RTOL)
    claim(PAGE, "fan-in-backward", measured["fan_in"][1])
    claim(PAGE, "fans-rtol", f"within {percent(MODE_RTOL)}")


STACK_WIDTHS = (64, 256, 128, 512, 32)  # a ReLU stack whose widths change
STACK_RTOL = 0.15  # four random layers: the product's sampling noise


@pytest.mark.parametrize("seed", SEEDS)
def test_through_a_stack_the_other_signal_changes_by_the_ratio_of_the_end_widths(seed, claim):
    """He et al. 2.2: under one mode the other signal's per-layer factors multiply to n_0/n_D or n_D/n_0."""
    first, last = STACK_WIDTHS[0], STACK_WIDTHS[-1]
    for mode, forward, backward in [("fan_in", 1, last / first), ("fan_out", first / last, 1)]:
        torch.manual_seed(seed)
        X = torch.randn(4096, first, dtype=torch.float64, requires_grad=True)
        A = X
        for n_in, n_out in zip(STACK_WIDTHS, STACK_WIDTHS[1:]):
            W = nn.init.kaiming_normal_(torch.empty(n_out, n_in, dtype=torch.float64), mode=mode,
                                        nonlinearity="relu")
            A = torch.relu(A @ W.T)
        G = torch.randn_like(A)
        (dX,) = torch.autograd.grad(A, X, G)
        assert (A.pow(2).mean() / X.pow(2).mean()).item() == pytest.approx(forward, rel=STACK_RTOL), mode
        assert (dX.var() / G.var()).item() == pytest.approx(backward, rel=STACK_RTOL), mode
    claim(PAGE, "modes-cancel", "they multiply to the ratio of the first and last widths")


def test_the_snippet_measures_the_modes_as_autograd_does(fans):
    """fans.py's backward by hand (through the ReLU, then W transposed) is autograd's."""
    W = fans["layer"].weight.detach()
    X = fans["X"].clone().requires_grad_()
    A = torch.relu(X @ W.T)
    torch.testing.assert_close(A.detach(), fans["A"], rtol=1e-12, atol=0)
    (dX,) = torch.autograd.grad(A, X, fans["dA"])
    torch.testing.assert_close(dX, fans["dX"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_conv_fans_are_channels_times_kernel(fans, seed, claim):
    conv = fans["conv"]
    C_out, C_in, k_h, k_w = conv.weight.shape
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(conv.weight)  # torch's own reading of the shape
    assert (fan_in, fan_out) == (C_in * k_h * k_w, C_out * k_h * k_w) == (fans["fan_in"], fans["fan_out"])
    torch.manual_seed(seed)
    for mode, fan in [("fan_in", fan_in), ("fan_out", fan_out)]:
        W = nn.init.kaiming_normal_(torch.empty_like(conv.weight), mode=mode, nonlinearity="relu")
        assert W.std().item() == pytest.approx(math.sqrt(2 / fan), rel=CONV_RTOL), mode
    claim(PAGE, "conv-rtol", f"within {percent(CONV_RTOL)}")


# --- the playground: its network (nn.js), in Node, with the page's settings -------------

PLAYGROUND_STEPS = 500  # the page's run: symmetry.py's num_steps
PLAYGROUND_TORCH_ATOL = 1e-9  # nn.js against torch, both in float64
XAVIER_LOSS_BOUND = 1e-6  # where the Xavier run's loss ends up within the steps


def playground_settings():
    """The data-* settings of the page's playground."""
    return support.playground_settings("weight-initialization.md")


def playground_run(init, steps=PLAYGROUND_STEPS):
    """{losses, W, b} after steps of the page's playground started with init."""
    return support.playground_run("weight-initialization.md", steps, init=init)


def test_the_playground_runs_the_pages_experiment(symmetry, claim):
    settings = playground_settings()
    train = inspect.signature(symmetry["train"]).parameters
    assert settings["shape"] == "2-4-1" and settings["activation"] == "tanh" and settings["init"] == "zero"
    assert (train["num_steps"].default, train["lr"].default) == (PLAYGROUND_STEPS, float(settings["lr"]))

    zero = playground_run("zero")
    assert all(w == 0 for row in zero["W"][0] for w in row) and all(v == 0 for v in zero["b"][0])
    assert zero["losses"][PLAYGROUND_STEPS] == pytest.approx(0.25, abs=1e-12)
    claim(PAGE, "playground-zero-loss", zero["losses"][PLAYGROUND_STEPS])

    constant = playground_run("constant")
    rows = [row + [bias] for row, bias in zip(constant["W"][0], constant["b"][0])]
    assert all(row == rows[0] for row in rows)  # identical to the last bit
    reference = support.symmetry_in_float64("constant", PLAYGROUND_STEPS, float(settings["lr"]))
    for key in ("W", "b"):
        for mine, theirs in zip(constant[key], reference[key], strict=True):
            difference = (torch.tensor(mine, dtype=torch.float64) - torch.tensor(theirs, dtype=torch.float64))
            assert difference.abs().max().item() <= PLAYGROUND_TORCH_ATOL
    claim(PAGE, "playground-torch-atol", tex_power(PLAYGROUND_TORCH_ATOL))

    xavier = playground_run("xavier")
    rows = torch.tensor(xavier["W"][0], dtype=torch.float64)
    assert (torch.cdist(rows, rows) + torch.eye(len(rows)) * 1e9).min() > 0.1  # the rows split apart
    assert min(xavier["losses"]) < XAVIER_LOSS_BOUND
    claim(PAGE, "playground-xavier-loss", tex_power(XAVIER_LOSS_BOUND))


# --- worked solutions of the exercises ----------------------------------------------------


def test_solution_1_noise_separates_the_units_slowly(symmetry, claim):
    ns = load_snippet("weight_initialization/solution_1.py")
    spreads, losses = ns["spreads"], ns["losses"]
    assert len(losses) == inspect.signature(symmetry["train"]).parameters["num_steps"].default  # the page's run
    assert spreads[0] < 5e-3  # it starts from the noise (of size 1e-3)
    doublings = [spreads[step + 100] / spreads[step] for step in range(99, len(spreads) - 100, 100)]
    assert all(1.5 < d < 2.6 for d in doublings), doublings  # roughly doubles every 100 steps
    claim(PAGE, "solution-1-doubles", "roughly doubles")
    claim(PAGE, "solution-1-spread", spreads[-1])
    claim(PAGE, "solution-1-loss", losses[-1])
    torch.manual_seed(0)
    constant_loss = symmetry["train"](symmetry["make_model"](symmetry["constant"]))
    assert abs(losses[-1] - constant_loss) < 0.01  # no better than the constant start yet
    claim(PAGE, "solution-1-constant", constant_loss)
    torch.manual_seed(0)
    assert symmetry["train"](symmetry["make_model"](symmetry["random_weights_zero_biases"])) < RANDOM_LOSS_BOUND
    # run on from the same start: when does the loss fall below the random start's bound?
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(0.5)
        model[0].weight += 1e-3 * torch.randn(4, 2)
    run_on = [symmetry["train"](model, num_steps=1) for _ in range(2500)]  # the same update, step by step
    settled = max(step for step, loss in enumerate(run_on, start=1) if loss >= RANDOM_LOSS_BOUND) + 1
    assert settled < len(run_on) - 200 and max(run_on[settled - 1:]) < RANDOM_LOSS_BOUND
    assert settled > 3 * len(losses)  # far later than the page's 500 steps
    claim(PAGE, "solution-1-solved", rf"{tex_power(RANDOM_LOSS_BOUND)} for good at about step {round(settled, -2)}")


def test_solution_2_the_tanh_gain_settles_above_kaiming(stack, claim):
    ns = load_snippet("weight_initialization/solution_2.py")
    assert ns["nn"].init.calculate_gain("tanh") == pytest.approx(5 / 3)
    runs = ns["runs"]
    level = runs["xavier_tanh_gain"][-1]
    assert all(abs(std - level) < 0.03 for std in runs["xavier_tanh_gain"][9:])  # no fading from layer 10 on
    assert all(abs(std - runs["kaiming"][-1]) < 0.03 for std in runs["kaiming"][9:])
    assert level > runs["kaiming"][-1] + 0.05
    assert runs["xavier"][-1] < runs["xavier"][49] / 1.5  # plain Xavier still fading
    claim(PAGE, "solution-2-level", level)
    claim(PAGE, "solution-2-kaiming", runs["kaiming"][-1])
    claim(PAGE, "solution-2-xavier", runs["xavier"][-1])
    gain = Fraction(nn.init.calculate_gain("tanh")).limit_denominator(10)
    factor = gain**2
    assert nn.init.calculate_gain("relu") ** 2 == pytest.approx(2)
    torch.manual_seed(0)
    W = nn.init.xavier_normal_(torch.empty(FAN_IN, FAN_IN, dtype=torch.float64), gain=float(gain))
    assert FAN_IN * W.var().item() == pytest.approx(float(factor), rel=VAR_RTOL)  # n Var(w) = g² on a square layer
    claim(PAGE, "solution-2-factor", rf"\({factor} \approx {float(factor):.2f}\)")
    claim(PAGE, "solution-2-kaiming-factor", nn.init.calculate_gain("relu") ** 2)


def test_solution_3_sigmoid_loses_the_input(claim):
    ns = load_snippet("weight_initialization/solution_3.py")
    width = inspect.signature(ns["sigmoid_stack"]).parameters["width"].default
    slope = 0.25  # sigma'(0), from autograd:
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).backward()
    assert z.grad.item() == slope
    for init, gain in [(ns["xavier"], 1.0), (ns["kaiming"], math.sqrt(2))]:
        name = init.__name__
        stds, spreads = ns["sigmoid_stack"](init)
        assert stds[-1] == pytest.approx(stds[9], rel=0.1)  # the std settles
        assert spreads[-1] < 1e-16 and spreads[0] > 0.1  # the input is gone
        factor = (spreads[9] / spreads[4]) ** (1 / 5)
        n_var_w = width * (gain**2 / width)  # on a square layer: Xavier 1, Kaiming 2
        expected = slope * math.sqrt(n_var_w)
        assert factor == pytest.approx(expected, rel=0.15)
        claim(PAGE, f"solution-3-{name}-std", stds[-1])
        claim(PAGE, f"solution-3-{name}-factor", factor)
        claim(PAGE, f"solution-3-{name}-slope", expected)
    claim(PAGE, "solution-3-spread", r"\(10^{-16}\) or below")


def test_solution_4_the_default_variance_for_100_inputs(claim):
    ns = load_snippet("weight_initialization/solution_4.py")
    assert ns["by_hand"] == pytest.approx(1 / 300, rel=1e-12)
    assert ns["layer"].weight.var().item() == pytest.approx(ns["by_hand"], rel=VAR_RTOL)
    assert ns["layer"].weight.abs().max().item() <= ns["bound"]
    claim(PAGE, "solution-4-bound", ns["bound"])
    claim(PAGE, "solution-4-var", ns["by_hand"])
    claim(PAGE, "solution-4-measured", ns["layer"].weight.var().item())
    assert ns["layer"].weight.numel() == 10**6
    claim(PAGE, "solution-4-samples", "a million")


def test_solution_5_no_bias_before_batch_norm(claim):
    ns = load_snippet("weight_initialization/solution_5.py")
    assert ns["train_difference"] < 1e-14  # rounding only
    claim(PAGE, "solution-5-train", f"{ns['train_difference']:.1e}")
    extra = sum(p.numel() for p in ns["with_bias"].parameters()) - sum(p.numel() for p in ns["without"].parameters())
    assert extra == ns["with_bias"].out_features
    claim(PAGE, "solution-5-params", extra)
    claim(PAGE, "solution-5-momentum", percent(ns["a"][1].momentum))
    eval_differences = ns["eval_differences"]
    assert eval_differences[1] > 0.1 and eval_differences[100] < 1e-3  # differs, then catches up
    assert list(eval_differences.values()) == sorted(eval_differences.values(), reverse=True)
    claim(PAGE, "solution-5-eval-1", eval_differences[1])
    claim(PAGE, "solution-5-eval-100", f"{eval_differences[100]:.1e}")
