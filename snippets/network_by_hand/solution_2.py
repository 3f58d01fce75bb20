"""Exercise 2: when does the sheet's X9 = 1 - y_hat^2 have the sign of dL/dz3?"""
import math

# The sheet's row 20 weights and its sample, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0


def same_sign(y_hat, y):
    X9 = 1 - y_hat**2  # the sheet's output gradient: never negative
    dL_dz3 = (y_hat - y) * (1 - y_hat**2)  # the chain rule's
    return X9 * dL_dz3 > 0


grid = [k / 100 for k in range(-99, 100)]  # tanh's outputs, -0.99 to 0.99
for target in (0.0, 1.0):  # XOR's two targets
    agree = [v for v in grid if same_sign(v, target)]
    where = f"y_hat from {min(agree):+.2f} to {max(agree):+.2f}" if agree else "never"
    print(f"y = {target:.0f}: same sign for {where}")
#> y = 0: same sign for y_hat from +0.01 to +0.99
#> y = 1: same sign for never
y_hat = math.tanh(w5 * math.tanh(w1 * x1 + w2 * x2 + b1)
                  + w6 * math.tanh(w3 * x1 + w4 * x2 + b2) + b3)
print(f"the sheet's row: y_hat = {y_hat:.4f}, y = {y:.0f}, same sign: {same_sign(y_hat, y)}")
#> the sheet's row: y_hat = -0.9997, y = 1, same sign: False
