"""Your own data through the app: a good CSV replaces the synthetic data; a bad one is named and
the data already on screen stay."""

import json

import numpy as np
import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest

from linreg_core import stability_limit
from linreg_viz.player import decode
from linreg_viz.uploads import MAX_BYTES, MAX_UPLOAD_MB
from tests.apps import printed_lines, rerun, start, tables
from tests.markdown_text import INJECTIONS, assert_shown_as_typed
from tests.test_uploads import EXCEL

rng = np.random.default_rng(3)
area = rng.uniform(50, 150, 60)
ROWS = "".join(f"{a:.2f},{3 * a + 20 + rng.normal():.2f}\n" for a in area)
GOOD = "面积,价格\n" + ROWS


def with_upload(content: bytes, name: str = "houses.csv") -> AppTest:
    at = start()
    at.radio(key="ctl_source").set_value("upload")
    rerun(at)
    at.file_uploader(key="upload_file").upload(name, content, "text/csv")
    return rerun(at)


def figure(at: AppTest) -> list[dict]:
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # something is always on screen
    return [json.loads(chart.proto.spec) for chart in charts]


def test_a_good_csv_is_trained_on():
    at = with_upload(GOOD.encode("gbk"))
    assert not at.error
    spec = figure(at)
    assert "Data and the fitted line" in json.dumps(spec)  # one feature: a line
    table = tables(at)[0]
    assert list(table.iloc[:, 0]) == ["w1", "b"] and "True" not in table.columns


def test_the_data_view_names_its_axes_by_the_files_columns():
    """The file's own column names on the data view, not "feature x" and "label y", and in the
    readout beside w."""
    at = with_upload(GOOD.encode("gbk"))
    (data,) = [s for s in figure(at) if "Data and the fitted line" in json.dumps(s)]
    assert data["layout"]["xaxis"]["title"]["text"] == "面积 (standardised)"
    assert data["layout"]["yaxis"]["title"]["text"] == "价格"
    at.checkbox(key="upload_standardise").uncheck()
    (data,) = [s for s in figure(rerun(at)) if "Data and the fitted line" in json.dumps(s)]
    assert data["layout"]["xaxis"]["title"]["text"] == "面积"
    (component,) = at.get("bidi_component")
    assert decode(component.proto.bytes)[0]["weights"] == "w (面积)"  # the readout's name


