"""Loss functions: every from-scratch loss equals torch.nn.functional, and the page's claims hold."""

import contextlib
import math

import matplotlib

matplotlib.use("Agg")  # the figure snippet ends with plt.show(); draw off-screen

import matplotlib.pyplot as plt
import pytest
import torch
import torch.nn.functional as F

from support import load_snippet, number_word

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
FRACTIONS = {0.5: "half", 0.25: "a quarter"}

TOL = dict(rtol=1e-12, atol=1e-12)  # float64 throughout
SHAPES = [(7,), (3, 4), (2, 3, 5)]
REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture(scope="module")
def regression():
    return load_snippet("loss/regression.py")


@pytest.fixture(scope="module")
def bce_ns():
    return load_snippet("loss/bce.py")


@pytest.fixture(scope="module")
def ce_ns():
    return load_snippet("loss/cross_entropy.py")


@pytest.fixture(scope="module")
def kl_ns():
    return load_snippet("loss/kl.py")


def pair(shape, seed, scale=3.0):
    """Random predictions and targets, float64, errors spread over a few units."""
    g = torch.Generator().manual_seed(seed)
    y_hat = scale * torch.randn(shape, dtype=torch.float64, generator=g)
    y = scale * torch.randn(shape, dtype=torch.float64, generator=g)
    return y_hat, y


def distributions(shape, seed, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return torch.softmax(scale * torch.randn(shape, dtype=torch.float64, generator=g), dim=-1)


def test_a_squared_error_on_a_probability_costs_at_most_1(claim):
    p = torch.linspace(0, 1, 1001, dtype=torch.float64)
    worst = max(((p - y) ** 2).max().item() for y in (0.0, 1.0))  # the farthest a target can be
    assert worst == 1.0
    claim("loss", "squared-error-max", worst)


# --- MSE, L1, Huber --------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
def test_mse_and_l1_equal_torch(regression, shape, reduction):
    y_hat, y = pair(shape, seed=len(shape))
    torch.testing.assert_close(regression["mse"](y_hat, y, reduction), F.mse_loss(y_hat, y, reduction=reduction), **TOL)
    torch.testing.assert_close(regression["l1"](y_hat, y, reduction), F.l1_loss(y_hat, y, reduction=reduction), **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.5])
def test_huber_equals_torch_for_every_delta(regression, shape, reduction, delta):
    y_hat, y = pair(shape, seed=10 + len(shape))
    y_hat = y + 2 * delta * (y_hat / 3)  # errors of about 2 delta: some inside delta, some outside
    e = (y_hat - y).abs()
    assert (e <= delta).any() and (e > delta).any(), "the inputs must reach both branches"
    ours = regression["huber"](y_hat, y, delta=delta, reduction=reduction)
    torch.testing.assert_close(ours, F.huber_loss(y_hat, y, reduction=reduction, delta=delta), **TOL)


def test_huber_is_smooth_l1_times_delta(regression):
    """The page's warning: F.smooth_l1_loss(beta=delta) is Huber divided by delta."""
    y_hat, y = pair((50,), seed=3)
    for delta in (0.5, 2.0, 4.0):
        smooth = F.smooth_l1_loss(y_hat, y, beta=delta, reduction="none")
        torch.testing.assert_close(delta * smooth, regression["huber"](y_hat, y, delta, "none"), **TOL)
        assert not torch.allclose(smooth, regression["huber"](y_hat, y, delta, "none"))


def test_the_printed_example_supports_the_prose(regression, claim):
    """An error of 6 costs 9 times an error of 2 under MSE, more than the rest together."""
    per = {name: regression[name](regression["y_hat"], regression["y"], reduction="none")
           for name in ("mse", "l1", "huber")}
    errors = (regression["y_hat"] - regression["y"]).abs()
    assert errors.tolist() == [0.5, 0.0, 2.0, 6.0]
    claim("loss", "outlier-error", errors[3].item())
    claim("loss", "mse-of-6", per["mse"][3].item())
    ratio = (per["mse"][3] / per["mse"][2]).item()
    assert ratio == int(ratio)
    claim("loss", "nine-times", number_word(int(ratio)))
    claim("loss", "outlier-mse", per["mse"][3].item())
    assert per["mse"][3] > per["mse"][:3].sum()
    claim("loss", "outlier-mse-most", "more than the rest together")
    claim("loss", "outlier-l1", per["l1"][3].item())
    claim("loss", "outlier-huber", per["huber"][3].item())


def test_the_l1_outlier_dominates_the_loss_but_not_the_gradient(regression, claim):
    """The page: under L1 the outlier takes most of the loss (6 of 8.5, about 71 %), but its
    push, |d l_i / d y_hat_i| = 1, is capped like every other miss's: a third of the total here."""
    loss, push = regression["loss_l1"].detach(), regression["push"]
    share_of_loss = (loss[3] / loss.sum()).item()
    share_of_push = (push[3] / push.sum()).item()
    assert share_of_loss == pytest.approx(6 / 8.5) and share_of_loss > 0.5  # it dominates the loss
    assert round(100 * share_of_loss) == 71
    assert push.max() == 1.0 and push[3] == 1.0  # the cap: no prediction is pushed harder
    misses = push[loss > 0]
    assert (misses == misses[0]).all()
    claim("loss", "l1-push", misses[0].item())
    claim("loss", "l1-gradient-at-hit", push[loss == 0].item())  # the exact hit
    assert share_of_push == pytest.approx(1 / 3)
    assert share_of_push < share_of_loss
    # under MSE the outlier's push, 2 e_i, is the largest by far
    pred = regression["y_hat"].clone().requires_grad_()
    regression["mse"](pred, regression["y"], reduction="sum").backward()
    assert (pred.grad.abs()[3] / pred.grad.abs().sum()).item() > 0.7


