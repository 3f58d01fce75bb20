"""All-positive inputs give a unit weight gradients of one sign, sample by sample."""
# --8<-- [start:signs]
import torch

torch.manual_seed(0)
N, n_prev, n_in = 256, 3, 4
X = torch.randn(N, n_prev, dtype=torch.float64)
W_prev = torch.randn(n_in, n_prev, dtype=torch.float64)
Z_prev = X @ W_prev.T  # the layer before: pre-activations, one sample per row
y = torch.randn(N, dtype=torch.float64)
w = torch.randn(n_in, dtype=torch.float64, requires_grad=True)  # its weights (no bias)


def per_sample_gradients(A):
    """dl_i/dw for every sample i (one row each), by autograd."""
    rows = []
    for a_i, y_i in zip(A, y):
        loss_i = (w @ a_i - y_i) ** 2 / 2  # this sample's squared error
        rows.append(torch.autograd.grad(loss_i, w)[0])
    return torch.stack(rows)


def signs(g):
    return "".join("+" if g_j > 0 else "-" for g_j in g)


for name, f in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
    A = f(Z_prev)  # the unit's inputs: this layer's outputs
    G = per_sample_gradients(A)
    dl_dz = A @ w.detach() - y  # dl_i/dz_i, one number per sample
    # dl_i/dw = dl_i/dz_i a_i, the formula above
    same = torch.allclose(G, dl_dz[:, None] * A, rtol=0, atol=1e-12)
    one_sign = ((G > 0).all(dim=1) | (G < 0).all(dim=1)).double().mean()
    first = " ".join(signs(g) for g in G[:5])
    print(f"{name} inputs, first 5 samples: {first}   batch mean: {signs(G.mean(0))}")
    print(f"  share of samples with one sign: {one_sign:.2f}   formula == autograd: {same}")
#> sigmoid inputs, first 5 samples: ---- ---- ---- ---- ++++   batch mean: ----
#>   share of samples with one sign: 1.00   formula == autograd: True
#> tanh inputs, first 5 samples: --+- +++- --+- ++-+ +-++   batch mean: +++-
#>   share of samples with one sign: 0.13   formula == autograd: True
# --8<-- [end:signs]
