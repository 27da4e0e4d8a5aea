"""Sentences, tokens and dates in German and English news text (offsets kept)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ABBREV = re.compile(r"(?:\b(?:z|u|d|bzw|ca|vgl|Dr|Prof|Mr|Mrs|Ms|St|Inc|Corp|Ltd|Co|Nr|etc|e\.g|i\.e|vs|Jr|Sr)\.|"
                     r"\b[A-Z]\.)$")
_ORDINAL = re.compile(r"\b\d{1,2}\.$")
_MONTH_START = re.compile(r"(?:" + _MONTH + r")\b", re.I)
_BOUNDARY = re.compile(r"[.!?…]+[\"'“”„»«)]*\s+|\n\s*\n|\n(?=\s*[-*#•])")
_WORD = re.compile(r"[^\W_]+(?:\.\d+)*")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; abbreviations, initials and German ordinal dates
    ("am 2. Januar") do not end a sentence."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        head = text[start:m.start() + 1].rstrip()
        if _ABBREV.search(head) or (_ORDINAL.search(head) and _MONTH_START.match(text, end)):
            continue  # "z. B.", "Dr.", initials, "am 2. Januar"
        nxt = text[end:end + 1]
        if nxt and nxt.islower() and "\n" not in m.group():
            continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Word tokens of text[start:end] as (token, start, end), split at hyphens too."""
    stop = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, stop)]


@dataclass
class DateMention:
    value: str       # partial date
    start: int
    end: int
    kind: str        # "point" (said on) or "due" (by/end of)


def _shift_to_past(month: int, day: int | None, published: dt.date) -> str:
    year = published.year if month <= published.month else published.year - 1
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


DUE_PATTERNS = [
    (re.compile(r"\b(?:Ende|bis Ende|zum Ende|end of|by the end of|by end of|late)\s+(?:des Jahres|dieses Jahres|"
                r"the year|this year)\b", re.I), lambda m, pub: f"{pub.year}-12-31"),
    (re.compile(r"\b(?:Ende|bis Ende|end of|by the end of|by end of|late)\s+(\d{4})\b", re.I),
     lambda m, pub: f"{m.group(1)}-12-31"),
    (re.compile(r"\b(?:im Jahr|im Jahre|in|bis|by|until|noch in)\s+(\d{4})\b", re.I), lambda m, pub: m.group(1)),
    (re.compile(r"\b(?:nächstes Jahr|nächsten Jahr|next year|kommendes Jahr|im kommenden Jahr)\b", re.I),
     lambda m, pub: str(pub.year + 1)),
    (re.compile(r"\b(?:in|im|by|bis|bis zum)\s+(?:Q|Quartal\s*)([1-4])\s+(\d{4})\b", re.I),
     lambda m, pub: f"{m.group(2)}-{int(m.group(1)) * 3:02d}"),
    (re.compile(r"\b(?:in|im|by|bis|ab)\s+(" + _MONTH + r")\s+(\d{4})\b", re.I),
     lambda m, pub: f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"),
    (re.compile(r"\b(?:later this year|in diesem Jahr|dieses Jahr|this year|noch in diesem Jahr)\b", re.I),
     lambda m, pub: str(pub.year)),
    (re.compile(r"\b(?:in the coming weeks|in den kommenden Wochen|bald|soon|in Kürze)\b", re.I), None),
]

POINT_PATTERNS = [
    (re.compile(r"\b(?:am|on)\s+(\d{1,2})\.?\s+(" + _MONTH + r")\.?(?:\s+(\d{4}))?", re.I),
     lambda m, pub: (f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}" if m.group(3)
                     else _shift_to_past(MONTHS[m.group(2).lower()], int(m.group(1)), pub))),
    (re.compile(r"\b(?:on\s+)?(" + _MONTH + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?\b", re.I),
     lambda m, pub: (f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}" if m.group(3)
                     else _shift_to_past(MONTHS[m.group(1).lower()], int(m.group(2)), pub))),
    (re.compile(r"\b(?:im|in|last|letzten|vergangenen|Anfang|Mitte|Ende|early|mid|late|since|seit)\s+(" + _MONTH +
                r")\b(?:\s+(\d{4}))?", re.I),
     lambda m, pub: (f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}" if m.group(2)
                     else _shift_to_past(MONTHS[m.group(1).lower()], None, pub))),
    (re.compile(r"\b(?:letzten|letztem|vergangenen|last|this past)\s+(?:Sommer|summer)\b", re.I),
     lambda m, pub: str(pub.year if pub.month > 8 else pub.year - 1)),
    (re.compile(r"\b(?:letztes Jahr|letzten Jahr|vergangenes Jahr|im vergangenen Jahr|last year)\b", re.I),
     lambda m, pub: str(pub.year - 1)),
    (re.compile(r"\b(?:kürzlich|vor kurzem|jüngst|recently|last week|letzte Woche|vergangene Woche)\b", re.I),
     lambda m, pub: (pub - dt.timedelta(days=14)).isoformat()[:7]),
    (re.compile(r"\b(?:gestern|yesterday)\b", re.I), lambda m, pub: (pub - dt.timedelta(days=1)).isoformat()),
    (re.compile(r"\b(?:heute|today|this week|diese Woche)\b", re.I), lambda m, pub: pub.isoformat()),
    (re.compile(r"\b(?:im Jahr|in)\s+(20\d\d|19\d\d)\b", re.I), lambda m, pub: m.group(1)),
]


def dates(text: str, start: int, end: int, published: dt.date) -> list[DateMention]:
    """Due dates and points in time mentioned in text[start:end], resolved against the
    publication date ("im Juli" in January 2025 is 2024-07)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    chunk = text[start:end]
    for kind, patterns in (("due", DUE_PATTERNS), ("point", POINT_PATTERNS)):
        for pattern, resolve in patterns:
            for m in pattern.finditer(chunk):
                a, b = start + m.start(), start + m.end()
                if any(a < y and x < b for x, y in taken):
                    continue
                taken.append((a, b))
                if resolve is None:
                    continue
                try:
                    value = resolve(m, published)
                except (KeyError, ValueError):
                    continue
                found.append(DateMention(value, a, b, kind))
    return sorted(found, key=lambda d: d.start)


NUMBER = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)\s?(?P<mult>k\b|K\b|Tausend|thousand|"
    r"Mio\.?|Millionen|million|Mrd\.?|Milliarden|billion|bn\b|m\b)?\s?(?P<cur2>Dollar|US-Dollar|Euro|USD|EUR)?",
    re.I)
_MULT = {"k": 1e3, "tausend": 1e3, "thousand": 1e3, "mio": 1e6, "mio.": 1e6, "millionen": 1e6, "million": 1e6,
         "m": 1e6, "mrd": 1e9, "mrd.": 1e9, "milliarden": 1e9, "billion": 1e9, "bn": 1e9}


def parse_number(m: re.Match, language: str) -> tuple[float, str | None]:
    raw = m.group("num").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        value = float(re.sub(r"[.,]", "", raw))
    elif language == "de":
        value = float(raw.replace(".", "").replace(",", "."))
    else:
        value = float(raw.replace(",", ""))
    mult = (m.group("mult") or "").lower()
    value *= _MULT.get(mult, 1)
    cur = m.group("cur") or m.group("cur2")
    unit = {"$": "USD", "€": "EUR", "£": "GBP", "dollar": "USD", "us-dollar": "USD", "usd": "USD",
            "euro": "EUR", "eur": "EUR"}.get((cur or "").lower()) if cur else None
    return value, unit
