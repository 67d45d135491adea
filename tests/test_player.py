"""The player's payload: its timeline decodes to the run, and its size does not grow with the run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg_core import loss_quadratic, run
from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec
from linreg_viz.figures import MOVING, build_views
from linreg_viz.i18n import LANGUAGES
from linreg_viz.player import SPEEDS, decode, payload, payload_with_charts
from linreg_viz.timeline import MAX_POINTS, make_timeline, timeline_indices
from linreg_viz.view_spec import ViewSpec
from tests import book

CHARTS = {name: f"#{name}" for name in MOVING}


def packed(X, y, trajectory, **view):
    tl = make_timeline(trajectory, describe(X, y), TrainSpec())
    return decode(payload(tl, TrainSpec(), ViewSpec(**view), charts=CHARTS))


def test_payload_decodes_to_the_trajectory(book_run):
    X, y, trajectory = book_run
    header, cols = packed(X, y, trajectory)
    assert header["points"] == trajectory.num_steps + 1 == 301
    np.testing.assert_array_equal(cols["step"], np.arange(301))
    np.testing.assert_array_equal(cols["epoch"], np.concatenate([[0], trajectory.epochs]))
    for i in range(2):
        np.testing.assert_array_equal(cols[f"w{i + 1}"], trajectory.path_w[:, i].astype(np.float32))
    np.testing.assert_array_equal(cols["b"], trajectory.path_b.astype(np.float32))
    np.testing.assert_array_equal(cols["loss"], trajectory.path_loss.astype(np.float32))
    np.testing.assert_allclose(cols["px"], trajectory.path_w[:, 0], rtol=1e-6)  # inside the box
    np.testing.assert_allclose(cols["pz"], trajectory.path_loss, rtol=1e-6)
    corners = np.array(
        [
            [X[:, 0].min(), X[:, 1].min()],
            [X[:, 0].max(), X[:, 1].min()],
            [X[:, 0].max(), X[:, 1].max()],
            [X[:, 0].min(), X[:, 1].max()],
        ]
    )
    plane = trajectory.path_w @ corners.T + trajectory.path_b[:, None]
    for c in range(4):
        np.testing.assert_allclose(cols[f"fit{c}"], plane[:, c], rtol=1e-5, atol=1e-5)
    assert header["total_steps"] == 300 and header["diverged_at"] is None


def test_the_bytes_are_float32_after_a_small_header(book_run):
    blob = payload(
        make_timeline(book_run[2], describe(*book_run[:2]), TrainSpec()),
        TrainSpec(),
        ViewSpec(),
        charts=CHARTS,
    )
    header, cols = decode(blob)
    body = sum(c.nbytes for c in cols.values())
    assert body == 4 * len(cols) * 301 and len(blob) - body < 4096
    X, y, trajectory = book_run
    data, spec = describe(X, y), TrainSpec()
    views = build_views(make_timeline(trajectory, data, spec), trajectory, data, spec, ViewSpec())
    sent = len(blob) + sum(len(fig.to_json()) for fig in views.values())
    assert sent <= 300_000  # the budget at defaults; the per-step frames were 2 MB


def test_every_update_is_reachable_up_to_3000():
    X, y = book.data(3000, d=1, seed=1)
    trajectory = run(X, y, batch_size=1, epochs=1, lr=0.01)
    assert trajectory.num_steps == MAX_POINTS
    _, cols = packed(X, y, trajectory)
    np.testing.assert_array_equal(cols["step"], np.arange(MAX_POINTS + 1))


@pytest.fixture(scope="module")
def long_runs():
    X, y = book.data(700, d=1, seed=1)
    return X, y, [run(X, y, batch_size=1, epochs=e, lr=0.01) for e in (7, 43)]


def test_long_runs_keep_epoch_ends_and_the_last_step_in_a_bounded_payload(long_runs):
    X, y, runs = long_runs
    sizes = []
    for trajectory in runs:
        spec = TrainSpec()
        blob = payload(
            make_timeline(trajectory, describe(X, y), spec), spec, ViewSpec(), charts=CHARTS
        )
        header, cols = decode(blob)
        steps = cols["step"].astype(int)
        assert header["points"] <= MAX_POINTS and np.all(np.diff(steps) > 0)
        assert {700 * e for e in range(1, int(trajectory.epochs[-1]) + 1)} <= set(steps)
        assert steps[0] == 0 and steps[-1] == trajectory.num_steps
        np.testing.assert_array_equal(cols["b"], trajectory.path_b[steps].astype(np.float32))
        sizes.append(len(blob))
    assert runs[1].num_steps > 6 * runs[0].num_steps
    assert sizes[1] <= sizes[0] * 1.05  # 6 x the updates, the same bytes


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60_000), st.integers(1, 997), st.integers(10, 3000), st.data())
def test_timeline_indices_keep_every_landmark(num_steps, per_epoch, max_points, data):
    diverged = data.draw(st.one_of(st.none(), st.integers(0, max(num_steps - 1, 0))))
    if num_steps == 0:
        diverged = None

    class Run:  # what timeline_indices reads of a Trajectory
        steps_per_epoch = per_epoch
        diverged_at = diverged

    Run.num_steps = num_steps
    steps = timeline_indices(Run, max_points)
    assert steps[0] == 0 and steps[-1] == num_steps and np.all(np.diff(steps) > 0)
    if num_steps <= max_points:
        np.testing.assert_array_equal(steps, np.arange(num_steps + 1))
        return
    assert len(steps) <= max_points
    ends = set(range(per_epoch, num_steps + 1, per_epoch))
    if len(ends) + 3 <= max_points:
        assert ends <= set(steps)
    if diverged is not None:
        assert diverged + 1 in set(steps)


def test_a_diverged_run_draws_finite_coordinates_and_keeps_the_divergence_step():
    X, y = book.data(200, seed=2)
    lr = 1.1 * loss_quadratic(X, y).stability_limit()
    trajectory = run(X, y, lr=lr, batch_size=200, epochs=2000)
    header, cols = packed(X, y, trajectory)
    assert header["diverged_at"] == trajectory.diverged_at
    assert trajectory.diverged_at + 1 in set(cols["step"].astype(int))
    for name in ("px", "py", "pz", "ly", "fit0", "fit3"):
        assert np.all(np.isfinite(cols[name])), name


def test_speed_and_words_travel_in_the_header(book_run):
    for speed, rate in SPEEDS.items():
        header, _ = packed(*book_run, speed=speed)
        assert header["speed"] == rate
        assert str(rate) in header["labels"]["speed"]
    assert SPEEDS["fast"] == max(SPEEDS.values())  # fast is the fastest preset
    X, y, trajectory = book_run
    for lang in LANGUAGES:
        tl = make_timeline(trajectory, describe(X, y), TrainSpec())
        header, _ = decode(payload(tl, TrainSpec(), ViewSpec(lang=lang), charts=CHARTS))
        assert all(header["labels"].values())


def test_an_exported_page_finds_its_charts_by_other_selectors(book_run):
    X, y, trajectory = book_run
    spec = TrainSpec()
    blob = payload(make_timeline(trajectory, describe(X, y), spec), spec, ViewSpec(), charts=CHARTS)
    header, cols = decode(blob)
    moved, moved_cols = decode(payload_with_charts(blob, {"loss": "#x"}))
    assert moved["charts"] == {"loss": "#x"} and moved["run"] == header["run"]
    np.testing.assert_array_equal(moved_cols["b"], cols["b"])


def test_the_run_id_names_the_run_not_the_language(book_run):
    X, y, trajectory = book_run
    data, spec = describe(X, y), TrainSpec()
    tl = make_timeline(trajectory, data, spec)
    en, _ = decode(payload(tl, spec, ViewSpec(lang="en", speed="fast"), charts=CHARTS))
    zh, _ = decode(payload(tl, spec, ViewSpec(lang="zh", speed="slow"), charts=CHARTS))
    other = run(X, y, lr=0.01)
    diff, _ = decode(payload(make_timeline(other, data, spec), spec, ViewSpec(), charts=CHARTS))
    assert en["run"] == zh["run"] != diff["run"]
