"""The cached work behind the pages: data, runs and figures, each computed once per argument set.

Caches are bounded (entries and age) so that memory stays flat as a class comes and goes, and
hold only immutable results: no session shares mutable state with another. A data set is named
by a hashable key; arguments with a leading underscore are not hashed, the key stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from linreg_core import LossQuadratic, loss_quadratic, run, synthetic_data
from linreg_viz.figures import build_visualiser
from linreg_viz.i18n import translator
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


@st.cache_data(**CACHE)
def synthetic(d: int, w: tuple[float, ...], b: float, noise: float, n: int, seed: int) -> Data:
    """The synthetic data set of the Data controls."""
    X, y = synthetic_data(list(w[:d]), b, n, noise=noise, seed=seed)
    return describe(X, y, np.array(w[:d]), b)


def upload_key(digest: str, dataset: Dataset, standardise: bool) -> tuple:
    """The key that names an uploaded data set in the caches: the file's digest and choices."""
    return ("upload", digest, dataset.features, dataset.target, standardise)


@st.cache_data(**CACHE)
def train_run(data_key: tuple, training: tuple, _data: Data):
    """The whole run for these data and training settings."""
    lr, batch_size, epochs, optimizer, seed, w0, b0 = training
    return run(
        _data.X, _data.y, lr=lr, batch_size=batch_size, epochs=epochs, optimizer=optimizer,
        seed=seed, w0=None if w0 is None else np.array(w0), b0=b0,
    )  # fmt: skip


@st.cache_data(**CACHE)
def figure(data_key: tuple, training: tuple, view: tuple, _data: Data):
    """The animated figure for a run, in one language and look."""
    lang, landscape, axes, speed, projection = view
    return build_visualiser(
        train_run(data_key, training, _data), _data.quad, _data.X, _data.y, t=translator(lang),
        true_w=_data.true_w, true_b=_data.true_b, axes=axes, landscape=landscape, speed=speed,
        projection=projection,
    )  # fmt: skip
