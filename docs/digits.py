# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A first real network: handwritten digits
#
# Every other page trains on a handful of points made up for the lesson. This one trains
# a network on real data: {{ claim("images", "1797") }} small photos of handwritten digits
# that scikit-learn ships inside its package, so nothing is downloaded. On the way it uses
# everything a real training script has: a training and a validation set, standardised
# inputs, mini-batches from a `DataLoader`, the [cross-entropy](../loss/#cross-entropy-for-several-classes)
# of the [logits](../glossary/#logit), and the Adam [optimizer](../glossary/#optimizer).
# Then it asks what the network got wrong, and whether it learned the training images
# by heart. Symbols follow the [notation](../notation/) page.
#
# The functions come from the site's snippet file `snippets/digits/mlp.py`, so this is the
# same code the tests check.

# %%
import sys
from pathlib import Path

# The training code lives once, in snippets/digits/ at the top of the repository.
sys.path.insert(0, str(Path("../snippets/digits").resolve()))

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits

from mlp import build_mlp, confusion_matrix, load_split, standardise, train

# %% [markdown]
# ## The data
#
# Each image is {{ claim("side", "8 × 8") }} pixels, each pixel a grey level from {{ claim("grey-min", "0") }} to {{ claim("grey-max", "16") }}. A row of the
# data holds one image, its {{ claim("pixels", "64") }} pixels one after the other: these are the
# features $x_j$ of the sample. The label says which digit it is.

# %%
digits = load_digits()
print("images:", digits.images.shape, " rows of X:", digits.data.shape)
print("grey levels from", digits.data.min(), "to", digits.data.max())
print("images per digit:", torch.tensor(digits.target).bincount().tolist())

# %% alt="The first twenty images of the data set in two rows, each an 8 by 8 grid of grey squares with its label above it: the digits 0 to 9, twice, blurry but readable."
fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for ax, image, label in zip(axes.flat, digits.images, digits.target):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
plt.show()

# %% [markdown]
# The {{ claim("classes", "ten") }} digits are about equally common, so guessing one digit
# for every image would be right about {{ claim("chance", "one time in ten") }}.
#
# ## Training and validation sets
#
# A network that has seen an image can remember its answer. To measure how well it does
# on images it has *not* seen, set {{ claim("num-val", "540") }} images aside, shuffled
# first so that every digit is in both sets. The network never trains on them: they are
# the **validation set**. The other {{ claim("num-train", "1257") }} are the training set.
#
# The pixels are then **standardised**: from each pixel subtract its mean and divide by its
# standard deviation, so that every input has mean {{ n("0") }} and standard
# deviation {{ n("1") }}. Both statistics come from the training set alone, and the validation set
# is scaled with them: computing them on all the data would let the validation set leak
# into training.

# %%
X_train_raw, y_train, X_val_raw, y_val = load_split()
X_train, X_val = standardise(X_train_raw, X_val_raw)
print("training:", tuple(X_train.shape), " validation:", tuple(X_val.shape))
print(f"after standardising, the training pixels have mean {X_train.mean():.3f}")

# %% [markdown]
# ## Mini-batches
#
# Gradient descent on all {{ claim("num-train-2", "1257") }} rows at once would take one
# step per pass. Instead, `train` hands the rows to a `DataLoader` in mini-batches of
# {{ claim("batch-size", "32") }}, in a new random order each epoch (`shuffle=True`, with its
# own seeded generator so that the run repeats). Each batch gives one step, so one epoch,
# one pass over the training set, makes {{ claim("steps-per-epoch", "40") }} steps, the last
# on the {{ claim("last-batch", "9") }} rows left over. The gradient of a mini-batch is a
# noisy estimate of the gradient on all the data, and a much cheaper one.
#
# The network is a multilayer perceptron: {{ claim("inputs", "64") }} inputs, one hidden
# layer of {{ claim("hidden", "128") }} ReLU units, and {{ claim("outputs", "10") }} outputs,
# one logit per digit. It has no softmax at the end: `F.cross_entropy` takes the logits and
# applies the softmax itself, the stable way (see the
# [loss page](../loss/#cross-entropy-for-several-classes)). Adam runs with its default
# learning rate {{ claim("lr", "0.001") }} for {{ claim("epochs", "50") }} epochs.
# The learning rate, the batch size, the number of epochs and the width of the hidden layer
# are **hyperparameters**: settings chosen before training, not learned by it.

