"""The claims of the notebook page digits (docs/digits.py), read from what its cells printed
when the build executed it, and the code it imports (snippets/digits/mlp.py) checked on its own."""

import inspect
import math
import re

import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from docs_build import notebooks
from support import DOCS, load_snippet, number_word, printed

SOURCE = DOCS / "digits.py"
PAGE = "digits"
PERCENT = re.compile(r"([\d.]+)%")


@pytest.fixture(scope="module")
def nb(built_site):
    """The notebook as the build executed it (docs_build/notebooks.py keeps it in its cache)."""
    return notebooks.executed(SOURCE)


@pytest.fixture(scope="module")
def mlp():
    return load_snippet("digits/mlp.py", run_main=False)


def code_of(nb, fragment):
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and fragment in c.source]
    return cell.source


def percent(text, pattern):
    """The percentage printed on the line that matches pattern, as a fraction."""
    return float(PERCENT.search(re.search(pattern, text, re.M)[0])[1]) / 100


def test_the_data_set_the_page_describes(claim):
    digits = load_digits()
    N, height, width = digits.images.shape
    claim(PAGE, "images", N)
    claim(PAGE, "side", f"{height} × {width}")
    claim(PAGE, "pixels", digits.data.shape[1])
    claim(PAGE, "grey-min", digits.data.min())
    claim(PAGE, "grey-max", digits.data.max())
    counts = torch.tensor(digits.target).bincount()
    claim(PAGE, "classes", number_word(len(counts)))
    assert (counts / N).min() > 0.09 and (counts / N).max() < 0.11  # "about equally common"
    claim(PAGE, "chance", f"one time in {number_word(len(counts))}")


def test_the_split_is_disjoint_shuffled_and_the_one_the_page_states(mlp, claim):
    X_train, y_train, X_val, y_val = mlp["load_split"]()
    X = torch.tensor(load_digits().data, dtype=torch.float32)
    claim(PAGE, "num-val", len(X_val))
    for claim_id in ("num-train", "num-train-2", "all-rows"):
        claim(PAGE, claim_id, len(X_train))
    assert len(X_train) + len(X_val) == len(X)
    # every image lands in exactly one set: the two sets' rows, counted, are the data set's
    for got, want in zip(torch.unique(torch.cat([X_train, X_val]), dim=0, return_counts=True),
                         torch.unique(X, dim=0, return_counts=True)):
        assert torch.equal(got, want)
    assert set(y_val.tolist()) == set(range(10))  # shuffled first: every digit in both sets
    again = mlp["load_split"]()
    assert all(torch.equal(a, b) for a, b in zip(again, (X_train, y_train, X_val, y_val)))


def test_standardise_uses_the_training_statistics_for_both_sets(mlp):
    X_train, _, X_val, _ = mlp["load_split"]()
    Z_train, Z_val = mlp["standardise"](X_train, X_val)
    varying = X_train.std(dim=0) > 0
    torch.testing.assert_close(Z_train.mean(dim=0), torch.zeros(64), rtol=0, atol=1e-5)
    torch.testing.assert_close(Z_train.std(dim=0)[varying], torch.ones(int(varying.sum())), rtol=0, atol=1e-5)
    assert (Z_train[:, ~varying] == 0).all()  # a pixel that never varies stays 0, not NaN
    mean, std = X_train.mean(dim=0), X_train.std(dim=0).where(varying, torch.tensor(1.0))
    torch.testing.assert_close(Z_val, (X_val - mean) / std)  # the training set's statistics
    assert not torch.allclose(Z_val.mean(dim=0), torch.zeros(64), atol=1e-3)  # not its own


def test_confusion_matrix_equals_scikit_learns(mlp):
    gen = torch.Generator().manual_seed(0)
    y_true, y_pred = torch.randint(0, 10, (500,), generator=gen), torch.randint(0, 10, (500,), generator=gen)
    expected = sklearn_confusion_matrix(y_true.numpy(), y_pred.numpy(), labels=range(10))
    assert mlp["confusion_matrix"](y_true, y_pred).tolist() == expected.tolist()


def test_training_is_seeded_and_repeats_exactly(mlp):
    X_train, y_train, X_val, y_val = mlp["load_split"]()
    X_train, X_val = mlp["standardise"](X_train, X_val)
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        runs.append(mlp["train"](mlp["build_mlp"]([64, 16, 10]), X_train[:200], y_train[:200], X_val, y_val,
                                 num_epochs=2))
    assert runs[0] == runs[1]


