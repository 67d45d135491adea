"""The visualiser's views, one pure Plotly builder each: landscape (3-D and contour), data, loss.

Each builder reads a `Timeline` (the run, sampled and clamped) and returns a static `go.Figure`
showing the run's final state. Nothing here animates: the browser's player (`player.py`) moves
the traces named in `MOVING` from the run's compact binary timeline, one animation frame at a
time, so no per-step frame is ever sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from linreg_core import LossQuadratic, parameter_names
from linreg_core.dataset import Data
from linreg_core.limits import MAX_CURVE_POINTS
from linreg_core.plan import TrainSpec
from linreg_viz.i18n import Translator, translator
from linreg_viz.timeline import Timeline, data_sample, finite, thin
from linreg_viz.view_spec import ViewSpec

SURFACE_GRID, CONTOUR_GRID = 40, 60
CONTOUR_LEVELS = 18
MAX_EPOCH_LINES = 60  # more epoch boundaries than this are marked every few epochs

# The traces the player moves, named by their `meta`, in each view: what a test or the player looks for.
MOVING = {
    "surface": ("path3d", "current3d", "drop3d"),
    "contour": ("path2d", "current2d", "arrow_step", "arrow_full", "arrow_batch"),
    "data": ("fit", "batch"),
    "loss": ("progress", "cursor"),
}

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
# For a projector: the pale hues (sky blue, grey) swapped for the darkest Okabe-Ito colours and
# black, so every line holds up on a washed-out screen.
PROJECTION_PALETTE = {**PALETTE, "data": "#0072B2", "truth": "#000000", "loss": "#000000"}


@dataclass(frozen=True)
class Style:
    """Type, line and marker sizes, chart height and colours: larger for a projector."""

    font: int = 14
    tick: int = 12
    title: int = 16
    line: float = 3
    line3d: float = 6
    marker: float = 11
    marker3d: float = 6
    data_marker: float = 5
    height: int = 480
    colours: tuple = tuple(PALETTE.items())

    def colour(self, name: str) -> str:
        return dict(self.colours)[name]


def style_for(projection: bool) -> Style:
    """The look for a laptop, or for a projector (large type, thick lines, dark colours)."""
    if not projection:
        return Style()
    return Style(
        font=22,
        tick=18,
        title=24,
        line=6,
        line3d=9,
        marker=16,
        marker3d=9,
        data_marker=8,
        height=640,
        colours=tuple(PROJECTION_PALETTE.items()),
    )


def titled_layout(fig: go.Figure, title: str, style: Style, *, legend: bool = True) -> go.Figure:
    """What every view shares: title, fonts, white background, a legend under the plot."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": style.title}},
        height=style.height,
        margin={"l": 10, "r": 10, "t": 60 + 2 * style.title, "b": 10},
        font={"size": style.font, "color": "#111111"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        template="none",  # every colour is set here: no 10 KB template in each view
        uirevision="visualiser",
        showlegend=legend,
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.3,
            "x": 0,
            "font": {"size": style.font},
        },
    )
    if not is_3d(fig):
        axes = {
            "tickfont_size": style.tick,
            "gridcolor": "#dddddd",
            "zeroline": False,
            "automargin": True,
            "title_font_size": style.font,
        }
        fig.update_xaxes(**axes)
        fig.update_yaxes(**axes)
    return fig


def _scene(fig: go.Figure, titles: tuple[str, str, str], ranges, style: Style) -> None:
    """A 3-D scene with room for its axis titles, the camera a user turns kept across updates."""
    axes = {}
    for name, title, span in zip(("xaxis", "yaxis", "zaxis"), titles, ranges, strict=True):
        # Few ticks: a 3-D scene draws each label as a WebGL mesh, slow in software GL.
        axes[name] = {
            "title": {"text": title, "font": {"size": style.font}},
            "nticks": 5,
            "tickfont": {"size": style.tick},
            "range": list(span),
        }
    fig.update_scenes(
        **axes,
        aspectmode="manual",
        aspectratio={"x": 1, "y": 1, "z": 0.75},
        uirevision="visualiser",
        # Far enough that the z axis's title fits a phone's narrow view (at 1.35 it was cut).
        camera={"eye": {"x": 1.6, "y": -1.6, "z": 0.83}, "center": {"x": 0, "y": 0, "z": -0.12}},
        domain={"x": [0, 1], "y": [0, 1]},
    )
    fig.update_layout(margin={"l": 0, "r": 0, "b": 0}, legend_y=0)


