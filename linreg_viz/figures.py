"""The visualiser's figure: one Plotly figure whose frames animate every view on one timeline.

A pure function of engine results: a `Trajectory`, the data's `LossQuadratic`, the data. The
static traces (surface, contour, data, true line, loss curves) are drawn once; each frame
carries only the traces that move, so Play runs in the browser with no server round trip.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from linreg_core import LossQuadratic, Trajectory, parameter_names
from linreg_viz.i18n import Translator, translator

MAX_FRAMES = 300
# A frame carries the path up to its step; past this many points the path in each frame is
# thinned evenly (start and current step kept) so the page stays a few MB for any run length.
MAX_PATH_POINTS = 500
MAX_CURVE_POINTS = 4000  # loss curves are drawn from at most this many points (spikes kept)
MAX_DATA_POINTS = 2000  # data points drawn, evenly subsampled
SURFACE_GRID, CONTOUR_GRID = 40, 60
CONTOUR_LEVELS = 18
# With plotly.js 4.1, frames drawn with redraw=False lose a contour and never move a 3-D trace
# (bench/plotly_animation_probe.py); redraw=True keeps every view, but redraws the whole figure
# each frame: about 240 ms with software WebGL (bench/animation_speed.py), far less on a GPU.
# The contour is drawn as line traces, which stay drawn however short the frame.
REDRAW = True
SPEEDS = {"slow": 800, "normal": 300, "fast": 100}  # ms per frame asked; a slow GPU caps it

# Okabe-Ito: safe for the common colour-vision deficiencies, and distinct on a projector.
PALETTE = {
    "path": "#D55E00",
    "current": "#000000",
    "start": "#0072B2",
    "optimum": "#009E73",
    "data": "#56B4E9",
    "fit": "#D55E00",
    "truth": "#7F7F7F",
    "loss": "#0072B2",
    "batch": "#E69F00",
}
# For a projector: the same hues, with the pale ones (sky blue, grey) swapped for the darkest
# Okabe-Ito colours and black, so every line holds up on a washed-out screen.
PROJECTION_PALETTE = {
    **PALETTE,
    "data": "#0072B2",
    "truth": "#000000",
    "loss": "#000000",
}
MAX_EPOCH_LINES = 60  # more epoch boundaries than this are marked every few epochs: a few shapes


def frame_steps(num_steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Path indices (0 = start, num_steps = last update) shown as frames: evenly thinned, ends kept."""
    count = min(num_steps + 1, max_frames)
    return np.unique(np.round(np.linspace(0, num_steps, count)).astype(int))


