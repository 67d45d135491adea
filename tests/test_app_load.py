"""The visualiser under load, through AppTest: a run at the engine's cap, and what its page says."""

import pytest
from streamlit.testing.v1 import AppTest

from linreg_viz.i18n import TABLE
from tests.apps import APP, printed_lines

CAP = {"n": "100000", "batch_size": "1", "epochs": "20", "lr": "0.0001", "seed": "1"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_at_the_cap_shows_its_outcome_and_says_its_csv_is_sampled(lang):
    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in {**CAP, "lang": lang}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception and not at.error
    assert at.metric[0].value == "2,000,000" and at.metric[1].value == "20"
    note = TABLE["csv_sampled"][lang].format(updates=2_000_000, rows=50_000)
    assert note in [caption.value for caption in at.caption]
    assert "epoch 20, loss" in printed_lines(at)
