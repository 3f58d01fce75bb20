"""CSV table: the spreadsheet's gradients, by its own formulas, beside the chain rule's."""
import math

# The sheet's row 20 weights and its sample (see by_hand.py).
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0

h1 = math.tanh(w1 * x1 + w2 * x2 + b1)
h2 = math.tanh(w3 * x1 + w4 * x2 + b2)
y_hat = math.tanh(w5 * h1 + w6 * h2 + b3)

X9 = 1 - y_hat**2  # the sheet's cells X9, O7, O12
O7 = (1 - math.tanh(h1) ** 2) * X9 * w5
O12 = (1 - math.tanh(h2) ** 2) * w6 * X9
dL_dz3 = (y_hat - y) * (1 - y_hat**2)  # the chain rule, for L = (y_hat - y)^2 / 2
dL_dz1 = dL_dz3 * w5 * (1 - h1**2)
dL_dz2 = dL_dz3 * w6 * (1 - h2**2)

# quantity, "cell: formula" as the sheet has it (text, not a formula, to a spreadsheet
# opening the CSV), the page's mistakes that change the row, sheet value, chain rule
rows = [
    ("dL/dz3", "X9: =1-V9^2", "1", X9, dL_dz3),
    ("dL/dz1", "O7: =(1 - TANH(N7)^2)*X9*S9", "1 2", O7, dL_dz1),
    ("dL/dz2", "O12: =(1-TANH(N12)^2)*S10*X9", "1 2", O12, dL_dz2),
    ("dL/dw1", "L7: =K7-C4*O7*N7", "1 2 3", O7 * h1, dL_dz1 * x1),
    ("dL/dw2", "L8: =K8-C4*O7*N7", "1 2 3", O7 * h1, dL_dz1 * x2),
    ("dL/db1", "L9: =K9-C4*O7*1", "1 2", O7, dL_dz1),
    ("dL/dw3", "L12: =K12-C4*O12*N12", "1 2 3", O12 * h2, dL_dz2 * x1),
    ("dL/dw4", "L13: =K13-C4*O12*N12", "1 2 3", O12 * h2, dL_dz2 * x2),
    ("dL/db2", "L14: =K14-O12*C4*1", "1 2", O12, dL_dz2),
    ("dL/dw5", "T9: =S9-C4*N7*X9", "1", h1 * X9, dL_dz3 * h1),
    ("dL/dw6", "T10: =S10-C4*N12*X9", "1", h2 * X9, dL_dz3 * h2),
    ("dL/db3", "T11: =S11-C4*X9*1", "1", X9, dL_dz3),
]
print("quantity,sheet cell: formula,mistakes,sheet value,chain rule")
#> quantity,sheet cell: formula,mistakes,sheet value,chain rule
for *text, sheet_value, value in rows:
    print(",".join(text) + f",{sheet_value:.10g},{value + 0.0:.10g}")  # + 0.0: no -0
#> dL/dz3,X9: =1-V9^2,1,0.0006277968936,-0.001255396692
#> dL/dz1,O7: =(1 - TANH(N7)^2)*X9*S9,1 2,0.0005214031784,-0.0001295890225
#> dL/dz2,O12: =(1-TANH(N12)^2)*S10*X9,1 2,0.0005489055272,-0.0008610618611
#> dL/dw1,L7: =K7-C4*O7*N7,1 2 3,-0.0005070170717,-0.0001295890225
#> dL/dw2,L8: =K8-C4*O7*N7,1 2 3,-0.0005070170717,0
#> dL/db1,L9: =K9-C4*O7*1,1 2,0.0005214031784,-0.0001295890225
#> dL/dw3,L12: =K12-C4*O12*N12,1 2 3,-0.000392373855,-0.0008610618611
#> dL/dw4,L13: =K13-C4*O12*N12,1 2 3,-0.000392373855,0
#> dL/db2,L14: =K14-O12*C4*1,1 2,0.0005489055272,-0.0008610618611
#> dL/dw5,T9: =S9-C4*N7*X9,1,-0.0006104752633,0.001220758869
#> dL/dw6,T10: =S10-C4*N12*X9,1,-0.0004487677298,0.00089739457
#> dL/db3,T11: =S11-C4*X9*1,1,0.0006277968936,-0.001255396692
