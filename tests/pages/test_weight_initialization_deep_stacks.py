"""The claims of the notebook page weight-initialization-deep-stacks
(docs/weight-initialization-deep-stacks.py), read from what its cells printed when the
build executed it, and checked against the snippet it runs."""

import ast
import inspect
import math
import re

import pytest
import torch
from torch import nn

from docs_build import notebooks
from support import DOCS, SNIPPETS, load_snippet, number_word, printed

SOURCE = DOCS / "weight-initialization-deep-stacks.py"
PAGE = "weight-initialization-deep-stacks"
ROW = re.compile(r"^(tanh|relu)\s+(.+?)\s+([-+.\de]+)\s+([-+.\de]+)$", re.M)


@pytest.fixture(scope="module")
def nb(built_site):
    """The notebook as the build executed it (docs_build/notebooks.py keeps it in its cache)."""
    return notebooks.executed(SOURCE)


def table(nb, code):
    """{(activation, scheme): (first number, second number)} printed by the cell holding code."""
    return {(act, name): (float(a), float(b)) for act, name, a, b in ROW.findall(printed(nb, code))}


@pytest.fixture(scope="module")
def stds(nb):
    """The std after layer 1 and after layer 50, for each stack and scheme."""
    found = table(nb, "results[act, name] = activation_stds")
    assert len(found) == 10
    return found


@pytest.fixture(scope="module")
def last_layer(nb):
    """After layer 50: the std of all activations, and across inputs (per unit, averaged)."""
    found = table(nb, "across_inputs = ")
    assert len(found) == 10
    return found


@pytest.fixture(scope="module")
def stack():
    return load_snippet("weight_initialization/deep_stack.py", run_main=False)


def test_the_notebook_prints_what_the_page_snippet_prints(stds):
    """Both run activation_stds with its defaults: layer 1 and layer 50 equal the #> lines of
    snippets/weight_initialization/deep_stack.py (checked against a run by test_outputs.py)."""
    text = (SNIPPETS / "weight_initialization" / "deep_stack.py").read_text(encoding="utf-8")
    shown = re.search(r"\[start:run\](.*?)\[end:run\]", text, re.S)[1]  # the forward table only
    rows, act = {}, None
    for line in re.findall(r"^\s*#> (.*)$", shown, re.M):
        if "layer 1" in line:
            act = line.split()[0]
        else:
            name, first, _, last = re.match(r"(.+?)\s+(\S+)\s+(\S+)\s+(\S+)$", line).groups()
            rows[act, name] = (float(first), float(last))
    assert rows == stds


def test_n01_saturates_tanh_just_below_1_at_every_depth(stds, stack, claim):
    """The notebook prints layers 1 and 50; the snippet's run gives every layer between."""
    first, last = stds["tanh", "N(0, 1)"]
    assert 0.9 < first < 1 and 0.9 < last < 1
    every, _ = stack["activation_stds"](stack["SCHEMES"]["N(0, 1)"], torch.tanh)
    assert all(0.9 < std < 1 for std in every)
    claim(PAGE, "tanh-n01-level", "just below 1")


def test_the_notebook_runs_five_schemes_and_zooms_in_on_the_other_four(nb, stds, stack, claim):
    schemes = stack["SCHEMES"]
    assert {name for _, name in stds} == set(schemes)
    claim(PAGE, "schemes", number_word(len(schemes)))
    (cell,) = [c.source for c in nb.cells if c.cell_type == "code" and 'plot("tanh", names=' in c.source]
    zoomed = ast.literal_eval(re.search(r'names=(\(.*?"\))', cell)[1])
    assert set(zoomed) == set(schemes) - {"N(0, 0.01²)"}  # 'the other ...', beside the tiny one
    claim(PAGE, "zoom-others", number_word(len(zoomed)))


def test_tiny_weights_vanish_by_the_factor_the_prose_gives(stds, stack, claim):
    """N(0, 0.01²) multiplies the variance by n_in * 10**-4 per layer (tanh is nearly the
    identity there): the std by sqrt(n_in) * 0.01 per layer, from layer 1 to 50."""
    width = inspect.signature(stack["activation_stds"]).parameters["width"].default
    layer = nn.Linear(width, width, dtype=torch.float64)
    torch.manual_seed(0)
    stack["SCHEMES"]["N(0, 0.01²)"](layer)
    variance = layer.weight.var().item()
    assert variance == pytest.approx(10 ** round(math.log10(variance)), rel=0.02)
    claim(PAGE, "tiny-factor", "$n_{\\text{in}} \\cdot 10^{%d}$" % round(math.log10(variance)))
    first, last = stds["tanh", "N(0, 0.01²)"]
    assert (last / first) ** (1 / 49) == pytest.approx(math.sqrt(width) * 0.01, rel=0.02)
    assert last < 1e-30 and stds["relu", "N(0, 0.01²)"][1] < 1e-30


