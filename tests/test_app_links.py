"""Shared links through the app: whatever a link carries, the page shows it as plain text, cut
short, and says what it did instead; repeated and unknown parameters are named too."""

import pytest

from linreg_viz.settings import FIELDS
from tests.apps import start
from tests.markdown_text import INJECTIONS, assert_shown_as_typed


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("text", INJECTIONS)
def test_every_link_field_shows_its_value_as_typed_and_cut(text, lang):
    query = {name: text for name in FIELDS if name != "lang"}
    query.update(lang=lang, lr=[text, text], **{text: "1"})  # lr twice, an unknown name
    at = start(query)
    notices = [w.value for w in at.warning]
    assert len(notices) == len(FIELDS) - 1 + 2, notices  # each bad field, the repeat, the name
    for notice in notices:
        assert_shown_as_typed(text, notice)
    named = " ".join(notices)
    assert all(f"`{name}=" in named for name in FIELDS if name != "lang")
    assert len(at.get("plotly_chart")) == 4  # the defaults' run is drawn, every view


def test_repeated_and_unknown_parameters_are_named():
    at = start({"epochs": ["4", "9"], "utm_source": "wechat"})
    notices = " ".join(w.value for w in at.warning)
    assert "The link gives `epochs` 2 times; only the last value, `9`, is used." in notices
    assert "The link's parameter `utm_source` is not one of this app's" in notices
    assert at.slider(key="ctl_epochs").value == 9


@pytest.mark.parametrize("raw", ["٥", "1_0", "５"])
def test_digits_outside_ascii_are_refused_with_the_range_in_full(raw):
    at = start({"seed": raw, "epochs": raw})
    notices = " ".join(w.value for w in at.warning)
    assert f"`seed={raw}`" in notices and "an integer from 0 to 2,147,483,647" in notices
    assert f"`epochs={raw}`" in notices and "an integer from 1 to 50" in notices
    assert at.slider(key="ctl_epochs").value == FIELDS["epochs"].default
