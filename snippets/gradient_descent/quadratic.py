"""Plain gradient descent on L(w) = c w^2 / 2, with learning rates on both sides of 2/c."""
# --8<-- [start:gd]
def gradient_descent(w0, lr, c, num_steps):
    """Gradient descent on L(w) = c * w**2 / 2; return every w visited."""
    w = w0
    history = [w]
    for _ in range(num_steps):
        grad = c * w  # dL/dw
        w = w - lr * grad
        history.append(w)
    return history
# --8<-- [end:gd]


# --8<-- [start:run]
c = 0.5  # the curvature: here 1/c = 2 and 2/c = 4
for lr in [0.1, 1.0, 2.0, 3.0, 4.0, 4.2]:
    w = gradient_descent(w0=1.0, lr=lr, c=c, num_steps=30)[-1]
    print(f"lr = {lr:3.1f}   1 - lr*c = {1 - lr * c:+.2f}   w_30 = {w:+.2e}")
#> lr = 0.1   1 - lr*c = +0.95   w_30 = +2.15e-01
#> lr = 1.0   1 - lr*c = +0.50   w_30 = +9.31e-10
#> lr = 2.0   1 - lr*c = +0.00   w_30 = +0.00e+00
#> lr = 3.0   1 - lr*c = -0.50   w_30 = +9.31e-10
#> lr = 4.0   1 - lr*c = -1.00   w_30 = +1.00e+00
#> lr = 4.2   1 - lr*c = -1.10   w_30 = +1.74e+01
# --8<-- [end:run]