def test_mean_reduction_divides_by_the_number_of_elements(regression, ce_ns):
    """The page: 'mean' averages over every element (N times the outputs per sample), and
    cross-entropy with class weights divides by the summed weights of the targets."""
    y_hat, y = pair((6, 3), seed=13)
    per_element = F.mse_loss(y_hat, y, reduction="none")
    assert F.mse_loss(y_hat, y).item() == pytest.approx(per_element.sum().item() / 18, rel=1e-12)
    assert F.mse_loss(y_hat, y).item() != pytest.approx(per_element.sum().item() / 6, rel=1e-3)
    g = torch.Generator().manual_seed(14)
    Z = torch.randn(5, 3, dtype=torch.float64, generator=g)
    target = torch.tensor([0, 2, 1, 2, 2])
    weight = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    per_sample = F.cross_entropy(Z, target, weight=weight, reduction="none")
    torch.testing.assert_close(F.cross_entropy(Z, target, weight=weight), per_sample.sum() / weight[target].sum(), **TOL)


def test_mse_is_smallest_at_the_mean_and_l1_at_the_median(regression):
    y = torch.tensor([1.0, 1.5, 2.0, 2.2, 2.5, 3.0, 3.1, 3.3, 3.8, 40.0], dtype=torch.float64)
    c = torch.linspace(0, 45, 4501, dtype=torch.float64)[:, None]  # candidates, step 0.01
    Y = y.expand(len(c), -1)
    mse = regression["mse"](c.expand_as(Y), Y, reduction="none").mean(dim=1)
    l1 = regression["l1"](c.expand_as(Y), Y, reduction="none").mean(dim=1)
    assert abs(c[mse.argmin()] - y.mean()) <= 0.005
    lo, hi = y.sort().values[4:6]  # with ten values, every point between the middle two is a median
    assert lo - 0.005 <= c[l1.argmin()] <= hi + 0.005
    assert y.mean() > hi + 1  # the outlier drags the mean outside that range


def test_sum_reduction_scales_the_gradient_by_n():
    y_hat, y = pair((32,), seed=12)
    grads = {}
    for reduction in ("mean", "sum"):
        x = y_hat.clone().requires_grad_()
        F.mse_loss(x, y, reduction=reduction).backward()
        grads[reduction] = x.grad
    torch.testing.assert_close(grads["sum"], 32 * grads["mean"], **TOL)


def test_unknown_reduction_is_an_error(regression, bce_ns, ce_ns, kl_ns):
    x = torch.rand(2, 3, dtype=torch.float64)
    with pytest.raises(ValueError):
        regression["mse"](x, x, reduction="batchmean")
    with pytest.raises(ValueError):
        bce_ns["bce"](x, x, reduction="avg")
    with pytest.raises(ValueError):
        ce_ns["cross_entropy"](x, torch.tensor([0, 1]), reduction="avg")
    with pytest.raises(ValueError):
        kl_ns["kl_divergence"](x, x, reduction="avg")


def test_regression_gradients_are_the_page_formulas():
    """d loss / d y_hat per element: 2e (MSE), sign(e) (L1), clamp(e, -delta, delta) (Huber)."""
    y_hat, y = pair((200,), seed=4)
    e = y_hat - y
    for loss_fn, expected in [
        (F.mse_loss, 2 * e),
        (F.l1_loss, torch.sign(e)),
        (lambda a, b, reduction: F.huber_loss(a, b, reduction=reduction, delta=1.5), e.clamp(-1.5, 1.5)),
    ]:
        x = y_hat.clone().requires_grad_()
        loss_fn(x, y, reduction="sum").backward()
        torch.testing.assert_close(x.grad, expected, **TOL)


def test_feedback_snippet_prints_the_formulas():
    ns = load_snippet("loss/feedback.py")
    e = ns["errors"]
    assert e.abs().min() < 1.0 < e.abs().max()  # some errors below delta = 1, some above
    grads = {}
    for name, loss_fn in [("MSE", F.mse_loss), ("L1", F.l1_loss), ("Huber", F.huber_loss)]:
        x = e.clone().requires_grad_()
        loss_fn(x, ns["y"], reduction="sum").backward()
        grads[name] = x.grad
    torch.testing.assert_close(grads["MSE"], 2 * e)
    torch.testing.assert_close(grads["L1"], torch.sign(e))
    torch.testing.assert_close(grads["Huber"], e.clamp(-1.0, 1.0))


# --- binary cross-entropy ---------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("soft", [False, True], ids=["hard-targets", "soft-targets"])
def test_bce_equals_torch(bce_ns, shape, reduction, soft, claim):
    g = torch.Generator().manual_seed(20 + len(shape))
    p = torch.sigmoid(2 * torch.randn(shape, dtype=torch.float64, generator=g))
    y = torch.rand(shape, dtype=torch.float64, generator=g)
    y = y if soft else y.round()
    ours = bce_ns["bce"](p, y, reduction)
    torch.testing.assert_close(ours, F.binary_cross_entropy(p, y, reduction=reduction), **TOL)
    if soft:
        assert ((y > 0) & (y < 1)).all()
        claim("loss", "soft-labels", "Targets between 0 and 1 (soft labels) work too")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", [1.0, 50.0, 800.0, 1e4])
def test_bce_with_logits_equals_torch_at_every_scale(bce_ns, shape, reduction, scale):
    g = torch.Generator().manual_seed(30 + len(shape))
    z = scale * torch.randn(shape, dtype=torch.float64, generator=g)
    y = torch.rand(shape, dtype=torch.float64, generator=g).round()
    ours = bce_ns["bce_with_logits"](z, y, reduction)
    assert torch.isfinite(ours).all()
    expected = F.binary_cross_entropy_with_logits(z, y, reduction=reduction)
    torch.testing.assert_close(ours, expected, rtol=1e-12, atol=1e-12)


def test_pytorch_computes_bce_with_logits_from_the_log_sigmoid_form(bce_ns):
    """The page: PyTorch computes (1 - y) z - log sigmoid(z) (bit for bit); the max/abs form
    the snippet uses gives the same value, not the same bits."""
    g = torch.Generator().manual_seed(15)
    z = 30 * torch.randn(10000, dtype=torch.float64, generator=g)
    y = torch.rand(10000, dtype=torch.float64, generator=g).round()
    torch_loss = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    assert torch.equal(torch_loss, (1 - y) * z - F.logsigmoid(z))
    ours = bce_ns["bce_with_logits"](z, y, "none")
    assert not torch.equal(torch_loss, ours)
    torch.testing.assert_close(ours, torch_loss, **TOL)


