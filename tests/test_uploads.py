"""Your own data: what a CSV may be, and the message each bad one gets."""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from linreg_viz import uploads
from linreg_viz.i18n import translator
from linreg_viz.settings import FIELDS
from linreg_viz.uploads import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UPLOAD_MB,
    UploadError,
    choose,
    forget_column_choices,
    read_table,
)
from tests.markdown_text import INJECTIONS, assert_shown_as_typed

GOOD = "面积,房龄,价格\n1.0,2,10.5\n2.0,3,12.0\n3.5,1,15.25\n"


@pytest.mark.parametrize(
    ("raw", "delimiter"),
    [
        (GOOD.encode("utf-8"), ","),
        (GOOD.encode("gbk"), ","),
        (GOOD.replace(",", ";").encode("utf-8"), ";"),
        (("\ufeff" + GOOD).encode("utf-8"), ","),
    ],
)
def test_utf8_gbk_comma_and_semicolon_tables_are_read(raw, delimiter):
    frame = read_table(raw)
    assert list(frame.columns) == ["面积", "房龄", "价格"]
    data = choose(frame, ["面积", "房龄"], "价格", standardise=False)
    np.testing.assert_array_equal(data.X, [[1.0, 2], [2.0, 3], [3.5, 1]])
    np.testing.assert_array_equal(data.y, [10.5, 12.0, 15.25])


def test_standardising_gives_zero_mean_unit_variance_features():
    data = choose(read_table(GOOD.encode()), ["面积"], "价格", standardise=True)
    assert abs(data.X.mean()) < 1e-12 and abs(data.X.std() - 1) < 1e-12
    assert data.means[0] == pytest.approx(6.5 / 3)


def error_of(raw: bytes, features=("面积",), target="价格"):
    with pytest.raises(UploadError) as error:
        choose(read_table(raw), list(features), target, standardise=False)
    return error.value


def message(error: UploadError, lang: str = "en") -> str:
    return translator(lang)(error.key, **error.fields)


def test_each_bad_table_gets_its_own_message():
    bad = error_of(GOOD.replace("2.0,3", "two,3").encode())
    assert "Column `面积` holds `two` in line 3" in message(bad)
    missing = error_of(GOOD.replace("3.5,1,15.25", "3.5,1,").encode())
    assert "Column `价格` has a missing value in line 4" in message(missing)
    flat = error_of(b"a,b\n1,5\n2,5\n3,5\n", features=("a",), target="b")
    assert (flat.key, flat.fields["column"]) == ("upload_constant", "`b`")
    assert error_of(b"a,b\n1,2\n", features=("a",), target="b").key == "upload_too_few_rows"
    assert error_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00", ("a",), "b").key == "upload_not_csv"
    assert error_of(b"just one column\n1\n2\n", ("a",), "b").key == "upload_too_few_columns"
    too_large = error_of(b"a,b\n" + b"1,2\n" * (MAX_BYTES // 4 + 1), ("a",), "b")
    assert too_large.key == "upload_too_large" and too_large.fields["limit_mb"] == MAX_UPLOAD_MB
    assert error_of(GOOD.encode(), features=("价格",), target="价格").key == (
        "upload_target_is_feature"
    )


def test_lines_are_counted_in_the_file_blank_lines_and_quoted_breaks_included():
    raw = b'x,y\n1,2\n\n"2",4\n"3\n",6\nfour,8\n'
    assert "Column `x` holds `four` in line 7" in message(error_of(raw, ("x",), "y"))


@pytest.mark.parametrize("header", ["x ,x,y", "x,x,y", "x,y, x", "x;x ;y"])
def test_a_header_that_names_a_column_twice_is_refused_naming_it(header):
    raw = header + "\n1,2,3\n2,3,5\n3,4,9\n"
    if ";" in header:
        raw = raw.replace(",", ";")
    error = error_of(raw.encode(), ("y",), "x")
    assert error.key == "upload_repeated_column"
    assert "The header names column `x` more than once" in message(error)
    assert "`x`" in message(error, "zh")


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"x,y\n1,3,1\n2,5,2\n3,7,0\n", 2),  # every row long: pandas took x for row labels
        (b"x,y\n1,3,1\n2,5\n3,7\n", 2),  # only the first: pandas blamed column y
        (b"x,y\n1,3\n2,5\n3,7,\n", 4),  # a trailing delimiter is a field too
    ],
)
def test_a_row_with_more_fields_than_the_header_is_refused_naming_its_line(raw, line):
    error = error_of(raw, ("x",), "y")
    assert error.key == "upload_long_row"
    assert f"Line {line} has 3 fields, but the header names only 2 columns" in message(error)
    assert f"第 {line} 行有 3 个字段" in message(error, "zh")


