"""The compare page: runs= read and written exactly, several runs on one clock in epochs, the
payload true to the engine, a diverged run held finite, and the page through AppTest."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from linreg_core import loss_quadratic
from linreg_core.dataset import describe
from linreg_core.limits import COST_BUDGET_S
from linreg_core.plan import TrainSpec, keyword_plan
from linreg_core.training import run_plan
from linreg_viz import comparison
from linreg_viz.compare_figures import RUN_COLOURS, build_compare_views
from linreg_viz.compare_timeline import make_compare_timeline, point_epochs
from linreg_viz.i18n import TABLE, translator
from linreg_viz.player import SPEEDS, decode
from linreg_viz.settings import from_query, to_query
from linreg_viz.timeline import make_timeline
from tests import book as d2l
from tests.apps import new_app, rerun
from ui.runs import spec_seconds

MB = 2**20


def open_compare(query: dict | None = None) -> AppTest:
    """The compare page opened with this query string."""
    at = new_app()
    at.default_timeout = 60
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page("pages/compare.py")
    return rerun(at)


def player(at: AppTest) -> tuple[dict, dict]:
    (component,) = at.get("bidi_component")
    return decode(component.proto.bytes)


def payload_bytes(at: AppTest) -> bytes:
    (component,) = at.get("bidi_component")
    return component.proto.bytes


@pytest.fixture(scope="module")
def book():
    X, y = d2l.data()
    return X, y, loss_quadratic(X, y)


@pytest.fixture(scope="module")
def default_page():
    return open_compare()


# runs= in a link


def test_a_link_names_a_preset_or_spells_the_runs_out_exactly():
    assert comparison.canonical("limit") == "limit"
    assert comparison.canonical(" sgd:0.03:10 ; adam:1e-1:n:1,-2,3 ") == (
        "sgd:0.03:10;adam:0.1:n:1.0,-2.0,3.0"
    )
    runs = comparison.parse_runs("sgd:0.99x:n")
    assert runs == (comparison.RunSpec("sgd", 0.99, True, None),)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "bogus",
        "sgd:0.03",
        "newton:0.03:10",
        "sgd:0:10",
        "sgd:nan:10",
        "sgd:0.03:0",
        "sgd:0.03:ten",
        "sgd:11x:10",
        "sgd:0.03:10:1",
        "sgd:0.03:10:99,0,0",
        ";".join(["sgd:0.03:10"] * 5),
        # options: unknown, repeated, not a number, outside what the engine takes
        "sgd(beta1=0.9):0.03:10",
        "adam(beta1=0.8,beta1=0.7):0.1:10",
        "momentum(momentum=fast):0.03:10",
        "momentum(momentum=1):0.03:10",
        "adam(amsgrad=2):0.1:10",
        "adam(beta1=0.8:0.1:10",
    ],
)
def test_a_bad_runs_value_falls_back_with_a_notice_naming_what_is_allowed(bad):
    values, notices = from_query({"runs": bad})
    assert values["runs"] == comparison.DEFAULT
    (notice,) = notices
    assert (notice.field, notice.value, notice.allowed[0]) == ("runs", bad, "allowed_runs")


def test_a_runs_options_are_written_exactly_and_used_by_the_engine(book):
    text = "momentum(momentum=0.5,dampening=0.1):0.03:10;adam(beta1=0.8,amsgrad=1):0.1:10"
    assert comparison.canonical(text.replace(",", " , ")) == text
    runs = [comparison.resolve(r, 2.0, 1000, 2) for r in comparison.parse_runs(text)]
    assert dict(runs[0].options) == {"momentum": 0.5, "dampening": 0.1}
    assert dict(runs[1].options) == {"betas": (0.8, 0.999), "eps": 1e-8, "amsgrad": True}
    t = lambda key, **f: TABLE[key]["en"].format(**f)  # noqa: E731
    names = comparison.names(runs, t, 1000)
    assert "momentum 0.5, dampening 0.1" in names[0] and "beta1 0.8, amsgrad 1" in names[1]
    at = open_compare({"runs": text})
    header, cols = player(at)
    X, y, _ = book
    engine = run_plan(
        keyword_plan(X, y, lr=0.1, optimizer="adam", betas=(0.8, 0.999), amsgrad=True)
    )
    k = cols["r1_step"].astype(int)
    np.testing.assert_allclose(cols["r1_loss"], engine.path_loss[k], rtol=1e-6)
    assert at.text_input(key="cmp_options_1").value == "beta1=0.8,amsgrad=1"
    assert (
        open_compare().text_input(key="cmp_options_0").placeholder == "defaults; e.g. momentum=0.0"
    )
    at.text_input(key="cmp_options_0").set_value("momentum=0.7").run()
    assert at.query_params["runs"] == "momentum(momentum=0.7):0.03:10;" + text.split(";")[1]


def test_runs_is_in_a_link_only_when_not_the_default():
    values = from_query({})[0]
    assert "runs" not in to_query(values)
    assert to_query({**values, "runs": "limit"})["runs"] == "limit"


def test_runs_are_named_by_what_differs():
    t = lambda key, **f: TABLE[key]["en"].format(**f)  # noqa: E731
    runs = [comparison.resolve(r, 2.0, 1000, 2) for r in comparison.parse_runs("optimizers")]
    assert comparison.names(runs, t, 1000) == ["SGD, lr 0.03", "Momentum, lr 0.03", "Adam, lr 0.1"]
    same = [
        comparison.resolve(r, 2.0, 1000, 2) for r in comparison.parse_runs("sgd:0.1:5;sgd:0.1:5")
    ]
    assert comparison.names(same, t, 1000) == ["SGD, lr 0.1 (1)", "SGD, lr 0.1 (2)"]


# One clock in epochs


def runs_on(book, specs, epochs):
    """(trajectories, compare timeline) of (lr, batch_size) runs on the book's data."""
    X, y, quad = book
    trajectories = [
        run_plan(keyword_plan(X, y, lr=lr, batch_size=b, epochs=epochs)) for lr, b in specs
    ]
    data = describe(X, y)
    timelines = [make_timeline(tr, data, TrainSpec()) for tr in trajectories]
    batch_sizes = [b for _, b in specs]
    return trajectories, make_compare_timeline(timelines, batch_sizes, quad, len(y), epochs)


