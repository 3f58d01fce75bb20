"""Exercise 3: momentum converges above 2/c, as long as lr < 2(1 + mu)/c."""


def gradient_descent_momentum(w0, lr, c, mu, num_steps):
    """Heavy-ball descent on L(w) = c * w**2 / 2; return every w visited."""
    w, v = w0, 0.0
    history = [w]
    for _ in range(num_steps):
        v = mu * v + c * w
        w = w - lr * v
        history.append(w)
    return history


c, mu = 0.5, 0.9
print(f"2/c = {2 / c:g}   2(1 + mu)/c = {2 * (1 + mu) / c:g}")
#> 2/c = 4   2(1 + mu)/c = 7.6
for lr in [6.0, 8.0]:
    history = gradient_descent_momentum(1.0, lr, c, mu, 100)
    flips = sum(a * b < 0 for a, b in zip(history, history[1:]))
    print(f"lr = {lr:g}: w_100 = {history[-1]:+.2e}, sign changes: {flips}")
#> lr = 6: w_100 = +1.09e-02, sign changes: 70
#> lr = 8: w_100 = +1.08e+18, sign changes: 100
# plt.plot(history) draws it; here every tenth w at lr = 6:
every_tenth = gradient_descent_momentum(1.0, 6.0, c, mu, 50)[::10]
print([f"{w:+.2f}" for w in every_tenth])
#> ['+1.00', '-0.70', '+0.47', '-0.31', '+0.20', '-0.13']