def test_log1p_keeps_the_small_loss_of_a_confident_right_answer(bce_ns, claim):
    """The page: for a confident right answer the loss is about e^-|z|; log(1 + tiny) rounds
    that to 0 in float32, log1p keeps it."""
    z, y = torch.tensor(20.0), torch.tensor(1.0)  # float32, right and sure
    tiny = torch.exp(-z.abs())
    assert torch.log(1 + tiny).item() == 0.0
    assert torch.log1p(tiny).item() == pytest.approx(math.exp(-20.0), rel=1e-6)
    assert bce_ns["bce_with_logits"](z, y).item() == pytest.approx(math.exp(-20.0), rel=1e-6)
    # "once |z| passes about 17": 1 + e^-16 is still above 1 in float32, 1 + e^-17 is not
    assert (1 + torch.exp(torch.tensor(-16.0))).item() > 1.0
    assert (1 + torch.exp(torch.tensor(-17.0))).item() == 1.0
    claim("loss", "one-plus-tiny", (1 + torch.exp(torch.tensor(-17.0))).item())
    claim("loss", "plain-log", torch.log(1 + torch.exp(torch.tensor(-17.0))).item())
    low, high = 16.0, 17.0  # bisect for the |z| where 1 + e^-|z| starts to round to 1
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if (1 + torch.exp(torch.tensor(-mid))).item() == 1.0 else (mid, high)
    claim("loss", "one-plus-tiny-edge", high)


def test_both_bce_forms_agree_where_sigmoid_is_accurate(bce_ns):
    g = torch.Generator().manual_seed(5)
    z = 3 * torch.randn(100, dtype=torch.float64, generator=g)
    y = torch.rand(100, dtype=torch.float64, generator=g)
    torch.testing.assert_close(
        bce_ns["bce_with_logits"](z, y, "none"), bce_ns["bce"](torch.sigmoid(z), y, "none"), rtol=1e-9, atol=1e-12
    )


def test_naive_bce_overflows_where_the_stable_form_does_not(bce_ns, claim):
    bce, stable = bce_ns["bce"], bce_ns["bce_with_logits"]
    for dtype, z in [(torch.float32, 20.0), (torch.float64, 40.0)]:
        z, y = torch.tensor(z, dtype=dtype), torch.tensor(0.0, dtype=dtype)
        p = torch.sigmoid(z)
        assert p.item() == 1.0  # 1 - sigmoid(z) is lost entirely
        claim("loss", "sigmoid-20" if dtype == torch.float32 else "sigmoid-40-float64", p.item())
        assert math.isinf(bce(p, y).item())
        claim("loss", "naive-infinity", {math.inf: "infinity"}[bce(p, y).item()])
        assert F.binary_cross_entropy(p, y).item() == 100.0  # torch clamps log at -100
        claim("loss", "bce-clamped", F.binary_cross_entropy(p, y).item())
        claim("loss", "bce-clamp", -F.binary_cross_entropy(p, y).item())  # the clamped log(1 - p)
        # the true loss is log(1 + e^z), which is z plus a tiny amount
        assert stable(z, y).item() == pytest.approx(z.item(), rel=1e-6)
        assert stable(z, y).item() == F.binary_cross_entropy_with_logits(z, y).item()
    # below the edge, float64 still gets the right value from p
    z, y = torch.tensor(20.0, dtype=torch.float64), torch.tensor(0.0, dtype=torch.float64)
    assert bce(torch.sigmoid(z), y).item() == pytest.approx(20.0, rel=1e-8)


def test_naive_bce_loses_precision_before_it_overflows(bce_ns, claim):
    """The z = 10 row of the printed table: float32 sigmoid then log is off in the 4th decimal."""
    z = torch.tensor(10.0)
    y = torch.tensor(0.0)
    exact = math.log1p(math.exp(10.0))
    naive = bce_ns["bce"](torch.sigmoid(z), y).item()
    stable = bce_ns["bce_with_logits"](z, y).item()
    assert abs(naive - exact) > 1e-4  # wrong in the fourth decimal
    assert abs(stable - exact) < 1e-6
    first_wrong = next(k for k in range(1, 10) if round(naive, k) != round(exact, k))
    claim("loss", "naive-wrong-decimal", f"wrong in the {ORDINALS[first_wrong]} decimal")
    # float32 keeps 24 significant bits, about 7.2 decimal digits
    bits = -math.log2(torch.finfo(torch.float32).eps) + 1
    claim("loss", "float32-digits", number_word(round(bits * math.log10(2))))


def test_gradient_through_p_vanishes_and_the_stable_one_is_sigmoid_minus_y(bce_ns, claim):
    assert bce_ns["grad_y_hat"].item() == 0.0
    claim("loss", "rounded-gradient", bce_ns["grad_y_hat"].item())
    assert bce_ns["grad_z"].item() == pytest.approx(1.0, abs=1e-6)
    claim("loss", "stable-gradient", bce_ns["grad_z"].item())
    g = torch.Generator().manual_seed(6)
    z = (4 * torch.randn(50, dtype=torch.float64, generator=g)).requires_grad_()
    y = torch.rand(50, dtype=torch.float64, generator=g).round()
    bce_ns["bce_with_logits"](z, y, "sum").backward()
    torch.testing.assert_close(z.grad, torch.sigmoid(z.detach()) - y, **TOL)


