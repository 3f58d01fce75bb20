# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Activations through deep stacks
#
# This notebook runs the experiment from [the weight initialization page](../weight-initialization/):
# a batch of standard-normal inputs goes forward through {{ n("50") }} fully connected layers of {{ n("256") }} units,
# all tanh or all ReLU, with no training. After every layer we measure the standard deviation of
# all activations. A layer with $n_{\text{in}}$ inputs turns activations with mean square
# $\operatorname{E}[a^2]$ into pre-activations with variance
#
# $$\operatorname{Var}(z_{\text{next}}) = n_{\text{in}} \, \operatorname{Var}(w) \, \operatorname{E}[a^2],$$
#
# and the activation function then keeps part of it. Unless a scheme keeps this factor per layer
# (weights and activation together) near {{ n("1") }}, the activations grow or shrink geometrically with
# depth. The stack and the {{ claim("schemes", "five") }} schemes come from
# the site's snippet `snippets/weight_initialization/deep_stack.py`: this is the code the page
# shows.

# %%
import sys
from pathlib import Path

# In the repository the stack lives once, in snippets/weight_initialization/
# (the downloadable copy writes deep_stack.py beside the notebook instead).
sys.path.insert(0, str(Path("../snippets/weight_initialization").resolve()))

import matplotlib.pyplot as plt
import torch

from deep_stack import SCHEMES, activation_stds, gradient_stds

# %% [markdown]
# ## Run both stacks under every scheme
#
# Every run starts from the same seed, so every scheme sees the same inputs. Biases are zero
# except under PyTorch's default, which keeps the biases `nn.Linear` draws.

# %%
depth = 50
results = {}  # (activation, scheme) -> (std after each layer, last activations)
for activation in (torch.tanh, torch.relu):
    for name, init in SCHEMES.items():
        act = activation.__name__
        results[act, name] = activation_stds(init, activation, depth=depth)

print(f"{'std after':22s}{'layer 1':>12s}{f'layer {depth}':>12s}")
for (act, name), (stds, _) in results.items():
    print(f"{act:5s} {name:16s}{stds[0]:12.2e}{stds[-1]:12.2e}")

# %% alt="Line plot, log scale, of the std of the activations after each of 50 tanh layers under the five schemes: N(0, 0.01²) falls in a straight line far below the other four, which stay close together near the top."
colors = dict(zip(SCHEMES, plt.rcParams["axes.prop_cycle"].by_key()["color"]))


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


plot("tanh")

# %% [markdown]
# On this scale the tiny initialization takes up the whole plot. Zoom in on the other {{ claim("zoom-others", "four") }}:

# %% alt="The same plot for the four other schemes: N(0, 1) stays flat just below 1, Kaiming stays flat lower down, Xavier falls slowly and steadily, and PyTorch's default drops within a few layers, then stays flat at the lowest level."
plot("tanh", names=("N(0, 1)", "Xavier", "Kaiming", "PyTorch default"),
     title=f"{depth} tanh layers: the schemes that do not vanish at once")

# %% [markdown]
# ## tanh: what Glorot and Bengio report
#
# - **N({{ n("0") }}, {{ n("1") }})** sends most pre-activations far into the flat tails of tanh from the first layer
#   on: the activations pile up at $-1$ and $+1$ and their std sits {{ claim("tanh-n01-level", "just below 1") }} at every
#   depth. Saturated units pass almost no gradient back, since $\tanh'(z) = 1 - \tanh^2(z)$.
# - **N({{ n("0") }}, {{ n("0.01") }}²)** multiplies the variance by {% call claim("tiny-factor") %}$n_{\text{in}} \cdot 10^{-4}${% endcall %} per layer: the
#   activations vanish geometrically, a straight line down on a log scale.
# - **PyTorch's default**, $U(-1/\sqrt{n_{\text{in}}}, 1/\sqrt{n_{\text{in}}})$, is what Glorot
#   and Bengio ({{ n("2010") }}) call the *standard* initialization. Its weights multiply the variance by
#   $n_{\text{in}} \operatorname{Var}(w) = 1/3$ per layer, so the activations shrink until the biases
#   alone set the level (more on that below). Glorot and Bengio saw activations shrink with
#   depth under this scheme too.
# - **Xavier** is their *normalized* initialization. The std falls slowly, but it does not stop
#   falling. On a square layer Xavier makes $n_{\text{in}} \operatorname{Var}(w) = 1$, right for
#   the identity, and tanh is a little flatter than the identity. Each layer then takes a little
#   off the mean square, and the std fades like $1/\sqrt{2l}$ at layer $l$: a slow power law, not
#   a stable band. Their networks had {{ n("five") }} hidden layers, too few to see it.
# - **Kaiming** (gain $\sqrt 2$) holds tanh at a level: a gain above {{ claim("tanh-slope", "1") }} amplifies small signals,
#   and tanh's flattening stops the growth. PyTorch's recommended gain for tanh, $5/3$, is larger
#   than $\sqrt 2$, and holds the std at a higher level still. The next plot runs {{ n("200") }} layers.