def test_a_short_row_is_a_missing_value_in_its_line():
    error = error_of(b"x,y\n1,3\n2\n3,7\n", ("x",), "y")
    assert "Column `y` has a missing value in line 3" in message(error)


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_from_the_file_is_shown_as_typed_and_cut(text):
    header = f"{text},y\n".encode()
    errors = [
        error_of(header + b"5,1\n5,2\n5,3\n", (text,), "y"),  # constant
        error_of(header + b"1,5\n,6\n", (text,), "y"),  # missing
        error_of(f"x,y\n1,2\n{text},3\n".encode(), ("x",), "y"),  # a cell: not a number
        error_of(f"{text},y\n{text},3\n2,4\n".encode(), (text,), "y"),  # both
        error_of(header + b"1,5\n2,6\n", (text,), text),  # both feature and label
        error_of(f"{text},{text},y\n1,2,3\n2,3,4\n".encode(), ("y",), "x"),  # repeated
    ]
    assert {e.key for e in errors} == {
        "upload_constant",
        "upload_missing",
        "upload_non_numeric",
        "upload_target_is_feature",
        "upload_repeated_column",
    }
    for error in errors:
        for lang in ("en", "zh"):
            assert_shown_as_typed(text, message(error, lang))


def test_a_new_file_forgets_the_columns_chosen_for_the_last():
    state = {"upload_features": ["面积"], "upload_target": "价格", "upload_standardise": False}
    forget_column_choices(state)
    assert state == {"upload_standardise": False}


def test_the_server_refuses_no_file_the_app_would_take():
    """Streamlit's own limit is in the config, which cannot import the app's: they must agree."""
    config = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
    server = tomllib.loads(config.read_text())["server"]
    assert server["maxUploadSize"] == MAX_UPLOAD_MB and MAX_BYTES == MAX_UPLOAD_MB * 2**20


def test_a_table_may_hold_as_many_rows_as_the_n_control_allows_and_no_more(monkeypatch):
    assert FIELDS["n"].high == MAX_ROWS
    monkeypatch.setattr(uploads, "MAX_ROWS", 50)  # the same rule, on a table quick to read
    rows = "".join(f"{i % 7},{i % 5}\n" for i in range(50))
    assert len(read_table(("x,y\n" + rows).encode())) == 50
    error = error_of(("x,y\n" + rows + "1,2\n").encode(), ("x",), "y")
    assert (error.key, error.fields["rows"], error.fields["limit"]) == (
        "upload_too_many_rows",
        51,
        50,
    )


# A spreadsheet's export: separators at the end of each line, then rows of nothing but them.
EXCEL = (
    "x1;x2;y;;\n"
    + "".join(f"{i};{i * i % 7};{2 * i - i * i % 7 + 1};;\n" for i in range(30))
    + ";;;;\n" * 3
)


def test_a_spreadsheets_trailing_separators_and_empty_rows_are_not_the_table():
    frame = read_table(EXCEL.encode())
    assert list(frame.columns) == ["x1", "x2", "y"] and len(frame) == 30  # y: the default label
    data = choose(frame, ["x1", "x2"], "y", standardise=False)
    np.testing.assert_array_equal(data.y, [2 * i - i * i % 7 + 1 for i in range(30)])


def test_an_unnamed_column_with_values_is_kept():
    frame = read_table(b"x,,y\n1,5,2\n2,6,4\n3,7,7\n")
    assert list(frame.columns) == ["x", "Unnamed: 1", "y"]


def test_one_cell_as_long_as_the_file_allows_in_a_column_not_used_is_no_error():
    note = "n" * (MAX_BYTES - 2**17)  # 9.9 MB; csv's own limit is 128 kB
    raw = ("x,y,note\n1,2,a\n2,4,b\n3,7," + note + "\n4,9,c\n").encode()
    assert len(raw) <= MAX_BYTES
    data = choose(read_table(raw), ["x"], "y", standardise=False)
    np.testing.assert_array_equal(data.y, [2, 4, 7, 9])
