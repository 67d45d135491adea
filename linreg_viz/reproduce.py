""" "Reproduce this run": one standalone Python script, in the book's style, that does what the app did.

The script is D2L §3.2 written out (`synthetic_data`, `data_iter`, `linreg`, `squared_loss`,
`sgd`) on PyTorch, with NumPy's random generator where it must draw what the app drew: the data,
the starting weights and each epoch's order. It prints the book's `epoch k, loss …` lines, the
same as the app's. Uploaded data is read from the CSV path given on the command line, by the
rules `linreg_viz.uploads` reads it with.

Every value goes into the script as its `repr`, checked to read back as itself (`_literal`): a
file or column name is anyone's to choose, and none may end a string early or run as code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from linreg_core.optimizers import resolve_options, torch_arguments
from linreg_core.plan import TrainSpec
from linreg_viz import uploads


@dataclass(frozen=True)
class Synthetic:
    """The app's synthetic data: y = X w + b + noise, x2 scaled and correlated with x1 if asked."""

    w: tuple[float, ...]
    b: float
    noise: float
    n: int
    seed: int
    scale: float = 1.0
    correlation: float = 0.0


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
import csv
import io
import sys

import numpy as np
import torch

'''

_SYNTHETIC = '''true_w, true_b, noise, num_examples, data_seed = {w}, {b}, {noise}, {n}, {seed}
{shape_values}

def synthetic_data(w, b, num_examples, noise, seed):
    """y = Xw + b + noise, drawn with NumPy's generator as the app draws it."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (num_examples, len(w)))
{shape}    y = X @ np.array(w) + b + rng.normal(0.0, noise, num_examples)
    return torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)


features, labels = synthetic_data(true_w, true_b, num_examples, noise, data_seed)
'''
_SHAPE_VALUES = "scale, correlation = {scale}, {correlation}  # of the second feature\n"
_SHAPE = """    # x2 scaled and correlated with x1: corr(x1, x2) = correlation, std(x2) = scale
    X[:, 1] = scale * (correlation * X[:, 0] + np.sqrt(1.0 - correlation**2) * X[:, 1])
"""

_UPLOAD = '''feature_columns, label_column, standardise = {features}, {target}, {standardise}
uploaded_as = {name}  # the file's name in the app: read from here if no path is given


def read_data(path):
    """The chosen columns of the CSV, read by the app's rules: UTF-8 or GBK; comma or semicolon,
    as csv.Sniffer guesses from the first whole lines; rows with no text skipped; names stripped."""
    import pandas as pd

    with open(path, "rb") as file:
        raw = file.read()
    for encoding in {encodings}:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:{sniff}]
    sample = sample[: sample.rfind("\\n") + 1] or sample  # whole lines: a cut one misleads
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters={delimiters}).delimiter
    except csv.Error:
        delimiter = ","
    csv.field_size_limit({field_limit})  # a long cell, in a column not used, is no error
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]  # ;;;; rows too
    header = [name.strip() or f"Unnamed: {{i}}" for i, name in enumerate(rows[0])]
    columns = [header.index(name) for name in (*feature_columns, label_column)]
    # pandas parses the numbers, as in the app: the same text gives the same float, bit for bit
    table = np.array(
        [pd.to_numeric(pd.Series([row[i] for row in rows[1:]]).str.strip()) for i in columns]
    ).T
    X, y = table[:, :-1], table[:, -1]
    if standardise:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)


features, labels = read_data(sys.argv[1] if len(sys.argv) > 1 else uploaded_as)
'''

_TRAINING = '''lr, batch_size, num_epochs, seed = {lr}, {batch_size}, {epochs}, {seed}
{decay_value}dtype = torch.{dtype}  # {dtype_why}
features, labels = features.to(dtype), labels.to(dtype)
# The app's training stream: its own generator from the seed, for the start and each epoch's order.
rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))


def data_iter(batch_size, features, labels, rng):
    """One pass in a fresh random order; {last}"""
    indices = torch.from_numpy(rng.permutation(len(features)))
    for i in range(0, {stop}, batch_size):
        batch = indices[i : i + batch_size]
        yield features[batch], labels[batch]


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b
{loss_function}{penalty}

{start}
b = torch.tensor([{b0}], dtype=dtype, requires_grad=True)
{update}
net, loss = linreg, {loss_name}
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels, rng):
{step}
    with torch.no_grad():
{report}
print(f"w: {{w.detach().reshape(-1).tolist()}}, b: {{b.item()}}")
'''

_LOSSES = {
    "half_mse": (
        "squared_loss",
        '''

def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
''',
    ),
    "mse": (
        "squared_error",
        '''

def squared_error(y_hat, y):
    """Squared error without the 1/2: the MSE convention of the NumPy notes."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2
''',
    ),
}
_PENALTY = '''

def l2_penalty(w):
    """The L2 penalty of D2L 3.7, on w only: b is not penalised."""
    return torch.sum(w.pow(2)) / 2
'''
_REPORT = {
    "float64": """        train_l = loss(net(features, w, b), labels)
        print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")""",
    # Summing a float32 loss in another order than the app's could move the last printed digit;
    # in float64 both give the exact loss at the float32 parameters, then round it to float32.
    "float32": """        # summed in float64: the exact loss at the float32 parameters, as the app reports it
        train_l = loss(net(features.double(), w.double(), b.double()), labels.double())
        print(f"epoch {epoch + 1}, loss {float(train_l.mean().float()):f}")""",
}

_SGD = '''

