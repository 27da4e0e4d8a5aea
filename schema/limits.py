"""The bounds of every value the log accepts: one gate for claim files, mutations and
RDF imports alike.

Whatever passes these types can be stored, replayed, exported and served: numbers are
finite and small enough for every JSON reader (|x| <= 10^15, well inside the 2^53 that
doubles hold exactly), strings have a length, lists a size. The claim-file models use
the same types, so a bad value is reported with its file, line and field before any
event is decided.
"""
from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

MAX_ID = 200
MAX_NAME = 300
MAX_TITLE = 1_000
MAX_URL = 2_048
MAX_QUOTE = 10_000
MAX_TEXT_VALUE = 2_000
MAX_UNIT = 40
MAX_REASON = 2_000
MAX_LANGUAGE_TAG = 35
MAX_ACTOR = 200
MAX_SOURCE_CHARS = 256 * 1024 * 1024
MAX_ALIASES = 1_000
MAX_EXTERNAL_IDS = 64
MAX_ABS_NUMBER = 10**15
MAX_OFFSET = 2**31 - 1


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    return value


def check_number(value: float | int) -> float | int:
    """A finite number within ±10^15."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if abs(value) > MAX_ABS_NUMBER:
        text = str(value) if isinstance(value, float) or value.bit_length() < 200 else f"a {len(str(value))}-digit number"
        raise ValueError(f"number out of range: {text} (at most ±10^15)")
    return value


#: a quantity or value: finite, within ±10^15 (booleans are not numbers)
Number = Annotated[float | int, BeforeValidator(_no_bool), AfterValidator(check_number)]
#: a probability-like score in [0, 1]
Score = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("the text holds a NUL character (U+0000), which no document or quote contains")
    return value


def text(max_length: int, min_length: int = 0) -> Any:
    """A string of bounded length (in characters)."""
    return StringConstraints(min_length=min_length, max_length=max_length)


Name = Annotated[str, text(MAX_NAME, 1)]
Title = Annotated[str, text(MAX_TITLE)]
Url = Annotated[str, text(MAX_URL)]
Quote = Annotated[str, text(MAX_QUOTE, 1), AfterValidator(_no_nul)]
TextValue = Annotated[str, text(MAX_TEXT_VALUE)]
Unit = Annotated[str, text(MAX_UNIT, 1)]
Reason = Annotated[str, text(MAX_REASON, 1)]
Actor = Annotated[str, text(MAX_ACTOR, 1)]
SourceText = Annotated[str, text(MAX_SOURCE_CHARS), AfterValidator(_no_nul)]
Scheme = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]
ExternalValue = Annotated[str, text(MAX_ID, 1)]
ContentId = Annotated[str, text(MAX_ID, 1)]
