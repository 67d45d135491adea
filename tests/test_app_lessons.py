"""The visualiser's lessons: weight decay, the book's variants, optimizer options, both engines.

Each is checked where the learner sees it, against a computation written here independently of
the engine: the ridge fit by the normal equations, the Hessian's eigenvalues, counts of batches.
"""

import json
import re

import numpy as np
import pytest

from linreg_core.cost import run_seconds
from linreg_core.limits import COST_BUDGET_S
from tests import book
from tests.apps import open_groups, printed_lines, rerun, start, tables
from tests.figure_data import numbers_in

BOOK = {
    "w1": book.TRUE_W[0],
    "w2": book.TRUE_W[1],
    "b": book.TRUE_B,
    "noise": book.NOISE,
    "n": book.N,
    "seed": book.SEED,
}


def penalised(X, y, weight_decay: float, scale: float = 1.0):
    """Hessian and minimiser of scale/(2n) ||Xa θ − y||² + λ/2 ||w||², by the normal equations."""
    Xa = np.column_stack([X, np.ones(len(y))])
    P = np.diag([1.0] * X.shape[1] + [0.0])
    H = scale * Xa.T @ Xa / len(y) + weight_decay * P
    return H, np.linalg.solve(H, scale * Xa.T @ y / len(y))


def limit_shown(at) -> float:
    (caption,) = [c.value for c in at.caption if "stable on these data" in c.value]
    return float(re.search(r"lr < ([0-9.e+-]+)", caption).group(1))


def figure(at, title: str) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if any(trace.get("name") == title for trace in spec["data"]):
            return spec
    raise AssertionError(title)


def epoch_lines(at) -> str:
    return printed_lines(at)


