"""The run to take away: its trajectory as CSV, its views as an offline HTML file, and a Python
script that reruns it."""

from __future__ import annotations

import streamlit as st

from linreg_core.dataset import Data
from linreg_core.limits import CSV_MAX_UPDATES
from linreg_core.plan import TrainSpec
from linreg_viz.exports import standalone_html
from linreg_viz.reproduce import Synthetic, Upload, reproduce_script
from ui.runs import Shown, trajectory_file


def run_summary(tr, data_key: tuple, spec: TrainSpec, file_name: str = "data.csv") -> str:
    """One line: the optimizer, lr, batch size, epochs and data of a run (an exported file's)."""
    if data_key[0] == "upload":
        _, _, features, target, standardise = data_key
        data = tr(
            "export_data_upload",
            file=file_name,
            features=", ".join(features),
            target=target,
            standardised=tr("export_standardised") if standardise else "",
        )
    else:
        d, w, b, noise, n, seed = data_key
        weights = ", ".join(f"{x:g}" for x in w[:d])
        data = tr("export_data_synthetic", w=weights, b=b, noise=noise, n=n, seed=seed)
    return tr(
        "export_about",
        optimizer=tr(f"optimizer_{spec.optimizer}"),
        lr=spec.lr,
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        data=data,
    )


def exports(tr, data_key: tuple, data: Data, spec: TrainSpec, shown: Shown) -> None:
    """Downloads: the trajectory as CSV (the run computed again on the click: nothing of it is
    kept), the views and their player as an HTML file that plays offline."""
    file = st.session_state.get("upload_file")
    about = run_summary(tr, data_key, spec, file.name if file else "data.csv")
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        tr("download_csv"),
        lambda: trajectory_file(data, spec),
        file_name="trajectory.csv",
        mime="text/csv",
        key="download_csv",
    )
    right.download_button(
        tr("download_html"),
        lambda: standalone_html(shown.figures, shown.player, tr("visualiser_title"), about),
        file_name="gradient-descent.html",
        mime="text/html",
        key="download_html",
    )
    if shown.outcome.updates > CSV_MAX_UPDATES:
        st.caption(tr("csv_sampled", updates=shown.outcome.updates, rows=CSV_MAX_UPDATES))
    st.caption(tr("png_hint"))


def reproduce(tr, data_key: tuple, spec, d: int) -> None:
    """Download: a Python script in the book's style that reruns this run and prints its lines."""
    if data_key[0] == "upload":
        _, _, features, target, standardise = data_key
        file = st.session_state.get("upload_file")
        data = Upload(features, target, standardise, file.name if file else "data.csv")
    else:
        _, w, b, noise, n, seed = data_key
        data = Synthetic(w, b, noise, n, seed)
    script = reproduce_script(data, spec, d)
    st.download_button(
        tr("download_reproduce"),
        script,
        file_name="reproduce.py",
        mime="text/x-python",
        key="download_reproduce",
        help=tr("reproduce_help"),
    )
