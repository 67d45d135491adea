"""The price table of `linreg_core.cost`, measured: python -m bench.cost

For each engine, dtype and optimizer, two runs on the book's data (n = 100,000): batches of 1
(the price of an update and its one example) and batches of 1,000 (mostly the examples), in CPU
seconds of this process (best of 3, one torch thread). From them, the microseconds per update
and per example, the table's row beside them, and the ratio of measured to table at both batch
sizes: a ratio far from 1 says the table needs measuring again. The last column is a run's price
per example at batch 1 against float64 NumPy SGD's, measured in the same run. The machine is
shared and its timings are noisy: compare the ratios, not the seconds, between runs.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from linreg_core import OPTIMIZERS, run, synthetic_data
from linreg_core.cost import RATES, Rate
from linreg_core.plan import DTYPES, ENGINES

BIG = 1_000  # the second run's batch size
# updates of the batch-1 run and epochs of the batch-1,000 run, per engine: about 0.1 to 1 s each
SIZES = {"numpy": (100_000, 20), "torch": (4_000, 2)}


def cpu_seconds(work, repeat: int = 3) -> float:
    """Best CPU time of this process over a few repeats."""
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def measure(X, y, engine: str, dtype: str, optimizer: str) -> tuple[Rate, float, float]:
    """The measured Rate, and the seconds per update at batch 1 and at batch BIG."""
    updates, epochs = SIZES[engine]
    common = {"engine": engine, "dtype": dtype, "optimizer": optimizer, "lr": 1e-4}
    small = X[:updates], y[:updates]  # one epoch of batch 1: `updates` updates
    one = cpu_seconds(lambda: run(*small, batch_size=1, epochs=1, **common)) / updates
    big_updates = epochs * len(y) // BIG
    big = cpu_seconds(lambda: run(X, y, batch_size=BIG, epochs=epochs, **common)) / big_updates
    example = max((big - one) / (BIG - 1), 0.0)
    return Rate(update_us=(one - example) * 1e6, example_us=example * 1e6), one, big


def main() -> None:
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}, 1 torch thread; CPU seconds")
    X, y = synthetic_data([2.0, -3.4], 4.2, 100_000)
    print(
        f"{'engine':6} {'dtype':8} {'optimizer':9} {'us/update':>10} {'us/example':>10}"
        f" {'table':>16} {'ratio b=1':>9} {'ratio b=1k':>10} {'vs f64 SGD':>10}"
    )
    baseline = None
    for engine in ENGINES:
        for dtype in DTYPES[::-1]:
            for optimizer in OPTIMIZERS:
                measured, one, big = measure(X, y, engine, dtype, optimizer)
                baseline = baseline or one
                table = RATES.get((engine, dtype, optimizer))
                if table is None:
                    ratios = f"{'-':>16} {'-':>9} {'-':>10}"
                else:
                    at_one = one * 1e6 / (table.update_us + table.example_us)
                    at_big = big * 1e6 / (table.update_us + BIG * table.example_us)
                    shown = f"{table.update_us:.3g}/{table.example_us:.3g}"
                    ratios = f"{shown:>16} {at_one:9.2f} {at_big:10.2f}"
                print(
                    f"{engine:6} {dtype:8} {optimizer:9} {measured.update_us:10.3f}"
                    f" {measured.example_us:10.4f} {ratios} {one / baseline:10.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
