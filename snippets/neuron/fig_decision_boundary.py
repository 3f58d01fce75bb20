"""One neuron's decision boundary is the line w . x + b = 0; XOR needs two of them."""
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
class_0 = rng.normal([-1.0, -1.0], 0.45, size=(20, 2))
class_1 = rng.normal([1.2, 0.8], 0.45, size=(20, 2))
w, b = np.array([1.0, 1.5]), -0.25  # a chosen neuron: class 1 where z = w . x + b >= 0

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 5))
t = np.linspace(-3, 3, 2)
xx, yy = np.meshgrid(np.linspace(-3, 3, 301), np.linspace(-3, 3, 301))
z = w[0] * xx + w[1] * yy + b
left.contourf(xx, yy, z >= 0, levels=[-0.5, 0.5, 1.5], colors=["tab:blue", "tab:orange"], alpha=0.15)
left.plot(t, -(w[0] * t + b) / w[1], color="black", lw=2, label=r"boundary $\mathbf{w} \cdot \mathbf{x} + b = 0$")
left.scatter(*class_0.T, color="tab:blue", marker="o", edgecolor="black", label="class 0: $z < 0$")
left.scatter(*class_1.T, color="tab:orange", marker="^", edgecolor="black", label=r"class 1: $z \geq 0$")
foot = -b * w / (w @ w)  # the point of the boundary nearest the origin
left.annotate("", xy=foot + w, xytext=foot, arrowprops=dict(arrowstyle="->", color="black", lw=2))
left.text(*(foot + 1.08 * w), r"$\mathbf{w}$", fontsize=16, ha="left", va="bottom")
left.set_title("One neuron: a straight line, $\\mathbf{w}$ its normal")

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0, 1, 1, 0])  # XOR
s = np.linspace(-0.5, 1.5, 2)
xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
band = (xx + yy - 0.5 >= 0) & (xx + yy - 1.5 < 0)  # OR and not AND
right.contourf(xx, yy, band, levels=[-0.5, 0.5, 1.5], colors=["tab:blue", "tab:orange"], alpha=0.15)
right.plot(s, 0.5 - s, "--", color="black", label="hidden neuron 1 (OR): $x_1 + x_2 = 0.5$")
right.plot(s, 1.5 - s, ":", color="black", lw=2, label="hidden neuron 2 (AND): $x_1 + x_2 = 1.5$")
right.scatter(*X[y == 0].T, s=150, color="tab:blue", marker="o", edgecolor="black", label="XOR = 0")
right.scatter(*X[y == 1].T, s=150, color="tab:orange", marker="^", edgecolor="black", label="XOR = 1")
right.set_title("XOR: no single line works; two lines do")

right.set_xticks([0, 0.5, 1])
right.set_yticks([0, 0.5, 1])
for ax, (low, high) in ((left, (-3, 3)), (right, (-0.5, 1.5))):
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")  # so that w looks perpendicular to the line
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=9)
fig.tight_layout()
plt.show()
