"""The glossary's claims, each computed by the code of the page its entry links to."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.optimizer import register_optimizer_step_post_hook

from support import load_snippet, number_word


def test_the_exercise_network_has_44_parameters(claim):
    build_mlp = load_snippet("xor_44/train_44.py", run_main=False)["build_mlp"]
    model = build_mlp([2, 5, 4, 1])  # the page's run (train_44.py's main block)
    claim("glossary", "exercise-parameters", sum(p.numel() for p in model.parameters() if p.requires_grad))


def test_softmax_probabilities_are_positive_and_add_up_to_1(claim):
    softmax = load_snippet("activation_functions/softmax.py")["softmax"]
    z = torch.randn(7, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 5
    s = softmax(z)
    assert (s > 0).all()
    assert s.sum().item() == pytest.approx(1.0, abs=1e-12)
    claim("glossary", "softmax-sums-to-1", "add up to 1")


def test_a_saturated_unit_passes_almost_no_gradient(claim):
    z = torch.tensor([-10.0, 10.0], dtype=torch.float64, requires_grad=True)
    for f in (torch.sigmoid, torch.tanh):
        (slope,) = torch.autograd.grad(f(z).sum(), z)
        assert slope.abs().max() < 1e-4
    claim("glossary", "saturated-slope", "near 0")


def test_a_dead_relu_unit_gets_no_gradient_and_never_changes(claim):
    torch.manual_seed(0)
    X, y = torch.randn(64, 2), torch.rand(64, 1).round()
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        model[0].bias[:4] = -10.0  # these four units are below 0 for every row of X
    dead = (model[1](model[0](X)) == 0).all(dim=0)
    assert dead[:4].all() and not dead[4:].all()
    before = model[0].weight[dead].clone(), model[0].bias[dead].clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(50):
        optimizer.zero_grad()
        F.binary_cross_entropy_with_logits(model(X), y).backward()
        if step == 0:
            largest = max(model[0].weight.grad[dead].abs().max().item(), model[0].bias.grad[dead].abs().max().item())
            assert largest == 0.0  # exactly, not merely small
            claim("glossary", "dead-unit-gradient", largest)
        optimizer.step()
    assert torch.equal(model[0].weight[dead], before[0]) and torch.equal(model[0].bias[dead], before[1])
    claim("glossary", "dead-unit-stays", "never changes it")


def test_binary_cross_entropy_is_two_class_cross_entropy(claim):
    gen = torch.Generator().manual_seed(0)
    z, y = torch.randn(20, dtype=torch.float64, generator=gen) * 4, torch.randint(0, 2, (20,), generator=gen)
    two_logits = torch.stack([torch.zeros_like(z), z], dim=1)  # class 0's logit fixed at 0, class 1's is z
    torch.testing.assert_close(F.binary_cross_entropy_with_logits(z, y.double()), F.cross_entropy(two_logits, y),
                               rtol=0, atol=1e-12)
    claim("glossary", "bce-two-class", "the two-class case")


def test_a_learning_rate_above_1_can_converge(claim):
    ns = load_snippet("gradient_descent/quadratic.py")
    lr = 3.0
    assert lr > 1 and abs(ns["gradient_descent"](1.0, lr, ns["c"], 30)[-1]) < 1e-8
    claim("glossary", "lr-below-1-myth", '"it must be below 1" is a myth')


def test_the_course_epoch_is_four_single_row_steps(claim):
    steps = []
    hook = register_optimizer_step_post_hook(lambda optimizer, args, kwargs: steps.append(1))
    try:
        ns = load_snippet("xor_44/original.py")
    finally:
        hook.remove()
    assert len(steps) % ns["num_epochs"] == 0
    claim("glossary", "course-epoch-steps", number_word(len(steps) // ns["num_epochs"]))
