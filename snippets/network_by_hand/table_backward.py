"""CSV table: every partial derivative of the backward pass, each one upstream times local."""
import math

# The sheet's row 20 weights and its sample (see by_hand.py).
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0

h1 = math.tanh(w1 * x1 + w2 * x2 + b1)
h2 = math.tanh(w3 * x1 + w4 * x2 + b2)
y_hat = math.tanh(w5 * h1 + w6 * h2 + b3)

rows = []


def chain(gradient, upstream, local, upstream_value, local_value):
    """One chain-rule step, dL/d(input) = dL/d(output) * d(output)/d(input), kept as a row."""
    value = upstream_value * local_value + 0.0  # + 0.0 turns -0.0 into 0.0
    rows.append((gradient, upstream, local, local_value, value))  # upstream_value: an earlier row
    return value


dL_dy_hat = chain("dL/dy_hat", "dL/dL", "y_hat - y", 1.0, y_hat - y)  # L = (y_hat - y)^2 / 2
dL_dz3 = chain("dL/dz3", "dL/dy_hat", "1 - y_hat^2", dL_dy_hat, 1 - y_hat**2)
chain("dL/dw5", "dL/dz3", "h1", dL_dz3, h1)
chain("dL/dw6", "dL/dz3", "h2", dL_dz3, h2)
chain("dL/db3", "dL/dz3", "1", dL_dz3, 1.0)
dL_dh1 = chain("dL/dh1", "dL/dz3", "w5", dL_dz3, w5)
dL_dh2 = chain("dL/dh2", "dL/dz3", "w6", dL_dz3, w6)
dL_dz1 = chain("dL/dz1", "dL/dh1", "1 - h1^2", dL_dh1, 1 - h1**2)
dL_dz2 = chain("dL/dz2", "dL/dh2", "1 - h2^2", dL_dh2, 1 - h2**2)
chain("dL/dw1", "dL/dz1", "x1", dL_dz1, x1)
chain("dL/dw2", "dL/dz1", "x2", dL_dz1, x2)
chain("dL/db1", "dL/dz1", "1", dL_dz1, 1.0)
chain("dL/dw3", "dL/dz2", "x1", dL_dz2, x1)
chain("dL/dw4", "dL/dz2", "x2", dL_dz2, x2)
chain("dL/db2", "dL/dz2", "1", dL_dz2, 1.0)

print("gradient,upstream,local derivative,local value,gradient value")
#> gradient,upstream,local derivative,local value,gradient value
for gradient, upstream, local, *values in rows:
    print(f"{gradient},{upstream},{local}," + ",".join(f"{v:.10g}" for v in values))
#> dL/dy_hat,dL/dL,y_hat - y,-1.999686052,-1.999686052
#> dL/dz3,dL/dy_hat,1 - y_hat^2,0.0006277968936,-0.001255396692
#> dL/dw5,dL/dz3,h1,-0.9724088627,0.001220758869
#> dL/dw6,dL/dz3,h2,-0.7148294845,0.00089739457
#> dL/db3,dL/dz3,1,1,-0.001255396692
#> dL/dh1,dL/dz3,w5,1.896796266,-0.002381231757
#> dL/dh2,dL/dz3,w6,1.402580546,-0.001760794977
#> dL/dz1,dL/dh1,1 - h1^2,0.05442100381,-0.0001295890225
#> dL/dz2,dL/dh2,1 - h2^2,0.4890188081,-0.0008610618611
#> dL/dw1,dL/dz1,x1,1,-0.0001295890225
#> dL/dw2,dL/dz1,x2,0,0
#> dL/db1,dL/dz1,1,1,-0.0001295890225
#> dL/dw3,dL/dz2,x1,1,-0.0008610618611
#> dL/dw4,dL/dz2,x2,0,0
#> dL/db2,dL/dz2,1,1,-0.0008610618611
