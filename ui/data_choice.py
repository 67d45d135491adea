"""The data a page runs on: synthetic, from the Data group's controls, or the user's own CSV."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from linreg_core import stability_limit
from linreg_core.data import standardise as standardise_features
from linreg_core.dataset import describe
from linreg_core.limits import MAX_UPLOAD_MB
from linreg_viz import settings
from linreg_viz.i18n import literal
from linreg_viz.uploads import (
    UploadError,
    choose,
    forget_column_choices,
    read_table,
)
from ui import state
from ui.runs import synthetic, upload_key

UPLOAD = "uploaded_data"  # (key, Data) of the last good upload: this session's own
UPLOAD_TABLE = "upload_table"  # (digest, table) of the file last read
_MADE = "data_made"  # {control names: their values} of the data last made from them
T = TypeVar("T")


def data_controls(tr) -> bool:
    """The Data group: synthetic data (features, true w and b, noise, n, seed) or a CSV.
    True if the chosen CSV was lost (`file_lost`): nothing may be drawn in its name."""
    st.subheader(tr("group_data"))
    state.values().setdefault("source", "synthetic")  # not in the URL: a file cannot be linked
    source = state.control(
        st.radio,
        "source",
        tr("field_source"),
        options=["synthetic", "upload"],
        horizontal=True,
        format_func=lambda k: tr(f"source_{k}"),
    )
    if source == "upload":
        return upload_controls(tr)
    d = state.control(
        st.segmented_control,
        "d",
        tr("field_d"),
        required=True,
        format_func=lambda k: tr("one_feature") if k == 1 else tr("two_features"),
    )
    for i in range(1, int(d) + 1):
        state.control(st.slider, f"w{i}", tr("field_w", i=i))
    state.control(st.slider, "b", tr("field_b"))
    state.control(st.number_input, "noise", tr("field_noise"))
    state.control(st.number_input, "n", tr("field_n"))
    state.control(st.number_input, "seed", tr("field_seed"))
    return False


def upload_controls(tr) -> bool:
    """Your own CSV: columns to use, optional standardisation; a bad file keeps the last data.
    True if the page shows a file this session never read: the server lost it (`file_lost`)."""
    file = st.file_uploader(
        tr("field_file", limit_mb=MAX_UPLOAD_MB),
        key="upload_file",
        help=tr("upload_help"),
        max_upload_size=MAX_UPLOAD_MB,
    )
    st.caption(tr("upload_not_in_link"))  # the address bar is where a run is shared
    if file is None:
        return file_lost()
    raw = file.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    if st.session_state.get(UPLOAD_TABLE, (None,))[0] != digest:  # parse a file once, not per rerun
        try:
            st.session_state[UPLOAD_TABLE] = (digest, read_table(raw))
        except UploadError as error:
            st.error(tr(error.key, **error.fields))
            return False
        forget_column_choices(st.session_state)  # a new file starts at its own columns
    frame = st.session_state[UPLOAD_TABLE][1]
    columns = list(frame.columns)
    features = st.multiselect(
        tr("field_features"), columns, default=columns[:1], max_selections=2, key="upload_features"
    )
    rest = [c for c in columns if c not in features] or columns
    target = st.selectbox(tr("field_target"), rest, index=len(rest) - 1, key="upload_target")
    standardise = st.checkbox(tr("field_standardise"), value=True, key="upload_standardise")
    try:
        dataset = choose(frame, features, target, standardise)
    except UploadError as error:
        st.error(tr(error.key, **error.fields))
        return False
    key = upload_key(digest, dataset, standardise)
    if st.session_state.get(UPLOAD, (None,))[0] != key:
        columns = (dataset.features, dataset.target, standardise)
        st.session_state[UPLOAD] = (key, describe(dataset.X, dataset.y, columns=columns))
    if not standardise:
        suggest_standardising(tr, st.session_state[UPLOAD][1].limit, dataset.X)
    return False


def suggest_standardising(tr, limit: float, X: np.ndarray) -> None:
    """Badly scaled raw features make 2/λ_max tiny (and the contours long and thin): say so,
    with the limit standardising would give, where it is ten times larger or more."""
    standardised = stability_limit(standardise_features(X)[0])
    if limit * 10 <= standardised:
        st.info(tr("upload_standardise_why", lam=2 / limit, limit=limit, standardised=standardised))


def file_lost() -> bool:
    """Whether the file card on the page names a file neither the server nor this session holds.

    A server's restart or a replica's death loses the uploaded files and the sessions; the open
    page keeps its card, and the new session's first run carries it: Streamlit then gives the
    widget's state as a `DeletedFile` (and the script None).
    """
    return (
        isinstance(st.session_state.get("upload_file"), DeletedFile)
        and UPLOAD not in st.session_state
    )


def data_key() -> tuple:
    """The arguments of `runs.synthetic` for the current controls."""
    v = state.values()
    return (
        int(v["d"]),
        (float(v["w1"]), float(v["w2"])),
        float(v["b"]),
        float(v["noise"]),
        int(v["n"]),
        int(v["seed"]),
    )


DATA_FIELDS = ("d", "w1", "w2", "b", "noise", "n", "seed")  # the controls `data_key` reads


def current_data():
    """(key, Data) of the data the user chose: the last good upload, else synthetic."""
    if state.values().get("source") == "upload" and UPLOAD in st.session_state:
        return st.session_state[UPLOAD]
    data = checked_data(lambda: synthetic(*data_key()), DATA_FIELDS)
    return data_key(), data


def checked_data(make: Callable[[], T], names: tuple[str, ...]) -> T:
    """make(): the data these controls ask for. Legal values can still ask for data the engine
    refuses (labels too small for float64 to square: w = 0, b = 1e-200): then the controls go
    back to the data last made from them in this session, or to their defaults on a page opened
    afresh, and the page runs again on them, under a message naming the values."""
    made = st.session_state.setdefault(_MADE, {})
    try:
        data = make()
    except ValueError as error:
        v, fields = state.values(), settings.FIELDS
        given = ", ".join(f"{name}={fields[name].format(v[name])}" for name in names)
        last = made.get(names)
        back = last or tuple(fields[name].default for name in names)
        tr = state.t()
        instead = tr("data_instead_last" if last else "data_instead_defaults")
        shown = literal(given, limit=len(given))  # the app's own numbers: shown whole
        state.run_again(
            dict(zip(names, back, strict=True)),
            tr("data_refused", values=shown, reason=error, instead=instead),
        )
    made[names] = tuple(state.values()[name] for name in names)
    return data
