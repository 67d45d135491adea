"""Links written to stall or crash the server: each is read at a bounded cost, and whatever a
link carries, the page draws a run or says why not (issue 17)."""

from __future__ import annotations

import math
import time

import hypothesis
import numpy as np
import pytest
from hypothesis import strategies
from streamlit.testing.v1 import AppTest

from linreg_core import ENGINES, OPTIMIZERS, synthetic_data
from linreg_viz import comparison, link_values, settings
from linreg_viz.settings import FIELDS, from_query
from tests.apps import new_app, rerun, start, tables

LONG = 100_000  # characters: far past any legal value
DIGITS = "1" * LONG


def open_page(query: dict, page: str | None = None) -> AppTest:
    """A page (the visualiser if None) opened with this query string, run once."""
    at = new_app()
    for name, value in query.items():
        at.query_params[name] = value
    if page is not None:
        at.switch_page(page)
    return rerun(at)


def long_values(name: str) -> list[str]:
    """Values of LONG characters shaped to make a backtracking pattern or an unbounded parser
    do the most work: a digit run that fails at its end, in each place a number may stand."""
    shapes = [DIGITS + "x", DIGITS, "." + DIGITS + "x", "1e" + DIGITS + "x", " " * LONG + "1"]
    shapes.append(DIGITS[:4000])  # an integer Python reads, too large for a float to compare
    if name == "runs":
        shapes += [
            f"sgd:{DIGITS}x:10",
            f"sgd:0.03:{DIGITS}",
            f"sgd:0.03:10:{DIGITS},1,x",
            f"momentum(momentum={DIGITS}x):0.03:10",
            "adam(" + "beta1=0.5," * (LONG // 10) + "):0.1:10",
            "sgd:0.03:10;" * (LONG // 12),
            ";" * LONG,
            "(" * LONG,
        ]
    return shapes


def slowest(read, values: list[str]) -> float:
    """The longest time `read` takes over the values, in seconds."""
    times = []
    for value in values:
        began = time.perf_counter()
        read(value)
        times.append(time.perf_counter() - began)
    return max(times)


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_100000_character_value_on_any_field_is_refused_within_50_ms(name):
    def read(value):
        values, notices = from_query({name: value})
        assert values[name] == FIELDS[name].default
        assert [(n.key, n.field) for n in notices] == [("url_notice", name)]

    assert slowest(read, long_values(name)) < 0.05


def test_the_number_patterns_do_not_backtrack():
    """Without the length cap too: a digit run that fails at its end is read in linear time."""
    patterns = (link_values._INTEGER, link_values._NUMBER)
    values = [DIGITS + "x", "." + DIGITS + "x", "1e" + DIGITS + "x", "-" + DIGITS + ".x"]
    for pattern in patterns:
        assert slowest(pattern.fullmatch, values) < 0.05
        assert not any(pattern.fullmatch(v) for v in values)


def test_a_comparison_and_the_fields_read_numbers_the_same_way():
    """One reader for both: what a field takes, a comparison's lr and start take, and the
    refused forms are refused by both."""
    for text in ("5e-04", "-2.", ".5", "+3", "1E-2", " 0.25 "):
        run = comparison.parse_run(f"sgd:0.1:10:{text},{text},{text}")
        assert run.start == (float(text),) * 3 == (from_query({"b0": text})[0]["b0"],) * 3
    for text in ("٣.٥", "1_0", "nan", "inf", "0x10", "1e", "e5", "."):
        assert from_query({"b0": text})[1], text
        with pytest.raises(ValueError):
            comparison.parse_run(f"sgd:0.1:10:{text},1,1")


def test_the_longest_runs_value_written_in_full_is_within_the_length_cap():
    number, eps, start = "0.12345678901234568", "1.2345678901234568e-300", "-1.2345678901234567"
    run = f"rmsprop(alpha={number},eps={eps},momentum={number},centered=1)"
    text = ";".join(
        f"{run}:{number}:100000:{start},{start},{start}" for _ in range(comparison.MAX_RUNS)
    )
    assert comparison.canonical(text) == text
    assert len(text) <= comparison.MAX_TEXT


def test_a_page_opened_with_a_100000_character_value_says_so_and_draws_the_run():
    query = {"lr": DIGITS + "x", "runs": f"sgd:{DIGITS}x:10", "n": DIGITS}
    at = start(query)
    notices = " ".join(w.value for w in at.warning)
    for name, value in query.items():  # each cut to its first 40 characters
        assert f"`{name}={value[:40]}…`" in notices, (name, notices)
    assert "a number from 1e-12 to 100" in notices
    assert len(at.get("plotly_chart")) == 4  # the defaults' run, every view


FLOAT_FIELDS = [name for name, field in FIELDS.items() if field.kind is float]


@pytest.mark.parametrize("name", FLOAT_FIELDS)
def test_minus_zero_in_a_link_is_zero(name):
    values, notices = from_query({name: "-0"})
    if notices:  # outside the field's range, as 0 is: refused like 0
        assert from_query({name: "0"})[1] and values[name] == FIELDS[name].default
    else:
        assert math.copysign(1.0, values[name]) == 1.0 and values[name] == 0.0


def test_the_engine_takes_a_signed_zero_noise_as_no_noise():
    X, y = synthetic_data([2.0], 1.0, 5, noise=-0.0)
    np.testing.assert_array_equal(y, synthetic_data([2.0], 1.0, 5, noise=0.0)[1])


PAGES = (None, "pages/compare.py", "pages/conditioning.py", "pages/closed_form.py")


@pytest.mark.parametrize("page", PAGES)
def test_a_link_with_minus_zero_noise_draws_every_page(page):
    at = open_page({"noise": "-0", "w1": "-0", "rho": "-0.0"}, page)
    assert not at.error and not at.warning
    assert at.get("plotly_chart") or tables(at)  # the closed form: its table


TINY_LABELS = {"w1": "0", "w2": "0", "b": "1e-200", "noise": "0"}  # labels float64 cannot square


@pytest.mark.parametrize("page", PAGES)
def test_data_too_small_to_train_on_are_named_and_the_defaults_drawn(page):
    at = open_page(TINY_LABELS | {"epochs": "4"}, page)
    (message,) = [e.value for e in at.error]
    assert "w1=0.0, w2=0.0, b=1e-200, noise=0.0" in message and "[1e-150, 1e+150]" in message
    assert "The default data are shown instead" in message
    assert at.get("plotly_chart") or tables(at)  # the closed form: its table
    assert at.query_params["b"] == "4.2" and at.query_params["epochs"] == "4"
    if page is None:
        assert [at.slider(key=f"ctl_{name}").value for name in ("w1", "w2", "b")] == [2, -3.4, 4.2]


def test_data_made_too_small_in_a_session_go_back_to_those_shown():
    at = open_page({"w1": "0", "w2": "0", "b": "0", "noise": "0.5"})
    assert not at.error
    at.number_input(key="ctl_noise").set_value(1e-200)
    rerun(at)
    (message,) = [e.value for e in at.error]
    assert "noise=1e-200" in message and "The data shown before stay" in message
    assert at.number_input(key="ctl_noise").value == 0.5 and at.query_params["noise"] == "0.5"
    assert len(at.get("plotly_chart")) == 4


OVERFLOW = {
    "optimizer": "adagrad",
    "adagrad_initial_accumulator_value": "1e39",
    "dtype": "float32",
    "engine": "torch",
}


def test_an_option_float32_cannot_hold_is_named_with_what_float32_holds():
    at = open_page(OVERFLOW)
    message = " ".join(e.value for e in at.error)
    assert "initial_accumulator_value=1e+39 is not allowed" in message
    assert "float32's largest number is 3.403e+38" in message
    assert len(at.get("plotly_chart")) == 4  # the default run, as the message says


@pytest.mark.parametrize(
    ("query", "page", "said"),
    [
        (
            {"optimizer": "rmsprop", "rmsprop_centered": "1", "rmsprop_alpha": "0"},
            None,
            "alpha=0.0 is not allowed: alpha must be a number in (0, 1) when centered=True",
        ),
        ({"n": "100000", "batch_size": "1", "epochs": "50"}, None, "5,000,000 updates"),
        ({"runs": "sgd:0.03:10:1,2"}, "pages/compare.py", "run 1 has 2 numbers; these data need 3"),
    ],
)
def test_a_links_refused_run_falls_back_to_the_default_run_with_a_notice(query, page, said):
    at = open_page(query, page)
    (message,) = [e.value for e in at.error]
    assert said in message and "The default run is shown instead" in message
    assert at.get("plotly_chart")
    assert all(at.query_params.get(name) != value for name, value in query.items() if name != "n")


def test_a_refused_change_in_a_session_keeps_the_run_on_screen_and_the_controls():
    at = open_page({"optimizer": "rmsprop", "rmsprop_centered": "1"})
    before = at.get("bidi_component")[0].proto.bytes
    at.number_input(key="ctl_rmsprop_alpha").set_value(0.0)
    rerun(at)
    assert any("What was on screen stays" in e.value for e in at.error)
    assert at.get("bidi_component")[0].proto.bytes == before
    assert at.number_input(key="ctl_rmsprop_alpha").value == 0.0
    assert at.query_params["rmsprop_alpha"] == "0.0"


def test_a_link_with_thousands_of_parameters_or_repeats_is_read_at_once():
    query = {f"p{i}": "1" for i in range(10_000)} | {"lr": ["0.1"] * 10_000}
    assert slowest(from_query, [query]) < 0.05
    values, notices = from_query(query)
    assert values["lr"] == 0.1 and len(notices) == 1 + settings.MAX_UNKNOWN_NOTICES + 1


EDGES = ("0", "-0", "5e-324", "1e-200", "1e39")  # and each field's own ends


def edges(name: str) -> list[str]:
    """Values at the edges of what a field and float64 or float32 hold."""
    field = FIELDS[name]
    ends = [repr(field.low), repr(field.high)] if field.low is not None else []
    return [*EDGES, *ends]


@hypothesis.settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same links every time: a failure is a link to open by hand
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(choices=strategies.data())
def test_any_link_of_edge_values_draws_a_run_and_says_what_it_did_not_take(choices):
    """Every number of the visualiser's run at an edge at once: the data's, the run's and the
    chosen optimizer's options, in either dtype and engine."""
    draw = choices.draw
    optimizer = draw(strategies.sampled_from(sorted(OPTIMIZERS)))
    query = {
        "optimizer": optimizer,
        "init": "custom",
        "dtype": draw(strategies.sampled_from(["float32", "float64"])),
        "engine": draw(strategies.sampled_from(ENGINES)),
    }
    names = ["w1", "w2", "b", "noise", "lr", "weight_decay", "w0_1", "b0"]
    names += [name for name in settings.OPTION_FIELDS if name.startswith(f"{optimizer}_")]
    for name in names:
        if FIELDS[name].kind is float:
            query[name] = draw(strategies.sampled_from(edges(name)))
    at = open_page(query)  # no exception
    assert len(at.get("plotly_chart")) == 4, query
    asked, shown = from_query(query)[0], from_query(dict(at.query_params))[0]
    if any(asked[name] != shown[name] for name in query) or from_query(query)[1]:
        assert at.error or at.warning, query  # what was not taken is said