def held_note(
    quad: LossQuadratic, axes: tuple[str, str], t: Translator, key: str = "held_at"
) -> str:
    """A second title line, 'held at b = 4.2' (or the text of `key`), for the parameter a
    landscape holds fixed; none when it holds none."""
    names = parameter_names(quad.d)
    held = [n for n in names if n not in axes]
    values = ", ".join(f"{n} = {quad.theta_star[names.index(n)]:.3g}" for n in held)
    return f"<br><sup>{t(key, values=values)}</sup>" if held else ""


def _arrows(tl: Timeline, quad: LossQuadratic, t: Translator, style: Style, batch: bool):
    """The step the last update took, -lr x the full-data gradient and (for an optimizer other
    than SGD, where they differ from the step) -lr x the minibatch gradient, on the landscape."""
    index = [parameter_names(quad.d).index(name) for name in tl.axes]
    base = tl.theta_prev[-1, index]
    tips = {
        "arrow_step": (np.append(tl.ws[-1], tl.bs[-1])[index], "arrow_step", "path"),
        "arrow_full": (base - tl.lr * tl.full_grads[-1, index], "arrow_full", "optimum"),
        "arrow_batch": (base - tl.lr * tl.grads[-1, index], "arrow_batch", "batch"),
    }
    traces = []
    for name, (tip, key, colour) in tips.items():
        if name == "arrow_batch" and not batch:
            continue
        xs, ys = finite(np.array([base, tip]), -1e6, 1e6).T
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                meta=name,
                name=t(f"legend_{key}"),
                line={"color": style.colour(colour), "width": style.line / 1.2},
                hoverinfo="name",
            )
        )
    return traces


def _optimum_name(quad: LossQuadratic, t: Translator) -> str:
    """The minimum marker's name: least squares, or the ridge fit when weight decay is on."""
    if quad.weight_decay:
        return t("legend_ridge", weight_decay=quad.weight_decay)
    return t("legend_optimum")


def _on_axes(quad: LossQuadratic, axes: tuple[str, str]) -> np.ndarray:
    """The least-squares optimum's two coordinates on the landscape's axes."""
    return quad.theta_star[[parameter_names(quad.d).index(name) for name in axes]]


def surface_view(tl: Timeline, quad: LossQuadratic, t: Translator, style: Style) -> go.Figure:
    """The loss surface over the two landscape parameters, the path drawn at its true loss."""
    surface = surface_trace(quad, tl.axes, tl.low, tl.high, tl.z_range[0], t)
    fig = go.Figure(
        [
            surface,
            optimum_3d(quad, tl.axes, t, style),
            go.Scatter3d(
                x=tl.path[:, 0],
                y=tl.path[:, 1],
                z=tl.path_z,
                mode="lines",
                meta="path3d",
                name=t("legend_path"),
                line={"color": style.colour("path"), "width": style.line3d},
            ),
            go.Scatter3d(
                x=tl.path[-1:, 0],
                y=tl.path[-1:, 1],
                z=tl.path_z[-1:],
                mode="markers",
                meta="current3d",
                name=t("legend_current"),
                marker={"size": style.marker3d, "color": style.colour("current")},
            ),
        ]
    )
    note = held_note(quad, tl.axes, t, "surface_drop_note")
    if note:  # the point floats above the slice by what the held parameters add: say so, show it
        fig.add_trace(
            go.Scatter3d(
                x=np.repeat(tl.path[-1:, 0], 2),
                y=np.repeat(tl.path[-1:, 1], 2),
                z=[tl.slice_z[-1], tl.path_z[-1]],
                mode="lines",
                meta="drop3d",
                name=t("legend_drop"),
                line={"color": style.colour("current"), "width": style.line3d / 2, "dash": "dash"},
            )
        )
    titled_layout(fig, t("title_surface") + note, style)
    surface_scene(
        fig, tl.axes, tl.low, tl.high, max(float(surface.z.max()), tl.z_range[1]), t, style
    )
    return fig


