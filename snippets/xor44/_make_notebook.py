"""Write docs/xor-44-training.ipynb (without outputs): python snippets/xor44/_make_notebook.py"""
from pathlib import Path

import nbformat as nbf

nb = nbf.v4.new_notebook()
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
nb.cells = [
md("""# Training the 44-parameter networks

This notebook runs the exercise from [the 44-parameter page](../xor-44/): it trains
several networks with exactly 44 parameters on XOR, with the course's recipe
(L1 loss, SGD with $\\eta = 0.02$ and momentum $0.9$, one random row per step,
weights from $\\mathcal{N}(0, 1)$, 2001 epochs), and plots the loss on all four rows,

$$L_{\\text{all}} = \\frac{1}{4} \\sum_{i=1}^{4} \\left| \\hat y_i - y_i \\right| ,$$

after every epoch. The functions come from the site's snippet files, so this is the
same code the page shows."""),
code("""import sys
from pathlib import Path

# The training code lives once, in snippets/xor44/ at the top of the repository.
sys.path.insert(0, str(Path("../snippets/xor44").resolve()))

import matplotlib.pyplot as plt
import numpy as np
import torch

from train_44 import X, build_mlp, train, y

torch.set_num_threads(1)  # a 44-parameter model runs faster on one thread


def plot_history(ax, history, label, window=50):
    # the raw whole-data loss, faint, and its moving average over `window` epochs
    line, = ax.plot(history, linewidth=0.6, alpha=0.35)
    smooth = np.convolve(history, np.ones(window) / window, mode="valid")
    ax.plot(np.arange(window - 1, len(history)), smooth, color=line.get_color(), label=label)"""),
md("""## Several shapes, one seed

Two shapes with biases and two without, each trained from the same seed. A run
*solves* XOR when its four predictions round to the targets."""),
code("""shapes = [([2, 5, 4, 1], True), ([2, 3, 4, 3, 1], True),
          ([2, 4, 4, 4, 1], False), ([2, 1, 21, 1], False)]
seed = 3
histories = {}
for sizes, bias in shapes:
    torch.manual_seed(seed)
    model = build_mlp(sizes, bias)
    assert sum(p.numel() for p in model.parameters()) == 44
    label = "-".join(map(str, sizes)) + ("" if bias else " (no biases)")
    histories[label] = train(model, seed=seed)
    with torch.no_grad():
        solved = torch.equal(model(X).round(), y)
    print(f"{label:22s} final loss {histories[label][-1]:.3f}  solves XOR: {solved}")"""),
code("""fig, ax = plt.subplots(figsize=(8, 4.5))
for label, history in histories.items():
    plot_history(ax, history, label)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("L1 loss on all four rows")
ax.set_title("44-parameter networks on XOR, seed 3 (bold: 50-epoch moving average)")
ax.legend()
plt.show()"""),
md("""Each faint curve is the loss after every epoch; the bold one is its average over
the last 50 epochs. The curves do not settle on a value: with the L1 loss every step has the same
size however small the error is, and momentum carries each step into the next.
Judge a run by where its curve spends the last few hundred epochs, not by one
point.

## One shape, several seeds

The same 2-5-4-1 network from four seeds. The seed picks both the initial weights
and the order in which rows are drawn."""),
code("""fig, ax = plt.subplots(figsize=(8, 4.5))
for seed in range(4):
    torch.manual_seed(seed)
    model = build_mlp([2, 5, 4, 1])
    history = train(model, seed=seed)
    with torch.no_grad():
        solved = torch.equal(model(X).round(), y)
    print(f"seed {seed}: final loss {history[-1]:.3f}  solves XOR: {solved}")
    plot_history(ax, history, f"seed {seed}")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("L1 loss on all four rows")
ax.set_title("2-5-4-1 on XOR, four seeds")
ax.legend()
plt.show()"""),
md("""## What to take away

- Every shape here has exactly 44 parameters, yet they learn at different speeds
  and some do not solve XOR from this seed.
- The whole-data loss is the curve to read; a single sample's loss would hide all
  of this under noise."""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.metadata["language_info"] = {"name": "python"}
nbf.write(nb, Path(__file__).resolve().parents[2] / "docs" / "xor-44-training.ipynb")
