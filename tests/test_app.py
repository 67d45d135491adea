"""The app through Streamlit's AppTest: every control reruns cleanly and changes what is shown."""

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from linreg_core import MAX_UPDATES
from linreg_viz.i18n import TABLE
from linreg_viz.player import decode
from linreg_viz.settings import CONDITIONING_FIELDS, FIELDS, defaults, to_query
from linreg_viz.timeline import MAX_POINTS
from tests.apps import new_app, open_groups, printed_lines, rerun, start
from tests.figure_data import numbers_in
from ui.navigation import PAGES


def views(at: AppTest) -> list[dict]:
    """The figure of every chart on the page."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def player(at: AppTest) -> tuple[dict, dict]:
    """The player's header and columns, as the browser decodes them."""
    (component,) = at.get("bidi_component")
    return decode(component.proto.bytes)


def spec(at: AppTest) -> tuple:
    """Everything the page sends to draw the run: each view's figure, the player's payload."""
    header, cols = player(at)
    return views(at), header, {name: values.tobytes() for name, values in cols.items()}  # NaN-safe


@pytest.fixture(scope="module")
def default_app():
    return start()


def test_defaults_show_the_books_run(default_app):
    at = default_app
    figures = views(at)
    assert len(figures) == 4 and not any(figure.get("frames") for figure in figures)
    names = {trace.get("name") for figure in figures for trace in figure["data"]}
    assert TABLE["title_surface"]["en"] in names and TABLE["title_contour"]["en"] in names
    header, cols = player(at)
    assert header["points"] == 301 and cols["step"][-1] == 300
    assert header["labels"]["play"] == TABLE["player_play"]["en"]
    assert set(header["charts"]) == {"surface", "contour", "data", "loss"}
    code = printed_lines(at)
    assert "epoch 1, loss" in code and "epoch 3, loss" in code
    assert not at.warning and not at.error


def test_each_number_control_allows_what_a_link_allows():
    at = open_groups(start({"init": "custom", "n": "600"}))
    widgets = {w.key.removeprefix("ctl_"): w for w in [*at.slider, *at.number_input]}
    options = {name: widgets.pop(name) for name in ("sgd_momentum", "sgd_dampening")}
    lesson = set(CONDITIONING_FIELDS)  # on the conditioning page only
    assert (
        set(widgets) == {n for n, f in FIELDS.items() if f.low is not None} - {"d", "lr"} - lesson
    )
    for name, widget in options.items():  # any number: the engine's message says what it takes
        assert widget.value == FIELDS[name].default and widget.min is None, name
    for name, widget in widgets.items():
        field = FIELDS[name]
        high = 600 if name == "batch_size" else field.high  # a batch holds at most n examples
        assert (widget.min, widget.max) == (field.low, high), name
        assert widget.step == pytest.approx(field.step or 1), name
    assert widgets["noise"].proto.format == FIELDS["noise"].number_format
    lr = at.select_slider(key="ctl_lr")
    assert lr.options[0] == "0.0001" and lr.value == FIELDS["lr"].default  # the book's data
    lowest = start({"lr": repr(FIELDS["lr"].low)}).select_slider(key="ctl_lr")  # a link's lowest
    assert lowest.options[0] == f"{FIELDS['lr'].low:g}" and lowest.value == FIELDS["lr"].low


def test_a_long_run_is_sampled_for_the_player_keeping_epoch_ends():
    at = start({"batch_size": "1", "epochs": "4", "n": "1000"})  # 4,000 updates
    header, cols = player(at)
    assert header["points"] <= MAX_POINTS and header["total_steps"] == 4000
    assert {1000, 2000, 3000, 4000} <= set(cols["step"].astype(int))


CHANGES = [
    ("number_input", "ctl_noise", 0.5),
    ("number_input", "ctl_n", 300),
    ("number_input", "ctl_seed", 3),
    ("slider", "ctl_w1", 1.0),
    ("slider", "ctl_w2", 2.5),
    ("slider", "ctl_b", -1.0),
    ("select_slider", "ctl_lr", 0.1),
    ("number_input", "ctl_batch_size", 25),
    ("slider", "ctl_epochs", 2),
    ("selectbox", "ctl_optimizer", "adam"),
    ("segmented_control", "ctl_landscape", "contour"),
    ("segmented_control", "ctl_speed", "fast"),
    ("selectbox", "ctl_axis_a", "b"),
    ("segmented_control", "ctl_d", 1),
    ("radio", "ctl_init", "custom"),
    ("toggle", "ctl_projection", True),
    ("radio", "ctl_lang", "zh"),
    ("toggle", "ctl_arrows", False),
]


