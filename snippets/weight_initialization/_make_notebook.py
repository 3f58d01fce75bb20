"""Write docs/weight-initialization-deep-stacks.ipynb (without outputs; the build executes it).

Run from anywhere:  python snippets/weight_initialization/_make_notebook.py
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "docs" / "weight-initialization-deep-stacks.ipynb"

CELLS = [
    ("md", r"""# Activations through deep stacks

This notebook runs the experiment from [the weight initialization page](../weight-initialization/):
a batch of standard-normal inputs goes forward through 50 fully connected layers of 256 units,
all tanh or all ReLU, with no training. After every layer we measure the standard deviation of
all activations. A layer with $n_{\text{in}}$ inputs turns activations with mean square
$\mathbb{E}[a^2]$ into pre-activations with variance

$$\mathrm{Var}(z_{\text{next}}) = n_{\text{in}} \, \mathrm{Var}(w) \, \mathbb{E}[a^2],$$

and the activation function then keeps part of it. Unless a scheme keeps this factor per layer
(weights and activation together) near 1, the activations grow or shrink geometrically with
depth. The stack and the five schemes come from
the site's snippet `snippets/weight_initialization/deep_stack.py`: this is the code the page
shows."""),
    ("code", r"""import sys
from pathlib import Path

# The stack lives once, in snippets/weight_initialization/ of the repository.
sys.path.insert(0, str(Path("../snippets/weight_initialization").resolve()))

import matplotlib.pyplot as plt
import torch

from deep_stack import SCHEMES, activation_stds

