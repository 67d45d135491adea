"""Take-aways: the trajectory CSV and the standalone HTML that plays offline."""

import base64
import io
import re

import numpy as np
import pandas as pd

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz.exports import standalone_html, trajectory_csv
from linreg_viz.figures import build_views
from linreg_viz.i18n import translator
from linreg_viz.player import decode, payload
from linreg_viz.timeline import make_timeline


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


def test_standalone_html_carries_plotly_the_views_and_the_player():
    X, y, trajectory = book_run()
    quad = loss_quadratic(X, y)
    tl = make_timeline(trajectory, quad, X, y)
    t = translator("en")
    views = build_views(tl, trajectory, quad, X, y, t=t, truth=(np.array([2.0, -3.4]), 4.2))
    blob = payload(tl, charts={name: "#" + name for name in views}, t=t)
    html = standalone_html(views, blob, "run </script><b>")
    # No script is fetched from anywhere: plotly.js is inline, so it plays without a network.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html)
    assert "plotly.js v" in html and "GDVPlayer.mount" in html
    assert html.count("</script>") == 3  # the title's text never closes a script
    assert "<title>run &lt;/script&gt;&lt;b&gt;</title>" in html
    blob64 = re.search(r'atob\("([A-Za-z0-9+/=]+)"\)', html).group(1)
    header, cols = decode(base64.b64decode(blob64))
    assert header["charts"] == {name: f"#gdv-{name}" for name in views}
    np.testing.assert_array_equal(cols["step"], np.arange(301))
    assert len(html) < 5_500_000  # plotly.js is 4.6 MB; the run adds a few hundred KB
