"""The claims of the 44-parameter page, each checked against the code that makes them."""

import inspect
import math
import re

import pytest
import torch
from torch import nn

from support import ROOT, SNIPPETS, load_snippet

ACTIVATIONS = (nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU, nn.ELU, nn.SiLU, nn.Softmax, nn.GELU)


@pytest.fixture(scope="module")
def original():
    return load_snippet("xor_44/original.py")


@pytest.fixture(scope="module")
def trained():
    """The page's run of the exercise: the 2-5-4-1 network, seed 3, 2001 epochs."""
    return load_snippet("xor_44/train_44.py")


@pytest.fixture(scope="module")
def enumeration():
    return load_snippet("xor_44/enumerate_44.py")


def unique_parameter_count(model):
    """Count each parameter tensor once, however many modules share it."""
    unique = {id(p): p for m in model.modules() for p in m.parameters(recurse=False)}
    return sum(p.numel() for p in unique.values() if p.requires_grad)


def test_original_reproduces_the_course_network(original):
    model = original["model"]
    assert unique_parameter_count(model) == 9
    assert [type(m) for m in model.children()] == [nn.Linear, nn.Linear]
    # tanh after the last layer: outputs are bounded by 1 in absolute value
    assert original["y_hat"].abs().max() < 1
    optimizer = original["optimizer"]
    assert optimizer.defaults["lr"] == 0.02 and optimizer.defaults["momentum"] == 0.9
    assert isinstance(original["loss_fn"], nn.L1Loss)
    assert original["num_epochs"] == 2001


def test_original_gets_stuck_where_tanh_is_flat(original):
    """The page: (1, 1), target 0, comes out at 1 beside the target-1 rows, where tanh is flat."""
    y_hat, y, z = original["y_hat"], original["y"], original["z"]
    assert y[3].item() == 0 and y_hat[3].item() > 0.99
    # its pre-activation sits with those of the two rows whose target is 1, all where tanh is flat
    for i in (1, 2, 3):
        assert 1 - math.tanh(z[i].item()) ** 2 < 0.01
    assert torch.equal(original["model"].lin2(torch.tanh(original["model"].lin1(original["X"]))).detach(), z)
    # the rounded predictions are OR, not XOR
    X = original["X"]
    OR = (X[:, :1] + X[:, 1:] > 0).float()
    assert torch.equal(y_hat.round(), OR) and not torch.equal(y_hat.round(), y)


def test_original_never_learns_xor_in_any_epoch(original):
    """The page: 'never learns XOR', checked after every one of the 2001 epochs."""
    assert original["solved_epochs"] == 0
    assert isinstance(original["solved_epochs"], int) and original["num_epochs"] == 2001


def test_original_initializes_weights_with_nn_init(original):
    source = (SNIPPETS / "xor_44" / "original.py").read_text(encoding="utf-8")
    assert ".data" not in source and "nn.init.normal_(m.weight, 0.0, 1.0)" in source


def test_exercise_has_44_unique_trainable_parameters(trained):
    model = trained["model"]
    assert unique_parameter_count(model) == 44
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 44


def test_exercise_last_module_is_not_an_activation(trained):
    last = list(trained["model"].children())[-1]
    assert isinstance(last, nn.Linear)
    assert not isinstance(last, ACTIVATIONS)


def test_exercise_is_judged_over_a_window_of_200_epochs(trained):
    losses, solved, judge = trained["losses"], trained["solved"], trained["judge"]
    assert len(losses) == len(solved) == 2001
    mean_loss, share_solved = judge(losses, solved)
    assert (mean_loss, share_solved) == (trained["mean_loss"], trained["share_solved"])
    assert mean_loss == pytest.approx(sum(losses[-200:]) / 200, rel=1e-12)
    assert share_solved == sum(solved[-200:]) / 200
    # the page: solved in most of the last 200 epochs, not in all
    assert 0.5 < share_solved < 1
    assert mean_loss < losses[0]


def test_exercise_does_not_converge(trained):
    """The page: the loss keeps jumping over the last 200 epochs; one epoch is no verdict."""
    last = trained["losses"][-200:]
    assert trained["last"] == last
    assert max(last) > 5 * min(last) and max(last) - min(last) > 0.1
    # the old reading of one epoch: its loss is far from the window's mean
    assert not any(abs(l - trained["mean_loss"]) < 1e-3 for l in trained["losses"][-5:])


def test_solved_flags_are_the_rounded_predictions(trained):
    model, X, y = trained["model"], trained["X"], trained["y"]
    with torch.no_grad():
        assert trained["solved"][-1] == torch.equal(model(X).round(), y)


