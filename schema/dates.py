"""Partial dates: ``2024``, ``2024-07`` or ``2024-07-22``, precision kept.

A partial date is kept as its canonical ISO string, so it sorts correctly as text
(``2024`` < ``2024-07`` < ``2024-07-22``) and stores as it was said. ``start`` and
``end`` give the first and last day it covers, for valid-time questions. (The pydantic
types that check partial dates in documents and events are in ``datetypes``.)
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

YEAR, MONTH, DAY = "year", "month", "day"


def parse_partial_date(value: Any) -> str:
    """Canonical text of a partial date; raises ValueError with the reason."""
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r} (use 2024, 2024-07 or 2024-07-22)")
    text = value.strip()
    m = _PATTERN.match(text)
    if not m:
        raise ValueError(f"not a date: {value!r} (use 2024, 2024-07 or 2024-07-22)")
    year, month, day = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"not a date: {value!r} (month {month} does not exist)")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"not a date: {value!r} (day {day} does not exist in {year}-{month})") from None
    if int(year) < 1:
        raise ValueError(f"not a date: {value!r}")
    return text


def precision(value: str) -> str:
    return {4: YEAR, 7: MONTH, 10: DAY}[len(value)]


def start(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def end(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts)


@functools.lru_cache(maxsize=4096)
def start_iso(value: str) -> str:
    """``start(value)`` as ISO text, cached: projections ask for the same few dates over and over."""
    return start(value).isoformat()


@functools.lru_cache(maxsize=4096)
def end_iso(value: str) -> str:
    """``end(value)`` as ISO text, cached."""
    return end(value).isoformat()


def agrees(value: str, reference: str) -> bool:
    """True when ``value`` says the same as ``reference`` at the reference's precision."""
    return value[: len(reference)] == reference and len(value) >= len(reference)
