"""One SGD step of the course's 2-2-1 tanh network, by hand, from its spreadsheet's weights."""
# --8<-- [start:data]
import math

# The weights the sheet's one step starts from: its row 20, "Forward".
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0  # the XOR row the sheet drew: 1 xor 0 = 1
lr = 2.0  # the sheet's learning rate, cell C4
# --8<-- [end:data]

# --8<-- [start:forward]
z1 = w1 * x1 + w2 * x2 + b1
h1 = math.tanh(z1)
z2 = w3 * x1 + w4 * x2 + b2
h2 = math.tanh(z2)
z3 = w5 * h1 + w6 * h2 + b3
y_hat = math.tanh(z3)
e = y_hat - y  # the error: the sheet's cell W9, labelled "Loss"
L = 0.5 * e**2  # its derivative with respect to y_hat is e
print(f"h1 = {h1:.6f}, h2 = {h2:.6f}, y_hat = {y_hat:.6f}, L = {L:.6f}")
#> h1 = -0.972409, h2 = -0.714829, y_hat = -0.999686, L = 1.999372
# --8<-- [end:forward]

# --8<-- [start:backward]
dL_dy_hat = e
dL_dz3 = dL_dy_hat * (1 - y_hat**2)  # tanh'(z3) = 1 - y_hat^2
dL_dw5, dL_dw6, dL_db3 = dL_dz3 * h1, dL_dz3 * h2, dL_dz3
dL_dh1, dL_dh2 = dL_dz3 * w5, dL_dz3 * w6  # through the old w5, w6
dL_dz1 = dL_dh1 * (1 - h1**2)  # tanh'(z1) = 1 - h1^2
dL_dz2 = dL_dh2 * (1 - h2**2)
dL_dw1, dL_dw2, dL_db1 = dL_dz1 * x1, dL_dz1 * x2, dL_dz1
dL_dw3, dL_dw4, dL_db2 = dL_dz2 * x1, dL_dz2 * x2, dL_dz2
print(f"dL/dz3 = {dL_dz3:.4g}, dL/dz1 = {dL_dz1:.4g}, dL/dz2 = {dL_dz2:.4g}")
#> dL/dz3 = -0.001255, dL/dz1 = -0.0001296, dL/dz2 = -0.0008611
# --8<-- [end:backward]

# --8<-- [start:update]
params = dict(w1=w1, w2=w2, b1=b1, w3=w3, w4=w4, b2=b2, w5=w5, w6=w6, b3=b3)
grads = dict(w1=dL_dw1, w2=dL_dw2, b1=dL_db1, w3=dL_dw3, w4=dL_dw4,
             b2=dL_db2, w5=dL_dw5, w6=dL_dw6, b3=dL_db3)
new_params = {name: params[name] - lr * grads[name] for name in params}
for name in params:
    print(f"{name}: {params[name]:+.6f} -> {new_params[name]:+.6f}")
#> w1: +0.870093 -> +0.870352
#> w2: +1.641249 -> +1.641249
#> b1: -3.004851 -> -3.004592
#> w3: +0.703436 -> +0.705158
#> w4: +0.100222 -> +0.100222
#> b2: -1.600427 -> -1.598704
#> w5: +1.896796 -> +1.894355
#> w6: +1.402581 -> +1.400786
#> b3: -1.532570 -> -1.530059
# --8<-- [end:update]
