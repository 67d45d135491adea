"""Controls in the URL: every control round-trips exactly; a bad value falls back with a notice."""

import pytest

from linreg_viz import settings
from linreg_viz.i18n import translator
from linreg_viz.settings import FIELDS, from_query, to_query

CHANGED = {
    "lang": "zh", "projection": True, "d": 1, "w1": -1.25, "w2": 0.7, "b": 3.3, "noise": 0.5,
    "n": 2345, "seed": 17, "lr": 0.0123456789, "batch_size": 7, "epochs": 12,
    "optimizer": "adam", "init": "custom", "w0_1": -3.5, "w0_2": 2.25, "b0": 1.5,
    "landscape": "contour", "axis_a": "b", "axis_b": "w1", "speed": "fast",
}  # fmt: skip


def test_every_control_has_a_changed_value_here():
    assert set(CHANGED) == set(FIELDS)
    assert all(CHANGED[name] != field.default for name, field in FIELDS.items())


def test_every_control_round_trips_exactly():
    query = to_query(CHANGED)
    assert all(isinstance(v, str) for v in query.values())
    values, notices = from_query(query)
    assert notices == []
    assert values == CHANGED
    assert from_query(to_query(settings.defaults())) == (settings.defaults(), [])


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("lr", "abc"), ("lr", "-1"), ("lr", "nan"), ("lr", "inf"), ("lr", "1e9"),
        ("n", "1.5"), ("n", "0"), ("n", "10000000"), ("epochs", "999"), ("d", "3"),
        ("optimizer", "lbfgs"), ("lang", "fr"), ("projection", "yes"), ("seed", "-1"),
        ("speed", ""), ("noise", "-0.1"),
    ],
)  # fmt: skip
def test_a_bad_url_value_falls_back_to_its_default_with_a_notice(name, raw):
    values, notices = from_query({name: raw, "epochs": "7"} if name != "epochs" else {name: raw})
    assert values[name] == FIELDS[name].default
    assert [(field, value) for field, value, *_ in notices] == [(name, raw)]
    key, fields = notices[0][2:]
    for lang in ("en", "zh"):  # says what is allowed, in either language
        assert translator(lang)(key, **fields)
    if name != "epochs":
        assert values["epochs"] == 7  # the good values of the same link are kept


def test_batch_larger_than_n_and_equal_axes_are_caught():
    values, notices = from_query({"n": "50", "batch_size": "80", "axis_a": "b", "axis_b": "b"})
    assert values["batch_size"] <= 50 and values["axis_a"] != values["axis_b"]
    assert {notice[0] for notice in notices} == {"batch_size", "axis_b"}


def test_unknown_parameters_are_ignored():
    assert from_query({"utm_source": "wechat"}) == (settings.defaults(), [])
