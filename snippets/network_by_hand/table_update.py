"""CSV table: the parameters before and after one step, by the sheet's rules and the chain rule."""
import math

# The sheet's row 20 weights, its sample and its learning rate (see by_hand.py).
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0
lr = 2.0


def forward(w1, w2, b1, w3, w4, b2, w5, w6, b3):
    h1 = math.tanh(w1 * x1 + w2 * x2 + b1)
    h2 = math.tanh(w3 * x1 + w4 * x2 + b2)
    return h1, h2, math.tanh(w5 * h1 + w6 * h2 + b3)


before = [w1, w2, b1, w3, w4, b2, w5, w6, b3]
h1, h2, y_hat = forward(*before)
X9 = 1 - y_hat**2  # the sheet's rules
O7, O12 = (1 - math.tanh(h1) ** 2) * X9 * w5, (1 - math.tanh(h2) ** 2) * w6 * X9
sheet_grads = [O7 * h1, O7 * h1, O7, O12 * h2, O12 * h2, O12, h1 * X9, h2 * X9, X9]
d3 = (y_hat - y) * (1 - y_hat**2)  # the chain rule: d3 = dL/dz3, d1 = dL/dz1, d2 = dL/dz2
d1, d2 = d3 * w5 * (1 - h1**2), d3 * w6 * (1 - h2**2)
grads = [d1 * x1, d1 * x2, d1, d2 * x1, d2 * x2, d2, d3 * h1, d3 * h2, d3]
after_sheet = [p - lr * g for p, g in zip(before, sheet_grads)]
after = [p - lr * g for p, g in zip(before, grads)]
y_hats = [forward(*p)[2] for p in (before, after_sheet, after)]

names = ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
sheet_names = ["N_1_1_1", "N_1_2_1", "N_1_B", "N_2_1_2", "N_2_2_2", "N_2_B",
               "N_3_1_3", "N_3_2_3", "N_3_B"]  # the sheet's own names, its row 19
rows = list(zip(names, sheet_names, before, after_sheet, after))
rows.append(("y_hat", "", *y_hats))  # what the step did to the prediction and the loss
rows.append(("L", "", *[0.5 * (v - y) ** 2 for v in y_hats]))
print("quantity,sheet name,before,after (sheet's rules),after (chain rule)")
#> quantity,sheet name,before,after (sheet's rules),after (chain rule)
for name, sheet_name, *values in rows:
    print(f"{name},{sheet_name}," + ",".join(f"{v:.10g}" for v in values))
#> w1,N_1_1_1,0.870093207,0.8711072411,0.870352385
#> w2,N_1_2_1,1.641248612,1.642262646,1.641248612
#> b1,N_1_B,-3.004851326,-3.005894132,-3.004592148
#> w3,N_2_1_2,0.703435739,0.7042204867,0.7051578628
#> w4,N_2_2_2,0.1002219902,0.1010067379,0.1002219902
#> b2,N_2_B,-1.600426553,-1.601524364,-1.598704429
#> w5,N_3_1_3,1.896796266,1.898017216,1.894354748
#> w6,N_3_2_3,1.402580546,1.403478081,1.400785757
#> b3,N_3_B,-1.532569697,-1.533825291,-1.530058904
#> y_hat,,-0.9996860523,-0.9996881186,-0.9996806151
#> L,,1.999372154,1.999376286,1.999361281
