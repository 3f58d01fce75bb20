"""The claims of the notebook page xor-44-training (docs/xor-44-training.py), read from what
its cells printed when the build executed it, and checked against the snippets it runs."""

import ast
import inspect
import re

import pytest
import torch

from docs_build import notebooks
from support import DOCS, SNIPPETS, load_snippet, number_word, printed

SOURCE = DOCS / "xor-44-training.py"
PAGE = "xor-44-training"
RUN = re.compile(r"^(?P<label>.+?)\s+last 200 epochs: mean loss (?P<loss>[\d.]+), rounds to XOR in (?P<share>\d+)%$", re.M)


@pytest.fixture(scope="module")
def nb(built_site):
    """The notebook as the build executed it (docs_build/notebooks.py keeps it in its cache)."""
    return notebooks.executed(SOURCE)


def runs(text):
    """{label: (mean loss, share solved)} from the per-run summary lines."""
    return {m["label"]: (float(m["loss"]), int(m["share"]) / 100) for m in RUN.finditer(text)}


@pytest.fixture(scope="module")
def shapes(nb):
    found = runs(printed(nb, "for sizes, bias in shapes"))
    assert sorted(found) == ["2-1-21-1 (no biases)", "2-3-4-3-1", "2-4-4-4-1 (no biases)", "2-5-4-1"]
    return found


@pytest.fixture(scope="module")
def seeds(nb):
    found = runs(printed(nb, "for seed in range(4)"))
    assert sorted(found) == [f"seed {seed}" for seed in range(4)]
    return found


@pytest.fixture(scope="module")
def train_44():
    return load_snippet("xor_44/train_44.py", run_main=False)


def test_three_shapes_solve_most_of_the_window_and_2_1_21_1_never(shapes, train_44, claim):
    """'Three of the four shapes solve XOR in most of their last 200 epochs'; 2-1-21-1
    without biases 'never rounds to XOR in its last 200 epochs'."""
    window = inspect.signature(train_44["judge"]).parameters["window"].default
    solve = [label for label, (_, share) in shapes.items() if share > 0.5]
    claim(PAGE, "shapes-solve", f"{number_word(len(solve)).capitalize()} of the {number_word(len(shapes))} "
                                f"shapes solve XOR in most of their last {window} epochs")
    (stuck,) = [label for label in shapes if label not in solve]
    loss, share = shapes.pop(stuck)
    assert share == 0 and loss > max(loss for loss, _ in shapes.values())
    name, = re.fullmatch(r"(\S+) \(no biases\)", stuck).groups()
    claim(PAGE, "stuck", f"{name} without biases never rounds to XOR in its last {window} epochs")
    claim(PAGE, "takeaway-stuck", name)
    claim("xor-44", "notebook-stuck", name)  # the 44-parameter page's pitfall says so too


def test_the_notebook_trains_two_shapes_with_biases_and_two_without(nb, claim):
    shapes = ast.literal_eval(re.search(r"^shapes = (\[.*?\])$", code_of(nb, "shapes = ["), re.M | re.S)[1])
    claim(PAGE, "with-biases", number_word(sum(bias for _, bias in shapes)).capitalize())
    claim(PAGE, "without-biases", number_word(sum(not bias for _, bias in shapes)))


def test_the_loss_and_the_verdict_read_all_rows_and_the_window(nb, train_44, claim):
    """The whole-data loss and the rounding use every row of X; judge's window; the
    moving average's window in plot_losses."""
    rows = len(train_44["X"])
    claim(PAGE, "rows", number_word(rows))
    claim(PAGE, "rounded", number_word(rows))
    claim(PAGE, "window", inspect.signature(train_44["judge"]).parameters["window"].default)
    smooth = re.search(r"def plot_losses\(ax, losses, label, window=(\d+)\)", code_of(nb, "def plot_losses"))
    claim(PAGE, "smooth-window", int(smooth[1]))


def test_the_l1_gradient_has_size_1_however_small_the_error(claim):
    sizes = set()
    for error in (0.5, 1e-3, -1e-6):
        y_hat = torch.tensor(1.0 + error, dtype=torch.float64, requires_grad=True)
        (y_hat - 1.0).abs().backward()
        sizes.add(abs(y_hat.grad.item()))
    (size,) = sizes
    claim(PAGE, "sign-size", size)


