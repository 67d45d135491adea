"""Take-aways: the trajectory CSV and the standalone HTML that plays offline."""

import io
import re

import numpy as np
import pandas as pd

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz.exports import standalone_html, trajectory_csv
from linreg_viz.figures import build_visualiser
from linreg_viz.i18n import translator


def book_run():
    X, y = synthetic_data([2.0, -3.4], 4.2, 1000)
    return X, y, run(X, y)


def test_trajectory_csv_has_every_step_exactly():
    _, _, trajectory = book_run()
    table = pd.read_csv(io.StringIO(trajectory_csv(trajectory)))
    assert list(table.columns) == ["step", "epoch", "w1", "w2", "b", "batch_loss", "loss"]
    assert len(table) == trajectory.num_steps + 1  # the start, then every update
    assert table["step"].tolist() == list(range(301))
    np.testing.assert_array_equal(table[["w1", "w2"]].to_numpy()[1:], trajectory.ws)
    np.testing.assert_array_equal(table["loss"].to_numpy()[1:], trajectory.losses)
    assert np.isnan(table["batch_loss"][0]) and table["epoch"].iloc[-1] == 3


def test_standalone_html_carries_plotly_and_every_frame():
    X, y, trajectory = book_run()
    figure = build_visualiser(
        trajectory, loss_quadratic(X, y), X, y, t=translator("en"),
        true_w=np.array([2.0, -3.4]), true_b=4.2,
    )  # fmt: skip
    html = standalone_html(figure, "run")
    # No script is fetched from anywhere: plotly.js is inline, so it plays without a network.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html)
    assert len(html) > 3_000_000 and "Plotly.newPlot" in html
    assert html.count('"name":"') >= len(figure.frames)
    for frame in (figure.frames[0], figure.frames[-1]):
        assert f'"name":"{frame.name}"' in html
    assert "keydown" in html
