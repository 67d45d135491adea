"""The minibatch of the current update, ringed in the data view: the examples the engine used."""

from __future__ import annotations

import numpy as np
import pytest

from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec, batch_rows, keyword_plan
from linreg_core.training import run_plan
from linreg_viz.figures import build_views
from linreg_viz.player import decode, payload
from linreg_viz.timeline import MAX_HIGHLIGHTS, data_sample, make_timeline
from linreg_viz.view_spec import ViewSpec
from tests import book


def shown(n: int, batch_size: int, epochs: int = 2, d: int = 2, **keywords):
    """The run, its plan, and what the player gets: header and columns."""
    X, y = book.data(n, d=d, noise=0.1, seed=3)
    plan = keyword_plan(X, y, batch_size=batch_size, epochs=epochs, **keywords)
    trajectory = run_plan(plan)
    spec = TrainSpec(batch_size=batch_size)
    tl = make_timeline(
        trajectory, describe(X, y), spec, batches=lambda updates: batch_rows(plan, updates)
    )
    header, cols = decode(payload(tl, spec, ViewSpec(), charts={}))
    return X, y, plan, trajectory, tl, header, cols


def ringed(cols, k: int) -> np.ndarray:
    offsets = cols["batch_offsets"].astype(int)
    return cols["batch_points"][offsets[k] : offsets[k + 1]].astype(int)


def sample_points(cols, d: int) -> np.ndarray:
    """The drawn points' coordinates, (P, d + 1), as the player reads them."""
    return cols["sample"].reshape(d + 1, -1).T


@pytest.mark.parametrize("keywords", [{}, {"drop_last": True}, {"optimizer": "adam", "lr": 0.1}])
def test_the_ringed_points_are_the_batch_whose_gradient_the_step_used(keywords):
    X, y, plan, trajectory, tl, header, cols = shown(205, 10, **keywords)
    assert len(ringed(cols, 0)) == 0  # the start: no update, no batch
    points = sample_points(cols, 2)
    for k in (1, 2, 20, 21, 22, len(cols["step"]) - 1):
        rows = ringed(cols, k)  # n = 205: every example is drawn, positions are rows
        assert cols["bdrawn"][k] == len(rows) == cols["bsz"][k]
        w, b = trajectory.path_w[k - 1], trajectory.path_b[k - 1]
        residual = points[rows, :2] @ w + b - points[rows, 2]
        mean_gradient = np.append(points[rows, :2].T @ residual, residual.sum()) / len(rows)
        shown_gradient = np.append(trajectory.grad_ws[k - 1], trajectory.grad_bs[k - 1])
        np.testing.assert_allclose(mean_gradient, shown_gradient, rtol=1e-4, atol=1e-5)
    batches = [tuple(ringed(cols, k)) for k in range(1, len(cols["step"]))]
    assert len(set(batches)) == len(batches)  # a new batch every update


def test_a_batch_larger_than_the_drawn_sample_rings_what_is_drawn_and_counts_it():
    X, y, plan, trajectory, tl, header, cols = shown(20_000, 4_000, epochs=1)
    drawn = data_sample(y)
    for k in range(1, 6):
        (rows,) = batch_rows(plan, [k - 1])
        inside = np.isin(rows, drawn)
        assert cols["bsz"][k] == 4000 and cols["bdrawn"][k] == inside.sum() > 0
        ring = ringed(cols, k)
        np.testing.assert_array_equal(drawn[ring], np.sort(rows[inside])[: len(ring)])


def test_the_rings_stay_within_their_budget_however_long_the_run():
    X, y, plan, trajectory, tl, header, cols = shown(100_000, 2_000, epochs=50)
    assert header["points"] == 2501  # 50 epochs of 50 updates
    assert len(cols["batch_points"]) <= MAX_HIGHLIGHTS
    ringed_counts = np.diff(cols["batch_offsets"])
    assert np.all(ringed_counts <= cols["bdrawn"])
    assert np.any(ringed_counts < cols["bdrawn"])  # about 40 drawn a batch, 23 ringed


def test_the_data_view_rings_the_last_batch_in_one_and_two_features():
    for d in (1, 2):
        X, y, plan, trajectory, tl, header, cols = shown(205, 10, d=d)
        figures = build_views(tl, trajectory, describe(X, y), TrainSpec(), ViewSpec())
        (ring,) = [trace for trace in figures["data"].data if trace.meta == "batch"]
        expected = sample_points(cols, d)[ringed(cols, len(cols["step"]) - 1), 0]
        np.testing.assert_allclose(np.asarray(ring.x, dtype=float), expected, rtol=1e-6)
        assert ring.name == "this update's minibatch"