def _thin(indices: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` of the indices, evenly, first and last kept."""
    if len(indices) <= limit:
        return indices
    return indices[np.unique(np.round(np.linspace(0, len(indices) - 1, limit)).astype(int))]


def _finite(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values clamped into [low, high], NaN and infinities included: a figure holds no non-finite."""
    return np.clip(np.nan_to_num(values, nan=high, posinf=high, neginf=low), low, high)


def _box(centre: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Axis ranges around the optimum holding the start and the path, bounded if it diverged."""
    start = points[0]
    reach = np.maximum(np.abs(start - centre), 1.0)
    finite = points[np.all(np.isfinite(points), axis=1)]
    spread = np.max(np.abs(finite - centre), axis=0) if len(finite) else reach
    half = np.minimum(np.maximum(spread, reach), 3 * reach) * 1.15
    return centre - half, centre + half


def _theta_path(trajectory: Trajectory) -> np.ndarray:
    return np.column_stack([trajectory.path_w, trajectory.path_b])


def _landscape(quad, axes, low, high, size, held):
    a = np.linspace(low[0], high[0], size)
    b = np.linspace(low[1], high[1], size)
    return a, b, quad.surface(a, b, axes=axes, at=held)


def build_visualiser(
    trajectory: Trajectory,
    quad: LossQuadratic,
    X: np.ndarray,
    y: np.ndarray,
    *,
    t: Translator | None = None,
    true_w: np.ndarray | None = None,
    true_b: float | None = None,
    axes: tuple[str, str] | None = None,
    landscape: str = "both",
    speed: str = "normal",
    projection: bool = False,
    palette: dict[str, str] | None = None,
) -> go.Figure:
    """Loss landscape with the descent path, data with the fitted line or plane, loss curve."""
    t = t or translator("en")
    colours = palette or (PROJECTION_PALETTE if projection else PALETTE)
    d = X.shape[1]
    names = parameter_names(d)
    axes = tuple(axes or (("w1", "w2") if d == 2 else ("w1", "b")))
    ia, ib = names.index(axes[0]), names.index(axes[1])
    S = trajectory.num_steps
    theta = _theta_path(trajectory)
    loss = trajectory.path_loss
    sizes = _sizes(projection)

    low, high = _box(quad.theta_star[[ia, ib]], theta[:, [ia, ib]])
    path_xy = np.column_stack(
        [_finite(theta[:, ia], low[0], high[0]), _finite(theta[:, ib], low[1], high[1])]
    )
    floor = max(quad.loss_star, 1e-12)
    grid_top = float(
        np.max(_landscape(quad, axes, low, high, 8, quad.theta_star)[2])
    )  # the corners of the box bound the slice
    loss_top = max(grid_top, float(np.nanmax(np.where(np.isfinite(loss), loss, 0)))) * 1.1
    path_z = _finite(loss, floor, min(loss_top, 1e12))
    # Frames repeat the path many times over, and Plotly sends arrays as binary: single
    # precision (far finer than a pixel) halves the page.
    path_xy, path_z = path_xy.astype(np.float32), path_z.astype(np.float32)
    held = [n for n in names if n not in axes]
    held_text = ", ".join(
        f"{n} = {quad.theta_star[names.index(n)]:.3g}" for n in held
    )  # held at the least-squares value

    show_surface = landscape in ("both", "surface")
    show_contour = landscape in ("both", "contour")
    data_type = "scene" if d == 2 else "xy"
    if show_surface and show_contour:
        top = [{"type": "scene"}, {"type": "xy"}]
        titles = [t("title_surface"), t("title_contour")]
    else:
        top = [{"type": "scene" if show_surface else "xy", "colspan": 2}, None]
        titles = [t("title_surface") if show_surface else t("title_contour")]
    if held_text:
        titles = [title + t("held_at", values=held_text) for title in titles]
    titles += [t("title_data_line") if d == 1 else t("title_data_plane"), t("title_loss")]
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[top, [{"type": data_type}, {"type": "xy"}]],
        subplot_titles=titles,
        vertical_spacing=0.17,
        horizontal_spacing=0.08,
    )
    landscape_cell = (1, 1)
    contour_cell = (1, 2) if show_surface else (1, 1)
    moving: list[int] = []
    frame_data: list = []  # per moving trace: path index -> that trace's data

    def add(trace, cell, moves=None):
        fig.add_trace(trace, row=cell[0], col=cell[1])
        if moves is not None:
            moving.append(len(fig.data) - 1)
            frame_data.append(moves)

    label_a, label_b = axes
    steps = frame_steps(S)
    all_points = np.arange(S + 1)

    def upto(k):
        return _thin(all_points[: k + 1], MAX_PATH_POINTS)

    optimum = quad.theta_star[[ia, ib]]
    if show_surface:
        ga, gb, gz = _landscape(quad, axes, low, high, SURFACE_GRID, quad.theta_star)
        add(
            go.Surface(
                x=ga, y=gb, z=gz, surfacecolor=np.log10(np.maximum(gz, floor)),
                colorscale="Viridis", showscale=False, opacity=0.85, name=t("title_surface"),
                hovertemplate=f"{label_a}=%{{x:.3f}}<br>{label_b}=%{{y:.3f}}<br>"
                + t("axis_loss") + "=%{z:.4g}<extra></extra>",
            ),
            landscape_cell,
        )  # fmt: skip
        add(
            go.Scatter3d(
                x=[optimum[0]], y=[optimum[1]], z=[quad.loss_star], mode="markers",
                marker={"size": sizes["marker3d"], "color": colours["optimum"], "symbol": "diamond"},
                name=t("legend_optimum"), showlegend=not show_contour,
            ),
            landscape_cell,
        )  # fmt: skip
        add(
            go.Scatter3d(
                x=path_xy[:1, 0], y=path_xy[:1, 1], z=path_z[:1], mode="lines",
                line={"color": colours["path"], "width": sizes["line3d"]}, name=t("legend_path"),
                showlegend=False,
            ),
            landscape_cell,
            lambda k: {"x": path_xy[upto(k), 0], "y": path_xy[upto(k), 1], "z": path_z[upto(k)]},
        )  # fmt: skip
        add(
            go.Scatter3d(
                x=path_xy[:1, 0], y=path_xy[:1, 1], z=path_z[:1], mode="markers",
                marker={"size": sizes["marker3d"], "color": colours["current"]},
                name=t("legend_current"), showlegend=False,
            ),
            landscape_cell,
            lambda k: {"x": path_xy[k : k + 1, 0], "y": path_xy[k : k + 1, 1], "z": path_z[k : k + 1]},
        )  # fmt: skip
    if show_contour:
        # Contour lines as plain line traces, not a Contour trace: while frames redraw the
        # figure, a Contour (or Heatmap) layer is blank whenever a redraw outlasts the frame
        # (tests/browser), and line traces are not. On this loss the level sets are exact
        # ellipses, computed by the engine.
        _, _, gz = _landscape(quad, axes, low, high, CONTOUR_GRID, quad.theta_star)
        lowest, highest = float(gz.min()), float(gz.max())
        levels = lowest + (highest - lowest) * np.geomspace(1e-3, 1.0, CONTOUR_LEVELS)
        shades = sample_colorscale("Viridis", list(np.linspace(0, 1, CONTOUR_LEVELS)))
        curves = quad.level_curves(levels, axes=axes, at=quad.theta_star)
        for level, shade, (a, b) in zip(levels, shades, curves, strict=True):
            add(
                go.Scatter(
                    x=a, y=b, mode="lines", line={"color": shade, "width": sizes["line"] / 2},
                    name=t("title_contour"), legendgroup="contours", showlegend=False,
                    hoverinfo="text", text=f"{t('axis_loss')} = {level:.4g}",
                ),
                contour_cell,
            )  # fmt: skip
        add(
            go.Scatter(
                x=[optimum[0]], y=[optimum[1]], mode="markers", name=t("legend_optimum"),
                marker={"symbol": "star", "size": sizes["marker"] * 1.6, "color": colours["optimum"],
                        "line": {"color": "white", "width": 1}},
            ),
            contour_cell,
        )  # fmt: skip
        add(
            go.Scatter(
                x=path_xy[:1, 0], y=path_xy[:1, 1], mode="markers", name=t("legend_start"),
                marker={"symbol": "circle-open", "size": sizes["marker"] * 1.3,
                        "color": colours["start"], "line": {"width": sizes["line"] / 1.5}},
            ),
            contour_cell,
        )  # fmt: skip
        add(
            go.Scatter(
                x=path_xy[:1, 0], y=path_xy[:1, 1], mode="lines", name=t("legend_path"),
                line={"color": colours["path"], "width": sizes["line"] / 1.5},
            ),
            contour_cell,
            lambda k: {"x": path_xy[upto(k), 0], "y": path_xy[upto(k), 1]},
        )  # fmt: skip
        add(
            go.Scatter(
                x=path_xy[:1, 0], y=path_xy[:1, 1], mode="markers", name=t("legend_current"),
                marker={"size": sizes["marker"], "color": colours["current"],
                        "line": {"color": "white", "width": 1}},
            ),
            contour_cell,
            lambda k: {"x": path_xy[k : k + 1, 0], "y": path_xy[k : k + 1, 1]},
        )  # fmt: skip
        row, col = contour_cell
        fig.update_xaxes(range=[low[0], high[0]], title_text=label_a, row=row, col=col)
        fig.update_yaxes(range=[low[1], high[1]], title_text=label_b, row=row, col=col)

    _data_view(fig, add, trajectory, X, y, true_w, true_b, t, sizes, colours)
    _loss_view(fig, add, trajectory, t, sizes, colours)

    frames = []
    for k in steps:
        text = _numbers(trajectory, int(k), t)
        frames.append(
            {
                "name": str(int(k)),
                "data": [
                    {"type": fig.data[i].type, **make(int(k))}
                    for i, make in zip(moving, frame_data, strict=True)
                ],
                "traces": moving,
                "layout": {"title": {"text": text}},
            }
        )
    fig.frames = frames  # plain dicts: validated once here, not twice (go.Frame, then here)
    for index, make in zip(moving, frame_data, strict=True):
        fig.data[index].update(make(0))  # the figure opens on the start of the run

    duration = SPEEDS[speed]
    play = {
        "frame": {"duration": duration, "redraw": REDRAW},
        "fromcurrent": True,
        "transition": {"duration": 0},
        "mode": "immediate",
    }
    pause = {
        "frame": {"duration": 0, "redraw": REDRAW},
        "mode": "immediate",
        "transition": {"duration": 0},
    }
    fig.update_layout(
        title={
            "text": _numbers(trajectory, 0, t),
            "x": 0.01,
            "y": 0.995,
            "font": {"size": sizes["title"]},
        },
        height=sizes["height"],
        margin={"l": 60, "r": 30, "t": 110, "b": 40},
        font={"size": sizes["font"], "color": "#111111"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        uirevision="visualiser",
        legend={"orientation": "h", "y": -0.06, "x": 0, "font": {"size": sizes["font"]}},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 1.09,
                "xanchor": "left",
                "yanchor": "bottom",
                "showactive": False,
                "pad": {"r": 8},
                "font": {"size": sizes["font"]},
                "buttons": [
                    {"label": "▶ " + t("play"), "method": "animate", "args": [None, play]},
                    {"label": "■ " + t("pause"), "method": "animate", "args": [[None], pause]},
                ],
            }
        ],
        sliders=[
            {
                "active": 0,
                "x": 0.2,
                "len": 0.8,
                "y": 1.09,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 0},
                "currentvalue": {"prefix": t("slider_step") + " ", "font": {"size": sizes["font"]}},
                "font": {"color": "rgba(0,0,0,0)"},  # 300 tick labels would overlap: hide them
                "ticklen": 0,
                "minorticklen": 0,
                "transition": {"duration": 0},
                "steps": [
                    {
                        "label": str(int(k)),
                        "method": "animate",
                        "args": [[str(int(k))], pause],
                    }
                    for k in steps
                ],
            }
        ],
    )
    scene = {
        "xaxis": {"title": {"text": label_a}, "range": [low[0], high[0]]},
        "yaxis": {"title": {"text": label_b}, "range": [low[1], high[1]]},
        "zaxis": {"title": {"text": t("axis_loss")}},
        "uirevision": "visualiser",
        "aspectmode": "cube",
    }
    if show_surface:
        fig.update_scenes(scene, row=1, col=1)
    fig.update_annotations(font_size=sizes["font"])
    fig.update_xaxes(tickfont_size=sizes["tick"], gridcolor="#dddddd", zeroline=False)
    fig.update_yaxes(tickfont_size=sizes["tick"], gridcolor="#dddddd", zeroline=False)
    fig.update_scenes(
        xaxis_tickfont_size=sizes["tick3d"], yaxis_tickfont_size=sizes["tick3d"],
        zaxis_tickfont_size=sizes["tick3d"],
    )  # fmt: skip
    if trajectory.diverged_at is not None:
        fig.add_annotation(
            text=t("figure_diverged", step=trajectory.diverged_at), xref="paper", yref="paper",
            x=1, y=1.09, xanchor="right", yanchor="bottom", showarrow=False,
            font={"color": colours["path"], "size": sizes["title"]},
        )  # fmt: skip
    return fig


def _sizes(projection: bool) -> dict[str, float]:
    """Type, line and marker sizes: larger and thicker for a projector."""
    if projection:
        return {"font": 22, "tick": 18, "tick3d": 16, "title": 24, "line": 6, "line3d": 9, "marker": 16,
                "marker3d": 9, "height": 1150, "data_marker": 8}  # fmt: skip
    return {"font": 14, "tick": 12, "tick3d": 11, "title": 16, "line": 3, "line3d": 6, "marker": 11,
            "marker3d": 6, "height": 920, "data_marker": 5}  # fmt: skip


def _numbers(trajectory: Trajectory, k: int, t: Translator) -> str:
    """The title line of path index k: step, epoch, w, b, loss, gradient size."""
    w = trajectory.path_w[k]
    b = trajectory.path_b[k]
    loss = trajectory.path_loss[k]
    if k == 0:
        epoch, grad = 0, float("nan")
    else:
        epoch = int(trajectory.epochs[k - 1])
        grad = float(np.hypot(np.linalg.norm(trajectory.grad_ws[k - 1]), trajectory.grad_bs[k - 1]))

    def show(value: float) -> str:
        return f"{value:.4g}" if np.isfinite(value) else "—"

    weights = ", ".join(show(v) for v in w)
    return t(
        "frame_numbers", step=k, epoch=epoch, w=weights, b=show(b), loss=show(loss), grad=show(grad)
    )


def _data_view(fig, add, trajectory, X, y, true_w, true_b, t, sizes, colours) -> None:
    """Data with the fitted line (1 feature) or plane (2 features) moving, the truth faint."""
    d = X.shape[1]
    shown = _thin(np.arange(len(y)), MAX_DATA_POINTS)
    span = float(np.ptp(y)) or 1.0
    y_low, y_high = float(y.min()) - 0.15 * span, float(y.max()) + 0.15 * span
    big = 10 * (abs(y_low) + abs(y_high) + 1)
    ws = _finite(trajectory.path_w, -1e6, 1e6)
    bs = _finite(trajectory.path_b, -1e6, 1e6)
    if d == 1:
        x_ends = np.array([X[:, 0].min(), X[:, 0].max()])
        add(
            go.Scatter(
                x=X[shown, 0], y=y[shown], mode="markers", name=t("legend_data"),
                marker={"size": sizes["data_marker"], "color": colours["data"], "opacity": 0.7},
            ),
            (2, 1),
        )  # fmt: skip
        if true_w is not None:
            add(
                go.Scatter(
                    x=x_ends, y=true_w[0] * x_ends + true_b, mode="lines", name=t("legend_truth"),
                    line={"color": colours["truth"], "dash": "dash", "width": sizes["line"] / 1.5},
                ),
                (2, 1),
            )  # fmt: skip
        add(
            go.Scatter(
                x=x_ends, y=_finite(ws[0, 0] * x_ends + bs[0], -big, big), mode="lines",
                name=t("legend_fit"), line={"color": colours["fit"], "width": sizes["line"]},
            ),
            (2, 1),
            lambda k: {"y": _finite(ws[k, 0] * x_ends + bs[k], -big, big)},
        )  # fmt: skip
        fig.update_xaxes(title_text=t("axis_feature"), row=2, col=1)
        fig.update_yaxes(title_text=t("axis_label"), range=[y_low, y_high], row=2, col=1)
        return
    g1 = np.array([X[:, 0].min(), X[:, 0].max()])
    g2 = np.array([X[:, 1].min(), X[:, 1].max()])
    m1, m2 = np.meshgrid(g1, g2)

    def plane(w, b):
        return _finite(w[0] * m1 + w[1] * m2 + b, -big, big)

    add(
        go.Scatter3d(
            x=X[shown, 0], y=X[shown, 1], z=y[shown], mode="markers", name=t("legend_data"),
            marker={"size": sizes["data_marker"] / 2, "color": colours["data"], "opacity": 0.7},
        ),
        (2, 1),
    )  # fmt: skip
    if true_w is not None:
        add(
            go.Surface(
                x=g1, y=g2, z=plane(true_w, true_b), opacity=0.25, showscale=False,
                colorscale=[[0, colours["truth"]], [1, colours["truth"]]], name=t("legend_truth"),
                hoverinfo="skip",
            ),
            (2, 1),
        )  # fmt: skip
    add(
        go.Surface(
            x=g1, y=g2, z=plane(ws[0], bs[0]), opacity=0.6, showscale=False,
            colorscale=[[0, colours["fit"]], [1, colours["fit"]]], name=t("legend_fit"),
            hoverinfo="skip",
        ),
        (2, 1),
        lambda k: {"z": plane(ws[k], bs[k])},
    )  # fmt: skip
    fig.update_scenes(
        xaxis_title_text=t("axis_feature") + " 1",
        yaxis_title_text=t("axis_feature") + " 2",
        zaxis_title_text=t("axis_label"),
        zaxis_range=[y_low, y_high],
        uirevision="visualiser-data",
        aspectmode="cube",
        row=2,
        col=1,
    )


def _loss_view(fig, add, trajectory, t, sizes, colours) -> None:
    """Full-data and batch loss per step on a log axis, epochs marked, a cursor at the step."""
    S = trajectory.num_steps
    loss = trajectory.path_loss
    positive = loss[np.isfinite(loss) & (loss > 0)]
    floor = float(positive.min()) if len(positive) else 1e-12
    batch = trajectory.batch_losses
    finite_batch = batch[np.isfinite(batch) & (batch > 0)]
    top = float(
        max(
            positive.max() if len(positive) else 1.0,
            finite_batch.max() if len(finite_batch) else 1.0,
        )
    )
    top = min(top, floor * 1e14)
    low = min(floor, float(finite_batch.min()) if len(finite_batch) else floor)
    clamp_low, clamp_high = low, top
    steps = np.arange(S + 1)
    curve = _thin(steps, MAX_CURVE_POINTS)
    add(
        go.Scatter(
            x=curve, y=_finite(loss[curve], clamp_low, clamp_high), mode="lines",
            name=t("legend_loss"), line={"color": colours["loss"], "width": sizes["line"]},
        ),
        (2, 2),
    )  # fmt: skip
    bx, by = _envelope(np.arange(1, S + 1), _finite(batch, clamp_low, clamp_high))
    add(
        go.Scatter(
            x=bx, y=by, mode="lines", name=t("legend_batch_loss"), opacity=0.6,
            line={"color": colours["batch"], "width": sizes["line"] * 2 / 3},
        ),
        (2, 2),
    )  # fmt: skip
    cursor_y = _finite(loss, clamp_low, clamp_high)
    add(
        go.Scatter(
            x=[0], y=cursor_y[:1], mode="markers", name=t("legend_current"), showlegend=False,
            marker={"size": sizes["marker"], "color": colours["current"]},
        ),
        (2, 2),
        lambda k: {"x": [k], "y": cursor_y[k : k + 1]},
    )  # fmt: skip
    last_epoch = int(trajectory.epochs[-1]) if S else 1
    every = -(-last_epoch // MAX_EPOCH_LINES)
    for epoch in range(every, last_epoch, every):
        fig.add_vline(
            x=epoch * trajectory.steps_per_epoch, line={"dash": "dot", "color": "#999999", "width": 1},
            row=2, col=2, exclude_empty_subplots=False,
        )  # fmt: skip
    fig.update_xaxes(title_text=t("axis_step"), range=[0, max(S, 1)], row=2, col=2)
    fig.update_yaxes(
        title_text=t("axis_loss"), type="log", exponentformat="power",
        range=[np.log10(clamp_low) - 0.3, np.log10(clamp_high) + 0.3], row=2, col=2,
    )  # fmt: skip


def _envelope(x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most MAX_CURVE_POINTS points keeping each bin's minimum and maximum, so spikes survive."""
    if len(values) <= MAX_CURVE_POINTS:
        return x, values
    bins = MAX_CURVE_POINTS // 2
    edges = np.linspace(0, len(values), bins + 1).astype(int)
    lows = np.minimum.reduceat(values, edges[:-1])
    highs = np.maximum.reduceat(values, edges[:-1])
    centres = x[edges[:-1]]
    return np.repeat(centres, 2), np.column_stack([lows, highs]).ravel()
