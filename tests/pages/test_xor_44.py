"""The claims of the 44-parameter page, each checked against the code that makes them."""

import base64
import inspect
import json
import math
import re

import pytest
import torch
from torch import nn

from support import ROOT, SNIPPETS, load_snippet, node, number_word

ACTIVATIONS = (nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU, nn.ELU, nn.SiLU, nn.Softmax, nn.GELU)
PAGE = ROOT / "docs" / "xor-44.md"
PLAYGROUND = ROOT / "docs" / "assets" / "javascripts" / "playground"


def nn_js(program, **inputs):
    """Run a JavaScript program in Node with the playground's nn.js as `nn` and the
    inputs as `input`; return what it prints with console.log, read as JSON."""
    module = "data:text/javascript;base64," + base64.b64encode((PLAYGROUND / "nn.js").read_bytes()).decode()
    script = f"const nn = await import({json.dumps(module)});\nconst input = {json.dumps(inputs)};\n{program}"
    return json.loads(node("--input-type=module", input=script, timeout=60))


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


def test_the_truth_table_is_the_data_both_networks_train_on(original, trained):
    """The page's XOR table, row by row, is X and y of both snippets, and y = x1 xor x2."""
    rows = [[int(v) for v in re.findall(r'\{\{ n\("(\d)"\) \}\}', line)]
            for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith('| {{ n("')]
    for ns in (original, trained):
        assert rows == [[*x, t] for x, t in zip(ns["X"].int().tolist(), ns["y"].flatten().int().tolist())]
    assert [x1 ^ x2 for x1, x2, _ in rows] == [t for *_, t in rows]


def test_original_reproduces_the_course_network(original, enumeration, claim):
    model = original["model"]
    assert unique_parameter_count(model) == 9
    assert [type(m) for m in model.children()] == [nn.Linear, nn.Linear]
    layers = [(m.in_features, m.out_features) for m in model.children()]
    count = enumeration["count_parameters"]([layers[0][0], *(n_out for _, n_out in layers)])
    assert count == unique_parameter_count(model)
    terms = " + ".join(f"({n_in} \\cdot {n_out} + {n_out})" for n_in, n_out in layers)
    claim("xor-44", "count-course", f"\\({terms} = {count}\\)")
    # tanh after the last layer: outputs are bounded by 1 in absolute value
    assert original["y_hat"].abs().max() < 1
    optimizer = original["optimizer"]
    assert optimizer.defaults["lr"] == 0.02 and optimizer.defaults["momentum"] == 0.9
    assert isinstance(original["loss_fn"], nn.L1Loss)
    assert original["num_epochs"] == 2001


def test_original_gets_stuck_where_tanh_is_flat(original, claim):
    """The page: (1, 1), target 0, comes out at 1 beside the target-1 rows, where tanh is flat."""
    y_hat, y, z = original["y_hat"], original["y"], original["z"]
    assert y[3].item() == 0 and y_hat[3].item() > 0.99
    claim("xor-44", "original-row11", y_hat[3].round().item())
    # its pre-activation sits with those of the two rows whose target is 1, all where tanh is flat
    for i in (1, 2, 3):
        assert 1 - math.tanh(z[i].item()) ** 2 < 0.01
    claim("xor-44", "original-slope", "below 0.01")
    assert torch.equal(original["model"].lin2(torch.tanh(original["model"].lin1(original["X"]))).detach(), z)
    # the rounded predictions are OR, not XOR
    X = original["X"]
    OR = (X[:, :1] + X[:, 1:] > 0).float()
    assert torch.equal(y_hat.round(), OR) and not torch.equal(y_hat.round(), y)
    claim("xor-44", "original-or", "those of OR")


def test_original_never_learns_xor_in_any_epoch(original, claim):
    """The page: 'never learns XOR', checked after every one of the 2001 epochs."""
    assert original["solved_epochs"] == 0
    assert isinstance(original["solved_epochs"], int) and original["num_epochs"] == 2001
    claim("xor-44", "original-never", "never learns XOR")


def test_the_last_sample_loss_jumps_between_near_0_and_near_1(claim):
    """The loss the training loop prints (its #> lines, which tests/pipeline/test_outputs.py
    compares with a run), after the first print: each within 0.01 of 0 or of 1, and both occur."""
    shown = (SNIPPETS / "xor_44" / "original.py").read_text(encoding="utf-8")
    printed = [float(loss) for loss in re.findall(r"#> epoch +\d+ +loss on the last sample ([\d.]+)", shown)]
    near = [round(loss) for loss in printed[1:]]
    assert len(near) >= 2 and set(near) == {0, 1}
    assert all(abs(loss - v) < 0.01 for loss, v in zip(printed[1:], near))
    claim("xor-44", "last-sample-loss", "near 0 and near 1")