def test_each_frame_shows_each_runs_point_at_that_many_examples_seen(book):
    specs = [(0.03, 1), (0.03, 10), (0.03, 300), (0.03, 1000)]  # 300: a short last batch
    trajectories, ct = runs_on(book, specs, 3)
    assert ct.epochs[0] == 0 and ct.epochs[-1] == 3 and len(ct.epochs) <= 3000
    for r, (tr, (_, b)) in enumerate(zip(trajectories, specs, strict=True)):
        k = ct.steps[r]
        seen = point_epochs(k, tr.steps_per_epoch, b, 1000)
        assert np.all(seen <= ct.epochs + 1e-12)  # never ahead of the clock
        nxt = point_epochs(np.minimum(k + 1, tr.num_steps), tr.steps_per_epoch, b, 1000)
        assert np.all((nxt > ct.epochs) | (k == tr.num_steps))  # its last point by then
        np.testing.assert_allclose(ct.path[r, :, 0], tr.path_w[k, 0], rtol=1e-12)
        np.testing.assert_allclose(ct.losses[r], tr.path_loss[k], rtol=1e-12)
    assert ct.steps[:, -1].tolist() == [3000, 300, 12, 3]


def test_the_payload_decodes_to_the_engines_runs(book, default_page):
    header, cols = player(default_page)
    trajectories, ct = runs_on(book, [(0.03, 1), (0.03, 10), (0.03, 100), (0.03, 1000)], 3)
    assert header["points"] == len(ct.epochs) and len(header["runs"]) == 4
    np.testing.assert_array_equal(cols["epoch"], ct.epochs.astype(np.float32))
    for r, tr in enumerate(trajectories):
        k = cols[f"r{r}_step"].astype(int)
        np.testing.assert_array_equal(k, ct.steps[r])
        np.testing.assert_allclose(cols[f"r{r}_px"], tr.path_w[k, 0], rtol=1e-6)
        np.testing.assert_allclose(cols[f"r{r}_py"], tr.path_w[k, 1], rtol=1e-6)
        np.testing.assert_allclose(cols[f"r{r}_loss"], tr.path_loss[k], rtol=1e-6)


def test_a_comparison_plays_in_the_time_the_books_run_takes_whatever_its_frames():
    for query in ({"speed": "fast"}, {"speed": "slow", "runs": "limit", "epochs": "20"}):
        header, _ = player(open_compare(query))
        seconds = header["points"] / header["speed"]
        assert seconds == pytest.approx(300 / SPEEDS[query["speed"]])


