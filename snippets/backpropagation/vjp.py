"""Reverse mode: a layer's backward step is a vector-Jacobian product."""
# --8<-- [start:vjp]
import torch

torch.manual_seed(0)
N, n_in, n_out = 3, 4, 2  # a small layer, so that its Jacobian fits on a screen
A = torch.randn(N, n_in, dtype=torch.float64)  # the layer's input A_{l-1}
W = torch.randn(n_out, n_in, dtype=torch.float64)
b = torch.randn(n_out, dtype=torch.float64)


def layer(A):
    return torch.sigmoid(A @ W.T + b)  # A_l = sigma(A_{l-1} W^T + b)


J = torch.autograd.functional.jacobian(layer, A)  # dA_l / dA_{l-1}, every entry
J = J.reshape(N * n_out, N * n_in)
v = torch.randn(N, n_out, dtype=torch.float64)  # dL/dA_l, arriving from above
explicit = (v.reshape(1, -1) @ J).reshape(N, n_in)  # row vector times Jacobian

out, vjp_fn = torch.func.vjp(layer, A)
(reverse,) = vjp_fn(v)  # the same product, and J is never built
by_hand = (v * out * (1 - out)) @ W  # the page's recursion: (v * sigma'(Z)) W
print(f"Jacobian {tuple(J.shape)}, zero entries {(J == 0).float().mean():.2f}")
#> Jacobian (6, 12), zero entries 0.67
print("vjp equals v J:", torch.allclose(reverse, explicit, rtol=0, atol=1e-12))
#> vjp equals v J: True
print("by hand equals v J:", torch.allclose(by_hand, explicit, rtol=0, atol=1e-12))
#> by hand equals v J: True
# --8<-- [end:vjp]

# --8<-- [start:size]
N, n_in, n_out = 64, 1024, 1024  # a batch through one wide layer
jacobian_entries = (N * n_out) * (N * n_in)
GB = jacobian_entries * 8 / 1e9  # 8 bytes per float64
print(f"Jacobian: {jacobian_entries:.2e} entries, {GB:.0f} GB in float64")
#> Jacobian: 4.29e+09 entries, 34 GB in float64
forward_multiplies = N * n_in * n_out  # Z = A W^T
backward_multiplies = N * n_out * n_in + n_out * N * n_in  # delta W, and delta^T A
ratio = backward_multiplies / forward_multiplies
print(f"backward / forward multiplications: {ratio:.0f}")
#> backward / forward multiplications: 2
P = n_out * n_in + n_out  # forward mode: one pass per parameter for the gradient
print(f"parameters: {P}, so {P} forward-mode passes against 1 backward pass")
#> parameters: 1049600, so 1049600 forward-mode passes against 1 backward pass
# --8<-- [end:size]