def test_original_initializes_weights_with_nn_init(original):
    source = (SNIPPETS / "xor_44" / "original.py").read_text(encoding="utf-8")
    assert ".data" not in source and "nn.init.normal_(m.weight, 0.0, 1.0)" in source


def test_exercise_has_44_unique_trainable_parameters(trained, claim):
    model = trained["model"]
    assert unique_parameter_count(model) == 44
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 44
    claim("xor-44", "trained-count", unique_parameter_count(model))
    linear = [m for m in model if isinstance(m, nn.Linear)]
    assert [m.in_features for m in linear] + [linear[-1].out_features] == [2, 5, 4, 1]
    claim("xor-44", "layers-2-5-4-1", number_word(len(linear)))


def test_exercise_last_module_is_not_an_activation(trained):
    last = list(trained["model"].children())[-1]
    assert isinstance(last, nn.Linear)
    assert not isinstance(last, ACTIVATIONS)


def test_exercise_is_judged_over_a_window_of_200_epochs(trained, claim):
    losses, solved, judge = trained["losses"], trained["solved"], trained["judge"]
    assert len(losses) == len(solved) == 2001
    mean_loss, share_solved = judge(losses, solved)
    assert (mean_loss, share_solved) == (trained["mean_loss"], trained["share_solved"])
    assert mean_loss == pytest.approx(sum(losses[-200:]) / 200, rel=1e-12)
    assert share_solved == sum(solved[-200:]) / 200
    # the page: solved in most of the last 200 epochs, not in all
    assert 0.5 < share_solved < 1
    claim("xor-44", "trained-share", "most of those epochs, not in all")
    claim("xor-44", "trained-share-bounds", "above one half and below one")
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


def test_l1_gradient_with_respect_to_the_output_has_size_one(claim):
    """The page: sign(y_hat - y), of size 1 however small the error is."""
    sizes = set()
    for error in (1.0, 0.3, 1e-3, 1e-6, -1e-6, -0.5):
        y_hat = torch.tensor([error], requires_grad=True)
        (g,) = torch.autograd.grad(nn.L1Loss()(y_hat, torch.zeros(1)), y_hat)
        sizes.add(g.abs().item())
    (size,) = sizes  # the same at every error
    for claim_id in ("l1-size-output", "l1-size-recipe", "l1-size-tests"):
        claim("xor-44", claim_id, size)


def test_momentum_makes_the_step_eta_over_one_minus_mu(trained, claim):
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
    claim("xor-44", "momentum-step", f"\\(\\eta / (1 - \\mu) = {step / g:.2g}\\)")
    claim("xor-44", "momentum-ten", number_word(round(step / (lr * g))))


def test_the_playground_suggestions_have_44_parameters_with_biases(enumeration, claim):
    """The page suggests hidden widths to type into the playground, which always has biases."""
    text = PAGE.read_text(encoding="utf-8")
    sentence = re.search(r"into \*Hidden\s+units\*(.*?)see whether it still learns XOR", text, re.S).group(1)
    suggested = re.findall(r"`(\d+(?:-\d+)*)`", sentence)
    assert len(suggested) >= 2
    count, with_biases = enumeration["count_parameters"], enumeration["shapes_with"](44, True)
    for hidden in suggested:
        sizes = [2, *map(int, hidden.split("-")), 1]
        assert count(sizes, bias=True) == 44 and sizes in with_biases, hidden
    # and the shape the page warns about, from the list without biases, has more than 44 there
    warned = re.search(r"such as `(\d+(?:-\d+)*)`, has more there", text).group(1)
    assert [2, *map(int, warned.split("-")), 1] in enumeration["shapes_with"](44, False)
    assert count([2, *map(int, warned.split("-")), 1], bias=True) > 44
    # the playground accepts them all (widget.js parseHidden: how many layers, how wide) ...
    parse = re.search(r"function parseHidden.*?\n}", (PLAYGROUND / "widget.js").read_text(encoding="utf-8"), re.S)[0]
    most_layers, widest = int(re.search(r"parts\.length > (\d+)", parse)[1]), int(re.search(r"n <= (\d+)", parse)[1])
    for hidden in [*suggested, warned]:
        widths = [int(w) for w in hidden.split("-")]
        assert len(widths) <= most_layers and max(widths) <= widest, hidden
    # ... and its count line, nn.js's countParameters, says what the page says
    counts = nn_js("console.log(JSON.stringify(input.shapes.map((h) => nn.countParameters([2, ...h, 1]))));",
                   shapes=[[int(w) for w in h.split("-")] for h in [*suggested, warned]])
    assert counts == [count([2, *map(int, h.split("-")), 1]) for h in [*suggested, warned]]
    (shown,) = set(counts[:-1])
    claim("xor-44", "playground-count", shown)


