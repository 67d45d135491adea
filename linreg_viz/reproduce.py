""" "Reproduce this run": one standalone Python script, in the book's style, that does what the app did.

The script is D2L §3.2 written out (`synthetic_data`, `data_iter`, `linreg`, `squared_loss`,
`sgd`) on PyTorch, with NumPy's random generator where it must draw what the app drew: the data,
the starting weights and each epoch's order. It prints the book's `epoch k, loss …` lines, the
same as the app's. Uploaded data is read from the CSV path given on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg_core.optimizers import resolve_options, torch_arguments


@dataclass(frozen=True)
class Synthetic:
    """The app's synthetic data: y = X w + b + noise."""

    w: tuple[float, ...]
    b: float
    noise: float
    n: int
    seed: int


@dataclass(frozen=True)
class Upload:
    """An uploaded CSV: which columns are the features and the label, and standardisation."""

    features: tuple[str, ...]
    target: str
    standardise: bool
    name: str = "data.csv"


_HEADER = '''"""Reproduce a run of "Gradient descent, visible" (D2L 3.2, linear regression from scratch).

{how}Prints the same `epoch k, loss ...` lines as the app.
"""
import sys

import numpy as np
import torch

'''

_SYNTHETIC = '''true_w, true_b, noise, num_examples, data_seed = {w!r}, {b!r}, {noise!r}, {n!r}, {seed!r}


def synthetic_data(w, b, num_examples, noise, seed):
    """y = Xw + b + noise, drawn with NumPy's generator as the app draws it."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (num_examples, len(w)))
    y = X @ np.array(w) + b + rng.normal(0.0, noise, num_examples)
    return torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)


features, labels = synthetic_data(true_w, true_b, num_examples, noise, data_seed)
'''

_UPLOAD = '''feature_columns, label_column, standardise = {features!r}, {target!r}, {standardise!r}


def read_data(path):
    """The chosen columns of the CSV (comma or semicolon; UTF-8 or GBK), as the app read them."""
    import pandas as pd

    for encoding in ("utf-8-sig", "gbk"):
        try:
            frame = pd.read_csv(path, sep=None, engine="python", encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
    frame.columns = [str(name).strip() for name in frame.columns]
    X = frame[list(feature_columns)].to_numpy(dtype=np.float64)
    y = frame[label_column].to_numpy(dtype=np.float64)
    if standardise:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)


if len(sys.argv) != 2:
    sys.exit("usage: python " + sys.argv[0] + " {name}")
features, labels = read_data(sys.argv[1])
'''

_TRAINING = '''lr, batch_size, num_epochs, seed = {lr!r}, {batch_size!r}, {epochs!r}, {seed!r}
# The app's training stream: its own generator from the seed, for the start and each epoch's order.
rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))


def data_iter(batch_size, features, labels, rng):
    """One pass in a fresh random order; the last batch keeps the remainder."""
    indices = torch.from_numpy(rng.permutation(len(features)))
    for i in range(0, len(features), batch_size):
        batch = indices[i : i + batch_size]
        yield features[batch], labels[batch]


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


{start}
b = torch.tensor([{b0!r}], dtype=torch.float64, requires_grad=True)
{update}
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels, rng):
        l = squared_loss(linreg(X, w, b), y)
{step}
    with torch.no_grad():
        train_l = squared_loss(linreg(features, w, b), labels)
        print(f"epoch {{epoch + 1}}, loss {{float(train_l.mean()):f}}")
print(f"w: {{w.detach().reshape(-1).tolist()}}, b: {{b.item()}}")
'''

_SGD = '''

def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

'''
# The app divides each batch's summed gradient by that batch's own length (the last, shorter
# batch included): the gradient of the batch's mean loss.
_SGD_STEP = """        l.sum().backward()
        sgd([w, b], lr, len(y))"""
_OPTIM_STEP = """        optimizer.zero_grad()
        l.mean().backward()
        optimizer.step()"""


def reproduce_script(
    data: Synthetic | Upload,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    optimizer: str,
    seed: int,
    w0: tuple[float, ...] | None = None,
    b0: float | None = None,
    d: int,
) -> str:
    """A standalone script that reruns this run and prints the app's epoch lines."""
    if isinstance(data, Synthetic):
        how = "Run it with: python reproduce.py\n"
        source = _SYNTHETIC.format(
            w=tuple(data.w[:d]), b=data.b, noise=data.noise, n=data.n, seed=data.seed
        )
    else:
        how = f"Run it with: python reproduce.py {data.name}\n"
        source = _UPLOAD.format(
            features=tuple(data.features),
            target=data.target,
            standardise=data.standardise,
            name=data.name,
        )
    if w0 is None:
        start = (
            "w = torch.from_numpy(rng.normal(0.0, 0.01, (features.shape[1], 1))).requires_grad_()"
        )
    else:
        start = f"w = torch.tensor({[[v] for v in w0]!r}, dtype=torch.float64, requires_grad=True)"
    if optimizer == "sgd":
        update, step = _SGD, _SGD_STEP
    else:
        name, arguments = torch_arguments(optimizer, resolve_options(optimizer, {}))
        update = f"optimizer = torch.optim.{name}([w, b], lr=lr, **{arguments!r})\n"
        step = _OPTIM_STEP
    training = _TRAINING.format(
        lr=lr,
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        start=start,
        b0=0.0 if b0 is None else b0,
        update=update,
        step=step,
    )
    return _HEADER.format(how=how) + source + "\n" + training