# --- cross-entropy ----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(1, 2), (5, 3), (8, 10)])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_log_softmax_equals_torch(ce_ns, shape, scale):
    g = torch.Generator().manual_seed(shape[1])
    Z = scale * torch.randn(shape, dtype=torch.float64, generator=g)
    ours = ce_ns["log_softmax"](Z)
    assert torch.isfinite(ours).all()
    torch.testing.assert_close(ours, F.log_softmax(Z, dim=1), **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(1, 2), (5, 3), (8, 10)])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_cross_entropy_equals_torch(ce_ns, shape, reduction, scale, claim):
    g = torch.Generator().manual_seed(40 + shape[0])
    Z = scale * torch.randn(shape, dtype=torch.float64, generator=g)
    y = torch.randint(0, shape[1], (shape[0],), generator=g)
    ours = ce_ns["cross_entropy"](Z, y, reduction)
    torch.testing.assert_close(ours, F.cross_entropy(Z, y, reduction=reduction), **TOL)
    if scale == 1000.0 and shape == (8, 10):
        assert 1000 <= Z.abs().max() < 10000
        claim("loss", "ce-logits-thousands", "in the thousands")


def test_naive_softmax_overflows_and_log_softmax_does_not(ce_ns, claim):
    assert not torch.isfinite(ce_ns["naive"]).all()
    assert torch.exp(torch.tensor(1000.0, dtype=torch.float64)).isinf()
    claim("loss", "exp-1000", "overflows")
    Z = ce_ns["Z"]
    shifted = Z - Z.max(dim=1, keepdim=True).values  # the exponents log_softmax uses
    claim("loss", "shifted-exponents", shifted.max().item())
    torch.testing.assert_close(ce_ns["log_softmax"](ce_ns["Z"]), F.log_softmax(ce_ns["Z"], dim=1))


def test_cross_entropy_gradient_is_softmax_minus_one_hot(ce_ns, claim):
    g = torch.Generator().manual_seed(7)
    Z = torch.randn(6, 4, dtype=torch.float64, generator=g).requires_grad_()
    y = torch.randint(0, 4, (6,), generator=g)
    ce_ns["cross_entropy"](Z, y, "sum").backward()
    torch.testing.assert_close(Z.grad, torch.softmax(Z.detach(), dim=1) - F.one_hot(y, 4).double(), **TOL)
    subtracted = torch.softmax(Z.detach(), dim=1) - Z.grad
    true = torch.zeros_like(subtracted, dtype=torch.bool)
    true[torch.arange(len(y)), y] = True
    assert subtracted[true].allclose(subtracted[true][0]) and subtracted[~true].abs().max() < 1e-12
    claim("loss", "ce-gradient-true", subtracted[true][0].item())
    claim("loss", "ce-gradient-other", subtracted[~true].abs().max().item())


def test_softmax_before_cross_entropy_gives_a_different_number():
    """The pitfall: F.cross_entropy applies log-softmax itself; softmax first runs, and is wrong."""
    g = torch.Generator().manual_seed(8)
    Z = 3 * torch.randn(5, 4, dtype=torch.float64, generator=g)
    y = torch.randint(0, 4, (5,), generator=g)
    double = F.cross_entropy(torch.softmax(Z, dim=1), y)
    assert torch.isfinite(double)
    assert abs(double - F.cross_entropy(Z, y)) > 0.1


@pytest.mark.parametrize("C", [2, 3, 10])
def test_softmax_first_puts_a_floor_under_the_loss(C, claim):
    """Probabilities as logits lie in [0, 1]: a perfect model scores log(1 + (C - 1)/e), not 0."""
    g = torch.Generator().manual_seed(C)
    Z = 1000 * torch.randn(6, C, dtype=torch.float64, generator=g)  # a very confident model...
    y = Z.argmax(dim=1)  # ...that is always right
    assert F.cross_entropy(Z, y) < 1e-12
    S = torch.softmax(Z, dim=1)
    assert (S >= 0).all() and (S <= 1).all()
    claim("loss", "softmax-logits-range", "between 0 and 1")
    floor = math.log(1 + (C - 1) / math.e)
    assert F.cross_entropy(torch.softmax(Z, dim=1), y).item() == pytest.approx(floor, rel=1e-9)


def test_sigmoid_first_puts_floors_under_bce_with_logits(claim):
    """The page: probabilities fed as logits lie in [0, 1], so a perfect, fully sure model still
    scores log(1 + e^-1) on y = 1 (sigmoid(z) -> 1) and log 2 on y = 0 (sigmoid(z) -> 0)."""
    z = torch.tensor([50.0, -50.0], dtype=torch.float64)  # right and sure about both
    y = torch.tensor([1.0, 0.0], dtype=torch.float64)
    assert F.binary_cross_entropy_with_logits(z, y, reduction="none").max() < 1e-20
    claim("loss", "sigmoid-at-most", torch.sigmoid(z).max().item())
    claim("loss", "sigmoid-at-least", torch.sigmoid(z).min().item())
    floors = F.binary_cross_entropy_with_logits(torch.sigmoid(z), y, reduction="none")
    claim("loss", "bce-floors", number_word(len(set(floors.tolist()))))
    assert floors[0].item() == pytest.approx(math.log(1 + math.exp(-1)), rel=1e-12)
    assert floors[1].item() == pytest.approx(math.log(2), rel=1e-12)
    # not "the same" floor for both: the two-class cross-entropy floor log(1 + 1/e) fits y = 1 only
    assert floors[1].item() > math.log(1 + 1 / math.e) + 0.3


def test_float_targets_are_read_as_distributions():
    g = torch.Generator().manual_seed(11)
    Z = torch.randn(5, 4, dtype=torch.float64, generator=g)
    y = torch.randint(0, 4, (5,), generator=g)
    torch.testing.assert_close(F.cross_entropy(Z, F.one_hot(y, 4).double()), F.cross_entropy(Z, y), **TOL)
    P = distributions((5, 4), seed=12)
    assert abs(F.cross_entropy(Z, P) - F.cross_entropy(Z, y)) > 1e-3


def test_binary_cross_entropy_is_two_class_cross_entropy(bce_ns, ce_ns, claim):
    """Exercise 3's answer: logits (0, z) with softmax give sigmoid(z) for class 1."""
    g = torch.Generator().manual_seed(9)
    z = 3 * torch.randn(10, dtype=torch.float64, generator=g)
    y = torch.randint(0, 2, (10,), generator=g)
    Z = torch.stack([torch.zeros_like(z), z], dim=1)
    torch.testing.assert_close(ce_ns["cross_entropy"](Z, y), bce_ns["bce_with_logits"](z, y.double()), **TOL)
    claim("loss", "bce-two-class", f"{number_word(Z.shape[1])}-class")


