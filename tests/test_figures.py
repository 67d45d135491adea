"""The visualiser figure, read as data: frames, traces, ranges, words. No browser, no server."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz import figures
from linreg_viz.figures import MAX_FRAMES, build_visualiser, frame_steps
from linreg_viz.i18n import TABLE, translator
from tests.figure_data import numbers_in

EN, ZH = translator("en"), translator("zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
PARAMETERS = {"w1", "w2", "b"}


def build(X, y, trajectory, *, lang="en", true_w=None, true_b=None, **view):
    """The figure for a run, with the data's loss quadratic."""
    return build_visualiser(
        trajectory, loss_quadratic(X, y), X, y, t=translator(lang),
        true_w=None if true_w is None else np.array(true_w), true_b=true_b, **view,
    )  # fmt: skip


@pytest.fixture(scope="module")
def book():
    """D2L's run: two features, 1000 examples, batch 10, 3 epochs (300 steps); both landscapes."""
    X, y = synthetic_data([2.0, -3.4], 4.2, 1000)
    trajectory = run(X, y)
    return X, y, trajectory, build(X, y, trajectory, true_w=[2.0, -3.4], true_b=4.2)


@pytest.fixture(scope="module")
def long_run():
    """One feature, batch 1, 10 epochs of 400: 4000 steps; the contour only."""
    X, y = synthetic_data([2.0], 4.2, 400, seed=1)
    trajectory = run(X, y, batch_size=1, epochs=10, lr=0.01)
    fig = build(X, y, trajectory, true_w=[2.0], true_b=4.2, landscape="contour", speed="fast")
    return X, y, trajectory, fig


@pytest.fixture(scope="module")
def diverged():
    """Full-batch gradient descent at 1.1 x the stability limit 2/lambda_max(G): it blows up."""
    X, y = synthetic_data([2.0, -3.4], 4.2, 200, seed=2)
    lr = 1.1 * loss_quadratic(X, y).stability_limit()
    trajectory = run(X, y, lr=lr, batch_size=200, epochs=2000)
    assert trajectory.diverged_at is not None
    return X, y, trajectory, build(X, y, trajectory, true_w=[2.0, -3.4], true_b=4.2)


@pytest.fixture(scope="module")
def big_projected():
    """100,000 examples, one full-batch epoch; the 3-D surface only, projection mode, Chinese."""
    X, y = synthetic_data([2.0], 4.2, 100_000, seed=3)
    trajectory = run(X, y, batch_size=100_000, epochs=5, lr=0.5)
    fig = build(
        X, y, trajectory, lang="zh", true_w=[2.0], true_b=4.2, landscape="surface",
        projection=True,
    )  # fmt: skip
    return X, y, trajectory, fig


def named(fig, text, kind=None):
    """Indices of the traces called `text` (of plotly type `kind`, if given)."""
    return [
        i
        for i, trace in enumerate(fig.data)
        if trace.name == text and (kind is None or trace.type == kind)
    ]


def landscape_views(fig):
    """Which loss-landscape views a figure draws: 'surface', 'contour' (a Contour trace or
    level curves drawn as lines), each with how many traces it takes."""
    views = {"surface": 0, "contour": 0}
    for trace in fig.data:
        if trace.name in (EN("title_surface"), ZH("title_surface")):
            views["surface"] += 1
        if trace.type == "contour" or trace.name in (EN("title_contour"), ZH("title_contour")):
            views["contour"] += 1
    return views


def is_landscape(trace):
    """Whether a trace draws the loss landscape (never something a frame should carry)."""
    names = {f(key) for f in (EN, ZH) for key in ("title_surface", "title_contour")}
    return trace.type == "contour" or trace.name in names


def frame_trace(fig, frame, index):
    """The data a frame gives trace `index`."""
    return frame.data[list(frame.traces).index(index)]


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


# frame_steps


@given(st.integers(0, 200_000), st.integers(2, 1000))
def test_frame_steps_are_few_sorted_and_keep_both_ends(num_steps, max_frames):
    steps = frame_steps(num_steps, max_frames)
    assert 1 <= len(steps) <= max_frames
    assert steps[0] == 0 and steps[-1] == num_steps
    assert np.all(np.diff(steps) > 0)
    if num_steps + 1 <= max_frames:
        np.testing.assert_array_equal(steps, np.arange(num_steps + 1))
    else:  # evenly thinned: the gaps differ by at most one step
        gaps = np.diff(steps)
        assert gaps.max() - gaps.min() <= 1


def test_frame_steps_default_cap():
    assert len(frame_steps(10_000)) == MAX_FRAMES == 300
    np.testing.assert_array_equal(frame_steps(0), [0])


# Frames: few, named by step, carrying only what moves


