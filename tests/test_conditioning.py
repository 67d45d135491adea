"""The conditioning page through AppTest: the spectrum of both sides, checked against an
independent computation; what s and rho do to it; the steps measured against the theory."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from linreg_core.limits import COST_BUDGET_S
from linreg_core.plan import TrainSpec
from linreg_viz.i18n import TABLE
from linreg_viz.player import decode
from tests import book
from tests.apps import new_app, rerun, tables
from ui import runs, turns
from ui.numbers import ROW_KEYS
from ui.runs import spec_seconds

PAGE = "pages/conditioning.py"
SIDES = ("raw", "std")
ROWS = {key: TABLE[key]["en"].format(tol=1e-3) for key in ROW_KEYS}  # by their English titles


def open_lesson(query: dict | None = None) -> AppTest:
    """The app opened at /conditioning with this query string, as a link to the page opens it."""
    at = new_app()
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(PAGE)
    return rerun(at)


def table(at: AppTest) -> dict[str, dict[str, str]]:
    """side -> row key -> the text shown."""
    (frame,) = tables(at)
    shown: pd.DataFrame = frame.set_index(TABLE["cond_quantity"]["en"])
    titles = {title: key for key, title in ROWS.items()}
    return {
        side: {titles[row]: shown.loc[row, TABLE[f"cond_{side}"]["en"]] for row in shown.index}
        for side in SIDES
    }


def spectrum(scale: float = 0.1, rho: float = 0.0) -> dict[str, np.ndarray]:
    """The Hessian's eigenvalues of the default data (the visualiser's), raw and standardised,
    computed here from scratch: X_a^T X_a / n, X_a the features and a column of ones."""
    X, _ = book.data(scale=scale, correlation=rho)
    standardised = (X - X.mean(axis=0)) / X.std(axis=0)
    eigenvalues = {}
    for side, features in zip(SIDES, (X, standardised), strict=True):
        Xa = np.column_stack([features, np.ones(len(features))])
        eigenvalues[side] = np.linalg.eigvalsh(Xa.T @ Xa / len(Xa))
    return eigenvalues


def number(text: str) -> float:
    return float(text.replace(",", ""))


def check_spectrum(at: AppTest, scale: float, rho: float) -> dict[str, float]:
    """The table's λmin, λmax, κ and 2/λmax on both sides as computed here; κ of each side."""
    shown, kappas = table(at), {}
    for side, eigenvalues in spectrum(scale, rho).items():
        low, high = eigenvalues[0], eigenvalues[-1]
        expected = {
            "cond_lambda_min": low,
            "cond_lambda_max": high,
            "cond_kappa": high / low,
            "cond_limit": 2 / high,
        }
        for key, value in expected.items():
            assert number(shown[side][key]) == pytest.approx(value, rel=1e-3), (side, key)
        kappas[side] = number(shown[side]["cond_kappa"])
    return kappas


def test_the_page_opens_at_defaults_with_both_sides_spectrum():
    at = open_lesson()
    assert at.title[0].value == TABLE["cond_title"]["en"]
    assert not at.error and not at.warning and not at.info
    kappas = check_spectrum(at, 0.1, 0.0)
    assert kappas["raw"] > 100 and kappas["std"] == pytest.approx(1, abs=0.1)
    shown = table(at)
    lr = 0.5 * 2 / spectrum()["raw"][-1]  # lr_ratio 0.5 of the raw data's limit, on both sides
    assert number(shown["raw"]["cond_lr"]) == number(shown["std"]["cond_lr"])
    assert number(shown["raw"]["cond_lr"]) == pytest.approx(lr, rel=1e-3)
    # two players, each with its own side's charts, every update of the 300 reachable
    headers = [decode(c.proto.bytes)[0] for c in at.get("bidi_component")]
    assert [sorted(h["charts"]) for h in headers] == [["contour", "loss"]] * 2
    assert [h["charts"]["contour"].split()[0] for h in headers] == [
        ".st-key-cond_raw_contour",
        ".st-key-cond_std_contour",
    ]
    assert [(h["total_steps"], h["points"]) for h in headers] == [(300, 301)] * 2
    assert [h["group"] for h in headers] == ["conditioning"] * 2  # one play button plays both
    assert [h["blocks"] for h in headers] == [{}] * 2  # no data view: no batch to ring or name
    assert [h["equation"] for h in headers] == [None] * 2  # the player shows none here
    # the lesson's controls at their defaults stay out of the link
    assert not {"scale", "rho", "lr_ratio", "full_batch", "steps"} & set(at.query_params)