def test_four_default_runs_travel_in_under_1_mb(default_page):
    size = len(payload_bytes(default_page))
    assert size <= 1 * MB, size


def test_the_loss_views_range_fits_the_losses_it_draws(book):
    """Batch size 1 has minibatch losses near 1e-12, which a comparison does not draw: the
    axis runs from the lowest full-data loss drawn to the highest, not to 1e-12."""
    _, ct = runs_on(book, [(0.03, 1), (0.03, 10)], 3)
    low, high = ct.loss_range
    assert low == pytest.approx(ct.losses.min()) and high == pytest.approx(ct.losses.max())
    assert low > 1e-6


def test_a_diverged_run_holds_finite_where_it_diverged(book):
    trajectories, ct = runs_on(book, [(0.5, 1000), (6.0, 1000)], 10)
    diverged = trajectories[1]
    assert diverged.diverged_at is not None
    assert ct.steps[1, -1] == diverged.diverged_at  # its last point below the threshold
    assert ct.diverged_epoch == (None, float(diverged.diverged_at))
    for values in (ct.path, ct.path_z, ct.curve_y):
        assert np.all(np.isfinite(values))
    assert ct.steps[0, -1] == 10  # the other run goes on
    assert ct.z_range[1] < ct.losses[1, -1]  # the 3-D view is not flattened by it


# The page


def test_the_page_opens_with_a_ready_made_comparison_of_at_least_3_runs(default_page):
    at = default_page
    assert not at.error and not at.warning
    header, _ = player(at)
    assert len(header["runs"]) >= 3
    assert [r["name"] for r in header["runs"]] == [
        "batch 1",
        "batch 10",
        "batch 100",
        "batch n = 1000",
    ]
    assert set(header["charts"]) == {"surface", "contour", "loss"}
    for name, kinds in (("surface", "path3d"), ("contour", "path2d"), ("loss", "progress")):
        assert [f"{kinds}@{r}" for r in range(4)] == [
            m for m in header["moving"][name] if m.startswith(kinds)
        ]
    assert "runs" not in at.query_params  # the default: not in the link


@pytest.mark.parametrize(
    ("preset", "epochs", "names"),
    [
        ("batch", 3, ["batch 1", "batch 10", "batch 100", "batch n = 1000"]),
        ("optimizers", 3, ["SGD, lr 0.03", "Momentum, lr 0.03", "Adam, lr 0.1"]),
        ("limit", 20, ["0.5× limit", "0.99× limit", "1.1× limit"]),
    ],
)
def test_each_preset_shows_its_runs_and_goes_in_the_link(preset, epochs, names):
    at = open_compare({"runs": "sgd:0.01:50" if preset == "batch" else "batch"})
    at.button(key=f"preset_{preset}").click()
    rerun(at)
    header, cols = player(at)
    shown = [r["name"] for r in header["runs"]]
    assert len(shown) == len(names) and all(n in s for n, s in zip(names, shown, strict=True))
    assert header["epochs"] == epochs
    assert at.query_params["epochs"] == str(epochs)
    if preset != "batch":
        assert at.query_params["runs"] == preset
    if preset == "limit":  # the run past the limit climbs while the others settle
        start, end = cols["r0_loss"][0], [cols[f"r{r}_loss"][-1] for r in range(3)]
        assert end[0] < start and end[1] < start and end[2] > 10 * start
        (growing,) = [w.value for w in at.warning]  # said of the 1.1x run only
        assert "1.1× limit" in growing and "diverging" in growing


def test_a_comparison_survives_a_round_trip_through_its_link():
    at = open_compare()
    at.text_input(key="ctl_runs").set_value("momentum:0.05:20;adam:0.2x:n:-4,4,-2").run()
    assert not at.exception and not at.error
    link = {name: at.query_params[name] for name in at.query_params}
    assert link["runs"] == "momentum:0.05:20;adam:0.2x:n:-4.0,4.0,-2.0"
    again = open_compare(link)
    assert payload_bytes(again) == payload_bytes(at)
    assert again.text_input(key="ctl_runs").value == link["runs"]