def surface_trace(
    quad: LossQuadratic, axes, low, high, z_floor: float, t: Translator
) -> go.Surface:
    """The loss over the box [low, high] of two parameters (the others at the optimum)."""
    a = np.linspace(low[0], high[0], SURFACE_GRID)
    b = np.linspace(low[1], high[1], SURFACE_GRID)
    z = quad.surface(a, b, axes=axes, at=quad.theta_star)
    hover = f"{axes[0]}=%{{x:.3f}}<br>{axes[1]}=%{{y:.3f}}<br>{t('axis_loss')}=%{{z:.4g}}"
    return go.Surface(
        x=a,
        y=b,
        z=z,
        surfacecolor=np.log10(np.maximum(z, z_floor)),
        colorscale="Viridis",
        showscale=False,
        opacity=0.85,
        name=t("title_surface"),
        hovertemplate=hover + "<extra></extra>",
    )


def optimum_3d(quad: LossQuadratic, axes, t: Translator, style: Style) -> go.Scatter3d:
    """The least-squares optimum on the loss surface."""
    optimum = _on_axes(quad, axes)
    return go.Scatter3d(
        x=[optimum[0]],
        y=[optimum[1]],
        z=[quad.loss_star],
        mode="markers",
        name=_optimum_name(quad, t),
        marker={"size": style.marker3d, "color": style.colour("optimum"), "symbol": "diamond"},
    )


def surface_scene(fig: go.Figure, axes, low, high, z_top: float, t: Translator, style) -> None:
    """The loss surface's scene: the two parameters over the box, the loss from 0 to z_top."""
    ranges = ((low[0], high[0]), (low[1], high[1]), (0, z_top))
    _scene(fig, (axes[0], axes[1], t("axis_loss")), ranges, style)


def contour_view(
    tl: Timeline,
    quad: LossQuadratic,
    t: Translator,
    style: Style,
    *,
    arrows: bool = True,
    optimizer: str = "sgd",
    equal_axes: bool = False,
) -> go.Figure:
    """Log-spaced level sets (exact ellipses from the engine), the optimum, start and path, and
    the last update's arrows (the player moves them): the step taken and -lr x the gradient.
    equal_axes: one unit as long on both axes, so that a round bowl looks round."""
    traces = contour_traces(quad, tl.axes, tl.low, tl.high, t, style)
    traces += [
        go.Scatter(
            x=tl.path[:1, 0],
            y=tl.path[:1, 1],
            mode="markers",
            name=t("legend_start"),
            marker={
                "symbol": "circle-open",
                "size": style.marker * 1.3,
                "color": style.colour("start"),
                "line": {"width": style.line / 1.5},
            },
        ),
        go.Scatter(
            x=tl.path[:, 0],
            y=tl.path[:, 1],
            mode="lines",
            meta="path2d",
            name=t("legend_path"),
            line={"color": style.colour("path"), "width": style.line / 1.5},
        ),
        go.Scatter(
            x=tl.path[-1:, 0],
            y=tl.path[-1:, 1],
            mode="markers",
            meta="current2d",
            name=t("legend_current"),
            marker={
                "size": style.marker,
                "color": style.colour("current"),
                "line": {"color": "white", "width": 1},
            },
        ),
    ]
    if arrows:
        traces += _arrows(tl, quad, t, style, batch=optimizer != "sgd")
    fig = titled_layout(go.Figure(traces), t("title_contour") + held_note(quad, tl.axes, t), style)
    fig.update_xaxes(range=[tl.low[0], tl.high[0]], title_text=tl.axes[0])
    fig.update_yaxes(range=[tl.low[1], tl.high[1]], title_text=tl.axes[1])
    if equal_axes:
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def _batch_trace(tl: Timeline, t: Translator, style: Style):
    """The last update's minibatch among the points drawn, ringed; the player moves it."""
    if tl.batch_points is None:
        return []
    last = tl.batch_points[tl.batch_offsets[-2] : tl.batch_offsets[-1]]
    points = tl.sample[last]
    ring = {
        "symbol": "circle-open",
        "color": style.colour("batch"),
        "line": {"width": style.line / 1.5, "color": style.colour("batch")},
    }
    if tl.sample.shape[1] == 2:
        return [
            go.Scatter(
                x=points[:, 0],
                y=points[:, 1],
                mode="markers",
                meta="batch",
                name=t("legend_batch"),
                marker={**ring, "size": style.data_marker * 2.4},
            )
        ]
    return [
        go.Scatter3d(
            x=points[:, 0],
            y=points[:, 1],
            z=points[:, 2],
            mode="markers",
            meta="batch",
            name=t("legend_batch"),
            marker={**ring, "size": style.data_marker * 1.2},
        )
    ]


