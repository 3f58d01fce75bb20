"""The computational graph of one sigmoid neuron with a squared error, local derivatives on the edges."""
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(9, 4.2))
ax.set_xlim(0, 10)
ax.set_ylim(-0.2, 4.4)
ax.axis("off")

box = dict(boxstyle="round,pad=0.45", facecolor="#e8eaf6", edgecolor="#3f51b5")
leaf = dict(boxstyle="circle,pad=0.35", facecolor="white", edgecolor="#3f51b5")
data = dict(boxstyle="circle,pad=0.35", facecolor="white", edgecolor="gray", linestyle="--")
nodes = {
    "x": ax.text(0.6, 3.4, "$x$", ha="center", va="center", fontsize=14, bbox=leaf),
    "w": ax.text(0.6, 2.0, "$w$", ha="center", va="center", fontsize=14, bbox=leaf),
    "b": ax.text(0.6, 0.6, "$b$", ha="center", va="center", fontsize=14, bbox=leaf),
    "z": ax.text(3.6, 2.0, "$z = w x + b$", ha="center", va="center", fontsize=14, bbox=box),
    "a": ax.text(6.2, 2.0, r"$a = \sigma(z)$", ha="center", va="center", fontsize=14, bbox=box),
    "L": ax.text(8.9, 2.0, "$L = (a - y)^2$", ha="center", va="center", fontsize=14, bbox=box),
    "y": ax.text(8.9, 0.4, "$y$", ha="center", va="center", fontsize=14, bbox=data),
}


def edge(source, target, label, label_xy, start=(1, 0.5), end=(0, 0.5), **style):
    ax.annotate("", xy=end, xycoords=nodes[target], xytext=start, textcoords=nodes[source],
                arrowprops=dict(arrowstyle="-|>", color=style.get("color", "#3f51b5"),
                                linestyle=style.get("linestyle", "-"), shrinkA=2, shrinkB=2))
    if label:
        ax.text(*label_xy, label, ha="center", va="center", fontsize=12, color="#bf360c")


fig.canvas.draw()  # place the boxes first, so the arrows can attach to them
edge("x", "z", r"$\partial z / \partial x = w$", (2.35, 3.05), end=(0.2, 1))
edge("w", "z", r"$\partial z / \partial w = x$", (1.6, 2.3))
edge("b", "z", r"$\partial z / \partial b = 1$", (2.35, 0.95), end=(0.2, 0))
edge("z", "a", r"$\partial a / \partial z = a(1 - a)$", (4.95, 2.4))
edge("a", "L", r"$\partial L / \partial a = 2(a - y)$", (7.3, 2.4))
edge("y", "L", "", None, start=(0.5, 1), end=(0.5, 0), color="gray", linestyle="--")

ax.text(4.6, 0.1, r"backward: $\dfrac{\partial L}{\partial w} = \dfrac{\partial L}{\partial a}"
        r"\,\dfrac{\partial a}{\partial z}\,\dfrac{\partial z}{\partial w}$",
        ha="center", va="center", fontsize=13, color="#bf360c")

ax.plot([], [], color="#3f51b5", label="forward: each node computes from its inputs")
ax.plot([], [], color="#bf360c", marker="$\\partial$", linestyle="none", markersize=9,
        label="local derivative of an edge's head with respect to its tail")
ax.plot([], [], color="gray", linestyle="--", label="data: no gradient needed")
ax.legend(loc="upper right", fontsize=9, frameon=False)
ax.set_title("A computational graph: values flow right, gradients flow back left")
plt.show()