def test_scale_and_rho_in_the_link_change_kappa_and_standardising_lowers_it():
    at = open_lesson({"scale": "10", "rho": "0.5"})
    kappas = check_spectrum(at, 10.0, 0.5)
    assert kappas["raw"] > 100 > 10 * kappas["std"]
    assert kappas["std"] == pytest.approx((1 + 0.5) / (1 - 0.5), rel=0.1)  # correlation stays
    assert at.query_params["scale"] == "10.0" and at.query_params["rho"] == "0.5"
    round_contours = check_spectrum(open_lesson({"scale": "1"}), 1.0, 0.0)
    assert round_contours["raw"] == pytest.approx(1, abs=0.2)


def test_measured_steps_agree_with_theory_for_full_batch_gd():
    shown = table(open_lesson())
    for side in SIDES:
        measured, theory = number(shown[side]["cond_measured"]), number(shown[side]["cond_theory"])
        assert abs(measured - theory) <= 1, side
        kappa = number(shown[side]["cond_kappa"])
        assert number(shown[side]["cond_best_rate"]) == pytest.approx(
            (kappa - 1) / (kappa + 1), rel=1e-3, abs=1e-4
        )
    # what a learner notices: badly scaled features need many more steps than standardised ones
    assert number(shown["raw"]["cond_measured"]) > 50 * number(shown["std"]["cond_measured"])
    # a run too short to get there says so, and the theory says how far it had to go
    short = table(open_lesson({"steps": "100"}))["raw"]
    assert short["cond_measured"] == TABLE["cond_not_within"]["en"].format(steps=100)
    assert number(short["cond_theory"]) > 100


def test_an_lr_above_a_sides_limit_is_a_diverged_result_not_a_crash():
    at = open_lesson({"scale": "10", "rho": "0.9", "lr_ratio": "1.5"})
    shown = table(at)
    assert shown["raw"]["cond_measured"].startswith("diverged at step")
    assert shown["raw"]["cond_theory"] == TABLE["cond_never"]["en"]
    assert not shown["std"]["cond_measured"].startswith("diverged")  # its limit is higher
    assert number(shown["std"]["cond_limit"]) > number(shown["raw"]["cond_lr"])
    assert [e.value.split(":")[0] for e in at.error] == ["Diverged at step 13"]


def test_minibatches_say_the_theory_is_for_full_batch():
    at = open_lesson({"full_batch": "0"})
    assert [i.value for i in at.info] == [TABLE["cond_theory_for_gd"]["en"]]
    headers = [decode(c.proto.bytes)[0] for c in at.get("bidi_component")]
    assert all(h["total_steps"] == 300 for h in headers)  # 3 epochs of 100 batches of 10


def test_a_bad_link_value_falls_back_with_a_notice():
    at = open_lesson({"scale": "1000"})
    notices = " ".join(w.value for w in at.warning)
    assert "scale=1000" in notices and "a number from 0.01 to 100" in notices
    check_spectrum(at, 0.1, 0.0)  # the default scale


@pytest.mark.parametrize(
    "query",
    [
        {"scale": "100", "rho": "0.99", "lr_ratio": "100"},
        {"scale": "0.01", "rho": "-0.99", "lr_ratio": "0.01", "steps": "3000"},
        {"scale": "0.01", "rho": "0.99", "lr_ratio": "1.01", "optimizer": "adam"},
    ],
)
def test_the_ends_of_every_range_draw_both_sides(query):
    at = open_lesson(query)  # no exception: rerun checks
    assert len(at.get("plotly_chart")) == 4 and len(at.get("bidi_component")) == 2
    shown = table(at)
    assert all(shown[side]["cond_kappa"] for side in SIDES)


