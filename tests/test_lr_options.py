"""The lr slider's stops: a log scale a link can carry, with a stop on each side of the limit."""

import pytest

from linreg_viz.settings import FIELDS
from ui.controls import lr_options

LR = FIELDS["lr"]
# below, inside and above the URL's range; 1.02e-4 and 3e-9: CSVs of raw, badly scaled features
LIMITS = [1e-13, 3e-9, 1e-6, 1.02e-4, 2e-4, 0.02, 1.9734, 2.0, 40.0, 99.5, 1e4]
CURRENT = [LR.low, LR.default, 0.0123456789, 2.5, 77.7, float(LR.high)]  # as a link gives them


@pytest.mark.parametrize("limit", LIMITS)
@pytest.mark.parametrize("current", CURRENT)
def test_lr_stops_are_sorted_and_a_link_can_carry_each(limit, current):
    options = lr_options(limit, current)
    assert options == sorted(set(options))  # increasing, no stop twice
    assert all(isinstance(v, float) and LR.low <= v <= LR.high for v in options)
    assert current in options and LR.default in options


@pytest.mark.parametrize("limit", LIMITS)
def test_there_is_a_stop_just_below_and_just_above_the_stability_limit(limit):
    options = lr_options(limit, LR.default)
    if LR.low <= 0.98 * limit and limit <= LR.high:
        assert any(0.98 * limit <= v < limit for v in options)
    if LR.low <= limit and 1.02 * limit <= LR.high:
        assert any(limit < v <= 1.02 * limit for v in options)
    assert max(options) >= min(1.49 * limit, LR.high)  # far enough past it to see divergence


@pytest.mark.parametrize("limit", LIMITS)
def test_no_decade_is_skipped_up_to_past_the_limit(limit):
    options = lr_options(limit, LR.default)
    reach = [v for v in options if v <= 1.49 * limit]
    assert all(b / a <= 2 * (1 + 1e-12) for a, b in zip(reach, reach[1:], strict=False))


@pytest.mark.parametrize("limit", LIMITS)
def test_the_scale_starts_at_1e_4_or_two_decades_under_the_limit_as_far_as_a_link_can(limit):
    options = lr_options(limit, LR.default)
    start = max(LR.low, min(1e-4, limit / 100))
    assert start / 10 < options[0] <= start
    assert all(len(LR.format(v)) <= 9 for v in options)  # a link writes 3e-05, not 3.0000…4e-05
