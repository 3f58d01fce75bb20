"""Exercise 4: the sheet with its seven fixes, cell by cell, against one torch.optim.SGD step."""
import math

import torch

# The sheet's row 20 weights, its sample and learning rate, as in by_hand.py.
w1, w2, b1 = 0.8700932069722571, 1.6412486122977406, -3.004851325805292
w3, w4, b2 = 0.7034357390278955, 0.10022199017301653, -1.6004265526963144
w5, w6, b3 = 1.8967962656880304, 1.402580545859722, -1.53256969719463
x1, x2, y = 1.0, 0.0, 1.0
lr = 2.0

# The sheet's cells: inputs, target, learning rate and current weights
G7, G13, D24, C4 = x1, x2, y, lr
K7, K8, K9, K12, K13, K14, S9, S10, S11 = w1, w2, b1, w3, w4, b2, w5, w6, b3
M7 = K7 * G7 + K8 * G13 + K9 * 1
N7 = math.tanh(M7)
M12 = K12 * G7 + K13 * G13 + K14 * 1
N12 = math.tanh(M12)
U9 = S9 * N7 + S10 * N12 + S11 * 1
V9 = math.tanh(U9)
W9 = V9 - D24
X9 = W9 * (1 - V9**2)  # fix 1: =W9*(1-V9^2)
O7 = (1 - N7**2) * X9 * S9  # fix 2: =(1-N7^2)*X9*S9
O12 = (1 - N12**2) * S10 * X9  # fix 3: =(1-N12^2)*S10*X9
L7 = K7 - C4 * O7 * G7  # fix 4: =K7-C4*O7*G7
L8 = K8 - C4 * O7 * G13  # fix 5: =K8-C4*O7*G13
L9 = K9 - C4 * O7 * 1
L12 = K12 - C4 * O12 * G7  # fix 6: =K12-C4*O12*G7
L13 = K13 - C4 * O12 * G13  # fix 7: =K13-C4*O12*G13
L14 = K14 - O12 * C4 * 1
T9, T10, T11 = S9 - C4 * N7 * X9, S10 - C4 * N12 * X9, S11 - C4 * X9 * 1
row_21 = [L7, L8, L9, L12, L13, L14, T9, T10, T11]  # H21:P21 read these cells

# One SGD step on L = (y_hat - y)^2 / 2, in float64
params = [torch.tensor(v, dtype=torch.float64, requires_grad=True)
          for v in (w1, w2, b1, w3, w4, b2, w5, w6, b3)]
q1, q2, c1, q3, q4, c2, q5, q6, c3 = params
h1, h2 = torch.tanh(q1 * x1 + q2 * x2 + c1), torch.tanh(q3 * x1 + q4 * x2 + c2)
loss = 0.5 * (torch.tanh(q5 * h1 + q6 * h2 + c3) - y) ** 2
optimizer = torch.optim.SGD(params, lr=lr)
loss.backward()
optimizer.step()
largest = max(abs(cell - p.item()) for cell, p in zip(row_21, params))
print(f"row 21 of the fixed sheet vs one SGD step: largest difference {largest:.1e}")
#> row 21 of the fixed sheet vs one SGD step: largest difference 0.0e+00
