# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Training the 44-parameter networks
#
# This notebook runs the exercise from [the {{ n("44") }}-parameter page](../xor-44/): it trains
# several networks with exactly {{ claim("parameters", "44") }} parameters on XOR, with the course's recipe
# (L1 loss, SGD with {% call claim("lr") %}$\eta = 0.02${% endcall %} and momentum {% call claim("momentum") %}$\mu = 0.9${% endcall %}, one random row per step,
# weights from $\mathcal{N}(0, 1)$, {{ claim("epochs", "2001") }} epochs). Symbols follow the
# [notation](../notation/) page. After every epoch it measures the loss on all {{ claim("rows", "four") }} rows,
#
# $$L_{\text{all}} = \frac{1}{4} \sum_{i=1}^{4} \left| \hat y_i - y_i \right| ,$$
#
# and whether the {{ claim("rounded", "four") }} rounded predictions are XOR. The functions come from the site's
# snippet files, so this is the same code the page shows.
#
# This recipe does not converge: the curves below never settle. So a run is judged
# by a window, not by its last epoch: `judge` returns the mean loss over the last
# {{ claim("window", "200") }} epochs and the share of those epochs whose predictions round to XOR.

# %%
import sys
from pathlib import Path

# The training code lives once, in snippets/xor_44/ at the top of the repository.
sys.path.insert(0, str(Path("../snippets/xor_44").resolve()))

import matplotlib.pyplot as plt
import numpy as np
import torch

from train_44 import X, build_mlp, judge, train


def plot_losses(ax, losses, label, window=50):
    # the raw whole-data loss, faint, and its moving average over `window` epochs
    line, = ax.plot(losses, linewidth=0.6, alpha=0.35)
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    ax.plot(np.arange(window - 1, len(losses)), smooth, color=line.get_color(), label=label)


# %% [markdown]
# ## Several shapes, one seed
#
# {{ claim("with-biases", "Two") }} shapes with biases and {{ claim("without-biases", "two") }} without, each trained from the same seed.

# %%
shapes = [([2, 5, 4, 1], True), ([2, 3, 4, 3, 1], True),
          ([2, 4, 4, 4, 1], False), ([2, 1, 21, 1], False)]
seed = 3
runs = {}
for sizes, bias in shapes:
    torch.manual_seed(seed)
    model = build_mlp(sizes, bias)
    assert sum(p.numel() for p in model.parameters()) == 44
    label = "-".join(map(str, sizes)) + ("" if bias else " (no biases)")
    runs[label] = model, *train(model, seed=seed)
    mean_loss, share_solved = judge(*runs[label][1:])
    print(f"{label:20s} last 200 epochs: mean loss {mean_loss:.3f}, "
          f"rounds to XOR in {share_solved:.0%}")

# %% alt="Line plot, log scale, of the L1 loss on all four rows after every epoch for the four 44-parameter shapes from seed 3, each as a faint raw curve and a bold moving average: every curve keeps jumping, the 2-1-21-1 network without biases stays highest, and the other three run below it."
fig, ax = plt.subplots(figsize=(8, 4.5))
for label, (model, losses, solved) in runs.items():
    plot_losses(ax, losses, label)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("L1 loss on all four rows")
ax.set_title("44-parameter networks on XOR, seed 3 (bold: 50-epoch moving average)")
ax.legend()
plt.show()

# %% [markdown]
# Each faint curve is the loss after every epoch; the bold one is its moving
# average over {{ claim("smooth-window", "50") }} epochs.
# {{ claim("shapes-solve", "Three of the four shapes solve XOR in most of their last 200 epochs") }},
# but none of their curves settles on a value. {{ n("Two") }} things keep them moving.
# The L1 loss's gradient with respect to the output, $\operatorname{sign}(\hat y_i - y_i)$,
# has size {{ claim("sign-size", "1") }} however small the error is, so the steps do not shrink near the answer.
# And momentum adds up the steps: a gradient that stays the same moves the weights by
# {% call claim("step") %}$\eta / (1 - \mu) = 0.2${% endcall %} times it per step, {{ claim("step-ratio", "ten") }} times $\eta$.
#
# One run is really stuck: {{ claim("stuck", "2-1-21-1 without biases never rounds to XOR in its last 200 epochs") }}.
# {{ n("Two") }} things work against it:
#
# - **A one-unit bottleneck.** Everything after the first layer sees one number per
#   row, $\tanh(w_1 x_1 + w_2 x_2)$. When that unit saturates, {{ claim("saturated-rows", "three") }} rows map to
#   nearly the same number, and no later layer can tell them apart.
# - **No biases.** Without biases every layer maps $-\mathbf{x}$ to minus its output of
#   $\mathbf{x}$ (tanh is odd), so the whole network is odd and $f(\mathbf{0}) = 0$:
#   the row $(0, 0)$ is right for free, but nothing can shift an output.
#
# The next cell shows both for this run.

# %%
model = runs["2-1-21-1 (no biases)"][0]
with torch.no_grad():
    print("bottleneck unit, per row:", [round(v, 3) for v in torch.tanh(model[0](X)).flatten().tolist()])
    print("predictions:             ", [round(v, 3) for v in model(X).flatten().tolist()])
    print("odd, f(-x) = -f(x):", torch.allclose(model(-X), -model(X)))

# %% [markdown]
# ## One shape, several seeds
#
# The same {{ n("2-5-4-1") }} network from {{ n("four") }} seeds. The seed picks both the initial weights
# and the order in which rows are drawn. Judged by the window,
# {{ claim("seeds-solve", "every seed solves XOR most of the time") }}, and their curves look alike: the differences between them are
# the noise of the recipe, not runs that are stuck.

# %% alt="Line plot, log scale, of the L1 loss on all four rows after every epoch for the 2-5-4-1 network from seeds 0 to 3: the four curves jump about in the same band and none of them settles."
fig, ax = plt.subplots(figsize=(8, 4.5))
for seed in range(4):
    torch.manual_seed(seed)
    model = build_mlp([2, 5, 4, 1])
    losses, solved = train(model, seed=seed)
    mean_loss, share_solved = judge(losses, solved)
    print(f"seed {seed}  last 200 epochs: mean loss {mean_loss:.3f}, "
          f"rounds to XOR in {share_solved:.0%}")
    plot_losses(ax, losses, f"seed {seed}")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("L1 loss on all four rows")
ax.set_title("2-5-4-1 on XOR, four seeds")
ax.legend()
plt.show()

# %% [markdown]
# ## What to take away
#
# - Every shape here has exactly {{ claim("parameters-takeaway", "44") }} parameters, yet they learn at different speeds,
#   and the bias-free {{ claim("takeaway-stuck", "2-1-21-1") }} does not learn XOR at all: one unit is too narrow a
#   bottleneck, and without biases the network is odd.
# - With the L1 loss and momentum the whole-data loss keeps jumping; judge a run by
#   its last few {{ n("hundred") }} epochs, not by one point, and never by one sample's loss.
# - Across seeds, {{ n("2-5-4-1") }} behaves the same: the seed changes the noise, not the verdict.
# - A run that never settles makes the last bits of a processor's arithmetic visible. The
#   digits here come from MKL's reproducible mode and torch's {{ n("AVX2") }} kernels, set in the
#   environment (`MKL_CBWR=COMPATIBLE`, `ATEN_CPU_CAPABILITY=avx2`), which print the same digits
#   on any {{ n("x86-64") }} processor. A copied cell run without them may print other decimals
#   for the runs that keep jumping.