def test_the_playground_preset_learns_xor_within_200_steps(claim):
    """The page's playground, from its data attributes, run in Node as widget.js runs it:
    nn.js's initNetwork, then gradients and sgdStep on all four rows per step."""
    (attributes,) = re.findall(r'<div class="nn-playground"([^>]*)>', PAGE.read_text(encoding="utf-8"))
    preset = dict(re.findall(r'data-([a-z]+)="([^"]*)"', attributes))
    steps, exponent = 200, -3  # the page: below 10^-3 within 200 steps
    run = nn_js("""
        const s = input.preset;
        const known = [[s.init, nn.INITS], [s.loss, nn.LOSSES], [s.activation, nn.ACTIVATIONS], [s.dataset, nn.DATASETS]];
        const sizes = s.shape.split("-").map(Number);
        const data = nn.DATASETS[s.dataset].make();
        const net = nn.initNetwork(sizes, s.init, Math.floor(Number(s.seed)));
        let grads = nn.gradients(net, data.X, data.Y, s.activation, s.loss);
        const losses = [grads.loss];
        for (let k = 0; k < input.steps; k++) {
          nn.sgdStep(net, grads, Number(s.lr));
          grads = nn.gradients(net, data.X, data.Y, s.activation, s.loss);
          losses.push(grads.loss);
        }
        console.log(JSON.stringify({ known: known.every(([value, table]) => value in table), losses }));
    """, preset=preset, steps=steps)
    assert run["known"]  # no attribute falls back to a default
    assert preset["init"] == "normal" and preset["loss"] == "mse" and preset["dataset"] == "xor"  # as the page says
    assert run["losses"][0] > 0.1 and run["losses"][steps] < 10.0 ** exponent
    claim("xor-44", "playground-shape", preset["shape"])
    claim("xor-44", "playground-learns",
          f"seed {preset['seed']} the loss falls below \\(10^{{{exponent}}}\\) within {steps} steps")


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


def test_enumeration_counts_the_page_states(enumeration, claim):
    shapes_with = enumeration["shapes_with"]
    with_biases, without = shapes_with(44, True), shapes_with(44, False)
    claim("xor-44", "shapes-with", number_word(len(with_biases)).capitalize())
    claim("xor-44", "summary-with", number_word(len(with_biases)))
    claim("xor-44", "shapes-without", number_word(len(without)))
    claim("xor-44", "summary-without", number_word(len(without)))
    assert [2, 5, 4, 1] in with_biases
    assert [2, 1, 21, 1] in without and 1 in [2, 1, 21, 1][1:-1]  # through a single unit
    claim("xor-44", "bottleneck-example", "2-1-21-1")
    # no single hidden layer works, with or without biases
    assert not [s for s in with_biases + without if len(s) == 3]
    depths = sorted({len(s) - 2 for s in with_biases})
    claim("xor-44", "min-hidden-layers", number_word(min(len(s) - 2 for s in with_biases + without)))
    claim("xor-44", "summary-depths", " or ".join(map(number_word, depths)))


def test_a_layer_called_twice_is_one_set_of_weights(claim):
    shared = load_snippet("xor_44/shared_layer.py")
    model = shared["model"]
    # the per-call count holds the hidden layer's parameters once per call: twice
    times = shared["counted_per_call"].count(sum(p.numel() for p in model.hidden.parameters()))
    claim("xor-44", "counted-twice", {1: "once", 2: "twice"}[times])
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


def test_solution_1_shapes_with_up_to_four_hidden_layers(enumeration, claim):
    """The pruned search finds the page's shapes for up to three hidden layers, and for four it
    agrees with a brute force over every width (NumPy, all 44**4 shapes at once)."""
    import numpy as np

    ns = load_snippet("xor_44/solution_1.py")
    build_mlp = load_snippet("xor_44/train_44.py", run_main=False)["build_mlp"]  # without its training run
    search, count = ns["shapes_with"], enumeration["count_parameters"]
    for bias in (True, False):
        found = search(44, bias)
        up_to_three = [s for s in found if len(s) <= 5]
        assert sorted(up_to_three) == sorted(enumeration["shapes_with"](44, bias))  # the page's search
        h = np.arange(1, 45)
        a, b, c, d = np.meshgrid(h, h, h, h, indexing="ij", sparse=True)
        per = (lambda n_in, n_out: n_in * n_out + (n_out if bias else 0))
        total = per(2, a) + per(a, b) + per(b, c) + per(c, d) + per(d, 1)
        brute = sorted([2, *map(int, widths), 1] for widths in zip(*np.nonzero(total == 44), strict=True))
        brute = [[2, *(w + 1 for w in s[1:-1]), 1] for s in brute]  # indices -> widths
        four = sorted(s for s in found if len(s) == 6)
        assert four == sorted(brute)
        for sizes in found:  # built with PyTorch and counted
            assert count(sizes, bias) == 44 == unique_parameter_count(build_mlp(sizes, bias)), sizes
        word = "with" if bias else "without"
        claim("xor-44", f"solution-1-{word}", len(found))
        claim("xor-44", f"solution-1-four-{word}", len(four))
    claim("xor-44", "solution-1-tries", f"{44**4 / 1e6:.1f} million")