# %% alt="Log-log plot of the std of the activations after each of 200 tanh layers: Xavier follows the dashed line 1/sqrt(2l) down and falls below it in the deepest layers, while Kaiming and Xavier with gain 5/3 stay flat, gain 5/3 a little higher."
from torch import nn


def xavier_tanh_gain(layer):
    nn.init.xavier_normal_(layer.weight, gain=nn.init.calculate_gain("tanh"))  # 5/3
    nn.init.zeros_(layer.bias)


long_depth = 200
layers = range(1, long_depth + 1)
fig, ax = plt.subplots(figsize=(8, 4.5))
for name, init in [("Xavier", SCHEMES["Xavier"]), ("Kaiming", SCHEMES["Kaiming"]),
                   ("Xavier with gain 5/3", xavier_tanh_gain)]:
    stds, _ = activation_stds(init, torch.tanh, depth=long_depth)
    ax.plot(layers, stds, label=name)
ax.plot(layers, [1 / (2 * l) ** 0.5 for l in layers], "k--", label=r"$1/\sqrt{2l}$")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("layer")
ax.set_ylabel("std of the activations")
ax.set_title(f"{long_depth} tanh layers: Xavier fades like a power law, a gain above 1 settles")
ax.legend()
plt.show()

# %% [markdown]
# On log-log axes a power law is a straight line. Xavier stays within {{ n("20") }} % of $1/\sqrt{2l}$ up to
# {{ claim("xavier-follows", "about layer 130") }}, then wanders below it: with {{ n("256") }} units, each random layer also stretches or shrinks
# the signal a little by chance, and over many layers these chance factors add up. Kaiming and the
# gain $5/3$ stay flat, and $5/3$ settles higher.

# %% alt="Line plot, log scale, of the std of the activations after each of 50 ReLU layers: N(0, 1) grows in a straight line and N(0, 0.01²) falls in one, Kaiming stays level, Xavier slopes gently down, and PyTorch's default levels off below Kaiming."
plot("relu")

# %% [markdown]
# ## ReLU: what He et al. report
#
# - ReLU passes {{ claim("relu-half", "half") }} of a symmetric input and zeroes the rest, so it halves the mean square:
#   $\operatorname{E}[a^2] = \tfrac12 \operatorname{Var}(z)$. **Kaiming** doubles the weight variance to
#   $2/n_{\text{in}}$ to make up for it, and its curve stays level over all {{ n("50") }} layers.
# - **Xavier** (variance $1/n_{\text{in}}$ for a square layer) is short by exactly that
#   factor {{ claim("relu-factor", "2") }}, so the std shrinks by about $1/\sqrt 2$ per layer: a straight line down. He et al. ({{ n("2015") }})
#   point this out, and show a {{ n("30") }}-layer ReLU network that trains from their initialization but
#   stalls from Xavier's.
# - **N({{ n("0") }}, {{ n("1") }})** and **N({{ n("0") }}, {{ n("0.01") }}²)** are the same curve shifted: ReLU is positively homogeneous,
#   $\mathrm{relu}(c z) = c\,\mathrm{relu}(z)$ for $c > 0$, so scaling every weight by {{ n("0.01") }} scales
#   layer $l$ by {% call claim("relu-shift") %}$0.01^l${% endcall %}. One explodes, the other vanishes.
# - **PyTorch's default** shrinks, then levels off where the biases take over.

# %% [markdown]
# ## The gradients, beside the activations
#
# Training needs the backward signal as much as the forward one. `gradient_stds` runs the same
# stacks with the same seeds, sends a standard-normal gradient down from layer {{ n("50") }}, and measures
# the std of $\partial L / \partial A_l$ at every layer. Each row of the figure puts it beside the
# activations' std; read the backward curves from the right (the top of the stack) to the left.

# %% alt="Four log-scale line plots, one row for tanh and one for ReLU, forward std on the left and backward gradient std on the right, per layer, under the five schemes. Under ReLU each backward curve mirrors its forward one: Kaiming level, N(0, 1) rising toward the input, N(0, 0.01²), Xavier and PyTorch's default falling. Under tanh, N(0, 1) is flat forward but its gradient rises steeply toward the input, Xavier's gradient falls slowly toward the input, and Kaiming's rises slowly."
gradients = {}  # (activation, scheme) -> (forward stds, backward stds)
fig, axes = plt.subplots(2, 2, figsize=(10, 7.5), sharex=True)
for row, activation in zip(axes, (torch.tanh, torch.relu)):
    act = activation.__name__
    for name, init in SCHEMES.items():
        gradients[act, name] = gradient_stds(init, activation, depth=depth)
        for ax, stds in zip(row, gradients[act, name]):
            ax.plot(range(1, depth + 1), stds, label=name, color=colors[name])
    row[0].set_title(f"{act}: std of the activations (forward)")
    row[1].set_title(f"{act}: std of dL/dA (backward)")
