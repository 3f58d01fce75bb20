"""One threshold neuron cannot separate XOR; a 2-2-1 network of them can."""
# --8<-- [start:no_line]
import numpy as np

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
targets = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "XOR": np.array([0, 1, 1, 0]),
}


def classify(X, w, b):
    """A threshold neuron: 1 where z = w . x + b >= 0 (as a sigmoid read at 0.5)."""
    return (X @ w + b >= 0).astype(int)


# every neuron (w1, w2, b) on a grid from -2 to 2 in steps of 0.05, at once
grid = np.linspace(-2, 2, 81)
w1, w2, b = (g[..., None] for g in np.meshgrid(grid, grid, grid, indexing="ij"))
Z = w1 * X[:, 0] + w2 * X[:, 1] + b  # (81, 81, 81, 4): every neuron, every point
print(f"{Z[..., 0].size} neurons tried")
#> 531441 neurons tried
for name, y in targets.items():
    right = ((Z >= 0) == y).sum(axis=-1)  # points on their side, per neuron
    print(f"{name}: at most {right.max()} of 4 points on the right side")
#> AND: at most 4 of 4 points on the right side
#> OR: at most 4 of 4 points on the right side
#> XOR: at most 3 of 4 points on the right side
# --8<-- [end:no_line]

# --8<-- [start:two_layers]
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])  # two hidden neurons, same inputs
b1 = np.array([-0.5, -1.5])  # the first fires for OR, the second for AND
w2, b2 = np.array([1.0, -1.0]), -0.5  # the output: OR and not AND
H = np.stack([classify(X, w, b) for w, b in zip(W1, b1)], axis=1)
y_hat = classify(H, w2, b2)
print("hidden:", H.tolist())
#> hidden: [[0, 0], [1, 0], [1, 0], [1, 1]]
print("output:", y_hat.tolist(), " XOR:", targets["XOR"].tolist())
#> output: [0, 1, 1, 0]  XOR: [0, 1, 1, 0]
# --8<-- [end:two_layers]