def contour_traces(quad: LossQuadratic, axes, low, high, t: Translator, style: Style) -> list:
    """Log-spaced level sets over the box [low, high] (exact ellipses), and the optimum."""
    a = np.linspace(low[0], high[0], CONTOUR_GRID)
    b = np.linspace(low[1], high[1], CONTOUR_GRID)
    grid = quad.surface(a, b, axes=axes, at=quad.theta_star)
    lowest, highest = float(grid.min()), float(grid.max())
    levels = lowest + (highest - lowest) * np.geomspace(1e-3, 1.0, CONTOUR_LEVELS)
    shades = sample_colorscale("Viridis", list(np.linspace(0, 1, CONTOUR_LEVELS)))
    curves = quad.level_curves(levels, axes=axes, at=quad.theta_star)
    traces = [
        go.Scatter(
            x=ca,
            y=cb,
            mode="lines",
            line={"color": shade, "width": style.line / 2},
            name=t("title_contour"),
            legendgroup="contours",
            showlegend=False,
            hoverinfo="text",
            text=f"{t('axis_loss')} = {level:.4g}",
        )
        for level, shade, (ca, cb) in zip(levels, shades, curves, strict=True)
    ]
    optimum = _on_axes(quad, axes)
    traces.append(
        go.Scatter(
            x=[optimum[0]],
            y=[optimum[1]],
            mode="markers",
            name=_optimum_name(quad, t),
            marker={
                "symbol": "star",
                "size": style.marker * 1.6,
                "color": style.colour("optimum"),
                "line": {"color": "white", "width": 1},
            },
        )
    )
    return traces


def axis_names(
    d: int, t: Translator, columns: tuple[tuple[str, ...], str, bool] | None = None
) -> tuple[list[str], str]:
    """The data view's axis titles: a file's column names (marked standardised where they are),
    else feature x (x1, x2) and label y."""
    if columns is None:
        features = [t("axis_feature") + (str(i + 1) if d > 1 else "") for i in range(d)]
        return features, t("axis_label")
    names, label, standardised = columns
    if standardised:
        return [t("axis_standardised", name=name) for name in names], label
    return list(names), label


def data_view(
    tl: Timeline, X: np.ndarray, y: np.ndarray, truth, t: Translator, style: Style, columns=None
) -> go.Figure:
    """The data with the fitted line (1 feature) or plane (2 features), and the truth, faint;
    the current update's minibatch ringed when the timeline knows it. Its axes are named by
    `axis_names`."""
    builder = data_line_view if X.shape[1] == 1 else data_plane_view
    return builder(tl, X, y, truth, t, style, columns)


