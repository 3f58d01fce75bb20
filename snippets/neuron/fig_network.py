"""A fully connected 3-4-4-2 network: every unit feeds every unit of the next layer."""
import matplotlib.pyplot as plt

sizes = [3, 4, 4, 2]
names = ["input layer", "hidden layer 1", "hidden layer 2", "output layer"]
colors = ["tab:gray", "tab:blue", "tab:blue", "tab:orange"]
labels = ["input (holds x, no parameters)", "hidden unit", None, "output unit"]


def positions(n, x):
    """n units of one layer, centred vertically at x."""
    return [(x, (n - 1) / 2 - i) for i in range(n)]


layers = [positions(n, 2.0 * k) for k, n in enumerate(sizes)]

fig, ax = plt.subplots(figsize=(8, 5))
for left, right in zip(layers, layers[1:]):
    for x0, y0 in left:
        for x1, y1 in right:  # fully connected: one line (one weight) per pair
            ax.plot([x0, x1], [y0, y1], color="tab:gray", lw=0.8, zorder=1)
ax.plot([], [], color="tab:gray", lw=0.8, label="connection (one weight)")
for units, color, name, label in zip(layers, colors, names, labels):
    xs, ys = zip(*units)
    ax.scatter(xs, ys, s=500, color=color, edgecolor="black", zorder=2, label=label)
    ax.text(xs[0], -1.9, f"{name}\n{len(units)} units", ha="center", va="top")

weights = sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))
biases = sum(sizes[1:])
ax.set_title(f"A fully connected 3-4-4-2 network: {weights} weights + {biases} biases")
ax.set_xlim(-0.9, 6.9)
ax.set_ylim(-2.9, 2.0)
ax.axis("off")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, markerscale=0.5)
plt.show()
