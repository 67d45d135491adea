"""Take-aways: the trajectory CSV and the standalone HTML that plays offline."""

import base64
import io
import re
from html import escape

import numpy as np
import pandas as pd
from plotly.offline import get_plotlyjs

from linreg_core import run, synthetic_data
from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec
from linreg_viz.exports import standalone_html, trajectory_csv
from linreg_viz.figures import build_views
from linreg_viz.i18n import translator
from linreg_viz.player import PLAYER_CSS, PLAYER_JS, decode, payload
from linreg_viz.timeline import make_timeline
from linreg_viz.view_spec import ViewSpec
from tests import book
from ui.downloads import run_summary


def test_trajectory_csv_has_every_step_exactly(book_run):
    _, _, trajectory = book_run
    table = pd.read_csv(io.StringIO(trajectory_csv(trajectory)))
    assert list(table.columns) == ["step", "epoch", "w1", "w2", "b", "batch_loss", "loss"]
    assert len(table) == trajectory.num_steps + 1  # the start, then every update
    assert table["step"].tolist() == list(range(301))
    np.testing.assert_array_equal(table[["w1", "w2"]].to_numpy()[1:], trajectory.ws)
    np.testing.assert_array_equal(table["loss"].to_numpy()[1:], trajectory.losses)
    assert np.isnan(table["batch_loss"][0]) and table["epoch"].iloc[-1] == 3


def test_trajectory_csv_for_one_feature_has_w1_and_b():
    X, y = synthetic_data([1.5], -0.5, 40, seed=2)
    trajectory = run(X, y, batch_size=8, epochs=2)
    text = trajectory_csv(trajectory)
    assert text.splitlines()[0] == "step,epoch,w1,b,batch_loss,loss"
    table = pd.read_csv(io.StringIO(text))
    assert table["step"].tolist() == list(range(trajectory.num_steps + 1))
    assert table["epoch"].tolist() == [0] + [1] * 5 + [2] * 5  # 5 batches an epoch
    np.testing.assert_array_equal(table["w1"], trajectory.path_w[:, 0])
    np.testing.assert_array_equal(table["b"], trajectory.path_b)
    np.testing.assert_array_equal(table["batch_loss"][1:], trajectory.batch_losses)
    np.testing.assert_array_equal(table["loss"], trajectory.path_loss)


def test_a_diverged_run_ends_at_its_diverged_step_and_writes_inf_as_python_reads_it():
    X, y = book.data()
    diverged = run(X, y, lr=2.5)
    table = pd.read_csv(io.StringIO(trajectory_csv(diverged)))
    assert diverged.diverged_at is not None
    assert len(table) == diverged.diverged_at + 2  # the start, then up to the step that diverged
    np.testing.assert_array_equal(table["loss"], diverged.path_loss)
    # A step that overflows: its loss is written "inf", which float(), NumPy and pandas read back.
    X = np.random.default_rng(0).normal(size=(50, 1)) * 1e100
    overflowed = run(X, 3 * X[:, 0] + 1, lr=1.0, batch_size=50)
    assert not np.isfinite(overflowed.losses[-1])
    text = trajectory_csv(overflowed)
    last = text.strip().splitlines()[-1].split(",")
    assert last[-1] == "inf" and all(np.isfinite(float(v)) for v in last[:-1])
    np.testing.assert_array_equal(pd.read_csv(io.StringIO(text))["loss"], overflowed.path_loss)


def test_standalone_html_carries_plotly_the_views_and_the_player(book_run):
    X, y, trajectory = book_run
    data, view = describe(X, y, np.array(book.TRUE_W), book.TRUE_B), ViewSpec(lang="en")
    tl = make_timeline(trajectory, data, TrainSpec())
    views = build_views(tl, trajectory, data, TrainSpec(), view)
    blob = payload(tl, TrainSpec(), view, charts={name: "#" + name for name in views})
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
    # Each part once, nothing per step: plotly.js, the player, the static views, the run's bytes.
    parts = [get_plotlyjs(), PLAYER_JS, PLAYER_CSS, *(fig.to_json() for fig in views.values())]
    assert len(html) < sum(map(len, parts)) + 4 / 3 * len(blob) + 10_000


def test_the_exported_file_says_which_run_it_shows(book_run):
    """Optimizer, lr, batch size, epochs and data, under the title; a file's name as typed."""
    X, y, trajectory = book_run
    data, view = describe(X, y, np.array(book.TRUE_W), book.TRUE_B), ViewSpec(lang="en")
    tl = make_timeline(trajectory, data, TrainSpec())
    t = translator("en")
    views = build_views(tl, trajectory, data, TrainSpec(), view)
    blob = payload(tl, TrainSpec(), view, charts={name: "#" + name for name in views})
    spec = TrainSpec(
        lr=book.LR, batch_size=book.BATCH_SIZE, epochs=book.EPOCHS, optimizer="sgd", seed=0
    )
    about = run_summary(t, (2, book.TRUE_W, book.TRUE_B, book.NOISE, book.N, book.SEED), spec)
    assert about == (
        "SGD (the book's), lr = 0.03, batch size 10, 3 epochs, on synthetic data: w = [2, -3.4], "
        "b = 4.2, "
        "noise σ = 0.01, n = 1000, seed 0"
    )
    html = standalone_html(views, blob, "run", about)
    assert f'<p class="gdv-about">{escape(about)}</p>' in html
    upload = ("upload", "digest", ("面积",), "价格", True)
    zh = run_summary(translator("zh"), upload, spec, "<b>房价.csv")
    assert "学习率 lr = 0.03" in zh and "批量大小 10" in zh and "3 个迭代周期" in zh
    assert "<b>房价.csv：特征 面积，标签 价格（特征已标准化）" in zh
    assert "&lt;b&gt;房价.csv" in standalone_html(views, blob, "run", zh)
