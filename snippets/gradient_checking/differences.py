"""Finite differences of the sigmoid: one-sided vs central, float64 vs float32."""
# --8<-- [start:truncation]
import math

import numpy as np


def sigmoid(theta, dtype=np.float64):
    """σ(θ) = 1 / (1 + e^(-θ)), every operation rounded to dtype."""
    e = dtype(math.exp(-theta))
    return dtype(1) / (dtype(1) + e)


def one_sided(f, theta, h):
    return (f(theta + h) - f(theta)) / h


def central(f, theta, h):
    return (f(theta + h) - f(theta - h)) / (2 * h)


theta = 0.5
exact = sigmoid(theta) * (1 - sigmoid(theta))  # σ'(θ) = σ(θ)(1 - σ(θ))
print("h        one-sided error   central error")
#> h        one-sided error   central error
for h in (1e-1, 1e-2, 1e-3, 1e-4):
    err_one = abs(one_sided(sigmoid, theta, h) - exact)
    err_central = abs(central(sigmoid, theta, h) - exact)
    print(f"{h:.0e}    {err_one:.1e}           {err_central:.1e}")
#> 1e-01    3.0e-03           1.6e-04
#> 1e-02    2.9e-04           1.6e-06
#> 1e-03    2.9e-05           1.6e-08
#> 1e-04    2.9e-06           1.6e-10
# --8<-- [end:truncation]

# --8<-- [start:roundoff]
def sigmoid32(theta):
    return sigmoid(theta, np.float32)  # the same sigmoid, computed in float32


theta32 = np.float32(theta)
print("h        central error, float64   central error, float32")
#> h        central error, float64   central error, float32
for h in (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
    err64 = abs(central(sigmoid, theta, h) - exact)
    err32 = abs(central(sigmoid32, theta32, np.float32(h)) - exact)
    print(f"{h:.0e}    {err64:.1e}                  {err32:.1e}")
#> 1e-02    1.6e-06                  3.5e-06
#> 1e-03    1.6e-08                  1.2e-05
#> 1e-04    1.6e-10                  1.6e-04
#> 1e-05    4.0e-13                  4.3e-04
#> 1e-06    1.1e-11                  2.6e-02
#> 1e-07    1.6e-10                  2.4e-01
# --8<-- [end:roundoff]