def data_line_view(
    tl: Timeline, X: np.ndarray, y: np.ndarray, truth, t: Translator, style: Style, columns=None
) -> go.Figure:
    """One feature: the data, the true line (dashed) and the fitted line the player moves."""
    shown = data_sample(y)
    (feature,), label = axis_names(1, t, columns)
    true_w, true_b = truth
    ends = tl.corners
    traces = [
        go.Scatter(
            x=X[shown, 0],
            y=y[shown],
            mode="markers",
            name=t("legend_data"),
            marker={"size": style.data_marker, "color": style.colour("data"), "opacity": 0.7},
        ),
        *_batch_trace(tl, t, style),
    ]
    if true_w is not None:
        traces.append(
            go.Scatter(
                x=ends,
                y=true_w[0] * ends + true_b,
                mode="lines",
                name=t("legend_truth"),
                line={"color": style.colour("truth"), "dash": "dash", "width": style.line / 1.5},
            )
        )
    traces.append(
        go.Scatter(
            x=ends,
            y=tl.fit[-1],
            mode="lines",
            meta="fit",
            name=t("legend_fit"),
            line={"color": style.colour("fit"), "width": style.line},
        )
    )
    fig = titled_layout(go.Figure(traces), t("title_data_line"), style)
    fig.update_xaxes(title_text=feature)
    fig.update_yaxes(title_text=label, range=list(tl.label_range))
    return fig


def data_plane_view(
    tl: Timeline, X: np.ndarray, y: np.ndarray, truth, t: Translator, style: Style, columns=None
) -> go.Figure:
    """Two features, in 3-D: the data, the true plane (faint) and the fitted plane the player
    moves."""
    shown = data_sample(y)
    features, label = axis_names(2, t, columns)
    true_w, true_b = truth
    corners = tl.corners
    plane = {
        "x": corners[:, 0],
        "y": corners[:, 1],
        "i": [0, 0],
        "j": [1, 2],
        "k": [2, 3],
        "hoverinfo": "skip",
        "flatshading": True,
    }
    traces = [
        go.Scatter3d(
            x=X[shown, 0],
            y=X[shown, 1],
            z=y[shown],
            mode="markers",
            name=t("legend_data"),
            marker={"size": style.data_marker / 2, "color": style.colour("data"), "opacity": 0.7},
        ),
        *_batch_trace(tl, t, style),
    ]
    if true_w is not None:
        traces.append(
            go.Mesh3d(
                **plane,
                z=corners @ true_w + true_b,
                opacity=0.25,
                color=style.colour("truth"),
                name=t("legend_truth"),
                showlegend=True,
            )
        )
    traces.append(
        go.Mesh3d(
            **plane,
            z=tl.fit[-1],
            opacity=0.6,
            color=style.colour("fit"),
            meta="fit",
            name=t("legend_fit"),
            showlegend=True,
        )
    )
    fig = titled_layout(go.Figure(traces), t("title_data_plane"), style)
    ranges = (
        (corners[:, 0].min(), corners[:, 0].max()),
        (corners[:, 1].min(), corners[:, 1].max()),
        tl.label_range,
    )
    _scene(fig, (features[0], features[1], label), ranges, style)
    return fig