# --- KL divergence ----------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("shape", [(1, 2), (4, 5), (8, 10)])
def test_kl_divergence_equals_torch_kl_div_with_log_q_first(kl_ns, shape, reduction):
    P = distributions(shape, seed=50 + shape[0])
    Q = distributions(shape, seed=60 + shape[0])
    P[0, 0] = 0.0  # a zero probability in the target counts as 0 log 0 = 0
    P = P / P.sum(dim=1, keepdim=True)
    ours = kl_ns["kl_divergence"](P, Q, reduction)
    # torch warns that its 'mean' is not a KL divergence (see the page's pitfall)
    with pytest.warns(UserWarning) if reduction == "mean" else contextlib.nullcontext():
        expected = F.kl_div(torch.log(Q), P, reduction=reduction)
    assert torch.isfinite(ours).all()
    torch.testing.assert_close(ours, expected, **TOL)


def test_batchmean_is_the_mean_kl_per_row_and_mean_is_not(kl_ns):
    P, Q = distributions((6, 5), seed=70), distributions((6, 5), seed=71)
    per_row = (P * torch.log(P / Q)).sum(dim=1)  # the textbook formula, row by row
    kl = kl_ns["kl_divergence"]
    torch.testing.assert_close(kl(P, Q, "batchmean"), per_row.mean(), **TOL)
    torch.testing.assert_close(kl(P, Q, "mean"), per_row.mean() / 5, **TOL)


def test_kl_is_nonnegative_zero_only_for_equal_and_not_symmetric(kl_ns, claim):
    kl = kl_ns["kl_divergence"]
    for seed in range(5):
        P, Q = distributions((4, 6), seed=seed), distributions((4, 6), seed=seed + 100)
        assert (kl(P, Q, "none").sum(dim=1) >= 0).all()
        assert abs(kl(P, Q) - kl(Q, P)) > 1e-6
        assert kl(P, P).abs() < 1e-15
    claim("loss", "kl-never-negative", "never negative")
    claim("loss", "kl-zero-equal", kl(P, P).item())
    claim("loss", "kl-zero-match", kl(P, P).item())
    assert abs(kl_ns["kl_divergence"](kl_ns["P"], kl_ns["Q"]) - kl_ns["kl_divergence"](kl_ns["Q"], kl_ns["P"])) > 1e-3


def test_kl_counts_a_class_both_distributions_leave_out_as_zero(kl_ns, claim):
    """p_k = q_k = 0 is a term 0 log(0/0) = 0: xlogy handles it, p * log(q) gives nan."""
    P = torch.tensor([[0.5, 0.5, 0.0]], dtype=torch.float64)
    Q = torch.tensor([[0.25, 0.75, 0.0]], dtype=torch.float64)
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert kl_ns["kl_divergence"](P, Q).item() == pytest.approx(expected, rel=1e-12)
    assert torch.isnan((P * torch.log(Q)).sum())  # the old formula
    terms = torch.xlogy(P, P) - torch.xlogy(P, Q)
    claim("loss", "xlogy-zero", terms[0, 2].item())  # p_k = q_k = 0


def test_the_wrong_kl_div_call_runs_and_is_negative_in_the_snippet(kl_ns):
    wrong = F.kl_div(kl_ns["P"], kl_ns["Q"], reduction="batchmean")
    assert wrong < 0
    assert abs(wrong - kl_ns["kl_divergence"](kl_ns["P"], kl_ns["Q"])) > 0.1


def test_cross_entropy_is_entropy_plus_kl(kl_ns):
    """Minimising cross-entropy in Q is minimising KL: they differ by H(P), which Q cannot change."""
    P = distributions((5, 4), seed=80)
    Z = torch.randn(5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(81))
    H = -(P * torch.log(P)).sum(dim=1).mean()
    ce = F.cross_entropy(Z, P)  # probability targets
    torch.testing.assert_close(ce, H + kl_ns["kl_divergence"](P, torch.softmax(Z, dim=1)), **TOL)


# --- the figure -------------------------------------------------------------------------------


def test_figure_plots_the_losses_it_names():
    ns = load_snippet("loss/fig_losses.py")
    try:
        ax_reg, ax_bce = ns["ax_reg"], ns["ax_bce"]
        lines = {line.get_label(): line for line in ax_reg.lines}
        e = torch.as_tensor(lines["MSE: $e^2$"].get_xdata())
        torch.testing.assert_close(torch.as_tensor(lines["MSE: $e^2$"].get_ydata()), e**2, **TOL)
        torch.testing.assert_close(torch.as_tensor(lines["L1: $|e|$"].get_ydata()), e.abs(), **TOL)
        for delta in (1.0, 2.0):
            huber = torch.where(e.abs() <= delta, 0.5 * e**2, delta * (e.abs() - 0.5 * delta))
            got = torch.as_tensor(lines[f"Huber, $\\delta = {delta:g}$"].get_ydata())
            torch.testing.assert_close(got, huber, **TOL)
        bce_lines = {line.get_label(): line for line in ax_bce.lines}
        p = torch.as_tensor(bce_lines["target $y = 1$"].get_xdata())
        torch.testing.assert_close(torch.as_tensor(bce_lines["target $y = 1$"].get_ydata()), -torch.log(p), **TOL)
        torch.testing.assert_close(torch.as_tensor(bce_lines["target $y = 0$"].get_ydata()), -torch.log1p(-p), **TOL)
        assert len(plt.get_fignums()) == 1  # one figure
    finally:
        plt.close("all")


# --- the exercises' premises ------------------------------------------------------------------


def test_huber_with_a_large_delta_is_half_the_mse(regression, claim):
    """Exercise 1's premise: with every error inside delta, Huber is e^2 / 2."""
    y_hat, y = pair((40,), seed=16)
    ratio = (regression["huber"](y_hat, y, delta=1e6) / regression["mse"](y_hat, y)).item()
    assert ratio == pytest.approx(0.5, rel=1e-12)
    claim("loss", "huber-large-delta", FRACTIONS[round(ratio, 12)])


