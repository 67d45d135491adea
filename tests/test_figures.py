"""The views, read as data: one static figure per view, the moving traces named, words, ranges."""

from __future__ import annotations

import re

import numpy as np
import pytest

from linreg_core import loss_quadratic, run
from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec
from linreg_viz import figures
from linreg_viz.figures import CONTOUR_LEVELS, MOVING, build_views, is_3d
from linreg_viz.i18n import TABLE, translator
from linreg_viz.timeline import MAX_DATA_POINTS, make_timeline
from linreg_viz.view_spec import ViewSpec
from tests import book as d2l
from tests.figure_data import numbers_in

EN, ZH = translator("en"), translator("zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
PARAMETERS = {"w1", "w2", "b"}


def build(
    X, y, trajectory, *, true_w=None, true_b=None, axes=None, lr=d2l.LR, optimizer="sgd", **view
):
    """The views of a run (trained with this lr), with the data's loss quadratic."""
    data = describe(X, y, None if true_w is None else np.array(true_w), true_b)
    spec = TrainSpec(lr=lr, optimizer=optimizer)
    tl = make_timeline(trajectory, data, spec, axes=axes)
    return build_views(tl, trajectory, data, spec, ViewSpec(**view))


@pytest.fixture(scope="module")
def book(book_run):
    """D2L's run: two features, 1000 examples, batch 10, 3 epochs (300 steps); both landscapes."""
    X, y, trajectory = book_run
    return X, y, trajectory, build(X, y, trajectory, true_w=d2l.TRUE_W, true_b=d2l.TRUE_B)


@pytest.fixture(scope="module")
def long_run():
    """One feature, batch 1, 10 epochs of 400: 4000 steps; the contour only."""
    X, y = d2l.data(400, d=1, seed=1)
    trajectory = run(X, y, batch_size=1, epochs=10, lr=0.01)
    return (
        X,
        y,
        trajectory,
        build(X, y, trajectory, true_w=d2l.TRUE_W[:1], true_b=d2l.TRUE_B, landscape="contour"),
    )


@pytest.fixture(scope="module")
def diverged():
    """Full-batch gradient descent at 1.1 x the stability limit 2/lambda_max(G): it blows up."""
    X, y = d2l.data(200, seed=2)
    lr = 1.1 * loss_quadratic(X, y).stability_limit()
    trajectory = run(X, y, lr=lr, batch_size=200, epochs=2000)
    assert trajectory.diverged_at is not None
    return X, y, trajectory, build(X, y, trajectory, true_w=d2l.TRUE_W, true_b=d2l.TRUE_B)


@pytest.fixture(scope="module")
def big_projected():
    """100,000 examples, full-batch; the 3-D surface only, projection mode, Chinese."""
    X, y = d2l.data(100_000, d=1, seed=3)
    trajectory = run(X, y, batch_size=100_000, epochs=5, lr=0.5)
    views = build(
        X,
        y,
        trajectory,
        lang="zh",
        true_w=d2l.TRUE_W[:1],
        true_b=d2l.TRUE_B,
        landscape="surface",
        projection=True,
    )
    return X, y, trajectory, views


CASES = ["book", "long_run", "diverged", "big_projected"]


def moving(fig, name):
    """The trace the player moves under `name` (its `meta`)."""
    (trace,) = [trace for trace in fig.data if trace.meta == name]
    return trace


def strings_in(value):
    """Every string in a nested figure dict."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return [value] if isinstance(value, str) else []


def axis_ranges(layout):
    """Every explicit axis range in a layout dict, 2-D axes and 3-D scenes."""
    ranges = [v.get("range") for k, v in layout.items() if re.fullmatch(r"[xy]axis\d*", k)]
    for key, scene in layout.items():
        if key.startswith("scene"):
            ranges += [scene[a].get("range") for a in ("xaxis", "yaxis", "zaxis") if a in scene]
    return [r for r in ranges if r is not None]


# Which views, and what in them moves


def test_both_landscapes_by_default(book):
    views = book[3]
    assert list(views) == ["surface", "contour", "data", "loss"]
    assert is_3d(views["surface"]) and is_3d(views["data"]) and not is_3d(views["contour"])
    surface = [t for t in views["surface"].data if t.type == "surface"]
    assert len(surface) == 1 and np.shape(surface[0].z)[0] > 2
    lines = [t for t in views["contour"].data if t.name == EN("title_contour")]
    assert len(lines) == CONTOUR_LEVELS


@pytest.mark.parametrize("axes", [("w1", "b"), ("w2", "b"), ("b", "w1")])
def test_each_contour_line_lies_at_the_loss_it_names_on_other_axes(book, axes):
    X, y, trajectory, _ = book
    contour = build(X, y, trajectory, axes=axes, landscape="contour")["contour"]
    assert (contour.layout.xaxis.title.text, contour.layout.yaxis.title.text) == axes
    held = loss_quadratic(X, y).theta_star  # the parameter not shown is held at the optimum
    lines = [t for t in contour.data if t.name == EN("title_contour")]
    assert len(lines) == CONTOUR_LEVELS
    for line in lines:
        level = float(line.text.removeprefix(f"{EN('axis_loss')} = "))  # 4 significant digits
        theta = np.tile(held, (len(line.x), 1))
        theta[:, ["w1", "w2", "b"].index(axes[0])] = line.x
        theta[:, ["w1", "w2", "b"].index(axes[1])] = line.y
        loss = 0.5 * np.mean((theta[:, :2] @ X.T + theta[:, 2:] - y) ** 2, axis=1)
        np.testing.assert_allclose(loss, level, rtol=5e-4)


def test_contour_only_and_one_feature_is_all_2d(long_run):
    views = long_run[3]
    assert list(views) == ["contour", "data", "loss"]
    assert not any(is_3d(fig) for fig in views.values())


def test_surface_only(big_projected):
    assert list(big_projected[3]) == ["surface", "data", "loss"]


@pytest.mark.parametrize("case", CASES)
def test_every_view_names_its_moving_traces_and_has_no_frames(case, request):
    views = request.getfixturevalue(case)[3]
    for name, fig in views.items():
        metas = [trace.meta for trace in fig.data if trace.meta]
        assert set(metas) <= set(MOVING[name]) and metas[0] == MOVING[name][0]
        assert not fig.frames and not fig.layout.sliders and not fig.layout.updatemenus
    if "contour" in views:  # SGD: the step taken is -lr x the minibatch gradient, drawn once
        metas = [trace.meta for trace in views["contour"].data if trace.meta]
        assert metas == ["path2d", "current2d", "arrow_step", "arrow_full"]


def test_the_arrows_start_where_the_last_update_started_and_are_true_to_scale(book):
    X, y, trajectory, views = book
    quad = loss_quadratic(X, y)
    step = moving(views["contour"], "arrow_step")
    full = moving(views["contour"], "arrow_full")
    before, after = trajectory.path_w[-2], trajectory.path_w[-1]
    np.testing.assert_allclose([step.x[0], step.y[0]], before, rtol=1e-6)
    np.testing.assert_allclose([step.x[1], step.y[1]], after, rtol=1e-6)
    theta = np.append(before, trajectory.path_b[-2])
    gradient = quad.hessian @ (theta - quad.theta_star)
    np.testing.assert_allclose([full.x[1], full.y[1]], before - 0.03 * gradient[:2], rtol=1e-6)
    adam_run = run(X, y, optimizer="adam", lr=0.1)
    adam = build(X, y, adam_run, optimizer="adam", lr=0.1, landscape="contour")
    batch = moving(adam["contour"], "arrow_batch")
    gradient = np.append(adam_run.grad_ws[-1], adam_run.grad_bs[-1])
    np.testing.assert_allclose(
        [batch.x[1], batch.y[1]], adam_run.path_w[-2] - 0.1 * gradient[:2], rtol=1e-6
    )
    off = build(X, y, trajectory, arrows=False, landscape="contour")
    assert [t.meta for t in off["contour"].data if t.meta] == ["path2d", "current2d"]


@pytest.mark.parametrize("case", ["book", "long_run"])
def test_the_views_show_the_final_state(case, request):
    """What a page shows if the player cannot start: the whole path and the final fit."""
    X, y, trajectory, views = request.getfixturevalue(case)
    d = X.shape[1]
    final_a, final_b = trajectory.ws[-1, 0], (trajectory.ws[-1, 1] if d == 2 else trajectory.bs[-1])
    path = moving(views["contour"], "path2d")
    assert path.x[-1] == pytest.approx(final_a, rel=1e-5)
    assert path.y[-1] == pytest.approx(final_b, rel=1e-5)
    assert path.x[0] == pytest.approx(trajectory.w0[0], rel=1e-5, abs=1e-7)
    assert moving(views["loss"], "cursor").x[0] == trajectory.num_steps
    fit = moving(views["data"], "fit")
    if d == 1:
        ends = np.asarray(fit.x)
        np.testing.assert_allclose(
            fit.y, trajectory.ws[-1, 0] * ends + trajectory.bs[-1], rtol=1e-6
        )
    else:
        corners = np.column_stack([fit.x, fit.y])
        np.testing.assert_allclose(
            fit.z, corners @ trajectory.ws[-1] + trajectory.bs[-1], rtol=1e-6
        )


def test_3d_path_is_drawn_at_the_true_loss(book):
    X, y, trajectory, views = book
    path = moving(views["surface"], "path3d")
    true_loss = loss_quadratic(X, y).loss(np.append(trajectory.ws[-1], trajectory.bs[-1]))
    assert path.z[-1] == pytest.approx(true_loss, rel=1e-5)


def test_the_fitted_plane_is_two_triangles_over_the_data(book):
    X, _, _, views = book
    plane = moving(views["data"], "fit")
    assert plane.type == "mesh3d" and len(plane.x) == 4 and list(plane.i) == [0, 0]
    assert min(plane.x) == pytest.approx(X[:, 0].min()) and max(plane.y) == pytest.approx(
        X[:, 1].max()
    )


def test_loss_backdrop_is_thinned_and_keeps_the_spikes(long_run):
    _, _, trajectory, views = long_run
    loss = views["loss"]
    for key in ("legend_loss", "legend_batch_loss"):
        (trace,) = [t for t in loss.data if t.name == EN(key)]
        assert len(trace.x) <= figures.MAX_CURVE_POINTS and trace.opacity < 0.5
    (batch,) = [t for t in loss.data if t.name == EN("legend_batch_loss")]
    assert max(batch.y) == pytest.approx(trajectory.batch_losses.max())
    assert loss.layout.yaxis.type == "log"


def test_loss_axis_labels_whole_decades_and_the_cursor_is_whole_at_step_0(book, long_run):
    """No crowded 2 and 5 between the decades (a projector's large type); the step-0 marker sits
    on the axis's edge, drawn whole."""
    for _, _, _, views in (book, long_run):
        axis = views["loss"].layout.yaxis
        low, high = axis.range
        assert axis.dtick >= 1 and float(axis.dtick).is_integer() and axis.tick0 == 0
        assert 2 <= (high - low) / axis.dtick <= figures.MAX_LOSS_LABELS + 1
        assert moving(views["loss"], "cursor").cliponaxis is False


# Titles and words


def test_two_feature_landscape_title_states_the_held_bias(book):
    X, y, _, views = book
    held = loss_quadratic(X, y).theta_star[-1]
    for name in ("surface", "contour"):
        title = views[name].layout.title.text
        assert "b = " in title and f"{held:.3g}" in title


def test_chinese_views_have_no_english_words(big_projected):
    for fig in big_projected[3].values():
        layout = fig.to_dict()["layout"]
        titles = [layout[k]["title"]["text"] for k in layout if re.fullmatch(r"[xy]axis\d*", k)]
        for key, scene in layout.items():
            if key.startswith("scene"):
                titles += [scene[a]["title"]["text"] for a in ("xaxis", "yaxis", "zaxis")]
        assert titles and all(CJK.search(text) or text in PARAMETERS for text in titles)
        words = [fig.layout.title.text] + [t.name for t in fig.data if t.name]
        assert all(CJK.search(word) for word in words), words
        assert not set(strings_in(fig.to_dict())) & set(TABLE)  # no key shown for its text


# Big data, projection mode, colours


def test_a_big_data_set_is_drawn_as_an_even_sample_of_its_examples(big_projected):
    X, y, _, views = big_projected
    (data,) = [t for t in views["data"].data if t.name == ZH("legend_data")]
    assert len(data.x) <= MAX_DATA_POINTS < len(y)
    row = {x: i for i, x in enumerate(X[:, 0])}
    drawn = np.array([row[x] for x in data.x])  # each point is an example, as it is
    np.testing.assert_array_equal(data.y, y[drawn])
    gaps = np.diff(drawn)
    assert drawn[0] == 0 and drawn[-1] == len(y) - 1  # from the first example to the last
    assert gaps.max() - gaps.min() <= 1  # evenly: no stretch of the data left out
    assert gaps.max() <= -(-len(y) // (MAX_DATA_POINTS - 1))  # as densely as the budget allows


def test_projection_mode_is_larger_than_the_laptop_look(book, big_projected):
    laptop, projected = book[3]["loss"].layout, big_projected[3]["loss"].layout
    assert projected.font.size >= 20 > laptop.font.size
    assert projected.xaxis.tickfont.size >= 16 and projected.height > laptop.height
    scene = big_projected[3]["surface"].layout.scene
    assert scene.xaxis.tickfont.size >= 16 and scene.xaxis.title.font.size >= 20
    lines = [t.line.width for t in big_projected[3]["loss"].data if t.mode == "lines"]
    assert min(lines) >= 4


def test_colours_are_explicit(book):
    for fig in book[3].values():
        assert fig.layout.paper_bgcolor and fig.layout.plot_bgcolor and fig.layout.font.color
        for trace in fig.data:
            if trace.type in ("scatter", "scatter3d"):
                style = trace.line if trace.mode == "lines" else trace.marker
                assert style.color, trace.name


def test_3d_views_keep_the_users_camera(book):
    for name in ("surface", "data"):
        layout = book[3][name].layout
        assert layout.scene.uirevision and layout.uirevision


# Divergence: what was computed is drawn, and nothing non-finite reaches the browser


def test_diverged_views_hold_only_finite_numbers(diverged):
    for fig in diverged[3].values():
        values = numbers_in(fig.to_dict())
        assert values.size > 10 and np.all(np.isfinite(values))
        assert "NaN" not in fig.to_json() and "Infinity" not in fig.to_json()


def test_diverged_loss_view_says_where(diverged):
    _, _, trajectory, views = diverged
    note = EN("figure_diverged", step=trajectory.diverged_at)
    assert any(note in (a.text or "") for a in views["loss"].layout.annotations)


@pytest.mark.parametrize("case", CASES)
def test_axis_ranges_are_finite_and_sane(case, request):
    for fig in request.getfixturevalue(case)[3].values():
        ranges = axis_ranges(fig.to_dict()["layout"])
        for low, high in ranges:
            assert np.isfinite(low) and np.isfinite(high) and low < high and abs(high - low) < 1e15


def test_the_3d_dot_is_the_true_loss_with_a_line_to_the_slice_drawn(book):
    """The surface is a slice at the optimum's b; the dot, the run's true loss at its own b, is
    joined to the slice right below it, and a line under the title says so."""
    X, y, trajectory, views = book
    quad = loss_quadratic(X, y)
    surface = views["surface"]
    dot, drop = moving(surface, "current3d"), moving(surface, "drop3d")
    w1, w2 = dot.x[0], dot.y[0]
    assert list(drop.x) == [w1, w1] and list(drop.y) == [w2, w2] and drop.z[1] == dot.z[0]
    below = quad.surface(np.array([w1]), np.array([w2]), axes=("w1", "w2"), at=quad.theta_star)
    assert drop.z[0] == pytest.approx(float(np.ravel(below)[0]), rel=1e-9)
    held = f"b = {quad.theta_star[-1]:.3g}"
    assert (
        f"slice at {held}" in surface.layout.title.text and "true loss" in surface.layout.title.text
    )


def test_a_landscape_that_holds_nothing_draws_no_line_to_a_slice():
    X, y = d2l.data(200, d=1)
    views = build(X, y, run(X, y), true_w=d2l.TRUE_W[:1], true_b=d2l.TRUE_B)
    assert not [t for t in views["surface"].data if t.meta == "drop3d"]
    assert "<sup>" not in views["surface"].layout.title.text