def test_long_run_has_at_most_300_frames_ending_on_the_last_step(long_run):
    _, _, trajectory, fig = long_run
    assert trajectory.num_steps >= 3000
    assert len(fig.frames) <= MAX_FRAMES
    assert fig.frames[0].name == "0"
    assert fig.frames[-1].name == str(trajectory.num_steps)
    slider = fig.layout.sliders[0]
    assert [s.args[0][0] for s in slider.steps] == [f.name for f in fig.frames]


@pytest.mark.parametrize("case", ["book", "long_run", "diverged", "big_projected"])
def test_frames_carry_only_the_moving_traces(case, request):
    fig = request.getfixturevalue(case)[3]
    moving = list(fig.frames[0].traces)
    moving_names = {EN("legend_path"), EN("legend_current"), EN("legend_fit")}
    moving_names |= {ZH("legend_path"), ZH("legend_current"), ZH("legend_fit")}
    for frame in fig.frames:
        assert list(frame.traces) == moving and len(frame.data) == len(moving)
    for index in moving:
        trace = fig.data[index]
        assert not is_landscape(trace) and trace.name in moving_names
        if trace.type == "surface":  # only the fitted plane moves: 2 x 2, never the landscape
            assert np.shape(trace.z) == (2, 2)
    static = set(range(len(fig.data))) - set(moving)
    assert any(is_landscape(fig.data[i]) for i in static)


def test_figure_opens_on_the_start_and_the_slider_agrees(book):
    _, _, trajectory, fig = book
    assert fig.layout.sliders[0].active == 0 and fig.frames[0].name == "0"
    path = named(fig, EN("legend_path"), "scatter")[0]
    assert len(fig.data[path].x) == 1
    assert fig.data[path].x[0] == pytest.approx(trajectory.w0[0], rel=1e-5)
    assert fig.data[path].y[0] == pytest.approx(trajectory.w0[1], rel=1e-5)


def test_play_pause_and_slider_animate_in_the_browser(long_run):
    fig = long_run[3]
    play, pause = fig.layout.updatemenus[0].buttons
    assert play.method == pause.method == "animate"
    assert play.label.endswith(EN("play")) and pause.label.endswith(EN("pause"))
    assert play.args[1]["frame"]["duration"] == figures.SPEEDS["fast"]
    animations = [play.args[1], pause.args[1]] + [s.args[1] for s in fig.layout.sliders[0].steps]
    for options in animations:
        assert options["frame"]["redraw"] is figures.REDRAW
        assert options["transition"]["duration"] == 0
    assert fig.layout.uirevision is not None
    assert fig.layout.sliders[0].currentvalue.prefix.startswith(EN("slider_step"))


# Static traces: which landscape views


def test_both_landscapes_by_default(book):
    views = landscape_views(book[3])
    assert views["surface"] == 1 and views["contour"] >= 1
    surface = book[3].data[named(book[3], EN("title_surface"))[0]]
    assert surface.type == "surface" and np.shape(surface.z)[0] > 2


def test_contour_only(long_run):
    fig = long_run[3]
    assert landscape_views(fig)["surface"] == 0 and landscape_views(fig)["contour"] >= 1
    assert not any(trace.type in ("surface", "scatter3d") for trace in fig.data)


def test_surface_only(big_projected):
    fig = big_projected[3]
    assert landscape_views(fig) == {"surface": 1, "contour": 0}
    assert fig.data[named(fig, ZH("title_surface"))[0]].type == "surface"


def test_scenes_keep_the_users_camera(book):
    layout = book[3].to_dict()["layout"]
    scenes = [v for k, v in layout.items() if k.startswith("scene")]
    assert len(scenes) == 2 and all(scene.get("uirevision") for scene in scenes)


# The path


@pytest.mark.parametrize("case", ["book", "long_run"])
def test_final_frame_path_ends_at_the_final_parameters(case, request):
    X, y, trajectory, fig = request.getfixturevalue(case)
    d = X.shape[1]
    final_a, final_b = (trajectory.ws[-1, 0], trajectory.ws[-1, 1] if d == 2 else trajectory.bs[-1])
    last = fig.frames[-1]
    path = named(fig, EN("legend_path"), "scatter")[0]
    xs, ys = frame_trace(fig, last, path).x, frame_trace(fig, last, path).y
    assert xs[-1] == pytest.approx(final_a, rel=1e-5) and ys[-1] == pytest.approx(final_b, rel=1e-5)
    assert xs[0] == pytest.approx(trajectory.path_w[0, 0], rel=1e-5, abs=1e-7)
    assert len(xs) <= max(figures.MAX_PATH_POINTS, 1)


def test_3d_path_is_drawn_at_the_true_loss(book):
    X, y, trajectory, fig = book
    path = named(fig, EN("legend_path"), "scatter3d")[0]
    zs = frame_trace(fig, fig.frames[-1], path).z
    true_loss = loss_quadratic(X, y).loss(np.append(trajectory.ws[-1], trajectory.bs[-1]))
    assert zs[-1] == pytest.approx(true_loss, rel=1e-5)


