"""A first real network: a small MLP on scikit-learn's 8 x 8 handwritten digits."""
# --8<-- [start:data]
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def load_split(num_val=540, seed=0):
    """The digits as tensors (64 pixels a row, labels 0-9), shuffled once, split in two."""
    digits = load_digits()  # ships inside scikit-learn: no download
    X = torch.tensor(digits.data, dtype=torch.float32)
    y = torch.tensor(digits.target)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    val, train = order[:num_val], order[num_val:]
    return X[train], y[train], X[val], y[val]


def standardise(X_train, X_val):
    """Each pixel to mean 0 and std 1, with the training set's statistics for both sets."""
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    std[std == 0] = 1.0  # a pixel that is 0 in every training image stays 0
    return (X_train - mean) / std, (X_val - mean) / std
# --8<-- [end:data]


# --8<-- [start:train]
def build_mlp(sizes):
    """Linear layers of the given widths with a ReLU between two: the last gives logits."""
    layers = [nn.Linear(sizes[0], sizes[1])]
    for n_in, n_out in zip(sizes[1:-1], sizes[2:]):
        layers += [nn.ReLU(), nn.Linear(n_in, n_out)]
    return nn.Sequential(*layers)


def accuracy(logits, y):
    return (logits.argmax(dim=1) == y).float().mean().item()


def train(model, X_train, y_train, X_val, y_val, num_epochs=50, batch_size=32, lr=1e-3, seed=0):
    """Adam on shuffled mini-batches of the cross-entropy of the logits. Returns the loss
    and the accuracy on both sets after every epoch."""
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "val_loss": [], "train_acc": [], "val_acc": []}
    for epoch in range(num_epochs):
        for X_batch, y_batch in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(X_batch), y_batch).backward()
            optimizer.step()
        with torch.no_grad():
            for split, X, y in (("train", X_train, y_train), ("val", X_val, y_val)):
                logits = model(X)
                history[f"{split}_loss"].append(F.cross_entropy(logits, y).item())
                history[f"{split}_acc"].append(accuracy(logits, y))
    return history


def confusion_matrix(y_true, y_pred, num_classes=10):
    """counts[k, m]: how many samples of class k the model called m."""
    counts = torch.zeros(num_classes, num_classes, dtype=torch.long)
    counts.index_put_((y_true, y_pred), torch.ones_like(y_true), accumulate=True)
    return counts
# --8<-- [end:train]


if __name__ == "__main__":
    X_train, y_train, X_val, y_val = load_split()
    X_train, X_val = standardise(X_train, X_val)
    torch.manual_seed(0)
    model = build_mlp([64, 128, 10])
    history = train(model, X_train, y_train, X_val, y_val, num_epochs=3)
    print(f"{len(X_train)} training and {len(X_val)} validation images")
    #> 1257 training and 540 validation images
    print(f"after 3 epochs: validation accuracy {history['val_acc'][-1]:.1%}")
    #> after 3 epochs: validation accuracy 93.0%