# %%
torch.manual_seed(0)
mlp = build_mlp([64, 128, 10])
history = train(mlp, X_train, y_train, X_val, y_val)
print("parameters:", sum(p.numel() for p in mlp.parameters()))
for split in ("train", "val"):
    loss, acc = history[f"{split}_loss"][-1], history[f"{split}_acc"][-1]
    print(f"{split:5s} loss {loss:.4f}  accuracy {acc:.1%}")

# %% alt="Two line plots against the epoch, 1 to 50. Left, on a log scale, the cross-entropy on the training set falls steadily towards zero, while the one on the validation set falls at first and then levels off far above it. Right, the accuracy on both sets rises fast in the first epochs; the training accuracy reaches 100 % and the validation accuracy levels off a little below it."
epochs = range(1, len(history["train_loss"]) + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
for split, name in (("train", "training"), ("val", "validation")):
    ax_loss.plot(epochs, history[f"{split}_loss"], label=name)
    ax_acc.plot(epochs, [100 * a for a in history[f"{split}_acc"]], label=name)
ax_loss.set_yscale("log")
ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(80, 100.5))
ax_acc.legend()
plt.show()

# %% [markdown]
# After {{ claim("epochs-2", "50") }} epochs the network gets {{ claim("val-acc", "98.5 %") }}
# of the validation images right: images it never trained on.
#
# ## Against a linear model
#
# Is the hidden layer worth it? Take it out: one `nn.Linear(64, 10)` and the same
# cross-entropy is multinomial logistic regression, the linear model for several classes.
# Train it the same way, on the same split:

# %%
torch.manual_seed(0)
linear = build_mlp([64, 10])
history_linear = train(linear, X_train, y_train, X_val, y_val)
linear_acc = history_linear["val_acc"][-1]
margin = history["val_acc"][-1] - linear_acc
print(f"logistic regression: validation accuracy {linear_acc:.1%}")
print(f"the MLP is ahead by {100 * margin:.1f} percentage points")

# %% [markdown]
# The linear model is already good, {{ claim("linear-acc", "96.1 %") }}: these images are
# small and clean. The hidden layer adds {{ claim("margin", "2.4") }} percentage points, and
# leaves {{ claim("fewer-errors", "less than half") }} of the linear model's mistakes.
#
# ## What does it get wrong?
#
# A **confusion matrix** counts, for each true digit (a row), how often the network
# answered each digit (a column). The diagonal holds the right answers.

# %%
with torch.no_grad():
    y_pred = mlp(X_val).argmax(dim=1)
counts = confusion_matrix(y_val, y_pred)
wrong = (y_pred != y_val).nonzero().flatten()
print(f"{len(wrong)} of {len(y_val)} validation images are wrong")
pairs = [f"{y_val[i].item()} -> {y_pred[i].item()}" for i in wrong]
print("true -> predicted:", ", ".join(pairs))

# %% alt="A 10 by 10 grid of counts, true digit down the side and predicted digit along the top. The diagonal holds the large counts, around 50 each, dark blue; the few mistakes are single counts scattered off the diagonal."
fig, ax = plt.subplots(figsize=(5.2, 4.6))
ax.imshow(counts, cmap="Blues")
for k in range(10):
    for m in range(10):
        if counts[k, m]:
            ax.text(m, k, counts[k, m].item(), ha="center", va="center",
                    color="white" if counts[k, m] > counts.max() / 2 else "black")
ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit",
       ylabel="true digit", title="validation set: confusion matrix")