def test_2_1_21_1_is_odd_and_its_bottleneck_saturates(nb, claim):
    """'When that unit saturates, three rows map to nearly the same number'; the network
    is odd and f(0) = 0."""
    text = printed(nb, 'runs["2-1-21-1 (no biases)"]')
    unit = [float(v) for v in re.search(r"bottleneck unit, per row: \[(.*)\]", text)[1].split(",")]
    predictions = [float(v) for v in re.search(r"predictions:\s+\[(.*)\]", text)[1].split(",")]
    assert len(unit) == 4  # one unit: one number per row
    assert unit[0] == 0 and predictions[0] == 0  # the row (0, 0)
    saturated = [a for a in unit if abs(a) > 0.95]
    assert max(saturated) - min(saturated) < 0.05
    claim(PAGE, "saturated-rows", number_word(len(saturated)))
    assert "odd, f(-x) = -f(x): True" in text


def test_a_network_without_biases_is_odd_before_any_training(train_44):
    """The reason the notebook gives, on an untrained 2-1-21-1 of any seed: tanh is odd
    and no bias shifts a layer, so f(-x) = -f(x) and f(0) = 0."""
    X = train_44["X"]
    for seed in range(3):
        torch.manual_seed(seed)
        model = train_44["build_mlp"]([2, 1, 21, 1], bias=False)
        with torch.no_grad():
            assert torch.allclose(model(-X), -model(X)) and model(X[0]).item() == 0.0


def test_every_seed_of_2_5_4_1_solves_most_of_the_window(seeds, claim):
    assert all(share > 0.5 for _, share in seeds.values()), seeds
    claim(PAGE, "seeds-solve", "every seed solves XOR most of the time")
    claim("xor-44", "notebook-seeds", "all solve XOR most of the time")  # the 44-parameter page's pitfall


def test_the_seed_3_run_is_the_page_run_of_train_44(shapes, seeds):
    """2-5-4-1 from seed 3 in both loops is the run snippets/xor_44/train_44.py prints,
    as its #> lines (checked against a run by tests/pipeline/test_outputs.py) show."""
    shown = (SNIPPETS / "xor_44" / "train_44.py").read_text(encoding="utf-8")
    loss = float(re.search(r"#> last 200 epochs: mean loss ([\d.]+)", shown)[1])
    share = int(re.search(r"#> last 200 epochs that round to XOR: (\d+)%", shown)[1]) / 100
    assert shapes["2-5-4-1"] == seeds["seed 3"] == (loss, share)


def test_the_recipe_the_prose_states_is_the_one_train_uses(train_44, claim):
    """eta = 0.02, mu = 0.9, 2001 epochs, and the step eta / (1 - mu) = 0.2, ten times eta."""
    defaults = {k: v.default for k, v in inspect.signature(train_44["train"]).parameters.items()}
    lr, mu = defaults["lr"], defaults["momentum"]
    claim(PAGE, "lr", lr)
    claim(PAGE, "momentum", mu)
    claim(PAGE, "epochs", defaults["num_epochs"])
    claim(PAGE, "step", f"$\\eta / (1 - \\mu) = {lr / (1 - mu):.2g}$")  # the text's first number is the 1
    claim(PAGE, "step-ratio", number_word(round(1 / (1 - mu))))


def test_the_notebook_imports_the_page_code_from_the_snippets(nb):
    """The cell names the snippet folder: the build and the download (docs_build/notebooks.py)
    read it to find train_44.py, and the download writes that file beside the notebook."""
    first = next(c for c in nb.cells if c.cell_type == "code").source
    assert "../snippets/xor_44" in first and "from train_44 import" in first
    assert not any("set_num_threads" in c.source for c in nb.cells)  # reader code; the kernel sets it


def test_every_shape_the_notebook_trains_has_44_parameters(nb, train_44, claim):
    shapes = ast.literal_eval(re.search(r"^shapes = (\[.*?\])$", code_of(nb, "shapes = ["), re.M | re.S)[1])
    counts = {sum(p.numel() for p in train_44["build_mlp"](sizes, bias).parameters()) for sizes, bias in shapes}
    (count,) = counts
    claim(PAGE, "parameters", count)
    claim(PAGE, "parameters-takeaway", count)


def code_of(nb, code):
    """The source of the code cell of nb that holds `code`."""
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    return cell.source
