"""CSV table: the forward pass on the sheet's sample, every number beside its spreadsheet cell."""
import math

# The sheet's row 20 weights and its sample (see by_hand.py).
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0

z1 = w1 * x1 + w2 * x2 + b1
h1 = math.tanh(z1)
z2 = w3 * x1 + w4 * x2 + b2
h2 = math.tanh(z2)
z3 = w5 * h1 + w6 * h2 + b3
y_hat = math.tanh(z3)
e = y_hat - y
L = 0.5 * e**2

rows = [  # quantity, sheet cell, value; the loss L has no cell in the sheet
    ("x1", "G7", x1), ("x2", "G13", x2), ("y", "D24", y),
    ("z1", "M7", z1), ("h1", "N7", h1), ("z2", "M12", z2), ("h2", "N12", h2),
    ("z3", "U9", z3), ("y_hat", "V9", y_hat), ("e", "W9", e), ("L", "", L),
]
print("quantity,sheet cell,value")
#> quantity,sheet cell,value
for name, cell, value in rows:
    print(f"{name},{cell},{value:.10g}")
#> x1,G7,1
#> x2,G13,0
#> y,D24,1
#> z1,M7,-2.134758119
#> h1,N7,-0.9724088627
#> z2,M12,-0.8969908137
#> h2,N12,-0.7148294845
#> z3,U9,-4.379637125
#> y_hat,V9,-0.9996860523
#> e,W9,-1.999686052
#> L,,1.999372154