def loss_view(tl: Timeline, trajectory, t: Translator, style: Style) -> go.Figure:
    """Full-data and minibatch loss per step on a log axis, faint; the run so far drawn over it."""
    S = trajectory.num_steps
    low, high = tl.loss_range
    steps = thin(np.arange(S + 1), MAX_CURVE_POINTS)
    bx, by = _envelope(np.arange(1, S + 1), finite(trajectory.batch_losses, low, high))
    traces = [
        go.Scatter(
            x=steps,
            y=finite(trajectory.path_loss[steps], low, high),
            mode="lines",
            name=t("legend_loss"),
            opacity=0.3,
            line={"color": style.colour("loss"), "width": style.line},
        ),
        go.Scatter(
            x=bx,
            y=by,
            mode="lines",
            name=t("legend_batch_loss"),
            opacity=0.35,
            line={"color": style.colour("batch"), "width": style.line * 2 / 3},
        ),
        go.Scatter(
            x=tl.steps,
            y=tl.curve_y,
            mode="lines",
            meta="progress",
            name=t("legend_progress"),
            line={"color": style.colour("loss"), "width": style.line},
        ),
        go.Scatter(
            x=tl.steps[-1:],
            y=tl.curve_y[-1:],
            mode="markers",
            meta="cursor",
            name=t("legend_current"),
            showlegend=False,
            cliponaxis=False,  # whole at step 0, on the axis's edge
            marker={"size": style.marker, "color": style.colour("current")},
        ),
    ]
    fig = titled_layout(go.Figure(traces), t("title_loss"), style)
    last_epoch = int(trajectory.epochs[-1]) if S and trajectory.steps_per_epoch > 1 else 1
    every = -(-last_epoch // MAX_EPOCH_LINES)
    for epoch in range(every, last_epoch, every):  # none for full batch: a line at every step
        fig.add_vline(
            x=epoch * trajectory.steps_per_epoch,
            line={"dash": "dot", "color": "#999999", "width": 1},
        )
    if trajectory.diverged_at is not None:
        fig.add_annotation(
            text=t("figure_diverged", step=trajectory.diverged_at),
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"color": style.colour("path"), "size": style.font},
        )
    fig.update_xaxes(title_text=t("axis_step"), range=[0, max(S, 1)])
    return log_loss_axis(fig, (low, high), t)


MAX_LOSS_LABELS = 7  # labels on a loss axis: whole decades, never the 2 and 5 between them


def log_loss_axis(fig: go.Figure, loss_range: tuple[float, float], t: Translator) -> go.Figure:
    """The loss view's y axis: log scale over the loss range, a little room at both ends, a label
    every decade (or every few, for a long range) and none between."""
    low, high = np.log10(loss_range[0]) - 0.3, np.log10(loss_range[1]) + 0.3
    fig.update_yaxes(
        title_text=t("axis_loss"),
        type="log",
        exponentformat="power",
        range=[low, high],
        tick0=0,
        dtick=max(1, math.ceil((high - low) / MAX_LOSS_LABELS)),
    )
    return fig


def build_views(
    tl: Timeline, trajectory, data: Data, spec: TrainSpec, view: ViewSpec
) -> dict[str, go.Figure]:
    """Every view `view` asks for, by name (surface, contour, data, loss), in the order they are
    placed, for the run of `spec` on `data` over the landscape of `tl` (its objective): the data
    view unless view.with_data is False (with a file's column names on its axes, and the true
    plane if known); equal_axes for the contour (see `contour_view`)."""
    t = translator(view.lang)
    style = style_for(view.projection)
    quad = tl.objective
    views = {}
    if view.landscape in ("both", "surface"):
        views["surface"] = surface_view(tl, quad, t, style)
    if view.landscape in ("both", "contour"):
        views["contour"] = contour_view(
            tl,
            quad,
            t,
            style,
            arrows=view.arrows,
            optimizer=spec.optimizer,
            equal_axes=view.equal_axes,
        )
    if view.with_data:
        truth = (data.true_w, data.true_b)
        views["data"] = data_view(tl, data.X, data.y, truth, t, style, data.columns)
    views["loss"] = loss_view(tl, trajectory, t, style)
    return views


def is_3d(fig: go.Figure) -> bool:
    """Whether a view is drawn in a 3-D scene."""
    return any(trace.type in ("surface", "scatter3d", "mesh3d") for trace in fig.data)


def _envelope(x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most MAX_CURVE_POINTS points keeping each bin's minimum and maximum, so spikes survive."""
    if len(values) <= MAX_CURVE_POINTS:
        return x, values
    bins = MAX_CURVE_POINTS // 2
    edges = np.linspace(0, len(values), bins + 1).astype(int)
    lows = np.minimum.reduceat(values, edges[:-1])
    highs = np.maximum.reduceat(values, edges[:-1])
    return np.repeat(x[edges[:-1]], 2), np.column_stack([lows, highs]).ravel()
