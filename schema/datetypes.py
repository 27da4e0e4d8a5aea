"""Partial dates as pydantic types: the input form of documents (accepts YAML dates and
numbers, explains what is wrong) and the stored form of events (canonical text, checked
in the validator core)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from .dates import parse_partial_date

#: input form: accepts YAML dates and ints, explains what is wrong
PartialDate = Annotated[str, BeforeValidator(parse_partial_date)]


def _real_day(value: str) -> str:
    if len(value) == 10:
        dt.date.fromisoformat(value)  # raises ValueError for 2024-02-30
    return value


#: stored form in events: canonical text only, checked in the validator core (fast)
DATE_PATTERN = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
PartialDateText = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_real_day)]