@pytest.mark.parametrize(("kind", "key", "value"), CHANGES)
def test_each_control_reruns_and_changes_what_is_drawn(kind, key, value):
    at = start()
    before = spec(at)
    getattr(at, kind)(key=key).set_value(value)
    rerun(at)
    assert spec(at) != before


@pytest.fixture(scope="module")
def divergent_app():
    """Plain SGD at lr = 2.5, past the book data's stability limit (about 2)."""
    return start({"lr": "2.5"})


def test_a_divergent_lr_warns_with_the_limit_and_draws_what_it_has(divergent_app):
    at = divergent_app
    warnings = " ".join(w.value for w in at.warning)
    assert "stability limit" in warnings
    errors = " ".join(e.value for e in at.error)
    assert "Diverged at step" in errors
    assert np.all(np.isfinite(numbers_in(views(at))))  # binary arrays decoded too
    header, cols = player(at)
    assert header["diverged_at"] is not None
    assert all(np.all(np.isfinite(cols[name])) for name in ("px", "py", "pz", "ly", "fit0"))


def test_quick_picks_set_the_batch_size():
    at = start()
    at.button(key="pick_n").click()
    rerun(at)
    assert at.number_input(key="ctl_batch_size").value == 1000
    at.button(key="pick_1").click()
    rerun(at)
    assert at.number_input(key="ctl_batch_size").value == 1


def test_too_many_updates_are_refused_and_the_last_run_stays():
    at = start({"n": "100000", "batch_size": "1", "epochs": "50"})
    assert any(f"{MAX_UPDATES:,}" in e.value for e in at.error)
    at = start()
    at.number_input(key="ctl_n").set_value(100_000)
    at.number_input(key="ctl_batch_size").set_value(1)
    at.slider(key="ctl_epochs").set_value(50)
    rerun(at)
    assert any(f"{MAX_UPDATES:,}" in e.value for e in at.error)
    assert len(views(at)) == 4 and player(at)[0]["total_steps"] == 300  # the last run stays


def test_bad_url_values_fall_back_with_a_notice():
    at = start({"lr": "banana", "epochs": "7", "optimizer": "lbfgs"})
    notices = " ".join(w.value for w in at.warning)
    assert "lr=banana" in notices and "optimizer=lbfgs" in notices
    assert at.slider(key="ctl_epochs").value == 7
    assert at.select_slider(key="ctl_lr").value == 0.03


def test_every_control_round_trips_through_the_url():
    query = {
        "lang": "zh",
        "projection": "1",
        "d": "2",
        "w1": "1.5",
        "w2": "-2.0",
        "b": "0.5",
        "noise": "0.2",
        "n": "500",
        "seed": "4",
        "lr": "0.05",
        "batch_size": "20",
        "epochs": "4",
        "optimizer": "momentum",
        "init": "custom",
        "w0_1": "-3.0",
        "w0_2": "3.0",
        "b0": "1.0",
        "landscape": "surface",
        "axis_a": "w2",
        "axis_b": "b",
        "speed": "slow",
        "arrows": "0",
    }
    at = start(query)
    assert not at.warning
    assert {k: at.query_params[k] for k in query} == {
        k: repr(float(v)) if "." in v else v for k, v in query.items()
    }
    first = spec(at)
    again = start(dict(at.query_params))
    assert spec(again) == first


def test_each_page_keeps_its_url_path():
    """Links already shared name the pages by these paths; "" is the visualiser, at "/"."""
    assert [(script, url_path) for script, url_path, _ in PAGES] == [
        ("pages/visualiser.py", ""),
        ("pages/closed_form.py", "closed_form"),
        ("pages/guide.py", "guide"),
        ("pages/conditioning.py", "conditioning"),
        ("pages/compare.py", "compare"),
    ]


def test_every_page_switches_language_and_mirrors_every_control_in_the_url():
    for script, _, _ in PAGES:
        at = start({"epochs": "4"})
        at.switch_page(script)
        rerun(at)
        english = at.title[0].value
        at.radio(key="ctl_lang").set_value("zh")
        rerun(at)
        chinese = at.title[0].value
        assert english != chinese
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
        expected = to_query({**defaults(), "epochs": 4, "lang": "zh"})
        assert {name: at.query_params[name] for name in at.query_params} == expected


