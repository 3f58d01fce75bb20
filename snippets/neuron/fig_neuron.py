"""Draw one neuron: inputs, weights, the weighted sum plus bias, the activation."""
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 4))
inputs_y = [3.0, 2.0, 1.0]
for i, y_i in enumerate(inputs_y, start=1):
    ax.annotate("", xy=(4.55, 2.0), xytext=(1.3, y_i),
                arrowprops=dict(arrowstyle="->", color="tab:blue", lw=1.5))
    ax.text(1.0, y_i, f"$x_{i}$", ha="center", va="center", fontsize=16,
            bbox=dict(boxstyle="circle", fc="white", ec="tab:gray"))
    ax.text(2.9, y_i + (2.0 - y_i) * 0.45 + 0.18, f"$w_{i}$", ha="center", fontsize=14,
            color="tab:blue")

# the sum node: z = w . x + b
ax.text(5.0, 2.0, r"$\Sigma$", ha="center", va="center", fontsize=22,
        bbox=dict(boxstyle="circle,pad=0.5", fc="white", ec="black"))
ax.annotate("", xy=(5.0, 2.5), xytext=(5.0, 3.4),
            arrowprops=dict(arrowstyle="->", color="tab:orange", lw=1.5))
ax.text(5.0, 3.6, "bias $b$", ha="center", fontsize=13, color="tab:orange")

# the activation
arrow = dict(arrowstyle="->", lw=1.5)
ax.annotate("", xy=(6.9, 2.0), xytext=(5.5, 2.0), arrowprops=arrow)
ax.text(6.2, 2.2, "$z$", ha="center", fontsize=14)
ax.text(7.4, 2.0, "$f$", ha="center", va="center", fontsize=18,
        bbox=dict(boxstyle="square,pad=0.6", fc="white", ec="black"))
ax.annotate("", xy=(9.2, 2.0), xytext=(7.9, 2.0), arrowprops=arrow)
ax.text(9.5, 2.0, "$a$", ha="center", va="center", fontsize=16)

ax.text(5.0, 0.3, r"$z = w_1 x_1 + w_2 x_2 + w_3 x_3 + b, \qquad a = f(z)$",
        ha="center", fontsize=14)
ax.set_xlim(0.3, 10)
ax.set_ylim(0, 4.1)
ax.axis("off")
ax.set_title("One neuron: inputs, weights, bias, activation")
plt.show()