def test_l1_gradient_with_respect_to_the_output_has_size_one():
    """The page: sign(y_hat - y), of size 1 however small the error is."""
    for error in (1.0, 0.3, 1e-3, 1e-6, -1e-6, -0.5):
        y_hat = torch.tensor([error], requires_grad=True)
        (g,) = torch.autograd.grad(nn.L1Loss()(y_hat, torch.zeros(1)), y_hat)
        assert g.abs().item() == 1.0


def test_momentum_makes_the_step_eta_over_one_minus_mu(trained):
    """A constant gradient g: the velocity tends to g / (1 - mu), the step to eta g / (1 - mu) = 0.2 g."""
    defaults = inspect.signature(trained["train"]).parameters
    lr, mu = defaults["lr"].default, defaults["momentum"].default
    assert lr / (1 - mu) == pytest.approx(0.2)
    theta = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([theta], lr=lr, momentum=mu)
    g = 0.7
    for _ in range(400):
        before = theta.detach().clone()
        optimizer.zero_grad()
        (g * theta).sum().backward()  # the gradient is g at every step
        optimizer.step()
    step = (before - theta.detach()).item()
    assert step == pytest.approx(lr * g / (1 - mu), rel=1e-12)
    assert step == pytest.approx(10 * lr * g, rel=1e-12)


def test_the_playground_suggestions_have_44_parameters_with_biases(enumeration):
    """The page suggests hidden widths to type into the playground, which always has biases."""
    text = (ROOT / "docs" / "xor-44.md").read_text(encoding="utf-8")
    sentence = re.search(r"into \*Hidden\s+units\*(.*?)see whether it still learns XOR", text, re.S).group(1)
    suggested = re.findall(r"`(\d+(?:-\d+)*)`", sentence)
    assert len(suggested) >= 2
    count, with_biases = enumeration["count_parameters"], enumeration["shapes_with"](44, True)
    for hidden in suggested:
        sizes = [2, *map(int, hidden.split("-")), 1]
        assert count(sizes, bias=True) == 44 and sizes in with_biases, hidden
    # and the shape the page warns about has more than 44 there
    warned = re.search(r"such as `(\d+(?:-\d+)*)`, has more there", text).group(1)
    assert count([2, *map(int, warned.split("-")), 1], bias=True) > 44


def test_enumeration_equals_building_each_model_and_counting(enumeration, trained):
    count, shapes_with = enumeration["count_parameters"], enumeration["shapes_with"]
    build_mlp = trained["build_mlp"]
    for bias in (True, False):
        found = shapes_with(44, bias)
        for sizes in found:
            assert unique_parameter_count(build_mlp(sizes, bias)) == 44, sizes
        # nothing is missed: brute force over one and two hidden layers by building
        for h1 in range(1, 45):
            for hidden in [(h1,)] + [(h1, h2) for h2 in range(1, 45)]:
                sizes = [2, *hidden, 1]
                built = unique_parameter_count(build_mlp(sizes, bias))
                assert built == count(sizes, bias)
                assert (built == 44) == (sizes in found)


def test_enumeration_counts_the_page_states(enumeration):
    shapes_with = enumeration["shapes_with"]
    assert len(shapes_with(44, True)) == 10
    assert len(shapes_with(44, False)) == 18
    assert [2, 5, 4, 1] in shapes_with(44, True)
    assert [2, 1, 21, 1] in shapes_with(44, False)
    # no single hidden layer works, with or without biases
    assert not [s for b in (True, False) for s in shapes_with(44, b) if len(s) == 3]


def test_a_layer_called_twice_is_one_set_of_weights():
    shared = load_snippet("xor_44/shared_layer.py")
    model = shared["model"]
    assert sum(shared["counted_per_call"]) > sum(p.numel() for p in model.parameters())
    assert unique_parameter_count(model) == sum(p.numel() for p in model.parameters())
    hidden = model.hidden
    assert sum(shared["counted_per_call"]) - unique_parameter_count(model) == sum(
        p.numel() for p in hidden.parameters()
    )


def test_whole_data_loss_is_the_loss_on_all_four_rows(trained):
    """The losses hold the L1 loss over the whole data set, not one sample's."""
    model, X, y = trained["model"], trained["X"], trained["y"]
    with torch.no_grad():
        manual = (model(X) - y).abs().mean().item()
    assert trained["losses"][-1] == pytest.approx(manual, rel=1e-6)
