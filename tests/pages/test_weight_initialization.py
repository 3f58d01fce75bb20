"""Weight initialization: every claim of docs/weight-initialization.md, computed."""

import math
from functools import partial

import numpy as np
import pytest
import torch
from torch import nn

from support import DOCS, load_snippet

# Tolerances the page states.
VAR_RTOL = 0.01  # empirical variance of a 512 x 2048 matrix vs the formula
SYMMETRY_ATOL = 1e-6  # "identical" hidden units after training (float32)


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
def test_constant_init_keeps_hidden_units_identical_after_training(symmetry, init):
    torch.manual_seed(0)
    model = symmetry["make_model"](symmetry[init])
    loss = symmetry["train"](model)
    W1, b1, W2 = model[0].weight, model[0].bias, model[2].weight
    # every hidden unit: same incoming weights, same bias, same outgoing weight
    assert (W1 - W1[0]).abs().max() <= SYMMETRY_ATOL
    assert (b1 - b1[0]).abs().max() <= SYMMETRY_ATOL
    assert (W2 - W2[0, 0]).abs().max() <= SYMMETRY_ATOL
    # four copies of one unit cannot solve XOR
    assert loss > 0.1
    if init == "zeros":
        # tanh(0) = 0 and W2 = 0: the hidden layer gets no gradient at all
        assert torch.all(W1 == 0) and torch.all(b1 == 0) and torch.all(W2 == 0)
        # only the output bias learns: 0.5 for every row, an MSE of 0.25
        with torch.no_grad():
            torch.testing.assert_close(model(symmetry["X"]), torch.full((4, 1), 0.5))
        assert loss == pytest.approx(0.25, abs=1e-4)
    else:
        # the units did train, just all in the same way
        assert (W1 - 0.5).abs().min() > 0.1


def test_random_weights_with_zero_biases_break_the_symmetry(symmetry):
    torch.manual_seed(0)
    model = symmetry["make_model"](symmetry["random_weights_zero_biases"])
    assert torch.all(model[0].bias == 0) and torch.all(model[2].bias == 0)
    loss = symmetry["train"](model)
    W1, b1 = model[0].weight, model[0].bias
    rows_apart = torch.cdist(W1, W1) + torch.eye(len(W1)) * 1e9
    assert rows_apart.min() > 0.1  # every pair of hidden units differs
    assert b1.abs().max() > 0.01  # the zero biases learned too
    assert loss < 1e-3  # and the network solves XOR


# --- N(0, 1) and U(-1, 1): Var(z) = fan_in Var(w) --------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_naive_init_pre_activation_std_is_sqrt_fan_in_var_w(seed):
    torch.manual_seed(seed)
    fan_in, N = 512, 1000
    X = torch.randn(N, fan_in, dtype=torch.float64)
    for W, var_w in [(torch.randn(256, fan_in, dtype=torch.float64), 1.0),
                     (torch.empty(256, fan_in, dtype=torch.float64).uniform_(-1, 1), 1 / 3)]:
        Z = X @ W.T
        assert Z.std().item() == pytest.approx(math.sqrt(fan_in * var_w), rel=0.03)
        assert (torch.tanh(Z).abs() > 0.99).double().mean() > 0.8  # mostly saturated


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
def test_from_scratch_variance_matches_formula(schemes, name, var):
    torch.manual_seed(0)
    check_distribution(schemes[name](FAN_IN, FAN_OUT), name, var)


@pytest.mark.parametrize("name, var", FROM_SCRATCH)
def test_torch_nn_init_matches_formula_and_the_from_scratch_draw(schemes, name, var):
    torch.manual_seed(1)
    W = TORCH_INIT[name](torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64))
    check_distribution(W, name, var)
    torch.manual_seed(1)  # same seed: the from-scratch function draws the same numbers
    torch.testing.assert_close(schemes[name](FAN_IN, FAN_OUT), W, rtol=1e-12, atol=0)


def test_gains():
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


