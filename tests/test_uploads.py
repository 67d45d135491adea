"""Your own data: what a CSV may be, and the message each bad one gets."""

import numpy as np
import pytest

from linreg_viz.uploads import MAX_BYTES, UploadError, choose, read_table

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


def test_each_bad_table_gets_its_own_message():
    bad = error_of(GOOD.replace("2.0,3", "two,3").encode())
    assert (bad.key, bad.fields["column"], bad.fields["row"], bad.fields["value"]) == (
        "upload_non_numeric", "面积", 3, "two",
    )  # fmt: skip
    missing = error_of(GOOD.replace("3.5,1,15.25", "3.5,1,").encode())
    assert (missing.key, missing.fields["column"], missing.fields["row"]) == (
        "upload_missing", "价格", 4,
    )  # fmt: skip
    flat = error_of(b"a,b\n1,5\n2,5\n3,5\n", features=("a",), target="b")
    assert (flat.key, flat.fields["column"]) == ("upload_constant", "b")
    assert error_of(b"a,b\n1,2\n", features=("a",), target="b").key == "upload_too_few_rows"
    assert error_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00", ("a",), "b").key == "upload_not_csv"
    assert error_of(b"just one column\n1\n2\n", ("a",), "b").key == "upload_too_few_columns"
    too_large = error_of(b"a,b\n" + b"1,2\n" * (MAX_BYTES // 4 + 1), ("a",), "b")
    assert too_large.key == "upload_too_large" and too_large.fields["limit_mb"] == 10
    assert error_of(GOOD.encode(), features=("价格",), target="价格").key == (
        "upload_target_is_feature"
    )