for ax in axes.flat:
    ax.set_yscale("log")
for ax in axes[1]:
    ax.set_xlabel("layer")
axes[0, 1].legend(fontsize="small")
fig.tight_layout()
plt.show()

print(f"{'dL/dA at':22s}{'layer 1':>12s}{f'layer {depth}':>12s}")
for (act, name), (_, backward) in gradients.items():
    print(f"{act:5s} {name:16s}{backward[0]:12.2e}{backward[-1]:12.2e}")

# %% [markdown]
# - **ReLU**: with zero biases every backward curve mirrors its forward one, since a layer scales both
#   by $n \operatorname{Var}(w)/2$. Kaiming keeps the gradient level; the other schemes make it explode or
#   vanish toward the input as fast as they made the activations explode or vanish toward the output.
#   PyTorch's default is the exception: its biases hold the activations at a level, but they add nothing
#   to the gradient going back, which vanishes.
# - **tanh**: N({{ n("0") }}, {{ n("1") }}) is flat forward, but its gradient explodes toward the input: the few unsaturated
#   units pass it through weights far too large. Xavier lets the gradient fade toward the input, like
#   $\sqrt{l/D}$ at layer $l$ of $D$; Kaiming and the gain $5/3$ hold the activations and let the gradient grow slowly
#   toward the input.

# %% [markdown]
# ## What a std can hide
#
# PyTorch's default levels off instead of vanishing. The level is set by the biases: every layer
# adds its own bias vector, the same for every input row. To see how much of the last layer still
# depends on the input, take the std *across the batch* for each unit and average over the units.
# If it is tiny, the network maps every input to almost the same output.

# %%
print(f"{f'layer {depth}':22s}{'std of all':>12s}{'across inputs':>16s}")
for (act, name), (stds, A) in results.items():
    across_inputs = A.std(dim=0).mean().item()  # per unit over the batch
    print(f"{act:5s} {name:16s}{stds[-1]:12.2e}{across_inputs:16.2e}")

# %% [markdown]
# Under PyTorch's default, the part that depends on the input has all but disappeared, whatever
# the overall std suggests. The default is a legacy: it is the initialization of the older Lua
# Torch library, kept so that old code gives the same numbers. Normalization layers, which
# rescale the signal at every layer, make it matter much less; a plain deep stack needs Xavier
# (tanh) or Kaiming (ReLU).
#
# Kaiming's ReLU stack keeps a smaller share across inputs than its overall std: with depth,
# ReLU layers make different inputs look more alike. That share is still many orders of
# magnitude above the default's.
#
# ## Where the tanh activations sit
#
# Glorot and Bengio plotted histograms of the activations layer by layer. Here is the last layer
# of the tanh stack: under N({{ n("0") }}, {{ n("1") }}) {% call claim("histogram-n01") %}most values sit at $\pm 1${% endcall %}; under Xavier {{ claim("histogram-xavier", "they gather around 0") }},
# in the part of tanh that still has a slope; under Kaiming they spread over the whole range.

# %% alt="Histograms, log density, of the last tanh layer's activations between -1 and 1: under N(0, 1) they pile up at -1 and +1, under Xavier they gather in a narrow peak around 0, and under Kaiming they spread evenly over the whole range."
fig, ax = plt.subplots(figsize=(8, 4.5))
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
plt.show()

# %% [markdown]
# ## What to take away
#
# - Under ReLU, and under tanh while the signal is small, one layer changes the mean square of the
#   signal by a fixed factor, so the wrong scale grows or shrinks geometrically with depth.
# - tanh: Xavier lets the activations fade slowly, like $1/\sqrt{2l}$; a gain above {{ claim("takeaway-slope", "1") }} (Kaiming's
#   $\sqrt 2$, or the $5/3$ PyTorch recommends) holds them at a level; N({{ n("0") }}, {{ n("1") }}) saturates them;
#   tiny weights and PyTorch's default let the input's signal vanish.
# - ReLU: Kaiming keeps the std level; Xavier shrinks it by about $1/\sqrt 2$ per layer;
#   N({{ n("0") }}, {{ n("1") }}) explodes and N({{ n("0") }}, {{ n("0.01") }}²) vanishes.