def test_the_guide_gives_the_players_own_limit():
    at = start({"lang": "zh"})
    at.switch_page("pages/guide.py")
    rerun(at)
    assert any(f"不超过 {MAX_POINTS} 次更新" in m.value for m in at.markdown)


def test_every_string_has_both_languages():
    for key, texts in TABLE.items():
        assert set(texts) == {"en", "zh"}, key
        assert texts["en"].strip() and texts["zh"].strip(), key


# Names that stay as they are in Chinese text too: formats, libraries, optimizers, keys, and
# "Language" in the switch's label, which names both languages so either reader finds it.
NAMES = {
    "CSV",
    "UTF",
    "GBK",
    "PNG",
    "SGD",
    "Adam",
    "AdaGrad",
    "RMSProp",
    "Nesterov",
    "numpy",
    "linalg",
    "lstsq",
    "max",
    "min",
    "Language",
    "Streamlit",
    "Plotly",
    "Tab",
    "Home",
    "End",
    "Python",
    "PyTorch",
    "NumPy",
}


WIDGETS = (
    "number_input",
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "toggle",
    "segmented_control",
    "button",
    "multiselect",
    "checkbox",
    "file_uploader",
)


def visible_texts(at: AppTest) -> list[str]:
    """Every label, title, caption and text the page shows."""
    texts = []
    for kind in WIDGETS:
        texts += [w.label for w in getattr(at, kind)]
    for kind in ("title", "subheader", "caption", "markdown", "warning", "error", "info"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    return [text for text in texts if text]


@pytest.mark.parametrize("page", [script for script, _, _ in PAGES])
def test_in_chinese_no_english_text_is_left(page):
    at = start({"lang": "zh"})
    at.switch_page(page)
    rerun(at)
    texts = visible_texts(at)
    assert len(texts) > 3
    for text in texts:
        prose = re.sub(r"`[^`]*`", "", text)  # inline code (a URL parameter) is not prose
        words = set(re.findall(r"[A-Za-z]{3,}", prose)) - NAMES
        assert not words, f"untranslated on {page}: {text!r}"


def test_a_refused_run_is_a_message_on_every_page():
    query = {"n": "100000", "batch_size": "1", "epochs": "50", "lang": "zh"}
    for page in ("pages/visualiser.py", "pages/closed_form.py"):  # each opened on the link
        at = new_app()
        for name, value in query.items():
            at.query_params[name] = value
        at.switch_page(page)
        rerun(at)
        assert any(f"{MAX_UPDATES:,}" in e.value for e in at.error)


def test_the_lr_warning_is_for_plain_sgd_only(divergent_app):
    assert start({"lr": "2.5", "optimizer": "adam"}).warning.len == 0
    assert divergent_app.warning.len == 1


def test_the_visualiser_offers_the_reproduce_script(default_app):
    labels = [button.proto.label for button in default_app.get("download_button")]
    assert any("Reproduce this run" in label for label in labels), labels


def test_the_player_speaks_chinese():
    header, _ = player(start({"lang": "zh"}))
    for key, text in header["labels"].items():
        assert re.search(r"[\u4e00-\u9fff]", text), key


def test_a_bad_link_is_explained_in_chinese():
    at = start({"lang": "zh", "n": "2", "epochs": "999"})
    notices = " ".join(w.value for w in at.warning)
    assert "不超过 n = 2" in notices and "1 到 50 的整数" in notices


def test_the_advanced_groups_are_folded_and_drawn_only_when_open_or_set_by_a_link():
    at = start()
    assert [e.label for e in at.sidebar.expander] == [
        "Optimizer options (advanced)",
        "The book's variants",
    ]
    keys = {w.key for w in [*at.number_input, *at.radio, *at.checkbox, *at.toggle]}
    assert not keys & {"ctl_sgd_momentum", "ctl_loss", "ctl_weight_decay", "ctl_dtype"}
    open_groups(at)
    keys = {w.key for w in [*at.number_input, *at.radio, *at.checkbox, *at.toggle]}
    assert {"ctl_sgd_momentum", "ctl_loss", "ctl_weight_decay", "ctl_dtype"} <= keys
    linked = start({"optimizer": "adam", "adam_beta1": "0.8", "dtype": "float32"})
    assert linked.number_input(key="ctl_adam_beta1").value == 0.8  # opened by the link
    assert linked.radio(key="ctl_dtype").value == "float32"