def test_solution_2_the_mse_run_settles_and_the_l1_run_does_not(claim):
    ns = load_snippet("xor_44/solution_2.py")
    assert (ns["num_epochs"], ns["window"], ns["seed"]) == (120, 40, 3)  # as the page says
    ends = ns["ends"]
    assert all(len(end) == ns["window"] for end in ends.values())
    model = ns["build_mlp"]([2, 5, 4, 1])
    assert unique_parameter_count(model) == 44 and isinstance(model[-1], nn.Linear)  # the page's network
    assert max(ends["MSE"]) < 1e-3 < 0.05 < min(ends["L1"])
    claim("xor-44", "solution-2-mse", "fallen below 0.001")
    claim("xor-44", "solution-2-l1", f"keeps jumping between {min(ends['L1']):.2g} and {max(ends['L1']):.2g}")
    # the gradients the page compares, from autograd: 2e for the squared error, sign(e) for |e|
    for e in (0.5, 1e-3, -1e-4):
        y_hat = torch.tensor([e], dtype=torch.float64, requires_grad=True)
        (g_mse,) = torch.autograd.grad(nn.MSELoss()(y_hat, torch.zeros(1, dtype=torch.float64)), y_hat)
        (g_l1,) = torch.autograd.grad(nn.L1Loss()(y_hat, torch.zeros(1, dtype=torch.float64)), y_hat)
        assert g_mse.item() == pytest.approx(2 * e, rel=1e-15) and g_l1.item() == math.copysign(1, e)


def test_solution_3_side_by_side_is_the_same_as_training_each_network_alone():
    """The snippet's batched networks: the same outputs and the same SGD-with-momentum steps
    as ten nn.Sequential models, each with its own torch.optim.SGD."""
    ns = load_snippet("xor_44/solution_3.py")
    K, X, y = ns["K"], ns["X"], ns["y"]
    gen = torch.Generator().manual_seed(5)
    params = [(torch.randn(p.shape, generator=gen, dtype=torch.float64)).requires_grad_() for p in ns["params"]]
    alone = []
    for k in range(K):
        model = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 1), nn.Tanh())
        model = model.double()
        with torch.no_grad():
            for m, (W, b) in zip([m for m in model if isinstance(m, nn.Linear)], zip(params[::2], params[1::2])):
                m.weight.copy_(W[k])
                m.bias.copy_(b[k].squeeze(1))
        alone.append((model, torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)))
    ns["params"][:] = params  # run the snippet's forward and optimizer on these float64 copies
    optimizer = torch.optim.SGD(params, lr=0.02, momentum=0.9)
    X64, y64 = X.double(), y.double()
    for step in range(6):
        i = torch.randint(4, (K,), generator=gen)
        optimizer.zero_grad()
        (ns["forward"](X64[i].unsqueeze(2)).squeeze(1) - y64[i]).abs().sum().backward()
        optimizer.step()
        for k, (model, opt) in enumerate(alone):
            opt.zero_grad()
            nn.L1Loss()(model(X64[i[k]]), y64[i[k]].reshape(1)).backward()
            opt.step()
    with torch.no_grad():
        together = ns["forward"](X64.T.expand(K, 2, 4))
        for k, (model, _) in enumerate(alone):
            torch.testing.assert_close(together[k], model(X64).squeeze(1), rtol=0, atol=1e-12)


def test_solution_3_most_networks_get_stuck_where_tanh_is_flat(claim):
    ns = load_snippet("xor_44/solution_3.py")
    solved, y_hat, K = ns["solved"], ns["y_hat"], ns["K"]
    assert K == 10 and ns["num_epochs"] == 200
    stuck = [k for k in range(K) if solved[k] == 0]
    assert len(stuck) == ns["stuck"] > K / 2  # most of the time
    claim("xor-44", "solution-3-stuck", number_word(len(stuck)))
    assert ns["X"][3].tolist() == [1.0, 1.0] and ns["y"][3] == 0
    row11 = y_hat[stuck, 3]
    assert (row11 > 0.98).all()
    claim("xor-44", "solution-3-row11", "above 0.98")
    slope = 1 - row11**2  # d tanh / dz at the output
    assert (slope < 0.04).all()
    claim("xor-44", "solution-3-slope", "below 0.04")