def test_bad_text_keeps_the_comparison_and_says_what_is_allowed():
    at = open_compare()
    before = payload_bytes(at)
    at.text_input(key="ctl_runs").set_value("sgd:fast:10").run()
    assert (
        "sgd:fast:10" in at.error[0].value
        and "optimizer[(options)]:lr:batch_size[:w1,w2,b]" in at.error[0].value
    )
    assert payload_bytes(at) == before


def test_a_diverged_run_is_a_message_and_an_x(book):
    at = open_compare({"runs": "sgd:0.5x:n;sgd:3x:n", "epochs": "10"})
    assert any("diverged at epoch" in e.value for e in at.error)
    contour = next(c for c in at.get("plotly_chart") if "x-thin" in c.proto.spec)
    assert "diverged at epoch" in contour.proto.spec


def test_a_start_that_does_not_fit_the_data_is_a_message():
    at = open_compare({"d": "1", "runs": "sgd:0.03:10:1,2;sgd:0.03:10:1,2,3"})
    assert any("run 2 has 3 numbers; these data need 2" in e.value for e in at.error)


def test_too_much_work_is_refused_with_the_epochs_allowed():
    at = open_compare({"n": "100000", "runs": "adam:0.01:1;sgd:0.01:1", "epochs": "6"})
    n = 100_000
    allowed = max(
        epochs
        for epochs in range(1, 7)
        if sum(
            spec_seconds(n, TrainSpec(0.01, 1, epochs, optimizer, 0))
            for optimizer in ("adam", "sgd")
        )
        <= COST_BUDGET_S
    )
    (error,) = [e.value for e in at.error]
    assert "epochs=6" in error and f"epochs may be at most {allowed:,}" in error


def test_the_page_speaks_chinese():
    at = open_compare({"lang": "zh", "runs": "optimizers"})
    assert at.title[0].value == TABLE["compare_title"]["zh"]
    header, _ = player(at)
    assert [r["name"] for r in header["runs"]] == [
        "SGD，学习率 0.03",
        "动量法，学习率 0.03",
        "Adam，学习率 0.1",
    ]
    assert "迭代周期" in header["labels"]["epoch"]


def test_the_runs_can_be_edited_row_by_row():
    at = open_compare({"runs": "optimizers"})
    at.selectbox(key="cmp_opt_1").set_value("nesterov").run()
    at.text_input(key="cmp_lr_2").set_value("0.5x").run()
    at.text_input(key="cmp_batch_0").set_value("n").run()
    assert not at.exception and not at.error
    runs = "sgd:0.03:n;nesterov:0.03:10;adam:0.5x:10"
    assert at.query_params["runs"] == runs and at.text_input(key="ctl_runs").value == runs
    at.button(key="cmp_add").click().run()
    at.button(key="cmp_remove_0").click().run()
    assert at.query_params["runs"] == "nesterov:0.03:10;adam:0.5x:10;adam:0.5x:10"
    assert len(player(at)[0]["runs"]) == 3
    at.text_input(key="cmp_start_1").set_value("1,2").run()  # two features: w1, w2, b
    assert any("run 2 has 2 numbers; these data need 3" in e.value for e in at.error)
    at.text_input(key="cmp_start_1").set_value("1,2,3").run()
    assert at.query_params["runs"] == "nesterov:0.03:10;adam:0.5x:10:1.0,2.0,3.0;adam:0.5x:10"


def test_a_row_not_allowed_is_a_message_and_the_runs_stay():
    at = open_compare()
    at.text_input(key="cmp_lr_1").set_value("fast").run()
    assert "Run 2" in at.error[0].value and "sgd:fast:10" in at.error[0].value
    assert "runs" not in at.query_params and at.text_input(key="cmp_lr_1").value == "0.03"


def test_each_run_keeps_its_colour_and_name_on_every_view_and_in_projection(book):
    _, ct = runs_on(book, [(0.03, 10), (0.1, 10), (0.3, 10)], 3)
    names = ["a", "b", "c"]
    t = translator("en")
    for projection in (False, True):
        views = build_compare_views(ct, book[2], names, t=t, projection=projection)
        for r in range(3):
            lines = [
                trace
                for view in views.values()
                for trace in view.data
                if trace.meta in {f"path3d@{r}", f"path2d@{r}", f"progress@{r}"}
            ]
            assert len(lines) == 3
            assert {(trace.line.color, trace.name) for trace in lines} == {
                (RUN_COLOURS[r], names[r])
            }