def test_float32_sigmoid_first_rounds_to_1_between_10_and_20(claim):
    """Exercise 2's premise and hint: the answer exists, and the bracket holds it."""
    low, high = torch.tensor(10.0), torch.tensor(20.0)
    assert torch.sigmoid(low).item() < 1.0 and torch.sigmoid(high).item() == 1.0
    claim("loss", "exercise-sigmoid-1", torch.sigmoid(high).item())
    claim("loss", "exercise-bracket", f"between {low.item():g} and {high.item():g}")


# --- what 'mean' divides by ------------------------------------------------------------------


def test_what_mean_divides_by_each_loss(claim):
    """'sum' / 'mean': every element for MSE, L1, Huber, BCE (and kl_div's 'mean'); the samples,
    or the targets' summed class weights, for cross-entropy; the rows for 'batchmean'."""
    ns = load_snippet("loss/reduction.py")
    N, n_out, K, losses = ns["N"], ns["n_out"], ns["K"], ns["losses"]
    elements = N * n_out
    expected = {"mse_loss": elements, "l1_loss": elements, "huber_loss": elements, "bce_with_logits": elements,
                "cross_entropy": N, "cross_entropy, weight": ns["weight"][ns["y"]].sum().item(),
                "kl_div, 'batchmean'": N}
    assert set(expected) == set(losses)
    for name, divisor in expected.items():
        mean = losses[name]("batchmean" if "batchmean" in name else "mean")
        torch.testing.assert_close(losses[name]("sum") / divisor, mean, **TOL)
    assert expected["cross_entropy, weight"] != N  # the weights change the divisor
    claim("loss", "weighted-divisor", expected["cross_entropy, weight"])
    with pytest.warns(UserWarning):  # torch's own 'mean' for kl_div divides by all N K elements
        kl_mean = F.kl_div(F.log_softmax(ns["Z"], dim=1), ns["P"], reduction="mean")
    torch.testing.assert_close(losses["kl_div, 'batchmean'"]("sum") / (N * K), kl_mean, **TOL)
    # and the element-wise losses on other shapes: the divisor is numel, never the batch size
    for shape in SHAPES:
        y_hat, y = pair(shape, seed=17)
        for f in (F.mse_loss, F.l1_loss, F.huber_loss):
            torch.testing.assert_close(f(y_hat, y, reduction="sum") / y_hat.numel(), f(y_hat, y), **TOL)
        t = (y > 0).double()
        torch.testing.assert_close(F.binary_cross_entropy_with_logits(y_hat, t, reduction="sum") / y_hat.numel(),
                                   F.binary_cross_entropy_with_logits(y_hat, t), **TOL)


# --- Huber's threshold has units --------------------------------------------------------------


def test_hubers_delta_is_in_the_units_of_the_target(claim):
    ns = load_snippet("loss/huber_units.py")
    e_m, zero = ns["e_m"], ns["zero"]
    inside = {s: ((s * e_m).abs() <= 1.0).sum().item() for s in (1.0, 100.0)}
    assert inside[1.0] == 3 and inside[100.0] == 0  # delta = 1 in cm: every error is linear
    claim("loss", "huber-cm-quadratic", {0: "none"}[inside[100.0]])
    cm = F.huber_loss(100 * e_m, zero, delta=1.0, reduction="none")
    torch.testing.assert_close(cm, (100 * e_m.abs() - 0.5), **TOL)  # L1 shifted: the linear piece
    for s in (0.01, 7.0, 100.0):  # delta scaled with the errors: the loss scales by s^2
        torch.testing.assert_close(F.huber_loss(s * e_m, zero, delta=s), s**2 * F.huber_loss(e_m, zero), **TOL)
    assert ns["huber_cm"] / ns["huber_m"] == pytest.approx(100**2, rel=1e-12)
    assert ns["delta"] == pytest.approx(1.345 * ns["noise_std"], rel=1e-15)


def test_huber_1345_gives_95_percent_efficiency_under_gaussian_noise(claim):
    """Huber's location M-estimator under N(0, 1): efficiency P(|Z| <= k)^2 / E[psi_k(Z)^2]."""
    k = torch.tensor(1.345, dtype=torch.float64)
    normal = torch.distributions.Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)
    inside = 2 * normal.cdf(k) - 1  # E psi'(Z)
    density = normal.log_prob(k).exp()
    psi2 = inside - 2 * k * density + 2 * k**2 * (1 - normal.cdf(k))  # E min(Z^2, k^2)
    # the same by integrating, as a check of the closed form
    z = torch.linspace(-12, 12, 240001, dtype=torch.float64)
    psi2_num = torch.trapezoid(z.clamp(-k, k) ** 2 * normal.log_prob(z).exp(), z)
    assert psi2.item() == pytest.approx(psi2_num.item(), rel=1e-7)  # the trapezoids cut the kinks at +-k
    efficiency = (inside**2 / psi2).item()
    assert efficiency == pytest.approx(0.95, abs=0.001)
    claim("loss", "huber-efficiency", f"{100 * efficiency:.0f} %")


# --- why not MSE on probabilities ------------------------------------------------------------


