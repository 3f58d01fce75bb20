"""Exercise 1: the L1 loss |y_hat - y|, by hand and with autograd."""
import math

import torch

# The sheet's row 20 weights and its sample, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0

h1 = math.tanh(w1 * x1 + w2 * x2 + b1)
h2 = math.tanh(w3 * x1 + w4 * x2 + b2)
y_hat = math.tanh(w5 * h1 + w6 * h2 + b3)
e = y_hat - y
dL_dy_hat = math.copysign(1.0, e)  # the only change: sign(e) instead of e
dL_dz3 = dL_dy_hat * (1 - y_hat**2)
dL_dz1 = dL_dz3 * w5 * (1 - h1**2)
dL_dz2 = dL_dz3 * w6 * (1 - h2**2)
grads = dict(w1=dL_dz1 * x1, w2=dL_dz1 * x2, b1=dL_dz1, w3=dL_dz2 * x1, w4=dL_dz2 * x2,
             b2=dL_dz2, w5=dL_dz3 * h1, w6=dL_dz3 * h2, b3=dL_dz3)

# autograd, with the L1 loss in float64
f64 = torch.float64
p = {k: torch.tensor(v, dtype=f64, requires_grad=True)
     for k, v in dict(w1=w1, w2=w2, b1=b1, w3=w3, w4=w4, b2=b2, w5=w5, w6=w6, b3=b3).items()}
t1 = torch.tanh(p["w1"] * x1 + p["w2"] * x2 + p["b1"])
t2 = torch.tanh(p["w3"] * x1 + p["w4"] * x2 + p["b2"])
L = (torch.tanh(p["w5"] * t1 + p["w6"] * t2 + p["b3"]) - y).abs()
L.backward()
largest = max(abs(grads[k] - p[k].grad.item()) for k in grads)
print(f"e = {e:.4f}, dL/dy_hat = {dL_dy_hat:+.0f}")
#> e = -1.9997, dL/dy_hat = -1
print(f"largest difference from autograd: {largest:.1e}")
#> largest difference from autograd: 1.3e-17
