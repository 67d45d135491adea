"""The "Reproduce this run" script prints the app's epoch lines, byte for byte, over a grid of runs."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from linreg_core import OPTIMIZERS, run, synthetic_data
from linreg_viz.reproduce import Synthetic, Upload, reproduce_script
from linreg_viz.uploads import choose, read_table

BOOK = Synthetic(w=(2.0, -3.4), b=4.2, noise=0.01, n=1000, seed=0)
CSV = "x1;x2;y\n" + "".join(
    f"{i * 1.5};{(i * 7) % 11 - 5};{3.0 * i * 1.5 - 2.0 * ((i * 7) % 11 - 5) + 1.0 + (i % 3) * 0.1}\n"
    for i in range(60)
)

# (data, training): each optimizer on the book's run; batch 1, batch 10 with a short last batch,
# batch n; a start set by hand; one feature; an uploaded CSV, standardised.
GRID = [
    *[
        (BOOK, {"optimizer": name, "lr": 0.03 if name in ("sgd", "momentum", "nesterov") else 0.1})
        for name in OPTIMIZERS
    ],
    (Synthetic((1.5,), -0.5, 0.3, 40, 3), {"batch_size": 1, "epochs": 2, "lr": 0.01}),
    (Synthetic((2.0, -3.4), 4.2, 0.1, 205, 5), {"batch_size": 10, "epochs": 2}),
    (Synthetic((2.0, -3.4), 4.2, 0.1, 205, 5), {"batch_size": 205, "epochs": 4, "lr": 0.5}),
    (Synthetic((2.0, -3.4), 4.2, 0.1, 300, 1), {"w0": (3.0, 1.0), "b0": -2.0, "seed": 1}),
    (Upload(("x1", "x2"), "y", True, "data.csv"), {"batch_size": 7, "epochs": 3, "lr": 0.05}),
]


def app_lines(data, training) -> list[str]:
    """What the app prints for this run."""
    if isinstance(data, Synthetic):
        X, y = synthetic_data(list(data.w), data.b, data.n, noise=data.noise, seed=data.seed)
    else:
        dataset = choose(read_table(CSV.encode()), list(data.features), data.target,
                         data.standardise)  # fmt: skip
        X, y = dataset.X, dataset.y
    arguments = {
        "lr": 0.03,
        "batch_size": 10,
        "epochs": 3,
        "optimizer": "sgd",
        "seed": 0,
        **training,
    }
    if "w0" in arguments:
        arguments["w0"] = np.array(arguments["w0"])
    return run(X, y, **arguments).epoch_lines()


def script_lines(data, training, folder) -> list[str]:
    """What the downloaded script prints, run as a user would run it."""
    arguments = {
        "lr": 0.03,
        "batch_size": 10,
        "epochs": 3,
        "optimizer": "sgd",
        "seed": 0,
        **training,
    }
    d = len(data.features) if isinstance(data, Upload) else len(data.w)
    script = folder / f"reproduce_{abs(hash((data, tuple(training.items()))))}.py"
    script.write_text(reproduce_script(data, d=d, **arguments), encoding="utf-8")
    command = [sys.executable, str(script)]
    if isinstance(data, Upload):
        (folder / data.name).write_text(CSV, encoding="utf-8")
        command.append(str(folder / data.name))
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return [line for line in done.stdout.splitlines() if line.startswith("epoch ")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reproduce")
    with ThreadPoolExecutor(max_workers=2) as pool:  # each script imports torch: ~1 s
        return list(pool.map(lambda case: script_lines(*case, folder), GRID))


@pytest.mark.parametrize("case", range(len(GRID)))
def test_the_script_prints_the_apps_epoch_lines(case, printed):
    data, training = GRID[case]
    expected = app_lines(data, training)
    assert expected and printed[case] == expected


def test_the_script_reads_as_the_book():
    script = reproduce_script(BOOK, d=2, lr=0.03, batch_size=10, epochs=3, optimizer="sgd", seed=0)
    for name in ("def synthetic_data", "def data_iter", "def linreg", "def squared_loss",
                 "def sgd"):  # fmt: skip
        assert name in script
    assert "import torch" in script and "torch.optim" not in script
    adam = reproduce_script(BOOK, d=2, lr=0.1, batch_size=10, epochs=3, optimizer="adam", seed=0)
    assert "torch.optim.Adam([w, b], lr=lr" in adam and "def sgd" not in adam
