"""Heavy runs take turns, and a run at the engine's cap leaves only its compact views behind."""

import gc
import threading
import time
import tracemalloc

import pytest

from linreg_core import MAX_UPDATES
from linreg_core.dataset import Data, describe
from linreg_core.plan import TrainSpec
from linreg_viz.view_spec import ViewSpec
from tests import book
from ui import turns
from ui.runs import is_heavy, make_shown, shown_size, trajectory_file

CAP_SPEC = TrainSpec(lr=0.0001, batch_size=1, epochs=20, optimizer="sgd", seed=1)
VIEW = ViewSpec("en", "both", ("w1", "w2"), "normal", False)


@pytest.fixture(scope="module")
def cap_data() -> Data:
    """The largest data a link can ask for: 100,000 examples, so batch 1 for 20 epochs is the cap."""
    X, y = book.data(100_000, seed=1)
    return describe(X, y, list(book.TRUE_W), book.TRUE_B)


def test_no_more_than_at_once_heavy_runs_are_computed_together():
    inside, most, waited = [0], [0], []
    lock = threading.Lock()

    def heavy():
        with turns.turn(waited.append):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.3)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=heavy) for _ in range(turns.AT_ONCE + 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == turns.AT_ONCE and waited  # the others waited, and were told so


def test_runs_take_their_turns_in_the_order_they_asked_each_told_its_place():
    """The first holds the turn; the others, started one after another, start in that order,
    each told its own place while it waits, a place that only moves forward."""
    order, places, lock = [], {}, threading.Lock()
    release = threading.Event()

    def heavy(name):
        def wait(place):
            with lock:
                places.setdefault(name, []).append(place)

        with turns.turn(wait):
            order.append(name)
            if name == 0:
                release.wait(10)

    threads = []
    for name in range(4):
        threads.append(threading.Thread(target=heavy, args=(name,)))
        threads[-1].start()
        deadline = time.monotonic() + 5
        while name and name not in places and time.monotonic() < deadline:
            time.sleep(0.01)  # the next one asks once this one is queued
    time.sleep(2 * turns.POLL_S)
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3]
    assert 0 not in places  # the first never waited
    assert [places[name][0] for name in (1, 2, 3)] == [1, 2, 3]
    assert all(p == sorted(p, reverse=True) for p in places.values())


def test_a_run_is_heavy_by_what_it_costs_not_by_its_updates(cap_data):
    """Fifty full batches of 100,000 examples read 5,000,000 (50 updates); 30,000 float32 Adam
    updates pay Python's price each time: both take their turn. The book's run does not."""
    full_batch = TrainSpec(lr=0.5, batch_size=100_000, epochs=50, optimizer="sgd", seed=1)
    adam = TrainSpec(0.01, 10, 3, "adam", 1, dtype="float32")
    assert is_heavy(cap_data, full_batch)
    assert is_heavy(describe(*book.data(100_000)[:2]), adam)
    book_set = describe(*book.data())
    assert not is_heavy(
        book_set, TrainSpec(book.LR, book.BATCH_SIZE, book.EPOCHS, "sgd", book.SEED)
    )


def test_a_run_at_the_cap_leaves_under_a_megabyte_behind(cap_data):
    small = TrainSpec(lr=0.03, batch_size=10, epochs=1, optimizer="sgd", seed=1)
    make_shown(cap_data, small, VIEW, lambda: None)  # Plotly's first figures fill its own caches
    gc.collect()
    tracemalloc.start()
    try:
        shown = make_shown(cap_data, CAP_SPEC, VIEW, lambda: None)
        assert shown.outcome.updates == MAX_UPDATES
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak > 100e6  # the whole run existed while it was drawn (137 MB at the cap) ...
    assert held < 1.5e6 and shown_size(shown) < 1e6  # ... and only its views stay


def test_a_run_at_the_cap_stops_computing_when_its_page_has_gone(cap_data):
    calls = []

    def page_gone():
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # what Streamlit's stop is to the code it interrupts

    begin = time.process_time()
    with pytest.raises(KeyboardInterrupt):
        make_shown(cap_data, CAP_SPEC, VIEW, page_gone)
    assert time.process_time() - begin < 0.5  # two chunks of twenty, not the whole run


def test_the_csv_of_a_run_at_the_cap_holds_a_sample_with_every_epoch_end(cap_data):
    text = trajectory_file(cap_data, CAP_SPEC)
    lines = text.splitlines()
    steps = [int(line.split(",", 1)[0]) for line in lines[1:]]
    assert lines[0] == "step,epoch,w1,w2,b,batch_loss,loss"
    assert 49_000 < len(steps) <= 50_001 and steps[0] == 0 and steps[-1] == MAX_UPDATES
    assert set(range(100_000, MAX_UPDATES + 1, 100_000)) <= set(steps)  # every epoch's end
    assert len(text) < 6e6


def test_a_page_that_holds_the_turn_runs_its_runs_in_it_and_others_wait_for_all_of_them():
    """A heavy page takes one turn for its data and both its runs: their own turns do not queue
    behind others, and a run that asked after the page started waits until the page is done."""
    order, page_in, release = [], threading.Event(), threading.Event()

    def page():
        with turns.turn():
            page_in.set()
            release.wait(10)
            for side in ("raw", "standardised"):
                with turns.turn(lambda place, side=side: order.append(f"{side} waited")):
                    order.append(side)

    def other():
        with turns.turn():
            order.append("other")

    # daemons: with turns that did not nest, the page would wait for the other run for ever
    threads = [threading.Thread(target=page, daemon=True)]
    threads[0].start()
    assert page_in.wait(5)
    threads.append(threading.Thread(target=other, daemon=True))
    threads[1].start()
    time.sleep(2 * turns.POLL_S)  # the other run is queued behind the page
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["raw", "standardised", "other"]
    with turns.turn():  # and the page gave its turn back whole
        pass
