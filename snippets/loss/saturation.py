"""MSE on a sigmoid output loses the gradient of a confident mistake; BCE keeps it."""
# --8<-- [start:gradients]
import torch
import torch.nn.functional as F

z = torch.tensor(-5.0, dtype=torch.float64, requires_grad=True)  # sure of class 0...
y = torch.tensor(1.0, dtype=torch.float64)  # ...but the answer is 1
y_hat = torch.sigmoid(z)
sigma_prime = y_hat * (1 - y_hat)  # the sigmoid's derivative

mse_by_hand = 2 * (y_hat - y) * sigma_prime  # d/dz of (y_hat - y)^2
bce_by_hand = y_hat - y  # d/dz of BCE from the logit
(mse_autograd,) = torch.autograd.grad(F.mse_loss(y_hat, y), z, retain_graph=True)
(bce_autograd,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z, y), z)
print(f"y_hat = {y_hat:.4f}")
#> y_hat = 0.0067
print(f"MSE: dl/dz = {mse_by_hand:.6f}   autograd {mse_autograd:.6f}")
#> MSE: dl/dz = -0.013207   autograd -0.013207
print(f"BCE: dl/dz = {bce_by_hand:.6f}   autograd {bce_autograd:.6f}")
#> BCE: dl/dz = -0.993307   autograd -0.993307
print(f"BCE pushes {bce_by_hand / mse_by_hand:.0f} times harder")
#> BCE pushes 75 times harder
# --8<-- [end:gradients]

# --8<-- [start:softmax]
Z = torch.tensor([[5.0, 0.0, -5.0]], dtype=torch.float64, requires_grad=True)
target = torch.tensor([2])  # the class the model is surest is wrong
one_hot = F.one_hot(target, 3).double()
(g_mse,) = torch.autograd.grad(F.mse_loss(torch.softmax(Z, dim=1), one_hot, reduction="sum"), Z)
(g_ce,) = torch.autograd.grad(F.cross_entropy(Z, target), Z)
print(f"softmax, 3 classes: |gradient| MSE {g_mse.norm():.4f}, cross-entropy {g_ce.norm():.4f}")
#> softmax, 3 classes: |gradient| MSE 0.0187, cross-entropy 1.4094
# --8<-- [end:softmax]
