"""Engine speed against the book's own loop, measured in one process: python -m bench.engine

Prints steps per second for each engine and for a transcription of D2L §3.2's loop, as ratios
to that loop measured in the same run; `train()` with each optimizer; how soon `train()` gives
the first step of a long run against the whole run; the time `run` takes for 1,000,000 updates;
and the cost of a 200 x 200 loss surface at n = 1,000,000 after the one pass over the data.
"""

from __future__ import annotations

import collections
import itertools
import time

import numpy as np
import torch

from linreg_core import OPTIMIZERS, loss_quadratic, run, synthetic_data, train

BOOK = "book loop (torch, float32)"


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


def seconds(work, repeat: int = 3) -> float:
    """Best wall time of a few repeats."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def rates(works: dict, repeat: int = 5) -> dict:
    """Best steps per second of each (work, steps), taking turns so that a passing load on a
    shared machine falls on all of them alike."""
    best = dict.fromkeys(works, np.inf)
    for _ in range(repeat):
        for name, (work, _) in works.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: steps / best[name] for name, (_, steps) in works.items()}


def show(measured: dict) -> None:
    """Each rate, and its ratio to the book's loop measured alongside."""
    book = measured[BOOK]
    for name, rate in measured.items():
        print(f"  {name:34s} {rate:12,.0f} steps/s  {rate / book:7.1f}x the book's loop")


def compare(n: int) -> None:
    """Steps per second of each way of training on the book's task with n examples."""
    X, y = synthetic_data([2.0, -3.4], 4.2, n)
    features, labels = torch.from_numpy(X).float(), torch.from_numpy(y).float()
    steps = 3 * n // 10
    sample = min(steps, 3_000)  # the slow loops are timed on their first 3,000 updates
    print(f"\nbook's task, n = {n:,}, 3 epochs, batch 10 ({steps:,} updates)")
    works = {
        BOOK: (lambda: book_loop(features, labels, sample), sample),
        "train(), engine='torch'": (
            lambda: list(itertools.islice(train(X, y, engine="torch"), sample)),
            sample,
        ),
        "train(), engine='numpy'": (lambda: list(itertools.islice(train(X, y), sample)), sample),
        "run(), engine='numpy'": (lambda: run(X, y), steps),
    }
    show(rates(works))


def optimizers(n: int) -> None:
    """`train()` with each optimizer on the book's task, against the book's loop."""
    X, y = synthetic_data([2.0, -3.4], 4.2, n)
    features, labels = torch.from_numpy(X).float(), torch.from_numpy(y).float()
    steps = 3 * n // 10
    print(f"\ntrain() for each optimizer, n = {n:,}, 3 epochs, batch 10 ({steps:,} updates)")
    works = {BOOK: (lambda: book_loop(features, labels, steps), steps)}
    for optimizer in OPTIMIZERS:
        works[f"train(), optimizer={optimizer!r}"] = (
            lambda optimizer=optimizer: list(train(X, y, optimizer=optimizer)),
            steps,
        )
    show(rates(works))


def laziness() -> None:
    """How soon the first Step of a 1,000,000-update run comes, against reading all of it."""
    X, y = synthetic_data([2.0, -3.4], 4.2, 100_000)
    arguments = {"batch_size": 1, "epochs": 10}
    first = seconds(lambda: next(train(X, y, **arguments)))
    everything = seconds(lambda: collections.deque(train(X, y, **arguments), maxlen=0), repeat=1)
    print(
        f"\ntrain(), 1,000,000 updates (n=100k, batch 1, 10 epochs): first Step after "
        f"{first * 1e3:.1f} ms, all of them read in {everything:.2f} s "
        f"(the first is {first / everything:.2%} of the whole)"
    )


def main() -> None:
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}, 1 torch thread")
    for n in (1_000, 10_000, 100_000):
        compare(n)
    optimizers(10_000)
    laziness()

    X, y = synthetic_data([2.0, -3.4], 4.2, 100_000)
    took = seconds(lambda: run(X, y, batch_size=1, epochs=10))
    print(f"\nrun(): 1,000,000 updates (n=100k, batch 1, 10 epochs) {took:.2f} s (best of 3)")

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