BAD = [
    (("面积,价格\nabc,12\n" + ROWS).encode(), "`面积` holds `abc` in line 2"),
    (("面积,价格\n,12\n" + ROWS).encode(), "`面积` has a missing value in line 2"),
    (b"x,y\n1,5\n2,5\n3,5\n", "`y` has the same value in every row"),
    (b"x ,x,y\n1,2,3\n2,3,5\n3,4,9\n", "The header names column `x` more than once"),
    (b"x,y\n1,3,1\n2,5,2\n3,7,0\n", "Line 2 has 3 fields, but the header names only 2"),
    (b"x,y\n1,3,1\n2,5\n3,7\n", "Line 2 has 3 fields, but the header names only 2"),
    (b"x,y\n1,2\n", "1 data row"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV"),
    (b"x,y\n" + b"1,2\n" * (MAX_BYTES // 4 + 1), f"at most {MAX_UPLOAD_MB} MB"),
]


@pytest.mark.parametrize(("content", "named"), BAD)
def test_each_bad_csv_is_named_and_the_previous_data_stay(content, named):
    at = start()
    before = figure(at)
    at.radio(key="ctl_source").set_value("upload")
    rerun(at)
    at.file_uploader(key="upload_file").upload("bad.csv", content, "text/csv")
    rerun(at)
    errors = " ".join(e.value for e in at.error)
    assert named in errors, errors
    assert "previous data stay" in errors
    assert figure(at) == before  # the synthetic run is still what is drawn


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_from_the_file_is_shown_as_typed(text):
    at = with_upload(f"{text},y\n1,2\nabc,3\n4,5\n".encode())
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "holds" in errors[0], errors
    assert_shown_as_typed(text, errors[0])


def test_a_second_file_starts_at_its_own_columns():
    at = with_upload(GOOD.encode())
    first = figure(at)
    second = "x1,x2,y\n" + "".join(f"{i},{i * i % 7},{2 * i + 1}\n" for i in range(30))
    at.file_uploader(key="upload_file").upload("second.csv", second.encode(), "text/csv")
    rerun(at)
    assert not at.error, [e.value for e in at.error]
    assert at.multiselect(key="upload_features").value == ["x1"]
    assert at.selectbox(key="upload_target").value == "y"
    spec = figure(at)
    assert spec != first
    assert list(tables(at)[0].iloc[:, 0]) == ["w1", "b"]  # one feature, from x1


def widget_keys(node) -> set[str]:
    """The keys of the widgets under a node of the page."""
    keys = {node.key} if getattr(node, "key", None) else set()
    for child in getattr(node, "children", {}).values():
        keys |= widget_keys(child)
    return keys


def restarted(at: AppTest, monkeypatch) -> AppTest:
    """The open page after the server restarted (or its replica died), at its first change: a
    new session, whose first run carries the widgets as the page shows them, the file card
    included, while the server holds no file and nothing of the old session."""
    on_page = widget_keys(at.main) | widget_keys(at.sidebar)
    for key in [key for key in at.session_state if key not in on_page]:
        del at.session_state[key]
    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", lambda *_: None)
    return rerun(at)


def test_a_file_lost_by_a_restart_is_asked_for_again_and_no_other_data_are_drawn(monkeypatch):
    at = with_upload(GOOD.encode())
    drawn = figure(at)
    restarted(at, monkeypatch)
    assert at.radio(key="ctl_source").value == "upload"  # "My CSV" and its file card stay
    said = " ".join(w.value for w in at.warning)
    assert "no longer on the server" in said and "upload it again" in said, said
    assert not at.get("plotly_chart") and not printed_lines(at)  # not synthetic data, nor any
    monkeypatch.undo()
    at.file_uploader(key="upload_file").upload("houses.csv", GOOD.encode(), "text/csv")
    rerun(at)
    assert figure(at) == drawn and not at.warning


@pytest.mark.parametrize(
    ("lang", "upload_note", "guide_note"),
    [
        ("en", "does not carry the file", "A CSV you uploaded is not in the link"),
        ("zh", "本页的链接不包含这个文件", "你上传的 CSV 不在链接里"),
    ],
)
def test_where_a_link_is_shared_it_says_the_file_is_not_in_it(lang, upload_note, guide_note):
    at = start({"lang": lang})
    at.radio(key="ctl_source").set_value("upload")
    rerun(at)
    at.file_uploader(key="upload_file").upload("houses.csv", GOOD.encode(), "text/csv")
    rerun(at)
    assert any(upload_note in c.value for c in at.sidebar.caption)
    at.switch_page("pages/guide.py")
    rerun(at)
    assert any(guide_note in m.value for m in at.markdown)


def test_raw_features_get_lr_stops_under_their_tiny_limit_and_a_reason_to_standardise():
    at = with_upload(GOOD.encode())
    at.checkbox(key="upload_standardise").uncheck()
    rerun(at)
    limit = stability_limit(area.round(2)[:, None])
    assert limit < 1e-3  # areas of 50 to 150 m²: λ_max of about 10⁴
    said = " ".join(i.value for i in at.info)
    assert f"{limit:.3g}" in said and "tick *Standardise the features*" in said, said
    assert any("Diverged at step 1" in e.value for e in at.error)  # the default lr, 0.03
    slider = at.select_slider(key="ctl_lr")
    stops = [float(option) for option in slider.options]
    assert [v for v in stops if v <= limit / 10]  # well under the limit, not only 1e-4 and up
    stable = max(v for v in stops if v <= limit / 2)
    slider.set_value(stable)
    rerun(at)
    assert at.select_slider(key="ctl_lr").value == stable and not at.error  # no divergence


def test_a_link_with_an_lr_under_1e_4_round_trips():
    at = start({"lr": "2e-07"})
    assert not at.warning  # allowed: a raw CSV's limit can be that small
    assert at.select_slider(key="ctl_lr").value == 2e-07


def test_a_spreadsheets_export_is_trained_on_at_its_default_columns():
    at = with_upload(EXCEL.encode(), "export.csv")
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="upload_target").value == "y"  # not the unnamed, empty column
    assert figure(at)
