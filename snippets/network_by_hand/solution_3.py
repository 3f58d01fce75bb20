"""Exercise 3: 100 steps on random XOR rows, by the sheet's rules and by the chain rule."""
import math
import random

# The sheet's row 20 weights, its sample and learning rate, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0
lr = 2.0
rows = [(0.0, 0.0, 0.0), (1.0, 0.0, 1.0), (0.0, 1.0, 1.0), (1.0, 1.0, 0.0)]  # XOR


def forward(p, x1, x2):
    h1 = math.tanh(p["w1"] * x1 + p["w2"] * x2 + p["b1"])
    h2 = math.tanh(p["w3"] * x1 + p["w4"] * x2 + p["b2"])
    return h1, h2, math.tanh(p["w5"] * h1 + p["w6"] * h2 + p["b3"])


def gradients(p, x1, x2, y, sheet):
    h1, h2, y_hat = forward(p, x1, x2)
    if sheet:  # X9, O7, O12 and the updates as the sheet writes them
        d3 = 1 - y_hat**2
        d1, d2 = (1 - math.tanh(h1) ** 2) * d3 * p["w5"], (1 - math.tanh(h2) ** 2) * p["w6"] * d3
        in1, in2, in3, in4 = h1, h1, h2, h2
    else:  # the chain rule
        d3 = (y_hat - y) * (1 - y_hat**2)
        d1, d2 = d3 * p["w5"] * (1 - h1**2), d3 * p["w6"] * (1 - h2**2)
        in1, in2, in3, in4 = x1, x2, x1, x2
    return dict(w1=d1 * in1, w2=d1 * in2, b1=d1, w3=d2 * in3, w4=d2 * in4, b2=d2,
                w5=d3 * h1, w6=d3 * h2, b3=d3)


predictions = {}
for sheet in (True, False):
    p = dict(w1=w1, w2=w2, b1=b1, w3=w3, w4=w4, b2=b2, w5=w5, w6=w6, b3=b3)
    draw = random.Random(0)  # the same 100 rows for both
    for step in range(100):
        g = gradients(p, *draw.choice(rows), sheet)
        p = {k: p[k] - lr * g[k] for k in p}
    predictions[sheet] = [forward(p, r[0], r[1])[2] for r in rows]
    name = "sheet's rules" if sheet else "chain rule   "
    print(name, [f"{v:+.4f}" for v in predictions[sheet]])
#> sheet's rules ['-0.9999', '-0.9999', '-0.9999', '-0.9985']
#> chain rule    ['+0.2485', '+0.9675', '+0.9792', '+0.9800']
