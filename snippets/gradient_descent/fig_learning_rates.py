"""w over the steps of gradient descent on L(w) = c w^2 / 2, for six learning rates."""
import matplotlib.pyplot as plt

c, w0, num_steps = 0.5, 1.0, 15  # 1/c = 2, 2/c = 4; the rates of the printed run
runs = {
    0.1: "too small: slow",
    1.0: "below 1/c: steady approach",
    2.0: "exactly 1/c: one step to the minimum",
    3.0: "between 1/c and 2/c: oscillates, converges",
    4.0: "exactly 2/c: oscillates forever",
    4.2: "above 2/c: diverges",
}

fig, ax = plt.subplots(figsize=(8, 5.5))
for lr, label in runs.items():
    w, history = w0, [w0]
    for _ in range(num_steps):
        w = w - lr * c * w  # w <- w - lr * dL/dw
        history.append(w)
    ax.plot(range(num_steps + 1), history, marker="o", markersize=3, label=f"lr = {lr:g}: {label}")
ax.axhline(0.0, color="gray", linewidth=0.8)
ax.set(title=f"Gradient descent on $L(w) = c\\,w^2/2$ with $c = {c:g}$", xlabel="step",
       ylabel="$w$", ylim=(-4.5, 4.5), xticks=range(0, num_steps + 1, 1))
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
fig.tight_layout()
plt.show()