def test_linear_default_is_uniform_one_over_sqrt_fan_in_for_weights_and_biases():
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
def test_tanh_stack(stack, seed):
    stds, A = run(stack, "N(0, 1)", torch.tanh, seed)
    assert min(stds) > 0.9  # saturated at every depth
    assert (A.abs() > 0.99).double().mean() > 0.5  # most units sit at ±1

    stds, _ = run(stack, "N(0, 0.01²)", torch.tanh, seed)
    assert stds[-1] < 1e-30  # vanished
    assert per_layer(stds) == pytest.approx(0.01 * math.sqrt(SMALL["width"]), rel=0.1)

    stds, _ = run(stack, "Xavier", torch.tanh, seed)
    assert stds[-1] < stds[0] / 2  # falling over 50 layers (the long run below: it keeps falling)

    stds, _ = run(stack, "Kaiming", torch.tanh, seed)
    assert 0.4 < min(stds) and max(stds) < 1

    stds, A = run(stack, "PyTorch default", torch.tanh, seed)
    assert stds[-1] > 0.01  # the biases set a floor...
    assert across_inputs(A) < 1e-8  # ...while the input's part has vanished


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_stack(stack, seed):
    stds, _ = run(stack, "N(0, 1)", torch.relu, seed)
    assert stds[-1] > 1e30  # exploded
    assert per_layer(stds) == pytest.approx(math.sqrt(SMALL["width"] / 2), rel=0.1)

    stds, _ = run(stack, "N(0, 0.01²)", torch.relu, seed)
    assert stds[-1] < 1e-30  # vanished
    assert per_layer(stds) == pytest.approx(0.01 * math.sqrt(SMALL["width"] / 2), rel=0.1)

    stds, _ = run(stack, "Xavier", torch.relu, seed)
    assert 0.6 < per_layer(stds) < 0.8  # about 1/√2 per layer
    assert stds[-1] < 1e-5

    stds_kaiming, A_kaiming = run(stack, "Kaiming", torch.relu, seed)
    assert 0.9 < per_layer(stds_kaiming) < 1.1  # level
    assert 0.1 < min(stds_kaiming) and max(stds_kaiming) < 10

    stds, A = run(stack, "PyTorch default", torch.relu, seed)
    assert stds[-1] > 0.01
    assert across_inputs(A) < 1e-8
    # Kaiming keeps the input's signal, if a smaller share of it than the overall std
    assert 1e-2 < across_inputs(A_kaiming) < 0.5 * stds_kaiming[-1]


# Xavier on tanh fades like 1/sqrt(2l); a gain above 1 settles. Wide layers, to see the trend
# through the finite-width noise of 200 random matrices.
LONG = dict(depth=200, width=512, N=64)


def tanh_gain(gain):
    def init(layer):
        nn.init.xavier_normal_(layer.weight, gain=gain)
        nn.init.zeros_(layer.bias)
    return init


def page_text():
    return " ".join((DOCS / "weight-initialization.md").read_text(encoding="utf-8").split())


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_tanh_is_a_slow_power_law_collapse_and_a_gain_above_one_settles(stack, seed):
    stds = stack["activation_stds"](stack["SCHEMES"]["Xavier"], torch.tanh, seed=seed, **LONG)[0]
    for layer in (10, 50, 200):
        assert stds[layer - 1] == pytest.approx(1 / math.sqrt(2 * layer), rel=0.2), layer
    assert stds[199] / stds[49] == pytest.approx(math.sqrt(50 / 200), rel=0.3)  # still falling: no band
    settled = {}
    for name, init in [("Kaiming", stack["SCHEMES"]["Kaiming"]), ("5/3", tanh_gain(5 / 3))]:
        stds = stack["activation_stds"](init, torch.tanh, seed=seed, **LONG)[0]
        assert stds[199] / stds[49] == pytest.approx(1, abs=0.1), name  # a level
        settled[name] = stds[199]
    assert settled["5/3"] > settled["Kaiming"]  # the larger gain settles higher


def test_xavier_tanh_follows_the_variance_recursion():
    """q_(l+1) = E[tanh(z)^2] for z ~ N(0, q_l) (infinite width) gives q_l ~ 1/(2l)."""
    x, weights = np.polynomial.hermite_e.hermegauss(101)
    weights = weights / weights.sum()
    q = 1.0
    for layer in range(1, 401):
        q = float((np.tanh(np.sqrt(q) * x) ** 2 * weights).sum())
        if layer in (50, 200, 400):
            assert q * 2 * layer == pytest.approx(1, rel=0.05), layer


def test_tanh_gain_is_larger_than_kaimings():
    """5/3 does not lie between Xavier's gain 1 and Kaiming's sqrt(2): it is above both."""
    tanh, relu = nn.init.calculate_gain("tanh"), nn.init.calculate_gain("relu")
    assert tanh > relu > 1
    assert f"\\(5/3 \\approx {tanh:.2f}\\), is larger still than \\(\\sqrt 2 \\approx {relu:.2f}\\)" in page_text()


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