torch.set_num_threads(1)  # small matrices run as fast on one thread"""),
    ("md", r"""## Run both stacks under every scheme

Every run starts from the same seed, so every scheme sees the same inputs. Biases are zero
except under PyTorch's default, which keeps the biases `nn.Linear` draws."""),
    ("code", r"""depth = 50
results = {}  # (activation, scheme) -> (std after each layer, last activations)
for activation in (torch.tanh, torch.relu):
    for name, init in SCHEMES.items():
        act = activation.__name__
        results[act, name] = activation_stds(init, activation, depth=depth)

print(f"{'std after':22s}{'layer 1':>12s}{f'layer {depth}':>12s}")
for (act, name), (stds, _) in results.items():
    print(f"{act:5s} {name:16s}{stds[0]:12.2e}{stds[-1]:12.2e}")"""),
    ("code", r"""colors = dict(zip(SCHEMES, plt.rcParams["axes.prop_cycle"].by_key()["color"]))


def plot(act, names=tuple(SCHEMES), title=""):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name in names:
        stds, _ = results[act, name]
        layers = range(1, depth + 1)
        ax.plot(layers, stds, label=name, marker=".", color=colors[name])
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel("std of the activations")
    ax.set_title(title or f"{depth} {act} layers of 256 units, forward only")
    ax.legend()
    plt.show()


plot("tanh")"""),
    ("md", r"""On this scale the tiny initialization takes up the whole plot. Zoom in on the other four:"""),
    ("code", r"""plot("tanh", names=("N(0, 1)", "Xavier", "Kaiming", "PyTorch default"),
     title=f"{depth} tanh layers: the schemes that do not vanish at once")"""),
    ("md", r"""## tanh: what Glorot and Bengio (2010) report

- **N(0, 1)** sends most pre-activations far into the flat tails of tanh from the first layer
  on: the activations pile up at $-1$ and $+1$ and their std sits just below 1 at every
  depth. Saturated units pass almost no gradient back, since $\tanh'(z) = 1 - \tanh^2(z)$.
- **N(0, 0.01²)** multiplies the variance by $n_{\text{in}} \cdot 10^{-4}$ per layer: the
  activations vanish geometrically, a straight line down on a log scale.
- **PyTorch's default**, $U(-1/\sqrt{n_{\text{in}}}, 1/\sqrt{n_{\text{in}}})$, is what Glorot
  and Bengio call the *standard* initialization. Its weights multiply the variance by
  $n_{\text{in}} \mathrm{Var}(w) = 1/3$ per layer, so the activations shrink until the biases
  alone set the level (more on that below). Glorot and Bengio saw activations shrink with
  depth under this scheme too.
- **Xavier** is their *normalized* initialization. The std falls slowly, with no collapse.
  Their networks had five hidden layers, where the band is narrow; over 50 layers a slow drift
  shows, because tanh is a little flatter than the identity that the formula assumes.
- **Kaiming** (gain $\sqrt 2$) holds tanh steady too, at a higher level. PyTorch's recommended
  gain for tanh, $5/3$, lies in between."""),
    ("code", r"""plot("relu")"""),
    ("md", r"""## ReLU: what He et al. (2015) report

- ReLU passes half of a symmetric input and zeroes the rest, so it halves the mean square:
  $\mathbb{E}[a^2] = \tfrac12 \mathrm{Var}(z)$. **Kaiming** doubles the weight variance to
  $2/n_{\text{in}}$ to make up for it, and its curve stays level over all 50 layers.
- **Xavier** (variance $1/n_{\text{in}}$ for a square layer) is short by exactly that
  factor 2, so the std shrinks by about $1/\sqrt 2$ per layer: a straight line down. He et al.
  point this out, and show a 30-layer ReLU network that trains from their initialization but
  stalls from Xavier's.
- **N(0, 1)** and **N(0, 0.01²)** are the same curve shifted: ReLU is positively homogeneous,
  $\mathrm{relu}(c z) = c\,\mathrm{relu}(z)$ for $c > 0$, so scaling every weight by 0.01 scales
  layer $l$ by $0.01^l$. One explodes, the other vanishes.
- **PyTorch's default** shrinks, then levels off where the biases take over."""),
    ("md", r"""## What a std can hide

PyTorch's default levels off instead of vanishing. The level is set by the biases: every layer
adds its own bias vector, the same for every input row. To see how much of the last layer still
depends on the input, take the std *across the batch* for each unit and average over the units.
If it is tiny, the network maps every input to almost the same output."""),
    ("code", r"""print(f"{f'layer {depth}':22s}{'std of all':>12s}{'across inputs':>16s}")
for (act, name), (stds, A) in results.items():
    across_inputs = A.std(dim=0).mean().item()  # per unit over the batch
    print(f"{act:5s} {name:16s}{stds[-1]:12.2e}{across_inputs:16.2e}")"""),
    ("md", r"""Under PyTorch's default, the part that depends on the input has all but disappeared, whatever
the overall std suggests. The default is meant for networks that are not this deep, or that
have normalization layers or residual connections; a plain deep stack needs Xavier (tanh) or
Kaiming (ReLU).

Kaiming's ReLU stack keeps a smaller share across inputs than its overall std: with depth,
ReLU layers make different inputs look more alike. That share is still many orders of
magnitude above the default's.

## Where the tanh activations sit

Glorot and Bengio plotted histograms of the activations layer by layer. Here is the last layer
of the tanh stack: under N(0, 1) most values sit at $\pm 1$; under Xavier they gather around 0,
in the part of tanh that still has a slope; under Kaiming they spread over the whole range."""),
    ("code", r"""fig, ax = plt.subplots(figsize=(8, 4.5))
for name in ("N(0, 1)", "Xavier", "Kaiming"):
    _, A = results["tanh", name]
    ax.hist(A.flatten().numpy(), bins=100, range=(-1, 1), density=True,
            histtype="step", label=name)
ax.set_yscale("log")
ax.set_ylim(top=1e3)  # room for the legend above the peaks
ax.set_xlabel(f"activation after layer {depth}")
ax.set_ylabel("density")
ax.set_title("tanh stack: where the last layer's activations sit")
ax.legend(loc="upper center")
plt.show()"""),
    ("md", r"""## What to take away

- One layer changes the mean square of the signal by a fixed factor, so the wrong scale grows or
  shrinks geometrically with depth.
- tanh: Xavier keeps the activations in a usable band; N(0, 1) saturates them; tiny weights
  and PyTorch's default let the input's signal vanish.
- ReLU: Kaiming keeps the std level; Xavier shrinks it by about $1/\sqrt 2$ per layer;
  N(0, 1) explodes and N(0, 0.01²) vanishes."""),
]


def build():
    """The notebook, as a NotebookNode with no outputs."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, source) in enumerate(CELLS):
        make = new_markdown_cell if kind == "md" else new_code_cell
        nb.cells.append(make(source, id=f"cell-{i:02d}"))  # fixed ids: regenerating gives the same file
    nbformat.validate(nb)
    return nb


def main():
    nbformat.write(build(), TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
