"""What a link may cost: every run is priced by the table, and one that asks too much is refused
with a message naming the field, its value and the most it may be."""

from __future__ import annotations

import itertools

import pytest

from linreg_core import OPTIMIZERS
from linreg_core.cost import RATES, run_seconds
from linreg_core.limits import COST_BUDGET_S
from linreg_core.plan import DTYPES, ENGINES
from tests import book
from tests.apps import start
from ui.runs import DATA, conditioned, synthetic


def test_the_table_prices_every_engine_dtype_and_optimizer():
    assert set(RATES) == set(itertools.product(ENGINES, DTYPES, OPTIMIZERS))
    assert all(rate.update_us > 0 and rate.example_us > 0 for rate in RATES.values())


def test_a_price_grows_with_the_examples_read_and_with_the_updates():
    book = run_seconds(1000, 10, 3)
    assert run_seconds(1000, 10, 6) == pytest.approx(2 * book)  # twice the epochs
    assert run_seconds(1000, 1, 3) > book  # the same examples in ten times the updates
    assert run_seconds(1000, 10, 3, "adam", "float32") > book
    assert run_seconds(1000, 10, 3, engine="torch") > run_seconds(1000, 10, 3, "adam", "float32")
    assert run_seconds(1000, 10, 3, options={"momentum": 0.9}) == run_seconds(
        1000, 10, 3, "momentum"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_over_the_budget_is_refused_naming_epochs_and_what_is_allowed(lang):
    """float32 Adam, batch 1, ten epochs of 100,000: a million updates, under the update cap but
    about eight seconds of CPU."""
    query = {"n": "100000", "batch_size": "1", "epochs": "10", "optimizer": "adam"}
    at = start({**query, "dtype": "float32", "lang": lang})
    per_epoch = run_seconds(100_000, 1, 1, "adam", "float32")
    allowed = int(COST_BUDGET_S // per_epoch)
    assert 1 <= allowed < 10
    (error,) = [e.value for e in at.error]
    assert "epochs=10" in error
    assert (
        f"epochs may be at most {allowed}." in error
        if lang == "en"
        else f"最多为 {allowed}" in error
    )
    assert f"{COST_BUDGET_S:g}" in error


def test_data_sets_of_many_links_stay_within_the_cache_budget():
    """Thirty links of 100,000 examples with distinct seeds: the data kept stay within the
    budget in bytes, however many sets and of whatever size were asked for."""
    for seed in range(30):
        conditioned(book.TRUE_W, book.TRUE_B, book.NOISE, 100_000, seed, 1.0, 0.0)
        synthetic(2, book.TRUE_W, book.TRUE_B, book.NOISE, 100_000, seed)
    assert 0 < DATA.nbytes <= DATA.budget
    assert len(DATA) < 60 and DATA.budget <= 64 * 2**20
