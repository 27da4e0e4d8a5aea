"""Dates mentioned in German and English news text, resolved against a reference date.

A *point* is when something happened or was said ("im Juli", "on Monday", "last
week"); a *due* date is a deadline or target period ("Ende des Jahres", "by March
2025", "next year"). Both come out as partial dates (``2024``, ``2024-07``,
``2024-07-22``) at the precision the text gives.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12,
}
WEEKDAYS = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

Resolver = Callable[[re.Match, dt.date], str]


@dataclass
class DateMention:
    """A resolved date expression: its partial date, its span and whether it is a
    point in time or a due date."""
    value: str
    start: int
    end: int
    kind: str


def _month_in_past(month: int, day: int | None, ref: dt.date) -> str:
    year = ref.year if (month, day or 1) <= (ref.month, ref.day) else ref.year - 1
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


def _month_in_future(month: int, ref: dt.date) -> str:
    year = ref.year if month >= ref.month else ref.year + 1
    return f"{year}-{month:02d}"


def _last_weekday(weekday: int, ref: dt.date) -> str:
    return (ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)).isoformat()


def _month_shift(ref: dt.date, months: int) -> str:
    index = ref.year * 12 + ref.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _day_month(m: re.Match, ref: dt.date) -> str:
    day, month, year = int(m.group("d")), MONTHS[m.group("m").lower()], m.group("y")
    return f"{year}-{month:02d}-{day:02d}" if year else _month_in_past(month, day, ref)


def _month_year(m: re.Match, ref: dt.date) -> str:
    month, year = MONTHS[m.group("m").lower()], m.group("y")
    return f"{year}-{month:02d}" if year else _month_in_past(month, None, ref)


_DAY_MONTH = r"(?P<d>\d{1,2})\.?\s+(?P<m>" + _MONTH + r")\.?(?:\s+(?P<y>\d{4}))?"
_MONTH_DAY = r"(?P<m>" + _MONTH + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(?P<y>\d{4}))?"


def _rx(pattern: str) -> re.Pattern:
    return re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE)


DUE_PATTERNS: list[tuple[re.Pattern, Resolver | None]] = [
    (_rx(r"(?:bis |zum )?(?:Ende|end of|by the end of|by end of|late|before the end of)\s+(?:des Jahres|dieses "
         r"Jahres|the year|this year)"), lambda m, ref: f"{ref.year}-12-31"),
    (_rx(r"(?:bis |zum )?(?:Ende|end of|by the end of|by end of|late|before the end of)\s+(\d{4})"),
     lambda m, ref: f"{m.group(1)}-12-31"),
    (_rx(r"(?:in|im|by|bis|bis zum)\s+(?:Q|Quartal\s*)([1-4])\s+(\d{4})"),
     lambda m, ref: f"{m.group(2)}-{int(m.group(1)) * 3:02d}"),
    (_rx(r"(?:in|im|by|bis|ab|from)\s+(?P<m>" + _MONTH + r")\s+(?P<y>\d{4})"), _month_year),
    (_rx(r"(?:im Jahr|im Jahre|in|bis|by|until|noch in|ab|from|Anfang|Mitte|early|mid|mid-)\s*(\d{4})"),
     lambda m, ref: m.group(1)),
    (_rx(r"nächstes Jahr|nächsten Jahres|nächsten Jahr|next year|kommendes Jahr|im kommenden Jahr|kommenden Jahres"),
     lambda m, ref: str(ref.year + 1)),
    (_rx(r"later this year|in diesem Jahr|dieses Jahr|this year|noch in diesem Jahr|im laufenden Jahr"),
     lambda m, ref: str(ref.year)),
    (_rx(r"(?:bis|by|until|ab|from|im|in)\s+(?P<m>" + _MONTH + r")"),
     lambda m, ref: _month_in_future(MONTHS[m.group("m").lower()], ref)),
    (_rx(r"in the coming weeks|in den kommenden Wochen|bald|soon|in Kürze|shortly"), None),
]

POINT_PATTERNS: list[tuple[re.Pattern, Resolver | None]] = [
    (_rx(r"(?:am|on|vom)?\s*" + _DAY_MONTH), _day_month),
    (_rx(r"(?:on\s+)?" + _MONTH_DAY), _day_month),
    (_rx(r"(?:im|in|last|letzten|vergangenen|Anfang|Mitte|Ende|early|mid|late|since|seit)\s+(?P<m>" + _MONTH +
         r")(?:\s+(?P<y>\d{4}))?"), _month_year),
    (_rx(r"(?:am|on|last|this|vergangenen|letzten|during|bei)?\s*(" + _WEEKDAY + r")(?:abend|morgen|nachmittag|"
         r"mittag| evening| morning| afternoon| night|s|'s|’s)?"),
     lambda m, ref: _last_weekday(WEEKDAYS[m.group(1).lower()], ref)),
    (_rx(r"over the weekend|this weekend|last weekend|am Wochenende|vergangenes Wochenende|am vergangenen Wochenende"),
     lambda m, ref: (ref - dt.timedelta(days=(ref.weekday() + 2) % 7 or 7)).isoformat()[:7]),
    (_rx(r"gestern|yesterday"), lambda m, ref: (ref - dt.timedelta(days=1)).isoformat()),
    (_rx(r"heute|today|tonight|heute Morgen|this morning"), lambda m, ref: ref.isoformat()),
    (_rx(r"last week|letzte Woche|vergangene Woche|vergangener Woche|letzter Woche|earlier this week|"
         r"Anfang der Woche|this week|diese Woche|in dieser Woche"),
     lambda m, ref: (ref - dt.timedelta(days=7 if "last" in m.group().lower() or "letzt" in m.group().lower()
                                        or "vergangen" in m.group().lower() else 0)).isoformat()[:7]),
    (_rx(r"last month|letzten Monat|vergangenen Monat|im Vormonat"), lambda m, ref: _month_shift(ref, -1)),
    (_rx(r"this month|earlier this month|diesen Monat|Anfang des Monats|in diesem Monat"),
     lambda m, ref: _month_shift(ref, 0)),
    (_rx(r"(?:letzten|letztem|vergangenen|last|this past)\s+(?:Sommer|summer)"),
     lambda m, ref: str(ref.year if ref.month > 8 else ref.year - 1)),
    (_rx(r"letztes Jahr|letzten Jahr|vergangenes Jahr|im vergangenen Jahr|vergangenen Jahres|last year|"
         r"im Vorjahr"), lambda m, ref: str(ref.year - 1)),
    (_rx(r"earlier this year|Anfang des Jahres|Anfang dieses Jahres|zu Jahresbeginn"), lambda m, ref: str(ref.year)),
    (_rx(r"kürzlich|vor kurzem|jüngst|recently|vor zwei Wochen|two weeks ago|a few days ago|vor wenigen Tagen|"
         r"vor einigen Tagen"), lambda m, ref: (ref - dt.timedelta(days=10)).isoformat()[:7]),
    (_rx(r"(?:im Jahr|in)\s+(20\d\d|19\d\d)"), lambda m, ref: m.group(1)),
    (_rx(r"(20\d\d)"), lambda m, ref: m.group(1)),
]

#: dates told relative to the last day the article named ("the same day", "zwei Tage später")
_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "einen": 1, "einem": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7}
_COUNT = "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r"|\d"
ANCHORED_PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], int]]] = [
    (_rx(r"the same day|that same day|later that day|the same evening|that evening|that night|hours later|"
         r"am selben Tag|am gleichen Tag|noch am selben Tag|am selben Abend|am gleichen Abend|"
         r"wenige Stunden später|Stunden später|am Abend desselben Tages|"
         r"during the (?:presentation|event|livestream|stream|keynote|call|briefing|demo)|"
         r"während der (?:Präsentation|Veranstaltung|Vorstellung)|im Livestream|bei der Präsentation"), lambda m: 0),
    (_rx(r"the next day|the following day|a day later|the day after|am nächsten Tag|am Tag darauf|"
         r"tags darauf|einen Tag später|am Folgetag"), lambda m: 1),
    (_rx(r"(" + _COUNT + r") days? later|(" + _COUNT + r") Tage? später|(" + _COUNT + r") Tage danach"),
     lambda m: _NUMBERS.get((m.group(1) or m.group(2) or m.group(3) or "").lower(), 0) or
     int(m.group(1) or m.group(2) or m.group(3))),
    (_rx(r"a week later|one week later|eine Woche später|eine Woche danach"), lambda m: 7),
]


def anchored(text: str, start: int, end: int, anchor: dt.date) -> list[DateMention]:
    """Days told relative to ``anchor`` ("the same day", "two days later") in text[start:end]."""
    out = []
    for pattern, days in ANCHORED_PATTERNS:
        for m in pattern.finditer(text, start, end):
            try:
                out.append(DateMention((anchor + dt.timedelta(days=days(m))).isoformat(), m.start(), m.end(),
                                       "point"))
            except (ValueError, OverflowError):
                continue
    return sorted(out, key=lambda d: d.start)


HINT = re.compile(r"\d|" + _MONTH + "|" + _WEEKDAY + r"|Ende|end of|Jahr|year|Sommer|summer|kürzlich|vor kurzem|"
                  r"jüngst|recently|Woche|week|gestern|yesterday|heute|today|tonight|bald|soon|shortly|Kürze|"
                  r"Quartal|Monat|month|ago|vor |weekend|Wochenende", re.IGNORECASE)


def _scan(text: str, span: tuple[int, int], ref: dt.date, kind: str,
          taken: list[tuple[int, int]]) -> list[DateMention]:
    start, end = span
    found = []
    for pattern, resolve in DUE_PATTERNS if kind == "due" else POINT_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < y and x < m.end() for x, y in taken):
                continue
            taken.append((m.start(), m.end()))
            if resolve is None:
                continue
            try:
                found.append(DateMention(resolve(m, ref), m.start(), m.end(), kind))
            except (KeyError, ValueError):
                continue
    return found


def dates(text: str, start: int, end: int, reference: dt.date, kinds: tuple[str, ...] = ("due", "point")) -> \
        list[DateMention]:
    """Date expressions in text[start:end] in text order, resolved against ``reference``
    ("im Juli" said in January 2025 is 2024-07; "on Monday" is the last Monday on or
    before it). Due patterns win where both match."""
    if HINT.search(text, start, end) is None:
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind in kinds:
        found += _scan(text, (start, end), reference, kind, taken)
    return sorted(found, key=lambda d: d.start)