def metric(at, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def test_weight_decay_moves_the_minimum_the_closed_form_and_the_limit():
    at = start({"weight_decay": "0.5"})
    X, y = book.data()
    H, ridge = penalised(X, y, 0.5)
    table = tables(at)[0]
    (column,) = [c for c in table.columns if "ridge" in c]
    np.testing.assert_allclose(table[column].to_numpy(), ridge, rtol=1e-9)
    assert limit_shown(at) == pytest.approx(2 / np.linalg.eigvalsh(H)[-1], rel=1e-3)
    contour = figure(at, "Loss contours (log-spaced levels)")
    (star,) = [t for t in contour["data"] if "(ridge)" in t.get("name", "")]
    np.testing.assert_allclose([star["x"][0], star["y"][0]], ridge[:2], rtol=1e-6)
    surface = figure(at, "Loss surface")
    (sheet,) = [t for t in surface["data"] if t.get("type") == "surface"]
    x, y_ = numbers_in(sheet["x"]), numbers_in(sheet["y"])
    z = numbers_in(sheet["z"]).reshape(len(y_), len(x))
    Xa = np.column_stack([X, np.ones(len(y))])
    for i, j in ((0, 0), (7, 31), (39, 20)):  # w1, w2 on the grid, b held at the ridge b
        theta = np.array([x[i], y_[j], ridge[2]])
        expected = np.mean((Xa @ theta - y) ** 2) / 2 + 0.5 / 2 * (theta[0] ** 2 + theta[1] ** 2)
        assert z[j, i] == pytest.approx(expected, rel=1e-9)
    # the ridge minimum is not the data's: the penalty pulls w towards 0
    assert np.all(np.abs(ridge[:2]) < np.abs([BOOK["w1"], BOOK["w2"]]) - 0.1)
    assert any("λ" in c.value and "b" in c.value for c in at.caption)  # says what is penalised


def test_mse_doubles_the_step_so_the_limit_halves():
    book, mse = start(), start({"loss": "mse"})
    assert limit_shown(mse) == pytest.approx(limit_shown(book) / 2, rel=1e-3)
    assert epoch_lines(mse) != epoch_lines(book)


def test_drop_last_and_divide_by_change_the_epochs_lines_as_explained():
    keep = open_groups(start({"batch_size": "7"}))  # the note is in the variants group
    drop = start({"batch_size": "7", "drop_last": "1"})
    d2l = start({"batch_size": "7", "divide_by": "batch_size"})
    assert metric(keep, "Updates") == f"{3 * 143:,}" and metric(drop, "Updates") == f"{3 * 142:,}"
    assert len({epoch_lines(keep), epoch_lines(drop), epoch_lines(d2l)}) == 3
    assert any("a batch of 6" in c.value for c in keep.caption)  # 1000 = 142 × 7 + 6
    even = [start({"batch_size": "10", "divide_by": d}) for d in ("batch_length", "batch_size")]
    assert epoch_lines(even[0]) == epoch_lines(even[1])  # no short batch: nothing changes


def test_an_optimizer_option_is_used_mirrored_and_a_bad_one_explained_next_to_it():
    at = open_groups(start({"optimizer": "momentum"}))
    before = epoch_lines(at)
    at.number_input(key="ctl_momentum_momentum").set_value(0.5)
    rerun(at)
    assert at.query_params["momentum_momentum"] == "0.5"
    assert epoch_lines(at) != before and not at.error
    shown = epoch_lines(at)
    assert epoch_lines(start(dict(at.query_params))) == shown  # the link replays it
    at.number_input(key="ctl_momentum_momentum").set_value(1.0)
    rerun(at)
    errors = [e.value for e in at.error]
    assert any("momentum" in e and "1.0" in e and "[0, 1)" in e for e in errors), errors
    assert epoch_lines(at) == shown  # the last good run stays on screen


def test_the_reproduce_script_gets_every_setting_of_the_run(monkeypatch):
    """The page hands the script writer the run as shown (the script itself is checked against
    the engine, byte for byte, in test_reproduce.py)."""
    import ui.downloads

    given = {}
    real = ui.downloads.reproduce_script

    def recording(data, spec, d):
        given["spec"] = spec
        return real(data, spec, d)

    monkeypatch.setattr(ui.downloads, "reproduce_script", recording)
    query = {"optimizer": "adam", "adam_beta1": "0.8", "adam_amsgrad": "1", "weight_decay": "0.1"}
    start(query | {"loss": "mse", "dtype": "float32", "drop_last": "1", "divide_by": "batch_size"})
    spec = given["spec"]
    assert dict(spec.options) == {"betas": (0.8, 0.999), "eps": 1e-8, "amsgrad": True}
    assert (spec.loss, spec.dtype, spec.weight_decay) == ("mse", "float32", 0.1)
    assert (spec.drop_last, spec.divide_by) == (True, "batch_size")


def test_both_engines_agree_and_the_check_panel_says_so():
    numpy = start({"batch_size": "50", "optimizer": "adam", "lr": "0.05"})
    torch = start({"batch_size": "50", "optimizer": "adam", "lr": "0.05", "engine": "torch"})
    assert epoch_lines(torch) == epoch_lines(numpy)
    numpy.button(key="check_run").click()
    rerun(numpy)
    dw, db = (float(metric(numpy, label)) for label in ("Largest |Δw|", "Largest |Δb|"))
    assert dw < 1e-9 and db < 1e-9
    assert metric(numpy, "NumPy, by hand").endswith(" ms")
    assert any("agree within rounding" in c.value for c in numpy.caption)


def learned(at) -> np.ndarray:
    table = tables(at)[0]
    return table["Learned"].to_numpy()


@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_float32_runs_in_float32_and_the_torch_engine_is_capped(engine):
    single = learned(start({"dtype": "float32", "optimizer": "adam", "engine": engine}))
    double = learned(start({"optimizer": "adam", "engine": engine}))
    assert np.array_equal(single.astype(np.float32), single)  # every number a float32
    assert not np.array_equal(double.astype(np.float32), double)
    np.testing.assert_allclose(single, double, atol=1e-4)
    at = start({"engine": "torch", "batch_size": "1", "epochs": "30"})
    allowed = int(COST_BUDGET_S // run_seconds(1000, 1, 1, engine="torch"))
    assert allowed < 30
    assert any(
        "epochs=30" in e.value and "30,000 updates" in e.value and f"at most {allowed}." in e.value
        for e in at.error
    )
