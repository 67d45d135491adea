"""The cached work behind the pages: data, runs and figures, each computed once per argument set.

Caches are bounded (entries and age) so that memory stays flat as a class comes and goes, and
hold only immutable results: no session shares mutable state with another. A data set is named
by a hashable key; arguments with a leading underscore are not hashed, the key stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from linreg_core import LossQuadratic, Trajectory, loss_quadratic, run, synthetic_data
from linreg_viz.figures import build_views
from linreg_viz.i18n import translator
from linreg_viz.player import payload
from linreg_viz.timeline import make_timeline
from linreg_viz.uploads import Dataset

CACHE = {"max_entries": 16, "ttl": 3600, "show_spinner": False}


@dataclass(frozen=True)
class Data:
    """A data set and what every view needs of it, from one pass."""

    X: np.ndarray
    y: np.ndarray
    quad: LossQuadratic
    limit: float
    closed: tuple[np.ndarray, float]
    true_w: np.ndarray | None  # None for uploaded data: nobody knows the truth
    true_b: float | None


def describe(X: np.ndarray, y: np.ndarray, true_w=None, true_b=None) -> Data:
    """One pass over the data: the loss quadratic, the stability limit, the least-squares fit."""
    quad = loss_quadratic(X, y)
    closed = (quad.theta_star[:-1], float(quad.theta_star[-1]))  # the least-squares fit
    return Data(X, y, quad, quad.stability_limit(), closed, true_w, true_b)


@st.cache_resource(**CACHE)
def synthetic(d: int, w: tuple[float, ...], b: float, noise: float, n: int, seed: int) -> Data:
    """The synthetic data set of the Data controls."""
    X, y = synthetic_data(list(w[:d]), b, n, noise=noise, seed=seed)
    return describe(X, y, np.array(w[:d]), b)


def upload_key(digest: str, dataset: Dataset, standardise: bool) -> tuple:
    """The key that names an uploaded data set in the caches: the file's digest and choices."""
    return ("upload", digest, dataset.features, dataset.target, standardise)


@dataclass(frozen=True)
class TrainSpec:
    """The training controls of one run: a named, hashable cache key."""

    lr: float
    batch_size: int
    epochs: int
    optimizer: str
    seed: int
    w0: tuple[float, ...] | None = None  # None: the book's start
    b0: float | None = None


@dataclass(frozen=True)
class ViewSpec:
    """How a run is shown: language, landscape, its two axes, playback speed, projection mode."""

    lang: str
    landscape: str
    axes: tuple[str, str]
    speed: str
    projection: bool
    arrows: bool = True


@st.cache_resource(**CACHE)
def train_run(data_key: tuple, spec: TrainSpec, _data: Data) -> Trajectory:
    """The whole run for these data and training settings (shared, never copied: read-only)."""
    return run(
        _data.X,
        _data.y,
        lr=spec.lr,
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        optimizer=spec.optimizer,
        seed=spec.seed,
        w0=None if spec.w0 is None else np.array(spec.w0),
        b0=spec.b0,
    )


@dataclass(frozen=True)
class Views:
    """What the page sends for a run: each view's static figure and the player's bytes."""

    figures: dict[str, go.Figure]
    player: bytes


CHART_KEY = "gdv_{}"  # st.plotly_chart key of each view; the player finds charts by it


@st.cache_resource(**CACHE)
def views(data_key: tuple, spec: TrainSpec, view: ViewSpec, _data: Data) -> Views:
    """The static views of a run and its timeline for the player, in one language and look."""
    trajectory = train_run(data_key, spec, _data)
    tl = make_timeline(
        trajectory,
        _data.quad,
        _data.X,
        _data.y,
        axes=view.axes,
        optimizer=spec.optimizer,
        batch_size=spec.batch_size,
        lr=spec.lr,
    )
    t = translator(view.lang)
    figures = build_views(
        tl,
        trajectory,
        _data.quad,
        _data.X,
        _data.y,
        t=t,
        truth=(_data.true_w, _data.true_b),
        landscape=view.landscape,
        projection=view.projection,
        arrows=view.arrows,
        optimizer=spec.optimizer,
    )
    charts = {name: f".st-key-{CHART_KEY.format(name)} .js-plotly-plot" for name in figures}
    blob = payload(
        tl,
        charts=charts,
        t=t,
        speed=view.speed,
        projection=view.projection,
        optimizer=spec.optimizer,
        lr=spec.lr,
        moving={name: [tr.meta for tr in fig.data if tr.meta] for name, fig in figures.items()},
    )
    return Views(figures, blob)
