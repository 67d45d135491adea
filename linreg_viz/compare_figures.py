"""The comparison's views, one pure Plotly builder each: every run on one loss surface, one
contour and one loss view, coloured alike everywhere. Static figures at the runs' final state;
the player moves the traces named `KIND@r` (run r) from the comparison's timeline.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from linreg_core import LossQuadratic
from linreg_core.limits import FIGURE_POINTS
from linreg_viz.compare_timeline import CompareTimeline
from linreg_viz.figures import (
    Style,
    contour_traces,
    held_note,
    log_loss_axis,
    optimum_3d,
    style_for,
    surface_scene,
    surface_trace,
    titled_layout,
)
from linreg_viz.i18n import Translator
from linreg_viz.timeline import thin

# Okabe-Ito's darker hues, none of them the optimum's green: distinct for the common
# colour-vision deficiencies, and on a projector (projection mode keeps them).
RUN_COLOURS = ("#0072B2", "#D55E00", "#CC79A7", "#E69F00")


def _drawn(ct: CompareTimeline) -> np.ndarray:
    """The frames a static figure draws: at most FIGURE_POINTS, evenly, the last one kept."""
    return thin(np.arange(len(ct.epochs)), FIGURE_POINTS)


def moving(kind: str, run: int) -> str:
    """The `meta` of a trace the player moves: its kind (path2d, cursor, …) and its run."""
    return f"{kind}@{run}"


def _run_line(run: int, name: str, style: Style, width: float) -> dict:
    """What every trace of one run shares: its colour, its legend group, its name."""
    return {
        "name": name,
        "legendgroup": f"run{run}",
        "line": {"color": RUN_COLOURS[run], "width": width},
    }


def _run_point(run: int, name: str, size: float, **marker) -> dict:
    """What every marker of one run shares (its colour, legend group and name, out of the
    legend, which its line holds), with this size and any other marker settings."""
    return {
        "name": name,
        "legendgroup": f"run{run}",
        "showlegend": False,
        "marker": {"size": size, "color": RUN_COLOURS[run], **marker},
    }


def surface_view(ct: CompareTimeline, quad: LossQuadratic, names, t: Translator, style: Style):
    """The loss surface with every run's path at its true loss, and its current point."""
    surface = surface_trace(quad, ct.axes, ct.low, ct.high, ct.z_range[0], t)
    traces = [surface, optimum_3d(quad, ct.axes, t, style)]
    drawn = _drawn(ct)
    for r, name in enumerate(names):
        x, y, z = ct.path[r, drawn, 0], ct.path[r, drawn, 1], ct.path_z[r, drawn]
        traces += [
            go.Scatter3d(
                x=x,
                y=y,
                z=z,
                mode="lines",
                meta=moving("path3d", r),
                **_run_line(r, name, style, style.line3d),
            ),
            go.Scatter3d(
                x=x[-1:],
                y=y[-1:],
                z=z[-1:],
                mode="markers",
                meta=moving("current3d", r),
                **_run_point(r, name, style.marker3d),
            ),
        ]
    fig = titled_layout(go.Figure(traces), t("title_surface") + held_note(quad, ct.axes, t), style)
    surface_scene(
        fig, ct.axes, ct.low, ct.high, max(float(surface.z.max()), ct.z_range[1]), t, style
    )
    return fig


def _diverged(ct: CompareTimeline, r: int, x, y, name: str, t: Translator, style: Style):
    """An ✕ where run r stopped, having diverged; its legend says when."""
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        name=t("cmp_diverged_legend", name=name, epoch=ct.diverged_epoch[r]),
        legendgroup=f"run{r}",
        marker={
            "symbol": "x-thin",
            "size": style.marker * 2,
            "color": RUN_COLOURS[r],
            "line": {"color": RUN_COLOURS[r], "width": style.line},
        },
    )


def contour_view(ct: CompareTimeline, quad: LossQuadratic, names, t: Translator, style: Style):
    """Level sets with every run's start, path and current point; an ✕ where a run diverged."""
    traces = contour_traces(quad, ct.axes, ct.low, ct.high, t, style)
    drawn = _drawn(ct)
    for r, name in enumerate(names):
        x, y = ct.path[r, drawn, 0], ct.path[r, drawn, 1]
        traces += [
            go.Scatter(
                x=x[:1],
                y=y[:1],
                mode="markers",
                hoverinfo="name",
                **_run_point(
                    r,
                    name,
                    style.marker * 1.3,
                    symbol="circle-open",
                    line={"width": style.line / 1.5},
                ),
            ),
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                meta=moving("path2d", r),
                **_run_line(r, name, style, style.line / 1.5),
            ),
            go.Scatter(
                x=x[-1:],
                y=y[-1:],
                mode="markers",
                meta=moving("current2d", r),
                **_run_point(r, name, style.marker, line={"color": "black", "width": 1}),
            ),
        ]
        if ct.diverged_epoch[r] is not None:
            traces.append(_diverged(ct, r, x[-1], y[-1], name, t, style))
    fig = titled_layout(go.Figure(traces), t("title_contour") + held_note(quad, ct.axes, t), style)
    fig.update_xaxes(range=[ct.low[0], ct.high[0]], title_text=ct.axes[0])
    fig.update_yaxes(range=[ct.low[1], ct.high[1]], title_text=ct.axes[1])
    return fig


def loss_view(ct: CompareTimeline, names, t: Translator, style: Style) -> go.Figure:
    """Every run's full-data loss over epochs on a log axis: faint to its end, solid so far."""
    traces, drawn = [], _drawn(ct)
    epochs = ct.epochs[drawn]
    for r, name in enumerate(names):
        curve = ct.curve_y[r, drawn]
        traces += [
            go.Scatter(
                x=epochs,
                y=curve,
                mode="lines",
                opacity=0.3,
                showlegend=False,
                hoverinfo="skip",
                **_run_line(r, name, style, style.line),
            ),
            go.Scatter(
                x=epochs,
                y=curve,
                mode="lines",
                meta=moving("progress", r),
                **_run_line(r, name, style, style.line),
            ),
            go.Scatter(
                x=epochs[-1:],
                y=curve[-1:],
                mode="markers",
                meta=moving("cursor", r),
                cliponaxis=False,  # whole at epoch 0, on the axis's edge
                **_run_point(r, name, style.marker),
            ),
        ]
        if ct.diverged_epoch[r] is not None:
            held = ct.held[r]
            traces.append(_diverged(ct, r, ct.epochs[held], ct.curve_y[r, held], name, t, style))
    fig = titled_layout(go.Figure(traces), t("cmp_title_loss"), style)
    fig.update_xaxes(title_text=t("cmp_axis_epoch"), range=[0, float(ct.epochs[-1]) or 1])
    return log_loss_axis(fig, ct.loss_range, t)


def build_compare_views(
    ct: CompareTimeline,
    quad: LossQuadratic,
    names: list[str],
    *,
    t: Translator,
    landscape: str = "both",
    projection: bool = False,
) -> dict[str, go.Figure]:
    """Every view asked for, by name (surface, contour, loss), in the order they are placed."""
    style = style_for(projection)
    views = {}
    if landscape in ("both", "surface"):
        views["surface"] = surface_view(ct, quad, names, t, style)
    if landscape in ("both", "contour"):
        views["contour"] = contour_view(ct, quad, names, t, style)
    views["loss"] = loss_view(ct, names, t, style)
    return views
