"""The course spreadsheet's backward pass, transcribed cell by cell, mistakes included."""
import math

# The sheet's row 20 weights, sample and learning rate, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0
lr = 2.0

# Its forward pass is right: cells N7, N12 and V9.
h1 = math.tanh(w1 * x1 + w2 * x2 + b1)
h2 = math.tanh(w3 * x1 + w4 * x2 + b2)
y_hat = math.tanh(w5 * h1 + w6 * h2 + b3)

# --8<-- [start:sheet]
X9 = 1 - y_hat**2  # X9: =1-V9^2
O7 = (1 - math.tanh(h1) ** 2) * X9 * w5  # O7: =(1 - TANH(N7)^2)*X9*S9
O12 = (1 - math.tanh(h2) ** 2) * w6 * X9  # O12: =(1-TANH(N12)^2)*S10*X9
# Each update reads new = old - C4 * (gradient). The gradients it uses:
sheet_grads = dict(
    w1=O7 * h1, w2=O7 * h1, b1=O7,  # L7: =K7-C4*O7*N7, L8: =K8-C4*O7*N7
    w3=O12 * h2, w4=O12 * h2, b2=O12,  # L12, L13: the same with O12*N12
    w5=h1 * X9, w6=h2 * X9, b3=X9,  # T9: =S9-C4*N7*X9, T10, T11 alike
)
params = dict(w1=w1, w2=w2, b1=b1, w3=w3, w4=w4, b2=b2, w5=w5, w6=w6, b3=b3)
sheet_new = {name: params[name] - lr * sheet_grads[name] for name in params}
for name in params:
    print(f"{name}: {params[name]:+.6f} -> {sheet_new[name]:+.6f}")
#> w1: +0.870093 -> +0.871107
#> w2: +1.641249 -> +1.642263
#> b1: -3.004851 -> -3.005894
#> w3: +0.703436 -> +0.704220
#> w4: +0.100222 -> +0.101007
#> b2: -1.600427 -> -1.601524
#> w5: +1.896796 -> +1.898017
#> w6: +1.402581 -> +1.403478
#> b3: -1.532570 -> -1.533825
# --8<-- [end:sheet]

# --8<-- [start:twice]
slope_sheet = 1 - math.tanh(h1) ** 2  # tanh of h1, which is already a tanh
slope = 1 - h1**2  # tanh'(z1)
print(f"the sheet's 1 - tanh(h1)^2: {slope_sheet:.4f}")
#> the sheet's 1 - tanh(h1)^2: 0.4379
print(f"tanh'(z1) = 1 - h1^2:       {slope:.4f}")
#> tanh'(z1) = 1 - h1^2:       0.0544
print(f"ratio: {slope_sheet / slope:.1f}")
#> ratio: 8.0
# --8<-- [end:twice]