def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

'''
# divide_by="batch_length" (the app's default) divides each batch's summed gradient by that
# batch's own length, the last, shorter batch included: the gradient of the batch's mean loss.
# "batch_size" divides it by batch_size, as the book's sgd does.
_DIVISOR = {"batch_length": "len(y)", "batch_size": "batch_size"}
_SGD_STEP = """        l = loss(net(X, w, b), y)
        l.sum().backward()
        sgd([w, b], lr, {divisor})"""
_SGD_DECAY_STEP = {
    "batch_length": """        l = loss(net(X, w, b), y) + lambd * l2_penalty(w)
        l.sum().backward()
        sgd([w, b], lr, len(y))""",
    "batch_size": """        l = loss(net(X, w, b), y)
        # the penalty's gradient, lambd * w, whole in every update: the short last batch too
        (l.sum() + batch_size * lambd * l2_penalty(w)).backward()
        sgd([w, b], lr, batch_size)""",
}
_OPTIM_STEP = {
    "batch_length": """        l = loss(net(X, w, b), y)
        optimizer.zero_grad()
        l.mean().backward()
        optimizer.step()""",
    "batch_size": """        l = loss(net(X, w, b), y)
        optimizer.zero_grad()
        (l.sum() / batch_size).backward()
        optimizer.step()""",
}


def _literal(value: object) -> str:
    """Python source for a value: its repr, refused unless it reads back as the same value (a
    NaN, an infinity or a NumPy scalar would not), so that text can never become code."""
    source = repr(value)
    try:
        same = ast.literal_eval(source) == value
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise ValueError(f"{source} cannot be written into the script as a Python literal")
    return source


def _literals(**values: object) -> dict[str, str]:
    """Each value as Python source (`_literal`), by name, for a template's fields."""
    return {name: _literal(value) for name, value in values.items()}


def reproduce_script(data: Synthetic | Upload, spec: TrainSpec, d: int) -> str:
    """A standalone script that reruns the run of `spec` (checked already) on these data, of
    d features, and prints the app's epoch lines. Weight decay penalises w only; the optimizer's
    options are torch.optim's, and SGD with any of them is torch.optim.SGD."""
    if isinstance(data, Synthetic):
        how = "Run it with: python reproduce.py\n"
        shaped = (data.scale, data.correlation) != (1.0, 0.0)
        source = _SYNTHETIC.format(
            **_literals(w=tuple(data.w[:d]), b=data.b, noise=data.noise, n=data.n, seed=data.seed),
            shape_values=_SHAPE_VALUES.format(
                **_literals(scale=data.scale, correlation=data.correlation)
            )
            if shaped
            else "",
            shape=_SHAPE if shaped else "",
        )
    else:
        how = "Run it with: python reproduce.py path/to/the.csv (no path: `uploaded_as`, below)\n"
        source = _UPLOAD.format(
            **_literals(
                features=tuple(data.features),
                target=data.target,
                standardise=data.standardise,
                name=data.name,
                encodings=uploads.ENCODINGS,
                sniff=uploads.SNIFF_CHARS,
                delimiters=uploads.DELIMITERS,
                field_limit=uploads.MAX_BYTES,
            )
        )
    if spec.w0 is None:
        start = "w = torch.from_numpy(rng.normal(0.0, 0.01, (features.shape[1], 1))).to(dtype)"
        start += ".requires_grad_()"
    else:
        weights = _literal([[v] for v in spec.w0])
        start = f"w = torch.tensor({weights}, dtype=dtype, requires_grad=True)"
    options = resolve_options(spec.optimizer, dict(spec.options))
    book_sgd = spec.optimizer == "sgd" and options == resolve_options("sgd", {})
    if book_sgd:
        update = _SGD
        if spec.weight_decay:
            step = _SGD_DECAY_STEP[spec.divide_by]
        else:
            step = _SGD_STEP.format(divisor=_DIVISOR[spec.divide_by])
    else:
        name, arguments = torch_arguments(spec.optimizer, options)
        params = "[w, b]"
        if spec.weight_decay:
            params = '[{"params": [w], "weight_decay": lambd}, {"params": [b]}]'
        update = f"optimizer = torch.optim.{name}({params}, lr=lr, **{_literal(arguments)})\n"
        step = _OPTIM_STEP[spec.divide_by]
    loss_name, loss_function = _LOSSES[spec.loss]
    dtype = spec.dtype or "float64"  # None keeps the data's: float64, as the app draws and reads
    training = _TRAINING.format(
        **_literals(lr=spec.lr, batch_size=spec.batch_size, epochs=spec.epochs, seed=spec.seed),
        decay_value=f"lambd = {_literal(spec.weight_decay)}  # weight decay, on w only\n"
        if spec.weight_decay
        else "",
        dtype=dtype,
        dtype_why="the book's dtype" if dtype == "float32" else "as the app ran it",
        last="drops the last, shorter batch."
        if spec.drop_last
        else "the last batch keeps the remainder.",
        stop="len(features) // batch_size * batch_size" if spec.drop_last else "len(features)",
        loss_function=loss_function,
        penalty=_PENALTY if spec.weight_decay and book_sgd else "",  # torch.optim: groups
        start=start,
        b0=_literal(0.0 if spec.b0 is None else spec.b0),
        update=update,
        loss_name=loss_name,
        step=step,
        report=_REPORT[dtype],
    )
    return _HEADER.format(how=how) + source + "\n" + training