def test_a_run_costing_too_much_is_refused_with_the_steps_allowed():
    at = open_lesson({"n": "100000", "steps": "3000"})  # full batch: 3,000 reads of 100,000
    n, lr = 100_000, 0.99  # the lr does not change the price
    full_batch = {"batch_size": n, "optimizer": "sgd", "seed": 0}
    allowed = max(
        steps
        for steps in range(1, 3001)
        if 2 * spec_seconds(n, TrainSpec(lr, epochs=steps, **full_batch)) <= COST_BUDGET_S
    )
    (error,) = [e.value for e in at.error]
    assert "steps=3000" in error and f"steps may be at most {allowed:,}" in error
    assert "The default run is shown instead" in error  # a link's: nothing was on screen
    assert len(at.get("bidi_component")) == 2 and at.query_params["n"] == "1000"
    at = open_lesson({"n": "100000", "steps": str(allowed)})  # at the budget: drawn
    assert not at.error and len(at.get("bidi_component")) == 2


@pytest.mark.parametrize("steps", [10, 150])  # within the first epoch of 143 batches, and past it
def test_steps_are_the_updates_made_with_minibatches_too(steps):
    at = open_lesson({"full_batch": "0", "batch_size": "7", "steps": str(steps)})
    headers = [decode(c.proto.bytes)[0] for c in at.get("bidi_component")]
    assert [h["total_steps"] for h in headers] == [steps, steps]
    assert table(at)["raw"]["cond_measured"] == TABLE["cond_not_within"]["en"].format(steps=steps)


def losses(at: AppTest) -> list[np.ndarray]:
    """Each side's loss, step by step, as its player shows it."""
    return [decode(c.proto.bytes)[1]["loss"] for c in at.get("bidi_component")]


def test_the_links_optimizer_options_and_dtype_are_used():
    adam = losses(open_lesson({"optimizer": "adam"}))
    for changed in ({"adam_beta1": "0.5"}, {"dtype": "float32"}, {"adam_amsgrad": "1"}):
        other = losses(open_lesson({"optimizer": "adam"} | changed))
        assert not any(np.array_equal(a, b) for a, b in zip(adam, other, strict=True)), changed


def test_link_fields_this_page_does_not_use_are_named():
    at = open_lesson({"lr": "0.5", "loss": "mse", "weight_decay": "0.1", "epochs": "3"})
    notes = [i.value for i in at.info]
    assert any("does not use the link's `lr=0.5, loss=mse, weight_decay=0.1`" in n for n in notes)
    assert not any("epochs" in n for n in notes)  # at its default: nothing to say
    assert not [i.value for i in open_lesson().info]


def test_a_refused_change_keeps_both_sides_on_screen():
    at = open_lesson({"n": "10000"})
    before = [c.proto.bytes for c in at.get("bidi_component")]
    at.slider(key="ctl_steps").set_value(3000)
    rerun(at)  # full batch: 3,000 reads of 10,000, past the cap
    assert any("What was on screen stays" in e.value for e in at.error)
    assert [c.proto.bytes for c in at.get("bidi_component")] == before
    assert at.slider(key="ctl_steps").value == 3000  # the user's change, not undone


def test_a_heavy_page_draws_its_data_in_its_turn_not_before(monkeypatch):
    """A page whose two runs take their turn (100,000 examples, 50 full-batch steps a side)
    draws its data in that turn too: behind a run already computing, not beside it. A hundred
    such tabs then draw one at a time instead of all at once ahead of another visitor."""
    events, held, release = [], threading.Event(), threading.Event()
    drawn = runs.conditioned

    def conditioned(*key):
        events.append("data drawn")
        return drawn(*key)

    def heavy_run_ahead():
        with turns.turn():
            held.set()
            release.wait(10)
            events.append("the run ahead done")

    monkeypatch.setattr(runs, "conditioned", conditioned)
    threading.Thread(target=heavy_run_ahead, daemon=True).start()
    assert held.wait(5)
    threading.Timer(1.0, release.set).start()
    at = open_lesson({"n": "100000", "steps": "50", "seed": "17"})
    assert events == ["the run ahead done", "data drawn"]
    assert len(at.get("bidi_component")) == 2 and not at.error