def test_relu_kaiming_stays_level_and_xavier_shrinks_by_one_over_root_2(stds, stack, claim):
    first, last = stds["relu", "Kaiming"]
    assert 0.5 < last / first < 2
    first, last = stds["relu", "Xavier"]
    assert (last / first) ** (1 / 49) == pytest.approx(1 / math.sqrt(2), rel=0.02)
    variances = {}  # of the weights of a square layer, large enough that sampling does not show
    for name in ("Kaiming", "Xavier"):
        layer = nn.Linear(2048, 2048, dtype=torch.float64)
        stack["SCHEMES"][name](layer)
        variances[name] = layer.weight.var().item()
    factor = variances["Kaiming"] / variances["Xavier"]
    assert factor == pytest.approx(2, rel=0.01)
    claim(PAGE, "relu-factor", factor)


def test_relu_passes_half_of_a_symmetric_input_and_halves_its_mean_square(claim):
    torch.manual_seed(0)
    z = torch.randn(1_000_000, dtype=torch.float64)
    kept = (torch.relu(z) > 0).double().mean().item()
    assert kept == pytest.approx(0.5, abs=0.002)
    assert torch.relu(z).pow(2).mean().item() == pytest.approx(0.5 * z.var().item(), rel=0.01)
    claim(PAGE, "relu-half", "half")


def test_a_gain_above_the_slope_of_tanh_at_0_amplifies_small_signals(claim):
    """tanh is the identity to first order near 0: its slope there is the gain at which a
    small signal neither grows nor shrinks."""
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch.tanh(z).backward()
    slope = z.grad.item()
    small = torch.tensor(1e-3, dtype=torch.float64)
    assert torch.tanh(1.1 * slope * small) > small > torch.tanh(0.9 * slope * small)
    claim(PAGE, "tanh-slope", slope)
    claim(PAGE, "takeaway-slope", slope)


def test_xavier_tanh_stays_near_one_over_root_2l_then_wanders_below(nb, stack, claim):
    """Over the notebook's 200 layers: within 20 % (the page's band) of 1/sqrt(2l) up to a
    layer, then below the band from a little later on, further below at the end."""
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    band = int(re.search(r'Xavier stays within \{\{ n\("(\d+)"\) \}\} %', prose)[1]) / 100
    long_depth = int(re.search(r"^long_depth = (\d+)$", "\n".join(c.source for c in nb.cells), re.M)[1])
    stds, _ = stack["activation_stds"](stack["SCHEMES"]["Xavier"], torch.tanh, depth=long_depth)
    ratio = [std * math.sqrt(2 * l) for l, std in enumerate(stds, start=1)]
    departs = [abs(r - 1) < band for r in ratio].index(False) + 1  # the first layer outside the band
    assert all(r < 1 - band for r in ratio[departs + 15:]) and ratio[-1] < ratio[departs + 15]
    claim(PAGE, "xavier-follows", f"about layer {round(departs, -1)}")


def test_where_the_last_tanh_layer_sits(stack, claim):
    """The histogram: under N(0, 1) most values at ±1, under Xavier around 0, under Kaiming
    over the whole range."""
    last = {name: stack["activation_stds"](stack["SCHEMES"][name], torch.tanh)[1].flatten()
            for name in ("N(0, 1)", "Xavier", "Kaiming")}
    assert (last["N(0, 1)"].abs() > 0.9).double().mean() > 0.5
    claim(PAGE, "histogram-n01", "most values sit at $\\pm 1$")
    assert (last["Xavier"].abs() < 0.25).double().mean() > 0.95
    claim(PAGE, "histogram-xavier", "they gather around 0")
    counts = torch.histc(last["Kaiming"], bins=10, min=-1, max=1)
    assert counts.min() > 0.5 * counts.max()  # 'spread over the whole range'


