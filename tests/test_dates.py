import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.schema import dates


@given(st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from([4, 7, 10]))
def test_partial_dates_keep_their_precision_and_cover_their_period(day, width):
    text = day.isoformat()[:width]
    parsed = dates.parse_partial_date(text)
    assert parsed == text
    assert dates.precision(parsed) == {4: "year", 7: "month", 10: "day"}[width]
    assert dates.start(parsed) <= day <= dates.end(parsed)
    assert dates.agrees(day.isoformat(), parsed)


def test_yaml_values_are_accepted():
    assert dates.parse_partial_date(2024) == "2024"
    assert dates.parse_partial_date(dt.date(2025, 1, 2)) == "2025-01-02"
    assert dates.end("2024-02") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "24", "July 2024", "2024/07", True, 3.5, ""])
def test_bad_dates_are_rejected_with_the_value(bad):
    with pytest.raises(ValueError, match="not a date"):
        dates.parse_partial_date(bad)


def test_text_order_is_chronological_order():
    assert sorted(["2024-07-22", "2025", "2024", "2024-07"]) == ["2024", "2024-07", "2024-07-22", "2025"]
