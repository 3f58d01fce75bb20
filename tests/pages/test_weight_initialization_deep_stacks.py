"""The claims of the notebook page weight-initialization-deep-stacks
(docs/weight-initialization-deep-stacks.py), read from what its cells printed when the
build executed it, and checked against the snippet it runs."""

import inspect
import math
import re

import pytest

from docs_build import notebooks
from support import DOCS, SNIPPETS, load_snippet, printed

SOURCE = DOCS / "weight-initialization-deep-stacks.py"
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
    shown = (SNIPPETS / "weight_initialization" / "deep_stack.py").read_text(encoding="utf-8")
    rows, act = {}, None
    for line in re.findall(r"^\s*#> (.*)$", shown, re.M):
        if "layer 1" in line:
            act = line.split()[0]
        else:
            name, first, _, last = re.match(r"(.+?)\s+(\S+)\s+(\S+)\s+(\S+)$", line).groups()
            rows[act, name] = (float(first), float(last))
    assert rows == stds


def test_n01_saturates_tanh_just_below_1_at_every_depth(stds):
    first, last = stds["tanh", "N(0, 1)"]
    assert 0.9 < first < 1 and 0.9 < last < 1


def test_tiny_weights_vanish_by_the_factor_the_prose_gives(stds, stack):
    """N(0, 0.01²) multiplies the variance by n_in * 10**-4 per layer (tanh is nearly the
    identity there): the std by sqrt(n_in) * 0.01 per layer, from layer 1 to 50."""
    width = inspect.signature(stack["activation_stds"]).parameters["width"].default
    first, last = stds["tanh", "N(0, 0.01²)"]
    assert (last / first) ** (1 / 49) == pytest.approx(math.sqrt(width) * 0.01, rel=0.02)
    assert last < 1e-30 and stds["relu", "N(0, 0.01²)"][1] < 1e-30


def test_relu_kaiming_stays_level_and_xavier_shrinks_by_one_over_root_2(stds):
    first, last = stds["relu", "Kaiming"]
    assert 0.5 < last / first < 2
    first, last = stds["relu", "Xavier"]
    assert (last / first) ** (1 / 49) == pytest.approx(1 / math.sqrt(2), rel=0.02)


def test_relu_n01_and_tiny_weights_are_one_curve_shifted(stds):
    """relu(c z) = c relu(z): 0.01 times every weight is 0.01**l times layer l."""
    big, small = stds["relu", "N(0, 1)"], stds["relu", "N(0, 0.01²)"]
    assert small[0] == pytest.approx(big[0] * 0.01, rel=0.01)
    assert small[1] == pytest.approx(big[1] * 0.01**50, rel=0.01)


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