def test_mse_on_a_sigmoid_loses_the_gradient_of_a_confident_mistake(claim):
    ns = load_snippet("loss/saturation.py")
    torch.testing.assert_close(ns["mse_by_hand"], ns["mse_autograd"], **TOL)
    torch.testing.assert_close(ns["bce_by_hand"], ns["bce_autograd"], **TOL)
    assert ns["y_hat"] < 0.01 and ns["y"] == 1  # saturated on the wrong side
    assert ns["sigma_prime"] < 0.01
    claim("loss", "sigma-prime-small", ns["sigma_prime"].item())
    assert abs(ns["bce_by_hand"]) > 0.99
    claim("loss", "bce-push", abs(ns["bce_by_hand"]).item())
    ratio = (ns["bce_by_hand"] / ns["mse_by_hand"]).item()
    assert ratio == pytest.approx(1 / (2 * ns["sigma_prime"].item()), rel=1e-12)
    claim("loss", "bce-over-mse", ratio)
    # the formulas for many logits and both targets, against autograd
    g = torch.Generator().manual_seed(18)
    z = (6 * torch.randn(200, dtype=torch.float64, generator=g)).requires_grad_()
    y = torch.rand(200, dtype=torch.float64, generator=g).round()
    a = torch.sigmoid(z.detach())
    (mse_grad,) = torch.autograd.grad(F.mse_loss(torch.sigmoid(z), y, reduction="sum"), z)
    (bce_grad,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z, y, reduction="sum"), z)
    torch.testing.assert_close(mse_grad, 2 * (a - y) * a * (1 - a), **TOL)
    torch.testing.assert_close(bce_grad, a - y, **TOL)
    # the ratio grows like e^|z|: at z = -10 it is above 10 000
    assert 1 / (2 * torch.sigmoid(torch.tensor(-10.0)) * torch.sigmoid(torch.tensor(10.0))) > 1e4


def test_mse_on_a_softmax_has_the_same_problem(claim):
    ns = load_snippet("loss/saturation.py")
    Z = ns["Z"].detach()
    S = torch.softmax(Z, dim=1)[0]
    jacobian = torch.diag(S) - torch.outer(S, S)  # the softmax's slope
    assert jacobian.abs().max() < 0.01
    claim("loss", "softmax-slope-small", jacobian.abs().max().item())
    torch.testing.assert_close(ns["g_mse"][0], jacobian @ (2 * (S - ns["one_hot"][0])), **TOL)
    torch.testing.assert_close(ns["g_ce"], S[None] - ns["one_hot"], **TOL)
    assert ns["g_ce"].norm() > 50 * ns["g_mse"].norm()


def test_figure_plots_the_gradient_sizes_it_names():
    ns = load_snippet("loss/fig_saturation.py")
    try:
        lines = ns["ax"].lines
        assert len(lines) == 2
        z = torch.as_tensor(lines[0].get_xdata())
        a = torch.sigmoid(z)
        torch.testing.assert_close(torch.as_tensor(lines[0].get_ydata()), 1 - a, **TOL)  # |a - 1|
        mse = torch.as_tensor(lines[1].get_ydata())
        torch.testing.assert_close(mse, 2 * (1 - a) * a * (1 - a), **TOL)
        # the alt text: MSE peaks near 0.3 just left of 0, and BCE rises towards 1 on the wrong side
        assert round(mse.max().item(), 1) == 0.3 and -1 < z[mse.argmax()] < 0
        assert lines[0].get_ydata()[0] > 0.999
        assert len(plt.get_fignums()) == 1
    finally:
        plt.close("all")


# --- losses as likelihoods ---------------------------------------------------------------------


@pytest.mark.parametrize("s", [0.1, 0.5, 2.0])
def test_each_loss_is_a_negative_log_likelihood(s):
    """NLL = loss x factor + constant, with torch.distributions, for several noise scales."""
    from torch.distributions import Bernoulli, Categorical, Laplace, Normal

    g = torch.Generator().manual_seed(19)
    N = 9
    y_hat = torch.randn(N, dtype=torch.float64, generator=g)
    y = y_hat + s * torch.randn(N, dtype=torch.float64, generator=g)
    torch.testing.assert_close(-Normal(y_hat, s).log_prob(y).sum(),
                               N / (2 * s**2) * F.mse_loss(y_hat, y) + N / 2 * math.log(2 * math.pi * s**2), **TOL)
    torch.testing.assert_close(-Laplace(y_hat, s).log_prob(y).sum(),
                               N / s * F.l1_loss(y_hat, y) + N * math.log(2 * s), **TOL)
    z = 3 * torch.randn(N, dtype=torch.float64, generator=g)
    t = torch.rand(N, dtype=torch.float64, generator=g).round()
    torch.testing.assert_close(-Bernoulli(logits=z).log_prob(t).sum(), N * F.binary_cross_entropy_with_logits(z, t), **TOL)
    Z = 3 * torch.randn(N, 4, dtype=torch.float64, generator=g)
    k = torch.randint(0, 4, (N,), generator=g)
    torch.testing.assert_close(-Categorical(logits=Z).log_prob(k).sum(), N * F.cross_entropy(Z, k), **TOL)
    # the same minimizer: the gradients in y_hat are proportional, factor N / (2 s^2)
    x = y_hat.clone().requires_grad_()
    (g_nll,) = torch.autograd.grad(-Normal(x, s).log_prob(y).sum(), x)
    (g_mse,) = torch.autograd.grad(F.mse_loss(x, y), x)
    torch.testing.assert_close(g_nll, N / (2 * s**2) * g_mse, **TOL)


def test_the_likelihood_snippet_and_cross_entropy_in_two_steps():
    ns = load_snippet("loss/likelihood.py")
    assert len(ns["rows"]) == 4
    for _, nll, from_loss in ns["rows"]:
        torch.testing.assert_close(nll, from_loss, **TOL)
    torch.testing.assert_close(ns["ce"], ns["two_steps"], **TOL)
    for reduction in REDUCTIONS:
        Z, k = ns["Z"], ns["k"]
        torch.testing.assert_close(torch.nn.CrossEntropyLoss(reduction=reduction)(Z, k),
                                   torch.nn.NLLLoss(reduction=reduction)(torch.nn.LogSoftmax(dim=1)(Z), k), **TOL)


# --- loss, metric and regularization --------------------------------------------------------


def test_accuracy_has_no_gradient_and_cross_entropy_does(claim):
    ns = load_snippet("loss/surrogate.py")
    w, nudge, accuracy, loss = ns["w"], ns["nudge"], ns["accuracy"], ns["loss"]
    assert not accuracy(w).requires_grad
    with pytest.raises(RuntimeError):
        accuracy(w).backward()
    assert accuracy(w + nudge) == accuracy(w) and loss(w + nudge) != loss(w)
    # a step function: a finite difference of the accuracy is 0 for small steps in every direction
    g = torch.Generator().manual_seed(21)
    for _ in range(20):
        d = 1e-6 * torch.randn(2, dtype=torch.float64, generator=g)
        assert accuracy(w.detach() + d) == accuracy(w.detach())
    claim("loss", "accuracy-gradient", 0.0)
    (grad,) = torch.autograd.grad(loss(w), w)
    assert grad.abs().min() > 1e-3