def test_the_model_is_logits_out_with_one_hidden_relu_layer(mlp):
    model = mlp["build_mlp"]([64, 128, 10])
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    assert [type(m).__name__ for m in mlp["build_mlp"]([64, 10])] == ["Linear"]  # logistic regression


def test_the_recipe_the_prose_states(nb, mlp, claim):
    defaults = {k: v.default for k, v in inspect.signature(mlp["train"]).parameters.items()}
    claim(PAGE, "batch-size", defaults["batch_size"])
    claim(PAGE, "lr", defaults["lr"])
    assert "torch.optim.Adam(" in inspect.getsource(mlp["train"])  # "Adam runs with its default learning rate"
    assert defaults["lr"] == inspect.signature(torch.optim.Adam).parameters["lr"].default
    for claim_id in ("epochs", "epochs-2"):
        claim(PAGE, claim_id, defaults["num_epochs"])
    num_train = len(mlp["load_split"]()[0])
    claim(PAGE, "steps-per-epoch", math.ceil(num_train / defaults["batch_size"]))
    claim(PAGE, "last-batch", num_train % defaults["batch_size"])
    sizes = [int(n) for n in re.search(r"mlp = build_mlp\(\[(\d+), (\d+), (\d+)\]\)", code_of(nb, "mlp = build_mlp"))
             .groups()]
    for claim_id, width in zip(("inputs", "hidden", "outputs"), sizes):
        claim(PAGE, claim_id, width)
    n_in, n_hidden, n_out = sizes
    assert f"parameters: {n_in * n_hidden + n_hidden + n_hidden * n_out + n_out}" in printed(nb, "mlp = build_mlp")


def test_the_mlp_beats_logistic_regression_by_the_stated_margin(nb, claim):
    run = printed(nb, "mlp = build_mlp")
    val_acc, train_acc = percent(run, r"^val .*"), percent(run, r"^train .*")
    claim(PAGE, "val-acc", f"{100 * val_acc:.1f} %")
    claim(PAGE, "train-acc", f"{100 * train_acc:.0f} %")
    linear = printed(nb, "linear = build_mlp")
    linear_acc = percent(linear, r"^logistic regression.*")
    claim(PAGE, "linear-acc", f"{100 * linear_acc:.1f} %")
    margin = val_acc - linear_acc
    assert margin > 0.01  # the hidden layer is clearly worth it
    claim(PAGE, "margin", 100 * margin)
    assert f"ahead by {100 * margin:.1f} percentage points" in linear
    num_val = len(load_snippet("digits/mlp.py", run_main=False)["load_split"]()[3])
    errors, linear_errors = round((1 - val_acc) * num_val), round((1 - linear_acc) * num_val)
    assert errors < linear_errors / 2
    claim(PAGE, "fewer-errors", "less than half")


def test_the_mistakes_the_page_counts(nb, claim):
    text = printed(nb, "counts = confusion_matrix")
    wrong, total = map(int, re.search(r"^(\d+) of (\d+) validation images are wrong", text, re.M).groups())
    claim(PAGE, "num-wrong", wrong)
    pairs = re.search(r"true -> predicted: (.*)", text)[1].split(", ")
    assert len(pairs) == wrong and all(a != b for a, b in (p.split(" -> ") for p in pairs))
    assert round(100 * (1 - wrong / total), 1) == round(100 * percent(printed(nb, "mlp = build_mlp"), r"^val .*"), 1)


def test_overfitting_and_more_data(nb, claim):
    run = printed(nb, "mlp = build_mlp")
    train_loss = float(re.search(r"^train loss ([\d.]+)", run, re.M)[1])
    val_loss = float(re.search(r"^val   loss ([\d.]+)", run, re.M)[1])
    claim(PAGE, "train-loss", train_loss)
    claim(PAGE, "val-loss", val_loss)
    claim(PAGE, "gap", val_loss / train_loss)
    curve = {int(n): (float(t) / 100, float(v) / 100) for n, t, v in re.findall(
        r"(\d+) training images: training accuracy ([\d.]+)%, validation accuracy ([\d.]+)%", printed(nb, "for num_rows in"))}
    assert sorted(curve) == [150, 400, 1257]
    assert all(train == 1.0 for train, _ in curve.values())  # it learns every training image, every time
    gaps = [train - val for train, val in (curve[n] for n in sorted(curve))]
    assert gaps == sorted(gaps, reverse=True)  # more data, a smaller gap
    few = min(curve)
    claim(PAGE, "few-rows", few)
    claim(PAGE, "few-val-acc", f"{100 * curve[few][1]:.1f} %")
    claim(PAGE, "all-gap", 100 * gaps[-1])
