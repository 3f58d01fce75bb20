"""Error of finite differences of the sigmoid at θ = 0.5, against the step h."""
import math

import matplotlib.pyplot as plt
import numpy as np


def sigmoid(theta, dtype=np.float64):
    e = dtype(math.exp(-theta))
    return dtype(1) / (dtype(1) + e)


theta = 0.5
exact = sigmoid(theta) * (1 - sigmoid(theta))
hs = np.logspace(-1, -12, 45)
curves = {"one-sided, float64": [], "central, float64": [],
          "central, float32": []}
for h in hs:
    plus, minus, mid = sigmoid(theta + h), sigmoid(theta - h), sigmoid(theta)
    curves["one-sided, float64"].append(abs((plus - mid) / h - exact))
    curves["central, float64"].append(abs((plus - minus) / (2 * h) - exact))
    t, h32 = np.float32(theta), np.float32(h)
    plus32, minus32 = sigmoid(t + h32, np.float32), sigmoid(t - h32, np.float32)
    curves["central, float32"].append(abs((plus32 - minus32) / (2 * h32) - exact))

fig, ax = plt.subplots(figsize=(8, 5))
for label, errors in curves.items():
    errors = np.maximum(errors, 1e-17)  # an exact 0 has no place on a log axis
    ax.loglog(hs, errors, marker="o", markersize=3, label=label)
ax.invert_xaxis()  # h shrinks from left to right
ax.set(title="Finite differences of the sigmoid at θ = 0.5: error against h",
       xlabel="step h", ylabel="|estimate − σ'(θ)|")
ax.grid(True, which="major", alpha=0.3)
ax.legend()
fig.tight_layout()
plt.show()
