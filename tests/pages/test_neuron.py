"""The claims of the neuron page, each checked against PyTorch or NumPy."""

import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from support import SNIPPETS, load_snippet, number_word

ACTIVATIONS = {
    # name: (the function the hand-computed neuron uses, the torch reference)
    "identity": (lambda z: z, lambda z: z),
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), torch.sigmoid),
    "tanh": (math.tanh, torch.tanh),
    "relu": (lambda z: max(0.0, z), torch.relu),
}
N_INPUTS = [1, 3, 10]  # the neurons the tests compare with nn.Linear
NEURON_ATOL = 1e-12


def power_of_ten(x):
    """A tolerance as the page writes it: 1e-12 -> \\(10^{-12}\\)."""
    exponent = round(math.log10(x))
    assert x == 10.0**exponent, x
    return f"\\(10^{{{exponent}}}\\)"


@pytest.fixture(scope="module")
def by_hand():
    return load_snippet("neuron/neuron_by_hand.py")


@pytest.fixture(scope="module")
def counting():
    return load_snippet("neuron/count_parameters.py")


def test_page_example_neuron_equals_nn_linear_and_sigmoid(by_hand, claim):
    """The page's worked example: z = -0.7 and the same a from nn.Linear + sigmoid."""
    assert (by_hand["x"], by_hand["w"], by_hand["b"]) == ([0.5, -1.0, 2.0], [0.8, 0.2, -0.5], 0.1)  # the page's
    assert by_hand["layer"].bias.numel() == 1
    claim("neuron", "linear-weights", number_word(by_hand["layer"].weight.numel()))
    assert by_hand["z"] == pytest.approx(0.8 * 0.5 + 0.2 * -1.0 + -0.5 * 2.0 + 0.1, abs=1e-15)
    assert by_hand["z"] == pytest.approx(-0.7, abs=1e-12)
    assert by_hand["a"] == pytest.approx(by_hand["a_torch"].item(), abs=1e-7)  # float32 layer


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("n_inputs", N_INPUTS)
def test_hand_computed_neuron_equals_nn_linear_plus_activation(by_hand, name, n_inputs, claim):
    """An explicit sum over the inputs, then f, equals nn.Linear(n, 1) then f (float64)."""
    neuron = by_hand["neuron"]
    f_scalar, f_torch = ACTIVATIONS[name]
    gen = torch.Generator().manual_seed(n_inputs)
    layer = nn.Linear(n_inputs, 1, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(1, n_inputs, generator=gen, dtype=torch.float64))
        layer.bias.copy_(torch.randn(1, generator=gen, dtype=torch.float64))
    w, b = layer.weight[0].tolist(), layer.bias.item()
    X = torch.randn(20, n_inputs, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        expected = f_torch(layer(X)).squeeze(1)
    by_hand_values = torch.tensor([neuron(x.tolist(), w, b, f_scalar) for x in X], dtype=torch.float64)
    torch.testing.assert_close(by_hand_values, expected, rtol=0, atol=NEURON_ATOL)
    claim("neuron", "tested-inputs", ", ".join(map(str, N_INPUTS[:-1])) + f" and {N_INPUTS[-1]}")
    claim("neuron", "tested-activations", number_word(len(ACTIVATIONS)))
    claim("neuron", "neuron-agree", power_of_ten(NEURON_ATOL))


def test_a_layer_is_one_neuron_per_row_of_w():
    ns = load_snippet("neuron/layer.py")
    layer, X = ns["layer"], ns["X"]
    assert tuple(layer.weight.shape) == (4, 3)  # (n_out, n_in), as the page warns
    with torch.no_grad():
        for j in range(4):
            one_neuron = nn.Linear(3, 1)
            one_neuron.weight.copy_(layer.weight[j : j + 1])
            one_neuron.bias.copy_(layer.bias[j : j + 1])
            torch.testing.assert_close(one_neuron(X).squeeze(1), layer(X)[:, j])
        torch.testing.assert_close(ns["Z_by_neuron"], layer(X))


SHAPES = [[1, 1], [3, 1], [2, 2, 1], [3, 4, 2], [5, 7, 3, 2], [784, 128, 64, 10], [10, 1, 10]]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("sizes", SHAPES, ids=["-".join(map(str, s)) for s in SHAPES])
def test_parameter_formula_equals_torch_count(counting, sizes, bias):
    model = counting["build_mlp"](sizes, bias)
    by_torch = sum(p.numel() for p in model.parameters())
    assert counting["network_parameters"](sizes, bias) == by_torch
    # the per-layer formula, layer by layer
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for (n_in, n_out), m in zip(zip(sizes, sizes[1:]), linears, strict=True):
        assert counting["layer_parameters"](n_in, n_out, bias) == sum(p.numel() for p in m.parameters())


def test_parameter_counts_the_page_states(counting, claim):
    count = counting["network_parameters"]
    linears = [m for m in counting["build_mlp"]([3, 4, 2]) if isinstance(m, nn.Linear)]  # the page's 3-4-2
    for claim_id in ("layers-of-weights", "pitfall-layers-of-weights"):
        claim("neuron", claim_id, number_word(len(linears)))
    layers_of_units = [linears[0].in_features, *(m.out_features for m in linears)]  # 3, 4 and 2
    claim("neuron", "pitfall-layers-of-units", number_word(len(layers_of_units)))
    digits = counting["sizes"]  # the snippet's last network, for 28 x 28 images of digits
    assert digits[0] == 28 * 28 and digits[-1] == 10
    claim("neuron", "digits-inputs", digits[0])
    claim("neuron", "tested-shapes", number_word(len(SHAPES)))
    assert count([3, 4, 2]) == 26 and count([3, 4, 2], bias=False) == 20
    assert count([784, 128, 64, 10]) == 109386
    # biases add one parameter per neuron outside the input layer
    assert count([784, 128, 64, 10]) - count([784, 128, 64, 10], bias=False) == 128 + 64 + 10


def test_activations_have_no_parameters():
    for module in (nn.ReLU(), nn.Sigmoid(), nn.Tanh(), nn.LeakyReLU(), nn.ELU(), nn.SiLU()):
        assert sum(p.numel() for p in module.parameters()) == 0


def test_linear_neuron_trained_by_gradient_descent_reaches_least_squares(claim):
    """One linear neuron, full-batch gradient descent on MSE, ends at np.linalg.lstsq's answer."""
    ns = load_snippet("neuron/linear_regression.py")
    assert ns["num_epochs"] == 300 and ns["lr"] == 0.1 and ns["N"] == 100
    tolerance = 1e-10
    np.testing.assert_allclose(ns["w_gd"], ns["w_ls"], rtol=0, atol=tolerance)  # the page's tolerance
    assert abs(ns["b_gd"] - ns["b_ls"]) < tolerance
    claim("neuron", "least-squares-agree", power_of_ten(tolerance))
    # the least-squares answer is where the MSE gradient vanishes (the normal equations)
    A, y = ns["A"], ns["y_np"]
    np.testing.assert_allclose(A.T @ (A @ ns["theta"] - y), 0, atol=1e-10)


def test_gradient_descent_converges_below_two_over_the_largest_curvature(claim):
    """The page: steps are small enough when lr < 2 / lambda_max of the MSE's Hessian (2/N) A^T A.
    The page's lr = 0.1 is below it; exercise 3's lr = 0.5 converges and lr = 1.2 diverges."""
    ns = load_snippet("neuron/linear_regression.py")
    A, y = ns["A"], ns["y_np"]
    N = len(A)
    hessian = 2 / N * A.T @ A
    bound = 2 / np.linalg.eigvalsh(hessian).max()
    assert ns["lr"] < bound

    def final_gap(lr, steps=300):
        theta = np.zeros(A.shape[1])
        for _ in range(steps):
            theta = theta - lr * (2 / N) * A.T @ (A @ theta - y)
        return np.abs(theta - ns["theta"]).max()

    assert 0.5 < bound < 1.2
    claim("neuron", "step-bound", "between 0.5 and 1.2")
    assert final_gap(0.5) < 1e-8
    assert final_gap(1.2) > 1e3
    assert final_gap(0.99 * bound, steps=3000) < 1e-6 and final_gap(1.01 * bound, steps=3000) > 1


def test_the_minimum_is_unique_exactly_when_a_has_full_column_rank():
    """The page's condition: A = [X 1] of full column rank. A constant input column is no
    combination of the other inputs, yet it copies the bias column and the minimum spreads out."""
    ns = load_snippet("neuron/linear_regression.py")
    X, y, N, d = ns["X_np"], ns["y_np"], ns["N"], ns["d"]
    A = ns["A"]
    assert np.linalg.matrix_rank(A) == d + 1  # the page's data: one lowest point
    assert np.linalg.eigvalsh(2 / N * A.T @ A).min() > 0.1  # the Hessian is positive definite: a strict bowl
    X_const = np.hstack([X, np.full((N, 1), 5.0)])  # a fourth input that is always 5
    assert np.linalg.matrix_rank(X_const) == d + 1  # no input column is a combination of the others
    A_const = np.hstack([X_const, np.ones((N, 1))])
    assert np.linalg.matrix_rank(A_const) == d + 1 < d + 2  # but A is not of full column rank
    theta, *_ = np.linalg.lstsq(A_const, y, rcond=None)
    shifted = theta + np.array([0, 0, 0, 1.0, -5.0])  # +1 on the constant input, -5 on the bias
    loss = lambda t: np.mean((A_const @ t - y) ** 2)
    assert loss(shifted) == pytest.approx(loss(theta), rel=1e-12)  # two different minima


def test_sigmoid_neuron_is_logistic_regression(claim):
    """The BCE-trained sigmoid neuron lands on the logistic-regression fit (found here by
    Newton's method), and its mean output equals the fraction of 1s."""
    ns = load_snippet("neuron/logistic_neuron.py")
    X, y, neuron = ns["X"], ns["y"].squeeze(1), ns["neuron"]
    A = torch.cat([X, torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    theta = torch.zeros(3, dtype=torch.float64)
    for _ in range(50):  # Newton's method on the mean log-loss
        p = torch.sigmoid(A @ theta)
        grad = A.T @ (p - y) / len(y)
        hess = (A.T * (p * (1 - p))) @ A / len(y)
        theta = theta - torch.linalg.solve(hess, grad)
    fitted = torch.cat([neuron.weight.detach().ravel(), neuron.bias.detach()])
    tolerance = 1e-6
    torch.testing.assert_close(fitted, theta, rtol=0, atol=tolerance)
    claim("neuron", "newton-agree", power_of_ten(tolerance))
    # at the optimum dL/db = mean(a - y) = 0: the page's "after" line
    assert abs(ns["y_hat"].mean().item() - y.mean().item()) < 1e-6
    claim("neuron", "mean-output", "matches the fraction of 1s")


def test_a_sigmoid_neuron_outputs_numbers_between_0_and_1_before_any_training(claim):
    """The warning: an untrained sigmoid neuron's outputs already lie strictly between 0 and 1,
    and their mean is not the fraction of 1s."""
    ns = load_snippet("neuron/logistic_neuron.py")
    X, y = ns["X"], ns["y"]
    for seed in range(5):
        torch.manual_seed(seed)
        untrained = nn.Linear(2, 1, dtype=torch.float64)
        with torch.no_grad():
            y_hat = torch.sigmoid(untrained(X))
        assert ((0 < y_hat) & (y_hat < 1)).all()
        assert abs(y_hat.mean().item() - y.mean().item()) > 1e-3
    claim("neuron", "before-range", "between 0 and 1")
    claim("neuron", "summary-range", "between 0 and 1")


def test_bce_gradient_of_a_sigmoid_neuron_is_a_minus_y():
    """d/dz of the binary cross-entropy of sigmoid(z) is a - y, as the page states."""
    z = torch.linspace(-8, 8, 161, dtype=torch.float64, requires_grad=True)
    for label in (0.0, 1.0):
        y = torch.full_like(z, label)
        loss = nn.functional.binary_cross_entropy(torch.sigmoid(z), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, z)
        torch.testing.assert_close(grad, torch.sigmoid(z).detach() - y, rtol=0, atol=1e-12)


def test_x_at_w_is_wrong_for_a_layer_and_only_errors_when_not_square():
    """The page's pitfall: nn.Linear computes X @ W.T + b; X @ W fails or is silently wrong."""
    torch.manual_seed(0)
    X = torch.randn(5, 3, dtype=torch.float64)
    rectangular = nn.Linear(3, 4, dtype=torch.float64)
    with pytest.raises(RuntimeError):
        X @ rectangular.weight
    square = nn.Linear(3, 3, dtype=torch.float64)
    with torch.no_grad():
        right = X @ square.weight.T + square.bias
        wrong = X @ square.weight + square.bias  # runs without complaint
        torch.testing.assert_close(square(X), right)
        assert not torch.allclose(square(X), wrong)


def test_solution_1_the_bias_that_gives_one_half(claim):
    ns = load_snippet("neuron/solution_1.py")
    assert (ns["x"], ns["w"]) == ([0.5, -1.0, 2.0], [0.8, 0.2, -0.5])  # the page's example
    assert ns["z"] == 0 and ns["a"] == 0.5
    claim("neuron", "solution-1-dot", ns["w_dot_x"])
    claim("neuron", "solution-1-bias", ns["b"])


# --- one neuron draws a straight line ---------------------------------------------------------


@pytest.fixture(scope="module")
def xor_line():
    return load_snippet("neuron/xor_line.py")


def test_a_sigmoid_read_at_one_half_is_the_threshold_neuron(xor_line):
    """The page: sigma(z) >= 1/2 exactly when z >= 0, so both read the same side of w . x + b = 0."""
    z = torch.arange(-500, 501, dtype=torch.float64) / 100  # 0 exactly among them
    assert torch.equal(torch.sigmoid(z) >= 0.5, z >= 0)  # (in float64, |z| < 1e-16 would round)
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(200, 2, generator=gen, dtype=torch.float64)
    layer = nn.Linear(2, 1, dtype=torch.float64)
    with torch.no_grad():
        by_torch = (torch.sigmoid(layer(X)) >= 0.5).int().squeeze(1)
    w, b = layer.weight[0].detach().numpy(), layer.bias.item()
    assert (xor_line["classify"](X.numpy(), w, b) == by_torch.numpy()).all()


def test_w_is_the_normal_of_the_decision_boundary():
    """A step along the boundary leaves z unchanged; z grows fastest along w (autograd's gradient)."""
    gen = torch.Generator().manual_seed(1)
    for d in (2, 3, 10):
        layer = nn.Linear(d, 1, dtype=torch.float64)
        w = layer.weight[0].detach()
        x = torch.randn(d, generator=gen, dtype=torch.float64, requires_grad=True)
        (grad,) = torch.autograd.grad(layer(x).sum(), x)
        torch.testing.assert_close(grad, w, rtol=0, atol=1e-15)  # dz/dx = w
        along = torch.randn(d, generator=gen, dtype=torch.float64)
        along -= (along @ w) / (w @ w) * w  # a direction inside the boundary: orthogonal to w
        with torch.no_grad():
            assert layer(x + 3 * along).item() == pytest.approx(layer(x).item(), abs=1e-12)


def test_no_neuron_separates_xor_by_the_sum_argument(xor_line, claim):
    """z(0,1) + z(1,0) = z(0,0) + z(1,1) for every w and b: the 1s need the sum >= 0, the 0s < 0."""
    X, y = xor_line["X"], xor_line["targets"]["XOR"]
    A = np.hstack([X, np.ones((4, 1))])  # z = A @ (w1, w2, b)
    assert (A[y == 1].sum(axis=0) == A[y == 0].sum(axis=0)).all()  # (1, 1, 2) both
    Z = xor_line["Z"]
    np.testing.assert_allclose(Z[..., 1] + Z[..., 2], Z[..., 0] + Z[..., 3], atol=1e-12)
    # the grid: XOR at most 3 of 4, AND and OR all 4 (so the search can succeed)
    for name, most in (("XOR", 3), ("AND", 4), ("OR", 4)):
        right = ((Z >= 0) == xor_line["targets"][name]).sum(axis=-1)
        assert right.max() == most, name
    assert Z[..., 0].size == 81**3 and 0.5e6 <= Z[..., 0].size < 0.55e6
    claim("neuron", "grid-neurons", "half a million")


def test_the_best_sigmoid_neuron_for_xor_outputs_one_half_everywhere(xor_line, claim):
    """Logistic regression on XOR (Newton's method, from a random start) ends at w = 0, b = 0."""
    X = torch.tensor(xor_line["X"], dtype=torch.float64)
    y = torch.tensor(xor_line["targets"]["XOR"], dtype=torch.float64)
    A = torch.cat([X, torch.ones(4, 1, dtype=torch.float64)], dim=1)
    theta = torch.tensor([0.7, -0.4, 0.3], dtype=torch.float64)
    for _ in range(30):
        p = torch.sigmoid(A @ theta)
        hess = (A.T * (p * (1 - p))) @ A / 4
        theta = theta - torch.linalg.solve(hess, A.T @ (p - y) / 4)
    torch.testing.assert_close(theta, torch.zeros(3, dtype=torch.float64), rtol=0, atol=1e-12)
    # autograd agrees: the binary cross-entropy has zero gradient there
    theta0 = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    loss = nn.functional.binary_cross_entropy_with_logits(A @ theta0, y)
    (grad,) = torch.autograd.grad(loss, theta0)
    assert grad.abs().max() == 0
    (output,) = set(torch.sigmoid(A @ theta).round(decimals=12).tolist())
    claim("neuron", "xor-logistic", output)


def test_the_hand_chosen_2_2_1_network_computes_xor(xor_line, claim):
    """The page's 2-2-1 threshold network, in nn.Linear layers with torch.heaviside, outputs XOR."""
    ns = xor_line
    X, y = torch.tensor(ns["X"], dtype=torch.float64), ns["targets"]["XOR"]
    hidden, output = nn.Linear(2, 2, dtype=torch.float64), nn.Linear(2, 1, dtype=torch.float64)
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor(ns["W1"]))
        hidden.bias.copy_(torch.tensor(ns["b1"]))
        output.weight.copy_(torch.tensor(ns["w2"]).unsqueeze(0))
        output.bias.fill_(ns["b2"])
        step = lambda z: torch.heaviside(z, torch.ones((), dtype=torch.float64))  # 1 where z >= 0
        H = step(hidden(X))
        y_torch = step(output(H)).squeeze(1)
    assert (H.numpy() == ns["H"]).all() and (y_torch.numpy() == ns["y_hat"]).all()
    assert (ns["y_hat"] == y).all()
    # hidden units: OR and AND; (0, 1) and (1, 0) land on one point
    assert (ns["H"][:, 0] == ns["targets"]["OR"]).all() and (ns["H"][:, 1] == ns["targets"]["AND"]).all()
    assert (ns["H"][1] == ns["H"][2]).all()
    claim("neuron", "xor-by-hand", f"the same {number_word(len(y))} outputs")


def test_the_decision_boundary_figure():
    """The figure's neuron separates its two clouds, its arrow is w from the boundary, and the
    right panel's two lines are the hidden neurons of the page's 2-2-1 network (OR and AND)."""
    import matplotlib.pyplot as plt

    ns = load_snippet("neuron/fig_decision_boundary.py")
    try:
        w, b = ns["w"], ns["b"]
        assert (ns["class_0"] @ w + b < 0).all() and (ns["class_1"] @ w + b >= 0).all()
        assert ns["foot"] @ w + b == pytest.approx(0, abs=1e-12)  # the arrow starts on the line
        net = load_snippet("neuron/xor_line.py")
        assert (net["b1"] == [-0.5, -1.5]).all() and (net["W1"] == 1).all()  # the lines x1 + x2 = 0.5, 1.5
        band = (net["X"].sum(axis=1) - 0.5 >= 0) & (net["X"].sum(axis=1) - 1.5 < 0)
        assert (band.astype(int) == ns["y"]).all() and (ns["y"] == net["targets"]["XOR"]).all()
    finally:
        plt.close(ns["fig"])


def test_solution_2_the_2_5_4_1_network_has_44_parameters(counting, claim):
    ns = load_snippet("neuron/solution_2.py")
    sizes, count = ns["sizes"], counting["network_parameters"]  # the page's formula, not the solution's copy
    assert sizes == [2, 5, 4, 1]
    for bias in (True, False):
        by_torch = sum(p.numel() for p in counting["build_mlp"](sizes, bias).parameters())
        assert ns["by_hand"][bias] == count(sizes, bias) == ns["network_parameters"](sizes, bias) == by_torch
    terms = " + ".join(f"({n_in} \\cdot {n_out} + {n_out})" for n_in, n_out in zip(sizes, sizes[1:]))
    claim("neuron", "solution-2-by-hand", f"\\({terms} = {count(sizes)}\\)")
    claim("neuron", "solution-2-without", count(sizes, bias=False))
    biases = count(sizes) - count(sizes, bias=False)
    assert biases == sum(sizes[1:])  # one per neuron after the inputs
    claim("neuron", "solution-2-biases", number_word(biases))


def test_solution_3_a_rate_above_two_over_lambda_max_diverges(claim):
    ns = load_snippet("neuron/solution_3.py")
    lin = load_snippet("neuron/linear_regression.py")
    np.testing.assert_array_equal(ns["A"], lin["A"])  # the page's data
    A, y = torch.from_numpy(ns["A"]), torch.from_numpy(ns["y_np"])
    mse = lambda t: ((A @ t - y) ** 2).mean()
    hessian = torch.autograd.functional.hessian(mse, torch.zeros(4, dtype=torch.float64))
    np.testing.assert_allclose(hessian.numpy(), 2 / ns["N"] * ns["A"].T @ ns["A"], rtol=1e-12)  # autograd's Hessian
    bound = 2 / torch.linalg.eigvalsh(hessian).max().item()
    assert ns["bound"] == pytest.approx(bound, rel=1e-12)
    claim("neuron", "solution-3-bound", bound)
    assert 0.5 < bound < 1.2  # the exercise's two rates fall on either side
    # the last run is lr = 1.2: its weights are astronomically far from least squares
    assert ns["lr"] == 1.2 and ns["gap"] > 1e80
    claim("neuron", "solution-3-diverges", "grow without bound")
    shown = (SNIPPETS / "neuron" / "solution_3.py").read_text(encoding="utf-8")
    gaps = {float(lr): float(gap) for lr, gap in re.findall(r"#> lr = ([\d.]+): +largest gap to least squares (\S+)", shown)}
    assert set(gaps) == {0.1, 0.5, 1.2} and gaps[0.5] < 1e-10 and gaps[1.2] > 1e80
    claim("neuron", "solution-3-converges", "still reaches the least-squares answer")


def test_solution_4_without_a_bias_the_mean_output_misses_the_fraction_of_1s(claim):
    ns = load_snippet("neuron/solution_4.py")
    assert ns["neuron"].bias is None  # the last run: bias=False
    with torch.no_grad():
        y_hat = torch.sigmoid(ns["neuron"](ns["X"]))
    X, y = ns["X"], ns["y"]
    # it has reached its minimum: the weights' equations hold (autograd's gradient is ~0) ...
    loss = nn.functional.binary_cross_entropy_with_logits(ns["neuron"](X), y)
    (grad,) = torch.autograd.grad(loss, ns["neuron"].weight)
    assert grad.abs().max() < 1e-9
    torch.testing.assert_close(grad.squeeze(0), ((y_hat - y) * X).mean(dim=0), rtol=0, atol=1e-15)
    # ... and still the mean output is not the fraction of 1s
    assert abs(y_hat.mean().item() - y.mean().item()) > 0.05
    claim("neuron", "solution-4-mean", y_hat.mean().item())
    claim("neuron", "solution-4-fraction", y.mean().item())


def test_solution_5_ten_times_the_outputs_ten_times_the_parameters(counting, claim):
    ns = load_snippet("neuron/solution_5.py")
    count = counting["layer_parameters"]
    square, wide = count(100, 100), count(100, 1000)
    assert square == sum(p.numel() for p in nn.Linear(100, 100).parameters())
    assert wide == sum(p.numel() for p in nn.Linear(100, 1000).parameters()) == ns["by_torch"] == ns["by_formula"]
    spaced = lambda n: f"{n:,}".replace(",", "\\,")  # 10100 -> 10\,100, as TeX spaces thousands
    claim("neuron", "solution-5-square", f"\\(100 \\cdot 100 + 100 = {spaced(square)}\\)")
    claim("neuron", "solution-5-wide", f"\\(100 \\cdot 1000 + 1000 = {spaced(wide)}\\)")
    claim("neuron", "solution-5-ratio", number_word(1000 // 100))
    assert wide == 10 * square
    claim("neuron", "solution-5-ratio-params", number_word(wide // square))