def test_weight_decay_is_a_term_of_the_loss():
    ns = load_snippet("loss/surrogate.py")
    torch.testing.assert_close(ns["w_decay"], ns["w_term"], **TOL)
    lam, w = ns["lam"], ns["w"].detach().clone().requires_grad_()
    (g_plain,) = torch.autograd.grad(ns["loss"](w), w)
    (g_decay,) = torch.autograd.grad(ns["loss"](w) + lam / 2 * (w**2).sum(), w)
    torch.testing.assert_close(g_decay, g_plain + lam * w.detach(), **TOL)  # the term adds lambda w
    assert not torch.allclose(ns["train"](ns["w"], 0.0, 0.0), ns["w_decay"])  # and it does something


# --- the worked solutions ----------------------------------------------------------------------


def test_solution_1_huber_between_mse_and_l1(claim):
    ns = load_snippet("loss/solution_1.py")
    y_hat, y, huber = ns["y_hat"], ns["y"], ns["huber"]
    e = (y_hat - y).abs()
    assert e.max() < ns["big"] and e.min() > 0.1  # all inside the big delta, all outside the small ones
    torch.testing.assert_close(huber(y_hat, y, 2.0), F.huber_loss(y_hat, y, delta=2.0), **TOL)
    ratio = (huber(y_hat, y, ns["big"]) / ns["mse"]).item()
    assert ratio == pytest.approx(0.5, rel=1e-12)
    claim("loss", "solution-1-half", FRACTIONS[round(ratio, 12)])
    for small in (0.1, 0.01, 0.001):
        left = huber(y_hat, y, small) - small * ns["l1"]
        assert left.item() == pytest.approx(-small**2 / 2, rel=1e-9)
    claim("loss", "solution-1-ratio", (huber(y_hat, y, 1e-9) / (1e-9 * ns["l1"])).item())


def test_solution_2_the_float32_edge_of_the_sigmoid(claim):
    ns = load_snippet("loss/solution_2.py")
    low, high = ns["low"], ns["high"]
    assert high.dtype == torch.float32 and torch.nextafter(low, high) == high  # neighbours
    assert torch.sigmoid(high).item() == 1.0 and torch.sigmoid(low).item() < 1.0
    claim("loss", "solution-2-z", high.item())
    claim("loss", "solution-2-below", torch.sigmoid(low).item())
    bound = 24 * math.log(2)
    assert low.item() < bound <= high.item()  # the reason: e^-z <= 2^-24
    claim("loss", "solution-2-bound", bound)
    half_gap = 2.0**-24 / torch.finfo(torch.float32).eps  # the gap between 1 and the next float32
    assert torch.tensor(1.0) + 2.0**-24 == 1.0 and torch.tensor(1.0) + 2.0**-23 > 1.0
    claim("loss", "solution-2-half", FRACTIONS[half_gap])


def test_solution_3_bce_is_two_class_cross_entropy(bce_ns, ce_ns, claim):
    ns = load_snippet("loss/solution_3.py")
    torch.testing.assert_close(ns["two_class"], ns["binary"], **TOL)
    torch.testing.assert_close(F.cross_entropy(ns["Z"] + ns["c"], ns["y"]), ns["two_class"], **TOL)
    torch.testing.assert_close(ce_ns["cross_entropy"](ns["Z"], ns["y"]), ns["two_class"], **TOL)
    torch.testing.assert_close(bce_ns["bce_with_logits"](ns["z"], ns["y"].double()), ns["binary"], **TOL)
    claim("loss", "solution-3-shift", "changes nothing")


def test_solution_4_kl_is_infinite_where_the_model_gives_zero(claim):
    ns = load_snippet("loss/solution_4.py")
    P, kl = ns["P"], ns["kl"]
    value = kl(P, torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)).item()
    assert math.isinf(value) and value > 0
    claim("loss", "solution-4-infinite", {math.inf: "infinite"}[value])
    kls = [kl(P, torch.tensor([[1 - e, e, 0.0]], dtype=torch.float64)).item() for e in (1e-4, 1e-8)]
    step = kls[1] - kls[0]
    assert step == pytest.approx(0.5 * math.log(1e4), rel=1e-4)  # p_2 log of the factor (and a little from 1 - eps)
    claim("loss", "solution-4-step", step)
    Q = torch.tensor([[0.5, 0.4, 0.1]], dtype=torch.float64)
    terms = torch.xlogy(P, P) - torch.xlogy(P, Q)
    claim("loss", "solution-4-zero-term", terms[0, 2].item())
    assert math.isfinite(kl(P, Q).item())


def test_solution_5_the_mean_and_the_median(claim):
    ns = load_snippet("loss/solution_5.py")
    y, c, flat = ns["y"], ns["c"], ns["flat"]
    best_mse = c[ns["loss_mse"].argmin()].item()
    assert best_mse == pytest.approx(y.mean().item(), abs=0.005)
    claim("loss", "solution-5-mean", y.mean().item())
    claim("loss", "solution-5-above", number_word(int((y < y.mean()).sum())))
    middle = y.sort().values[4:6]
    assert flat.min().item() == pytest.approx(middle[0].item(), abs=1e-9)
    assert flat.max().item() == pytest.approx(middle[1].item(), abs=1e-9)
    assert y.median() == middle[0]  # torch's median: the lower of the two
    claim("loss", "solution-5-low", middle[0].item())
    claim("loss", "solution-5-high", middle[1].item())
    # the outlier moves the L1 fit not at all: send it ten times further
    y_far = y.clone()
    y_far[-1] = 400.0
    l1_far = (c[:, None] - y_far).abs().mean(dim=1)
    assert torch.equal(c[l1_far <= l1_far.min() + 1e-12], flat)
