"""The claims of the 44-parameter page, each checked against the code that makes them."""

import math

import pytest
import torch
from torch import nn

from conftest import load_snippet

ACTIVATIONS = (nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU, nn.ELU, nn.SiLU, nn.Softmax, nn.GELU)


@pytest.fixture(scope="module")
def original():
    return load_snippet("xor44/original.py")


@pytest.fixture(scope="module")
def trained():
    """The page's run of the exercise: the 2-5-4-1 network, seed 3, 2001 epochs."""
    return load_snippet("xor44/train_44.py")


@pytest.fixture(scope="module")
def enumeration():
    return load_snippet("xor44/enumerate_44.py")


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
    """The page: the output for (1, 1) sits at 1, where tanh's slope is below 0.01."""
    model, X = original["model"], original["X"]
    with torch.no_grad():
        z = model.lin2(torch.tanh(model.lin1(X[3])))  # pre-activation of the output unit
    assert original["y_hat"][3].item() > 0.99
    slope = 1 - math.tanh(z.item()) ** 2
    assert slope < 0.01
    assert not torch.equal(original["y_hat"].round(), original["y"])


def test_exercise_has_44_unique_trainable_parameters(trained):
    model = trained["model"]
    assert unique_parameter_count(model) == 44
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 44


def test_exercise_last_module_is_not_an_activation(trained):
    last = list(trained["model"].children())[-1]
    assert isinstance(last, nn.Linear)
    assert not isinstance(last, ACTIVATIONS)


def test_exercise_trains_2001_epochs_to_the_stated_bound(trained):
    history = trained["history"]
    assert len(history) == 2001
    assert history[-1] < 0.1  # the bound the page states
    assert history[-1] < history[0]


def test_exercise_predictions_round_to_xor(trained):
    assert torch.equal(trained["y_hat"].round(), trained["y"])


def test_whole_data_loss_is_the_loss_on_all_four_rows(trained):
    """The history holds the L1 loss over the whole data set, not one sample's."""
    model, X, y = trained["model"], trained["X"], trained["y"]
    with torch.no_grad():
        manual = (model(X) - y).abs().mean().item()
    assert trained["history"][-1] == pytest.approx(manual, rel=1e-6)


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
    shared = load_snippet("xor44/shared_layer.py")
    model = shared["model"]
    assert sum(shared["counted_per_call"]) > sum(p.numel() for p in model.parameters())
    assert unique_parameter_count(model) == sum(p.numel() for p in model.parameters())
    hidden = model.hidden
    assert sum(shared["counted_per_call"]) - unique_parameter_count(model) == sum(
        p.numel() for p in hidden.parameters()
    )
