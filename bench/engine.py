"""Engine speed against the book's own loop, measured in one process: python -m bench.engine

Prints steps per second for each engine and for a transcription of D2L §3.2's loop, as ratios
to that loop; the time `run` takes for 1,000,000 updates; and the cost of a 200 x 200 loss surface
at n = 1,000,000 after the one pass over the data.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import torch

from linreg_core import loss_quadratic, run, synthetic_data, train


def book_loop(features, labels, steps, lr=0.03, batch_size=10):
    """D2L §3.2's loop as printed (float32 torch, autograd, hand-written sgd), `steps` updates."""
    g = torch.Generator().manual_seed(0)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True, generator=g)
    b = torch.zeros(1, requires_grad=True)
    num_examples, done = len(features), 0
    while done < steps:
        indices = torch.randperm(num_examples, generator=g)
        for i in range(0, num_examples, batch_size):
            batch = indices[i : min(i + batch_size, num_examples)]
            X, y = features[batch], labels[batch]
            loss = (torch.matmul(X, w) + b - y.reshape(-1, 1)) ** 2 / 2
            loss.sum().backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / batch_size
                    param.grad.zero_()
            done += 1
            if done == steps:
                return


def rate(work, steps: int, repeat: int = 3) -> float:
    """Best steps per second over a few repeats."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return steps / best


def compare(n: int) -> None:
    """Steps per second of each way of training on the book's task with n examples."""
    X, y = synthetic_data([2.0, -3.4], 4.2, n)
    features, labels = torch.from_numpy(X).float(), torch.from_numpy(y).float()
    steps = 3 * n // 10
    sample = min(steps, 3_000)  # the slow loops are timed on their first 3,000 updates
    book = rate(lambda: book_loop(features, labels, sample), sample)
    rates = {
        "book loop (torch, float32)": book,
        "train(), engine='torch'": rate(
            lambda: list(itertools.islice(train(X, y, engine="torch"), sample)), sample
        ),
        "train(), engine='numpy'": rate(
            lambda: list(itertools.islice(train(X, y), sample)), sample
        ),
        "run(), engine='numpy'": rate(lambda: run(X, y), steps),
    }
    print(f"\nbook's task, n = {n:,}, 3 epochs, batch 10 ({steps:,} updates)")
    for name, value in rates.items():
        print(f"  {name:28s} {value:12,.0f} steps/s  {value / book:7.1f}x the book's loop")


def main() -> None:
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}, 1 torch thread")
    for n in (1_000, 100_000):
        compare(n)

    X, y = synthetic_data([2.0, -3.4], 4.2, 100_000)
    start = time.perf_counter()
    trajectory = run(X, y, batch_size=1, epochs=10)
    seconds = time.perf_counter() - start
    print(f"\nrun(): {trajectory.num_steps:,} updates (n=100k, batch 1, 10 epochs) {seconds:.2f} s")

    X, y = synthetic_data([2.0, -3.4], 4.2, 1_000_000)
    start = time.perf_counter()
    quad = loss_quadratic(X, y)
    first_pass = time.perf_counter() - start
    grid_a, grid_b = np.linspace(-1, 5, 200), np.linspace(-7, 0, 200)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        quad.surface(grid_a, grid_b)
        timings.append(time.perf_counter() - start)
    print(
        f"loss_surface 200 x 200 at n = 1,000,000: first pass {first_pass * 1e3:.0f} ms, "
        f"then {np.median(timings) * 1e3:.2f} ms per surface (median of 20)"
    )


if __name__ == "__main__":
    main()
