"""Heavy runs take turns, and a run at the engine's cap leaves only its compact views behind."""

import gc
import threading
import time
import tracemalloc

import pytest

from linreg_core import MAX_UPDATES, synthetic_data
from ui import turns
from ui.runs import Data, TrainSpec, ViewSpec, describe, make_shown, shown_size, trajectory_file

CAP_SPEC = TrainSpec(lr=0.0001, batch_size=1, epochs=20, optimizer="sgd", seed=1)
VIEW = ViewSpec("en", "both", ("w1", "w2"), "normal", False)


@pytest.fixture(scope="module")
def cap_data() -> Data:
    """The largest data a link can ask for: 100,000 examples, so batch 1 for 20 epochs is the cap."""
    X, y = synthetic_data([2.0, -3.4], 4.2, 100_000, seed=1)
    return describe(X, y, [2.0, -3.4], 4.2)


def test_no_more_than_at_once_heavy_runs_are_computed_together():
    inside, most, waited = [0], [0], []
    lock = threading.Lock()

    def heavy():
        with turns.turn(lambda: waited.append(1)):
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
