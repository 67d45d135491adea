"""How big and how slow is the visualiser's figure? JSON bytes and build time for typical runs.

Run by hand (not part of pytest):  .venv/bin/python -m bench.figures
"""

from __future__ import annotations

import time

import numpy as np

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz.figures import build_visualiser
from linreg_viz.i18n import translator

TRUE_W, TRUE_B = [2.0, -3.4], 4.2  # the book's
CASES = {  # name -> training arguments; n = 1000 examples throughout
    "book (batch 10, 3 epochs: 300 steps)": {"batch_size": 10, "epochs": 3},
    "long (batch 1, 10 epochs: 10,000 steps)": {"batch_size": 1, "epochs": 10, "lr": 0.01},
}


def measure(d: int, arguments: dict) -> tuple[int, int, float, float, float]:
    """(steps, frames, build seconds, to_json seconds, JSON bytes) for one run on d features."""
    X, y = synthetic_data(TRUE_W[:d], TRUE_B, 1000)
    trajectory = run(X, y, **arguments)
    quad = loss_quadratic(X, y)
    start = time.perf_counter()
    fig = build_visualiser(
        trajectory, quad, X, y, t=translator("en"), true_w=np.array(TRUE_W[:d]), true_b=TRUE_B
    )
    built = time.perf_counter() - start
    start = time.perf_counter()
    size = len(fig.to_json().encode())
    serialised = time.perf_counter() - start
    return trajectory.num_steps, len(fig.frames), built, serialised, size


def main() -> None:
    print(
        f"{'run':42} {'d':>2} {'steps':>7} {'frames':>6} {'build s':>8} {'json s':>7} {'JSON MB':>8}"
    )
    for name, arguments in CASES.items():
        for d in (1, 2):
            steps, frames, built, serialised, size = measure(d, arguments)
            print(
                f"{name:42} {d:>2} {steps:>7,} {frames:>6} {built:>8.2f} {serialised:>7.2f} "
                f"{size / 1e6:>8.2f}"
            )


if __name__ == "__main__":
    main()
