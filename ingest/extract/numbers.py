"""Quantities in German and English text: "100.000", "2,048", "$8 billion", "500 Millionen Euro"."""
from __future__ import annotations

import re

NUMBER = re.compile(
    r"(?<![\w.-])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)\s?(?P<mult>k\b|K\b|Tausend|thousand|"
    r"Mio\.?|Millionen|Million|million|Mrd\.?|Milliarden|Milliarde|billion|bn\b|Billionen|trillion|m\b)?\s?"
    r"(?P<cur2>Dollar|US-Dollar|Euro|USD|EUR|Pfund|pounds)?", re.IGNORECASE)
_MULT = {"k": 1e3, "tausend": 1e3, "thousand": 1e3, "mio": 1e6, "mio.": 1e6, "millionen": 1e6, "million": 1e6,
         "m": 1e6, "mrd": 1e9, "mrd.": 1e9, "milliarden": 1e9, "milliarde": 1e9, "billion": 1e9, "bn": 1e9,
         "billionen": 1e12, "trillion": 1e12}
_UNITS = {"$": "USD", "€": "EUR", "£": "GBP", "dollar": "USD", "us-dollar": "USD", "usd": "USD", "euro": "EUR",
          "eur": "EUR", "pfund": "GBP", "pounds": "GBP"}
_YEAR = re.compile(r"(?:19|20)\d\d")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def parse_number(m: re.Match, language: str) -> tuple[float, str | None]:
    """(value, currency unit or None) of a NUMBER match; decimal commas in German."""
    raw = m.group("num").replace(" ", "")
    if _GROUPED.fullmatch(raw):
        value = float(re.sub(r"[.,]", "", raw))
    elif language == "de":
        value = float(raw.replace(".", "").replace(",", "."))
    else:
        value = float(raw.replace(",", ""))
    value *= _MULT.get((m.group("mult") or "").lower(), 1)
    currency = m.group("cur") or m.group("cur2")
    return value, _UNITS.get(currency.lower()) if currency else None


def quantity(text: str, start: int, end: int, language: str) -> tuple[float | None, str | None]:
    """The first quantity in text[start:end] that is not a year, with its unit."""
    for m in NUMBER.finditer(text, start, end):
        if not m.group("num") or (_YEAR.fullmatch(m.group("num")) and not m.group("cur") and not m.group("mult")):
            continue
        after = text[m.end("num"):m.end("num") + 1]
        if after == "%" or (after == "." and len(m.group("num")) <= 2):
            continue  # a share, or a German ordinal ("am 2. Januar")
        return parse_number(m, language)
    return None, None