def test_loss_curves_are_thinned_and_the_cursor_is_exact(long_run):
    _, _, trajectory, fig = long_run
    for name in ("legend_loss", "legend_batch_loss"):
        assert len(fig.data[named(fig, EN(name))[0]].x) <= figures.MAX_CURVE_POINTS
    batch = fig.data[named(fig, EN("legend_batch_loss"))[0]]
    assert max(batch.y) == pytest.approx(trajectory.batch_losses.max())  # spikes survive
    cursor = [i for i in fig.frames[0].traces if fig.data[i].xaxis == batch.xaxis][0]
    last = frame_trace(fig, fig.frames[-1], cursor)
    assert last.x[0] == trajectory.num_steps
    assert last.y[0] == pytest.approx(trajectory.losses[-1], rel=1e-9)
    assert fig.layout[batch.yaxis.replace("y", "yaxis")].type == "log"


# Titles and words


def test_two_feature_landscape_title_states_the_held_bias(book):
    X, y, _, fig = book
    held = loss_quadratic(X, y).theta_star[-1]
    titles = [a.text for a in fig.layout.annotations]
    landscape = [text for text in titles if EN("title_contour") in text][0]
    assert "b = " in landscape and f"{held:.3g}" in landscape


def test_each_frame_states_step_epoch_parameters_loss_gradient(book):
    _, _, trajectory, fig = book
    text = fig.frames[-1].layout.title.text
    assert f"step {trajectory.num_steps}" in text and "epoch 3" in text
    assert f"{trajectory.bs[-1]:.4g}" in text and "gradient" in text


def test_chinese_figure_has_no_english_words(big_projected):
    fig = big_projected[3]
    layout = fig.to_dict()["layout"]
    titles = [layout[k]["title"]["text"] for k in layout if re.fullmatch(r"[xy]axis\d*", k)]
    for key, scene in layout.items():
        if key.startswith("scene"):
            titles += [scene[a]["title"]["text"] for a in ("xaxis", "yaxis", "zaxis")]
    assert titles and all(CJK.search(text) or text in PARAMETERS for text in titles)
    words = [a.text for a in fig.layout.annotations] + [t.name for t in fig.data]
    words += [b.label for b in fig.layout.updatemenus[0].buttons]
    words += [fig.layout.sliders[0].currentvalue.prefix, fig.frames[-1].layout.title.text]
    assert all(CJK.search(word) for word in words), words
    assert not set(strings_in(fig.to_dict())) & set(TABLE)  # no key shown in place of its text


# Big data, projection mode


def test_at_most_2000_data_points_for_100k_examples(big_projected):
    fig = big_projected[3]
    data = fig.data[named(fig, ZH("legend_data"))[0]]
    assert 0 < len(data.x) <= figures.MAX_DATA_POINTS == 2000


def test_projection_mode_is_large(big_projected):
    layout = big_projected[3].layout
    assert layout.font.size >= 20
    ticks = [axis.tickfont.size for axis in (layout.xaxis, layout.yaxis, layout.xaxis2)]
    ticks += [layout.scene.xaxis.tickfont.size, layout.scene.zaxis.tickfont.size]
    assert min(ticks) >= 16
    lines = [
        t.line.width for t in big_projected[3].data if t.type == "scatter" and t.mode == "lines"
    ]
    assert lines and min(lines) >= 4
    assert layout.height >= 900


def test_colours_are_explicit(book):
    fig = book[3]
    assert fig.layout.paper_bgcolor and fig.layout.plot_bgcolor and fig.layout.font.color
    for trace in fig.data:
        if trace.type in ("scatter", "scatter3d"):
            style = trace.line if trace.mode == "lines" else trace.marker
            assert style.color, trace.name


# Divergence: what was computed is drawn, and nothing non-finite reaches the browser


def test_diverged_figure_holds_only_finite_numbers(diverged):
    fig = diverged[3]
    values = numbers_in(fig.to_dict())
    assert values.size > 10_000 and np.all(np.isfinite(values))
    for frame in fig.to_dict()["frames"]:
        assert np.all(np.isfinite(numbers_in(frame)))
    assert "NaN" not in fig.to_json() and "Infinity" not in fig.to_json()


def test_diverged_figure_says_where(diverged):
    _, _, trajectory, fig = diverged
    note = EN("figure_diverged", step=trajectory.diverged_at)
    assert any(note in (a.text or "") for a in fig.layout.annotations)


@pytest.mark.parametrize("case", ["book", "long_run", "diverged", "big_projected"])
def test_axis_ranges_are_finite_and_sane(case, request):
    fig = request.getfixturevalue(case)[3]
    ranges = axis_ranges(fig.to_dict()["layout"])
    assert ranges
    for low, high in ranges:
        assert np.isfinite(low) and np.isfinite(high) and low < high and abs(high - low) < 1e15
