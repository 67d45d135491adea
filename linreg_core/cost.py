"""What a run costs the server: CPU seconds, from a table of measured rates.

A run reads every example of every batch (examples read = updates x batch size, the last batch
shorter) and pays a fixed price per update on top: the Python trip an optimizer's update
takes, which the hand-written SGD and momentum of float64 NumPy runs share out over a whole
chunk (`affine.py`) and every other run pays one update at a time. Both prices depend on the
engine, the dtype and the optimizer, so the table has one row for each; `python -m bench.cost`
measures them and prints each row's measured price against the table's.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg_core.data import batches_per_epoch


@dataclass(frozen=True)
class Rate:
    """A run's price: microseconds of CPU per update, and per example read."""

    update_us: float
    example_us: float


# (engine, dtype, optimizer) -> Rate: microseconds per update and per example, measured by
# `python -m bench.cost` (2 shared cores, Python 3.11, NumPy 2.4, torch 2.13) and rounded. The
# columns stay aligned (fmt: skip).
RATES: dict[tuple[str, str, str], Rate] = {
    ("numpy", "float64", "sgd"):       Rate(0.55, 0.06),
    ("numpy", "float64", "momentum"):  Rate(1.1,  0.055),
    ("numpy", "float64", "nesterov"):  Rate(1.0,  0.059),
    ("numpy", "float64", "adagrad"):   Rate(4.2,  0.057),
    ("numpy", "float64", "rmsprop"):   Rate(4.8,  0.053),
    ("numpy", "float64", "adam"):      Rate(6.8,  0.058),
    ("numpy", "float32", "sgd"):       Rate(2.5,  0.048),
    ("numpy", "float32", "momentum"):  Rate(3.7,  0.048),
    ("numpy", "float32", "nesterov"):  Rate(4.5,  0.048),
    ("numpy", "float32", "adagrad"):   Rate(4.5,  0.051),
    ("numpy", "float32", "rmsprop"):   Rate(5.6,  0.05),
    ("numpy", "float32", "adam"):      Rate(7.6,  0.048),
    ("torch", "float64", "sgd"):       Rate(140,  0.17),
    ("torch", "float64", "momentum"):  Rate(160,  0.14),
    ("torch", "float64", "nesterov"):  Rate(160,  0.14),
    ("torch", "float64", "adagrad"):   Rate(170,  0.15),
    ("torch", "float64", "rmsprop"):   Rate(180,  0.14),
    ("torch", "float64", "adam"):      Rate(190,  0.15),
    ("torch", "float32", "sgd"):       Rate(140,  0.13),
    ("torch", "float32", "momentum"):  Rate(150,  0.14),
    ("torch", "float32", "nesterov"):  Rate(160,  0.13),
    ("torch", "float32", "adagrad"):   Rate(160,  0.12),
    ("torch", "float32", "rmsprop"):   Rate(170,  0.13),
    ("torch", "float32", "adam"):      Rate(200,  0.13),
}  # fmt: skip


def rate(engine: str, dtype: str, optimizer: str, options: dict | None = None) -> Rate:
    """The table's price for a run; "sgd" with a momentum option costs what "momentum" does."""
    if optimizer == "sgd" and (options or {}).get("momentum"):
        optimizer = "momentum"
    return RATES[engine, dtype, optimizer]


def examples_read(n: int, batch_size: int, epochs: int, drop_last: bool = False) -> int:
    """Examples a run reads: every batch of every epoch, the last batch shorter unless dropped."""
    per_epoch = n - n % batch_size if drop_last else n
    return epochs * per_epoch


def run_seconds(
    n: int,
    batch_size: int,
    epochs: int,
    optimizer: str = "sgd",
    dtype: str = "float64",
    engine: str = "numpy",
    drop_last: bool = False,
    options: dict | None = None,
) -> float:
    """CPU seconds a run of these settings is expected to take, by the table."""
    price = rate(engine, dtype, optimizer, options)
    updates = epochs * batches_per_epoch(n, batch_size, drop_last)
    examples = examples_read(n, batch_size, epochs, drop_last)
    return (updates * price.update_us + examples * price.example_us) * 1e-6


def update_seconds(engine: str, dtype: str, optimizer: str, batch_size: int, options=None) -> float:
    """CPU seconds of one update of a full batch, by the table."""
    price = rate(engine, dtype, optimizer, options)
    return (price.update_us + batch_size * price.example_us) * 1e-6
