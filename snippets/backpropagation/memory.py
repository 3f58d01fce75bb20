"""What backpropagation keeps in memory: the forward pass's activations, from the shapes."""
# --8<-- [start:memory]
sizes = [784, 512, 512, 512, 512, 10]  # n_0 = d, four hidden layers, ten outputs
D = len(sizes) - 1
P = sum(sizes[l] * sizes[l - 1] + sizes[l] for l in range(1, D + 1))
print(f"parameters: {P} ({P * 4 / 1e6:.1f} MB in float32)")
#> parameters: 1195018 (4.8 MB in float32)
for N in (64, 256, 1024):
    # dL/dW_l = delta_l^T A_{l-1} needs every layer's input: A_0 = X, ..., A_{D-1}
    stored = sum(N * sizes[l] for l in range(D))
    MB = stored * 4 / 1e6
    print(f"N = {N:4d}: stored activations {stored:7d} ({MB:4.1f} MB), {stored / P:.2f} P")
#> N =   64: stored activations  181248 ( 0.7 MB), 0.15 P
#> N =  256: stored activations  724992 ( 2.9 MB), 0.61 P
#> N = 1024: stored activations 2899968 (11.6 MB), 2.43 P
# --8<-- [end:memory]