plt.show()

# %% alt="The validation images the network got wrong, each an 8 by 8 grey grid titled with its true label, an arrow, and the network's answer; several are badly written even for a person."
fig, axes = plt.subplots(1, len(wrong), figsize=(1.3 * len(wrong), 1.8), squeeze=False)
for ax, i in zip(axes.flat, wrong):
    ax.imshow(X_val_raw[i].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{y_val[i].item()} → {y_pred[i].item()}", fontsize=10)
    ax.axis("off")
plt.show()

# %% [markdown]
# The network gets {{ claim("num-wrong", "8") }} images wrong. Look at them: some are hard
# to read even for a person.
#
# ## Overfitting, and one cure
#
# On the training set the network ends at {{ claim("train-acc", "100 %") }} accuracy and a
# cross-entropy of {{ claim("train-loss", "0.0024") }}, while the validation loss stays at
# {{ claim("val-loss", "0.058") }}, {{ claim("gap", "24") }} times higher. The
# network has learned its training images better than it can use on new ones: it is
# **overfitting**. Its training loss keeps falling, but that no longer makes it better on
# new images.
#
# The gap grows when data is scarce. Train the same network, the same way, on only the
# first {{ n("150") }} or {{ n("400") }} training images:

# %%
sizes_and_histories = {}
for num_rows in (150, 400):
    torch.manual_seed(0)
    model = build_mlp([64, 128, 10])
    sizes_and_histories[num_rows] = train(model, X_train[:num_rows], y_train[:num_rows],
                                          X_val, y_val)
sizes_and_histories[len(X_train)] = history  # all the training images: the run above
for num_rows, h in sizes_and_histories.items():
    print(f"{num_rows:5d} training images: training accuracy {h['train_acc'][-1]:.1%}, "
          f"validation accuracy {h['val_acc'][-1]:.1%}")

# %% alt="Training and validation accuracy after 50 epochs against the number of training images, 150, 400 and 1257: the training accuracy is 100 % every time, and the validation accuracy climbs towards it as the number of images grows."
fig, ax = plt.subplots(figsize=(6.5, 3.8))
num_rows = list(sizes_and_histories)
for split, name in (("train", "training"), ("val", "validation")):
    final = [100 * h[f"{split}_acc"][-1] for h in sizes_and_histories.values()]
    ax.plot(num_rows, final, "o-", label=name)
ax.set(xlabel="training images", ylabel="accuracy after 50 epochs (%)",
       title="more data, less overfitting")
ax.legend()
plt.show()

# %% [markdown]
# With {{ claim("few-rows", "150") }} images the network still learns them all, yet gets only
# {{ claim("few-val-acc", "90.9 %") }} of the validation images right. The surest cure for
# overfitting is more data: with all {{ claim("all-rows", "1257") }} images the gap between
# training and validation accuracy shrinks to {{ claim("all-gap", "1.5") }} points. When more data cannot
# be had, other cures help: a smaller network, weight decay (a penalty on large weights),
# dropout (switching hidden units off at random while training), or stopping when the
# validation loss stops falling.
#
# One caution: the validation set was used to compare the models here, so its accuracy
# flatters the winner a little. A study that reports a final number keeps a third set,
# the test set, untouched until the very end.
#
# ## Summary
#
# - Split the data before anything else; scale both sets with the training set's
#   statistics.
# - A `DataLoader` serves shuffled mini-batches; each gives one optimizer step.
# - Train on the logits with `F.cross_entropy`; measure loss and accuracy on both sets
#   after every epoch.
# - A hidden layer beats the linear model here, by a few percentage points.
# - The confusion matrix and the misclassified images show *what* the network gets wrong.
# - A training loss far below the validation loss is overfitting; more data shrinks it.