def test_relu_n01_and_tiny_weights_are_one_curve_shifted(stds, claim):
    """relu(c z) = c relu(z): 0.01 times every weight is 0.01**l times layer l."""
    big, small = stds["relu", "N(0, 1)"], stds["relu", "N(0, 0.01²)"]
    assert small[0] == pytest.approx(big[0] * 0.01, rel=0.01)
    assert small[1] == pytest.approx(big[1] * 0.01**50, rel=0.01)
    claim(PAGE, "relu-shift", (small[1] / big[1]) ** (1 / 50))


def test_xavier_tanh_fades_but_kaiming_holds_a_level(stds):
    first, last = stds["tanh", "Xavier"]
    assert last < first / 5  # 'does not stop falling'
    assert last == pytest.approx(1 / math.sqrt(2 * 50), rel=0.2)  # 'fades like 1/sqrt(2l)'
    first, last = stds["tanh", "Kaiming"]
    assert 0.7 < last / first < 1.3


def test_the_default_keeps_almost_nothing_of_the_input(last_layer):
    """'Under PyTorch's default, the part that depends on the input has all but disappeared,
    whatever the overall std suggests'; Kaiming's ReLU stack keeps a smaller share than its
    overall std, 'many orders of magnitude above the default's'."""
    for act in ("tanh", "relu"):
        overall, across = last_layer[act, "PyTorch default"]
        assert across < 1e-8 * overall, act
    overall, across = last_layer["relu", "Kaiming"]
    assert across < overall and across > 1e10 * last_layer["relu", "PyTorch default"][1]


def test_the_notebook_imports_the_page_code_from_the_snippets(nb):
    """The cell names the snippet folder: the build and the download (docs_build/notebooks.py)
    read it to find deep_stack.py, and the download writes that file beside the notebook."""
    first = next(c for c in nb.cells if c.cell_type == "code").source
    assert "../snippets/weight_initialization" in first and "from deep_stack import" in first
    assert not any("set_num_threads" in c.source for c in nb.cells)  # reader code; the kernel sets it


@pytest.fixture(scope="module")
def gradients(nb):
    """The std of dL/dA at layer 1 and at layer 50, for each stack and scheme."""
    found = table(nb, "gradients[act, name] = gradient_stds")
    assert len(found) == 10
    return found


def test_the_gradients_are_the_pages_run(gradients):
    """Layer 1 and layer 50 of the notebook's backward run equal the #> lines of the page's
    run_backward section (checked against a run by test_outputs.py)."""
    text = (SNIPPETS / "weight_initialization" / "deep_stack.py").read_text(encoding="utf-8")
    shown = re.search(r"\[start:run_backward\](.*?)\[end:run_backward\]", text, re.S)[1]
    rows, act = {}, None
    for line in re.findall(r"^\s*#> (.*)$", shown, re.M):
        if "layer 1" in line:
            act = line.split()[1]
        else:
            name, first, _, last = re.match(r"(.+?)\s+(\S+)\s+(\S+)\s+(\S+)$", line).groups()
            rows[act, name] = (float(first), float(last))
    assert rows == gradients


def test_the_gradients_as_the_notebook_describes_them(gradients, stds):
    """ReLU: with zero biases each backward curve mirrors its forward one, and the default's
    does not; tanh: N(0, 1) explodes backward,
    Xavier fades toward the input like sqrt(l/D), Kaiming and 5/3 grow slowly."""
    def factors(name):
        forward = (stds["relu", name][1] / stds["relu", name][0]) ** (1 / 49)
        return forward, (gradients["relu", name][0] / gradients["relu", name][1]) ** (1 / 49)

    for name in ("N(0, 1)", "N(0, 0.01²)", "Xavier", "Kaiming"):  # the zero-bias schemes
        forward, backward = factors(name)
        assert backward == pytest.approx(forward, rel=0.1), name
    forward, backward = factors("PyTorch default")  # biases: a level forward, vanishing backward
    assert forward > 0.9 and backward < 0.5 and gradients["relu", "PyTorch default"][0] < 1e-15
    assert 0.5 < gradients["relu", "Kaiming"][0] < 2
    assert gradients["tanh", "N(0, 1)"][0] > 1e20 and stds["tanh", "N(0, 1)"][1] > 0.9
    assert gradients["tanh", "Xavier"][0] == pytest.approx(math.sqrt(1 / 50), rel=0.3)
    assert 2 < gradients["tanh", "Kaiming"][0] < 50
