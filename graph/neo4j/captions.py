"""Short captions for Neo4j Browser: what a node or a one-hop relationship is, in words
that fit a circle at the default zoom.

The full text stays in the other properties; a caption is only for the picture. A
claim's caption says who, what and when — ``Musk · Grok 3 release by 2024-12 · Jul
2024`` — in at most 48 characters; a proposition's says subject, predicate and object or
due date; a resolution's its verdict and date; a source's its publisher and date. Text
that is too long is shortened by whole words (never cut inside a word), so Browser can
wrap it into the circle without an ellipsis.
"""
from __future__ import annotations

import calendar
import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from claimgraph.schema.values import number

CLAIM_MAX = 48
PROPOSITION_MAX = 40
SOURCE_MAX = 40
#: a one-hop relationship's statement: Browser writes it along an arrow of about 90 pixels
HOP_MAX = 22
NAME_MAX = 18
SEP = " · "
#: predicates said shorter than their name in captions
WORDS = {"remove_from_roadmap": "off roadmap", "successor_of": "succeeds"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary (a single word
    longer than the limit is cut hard); a quotation left open by the cut is dropped, and
    so are trailing separators."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    space = cut.rfind(" ")
    if space <= 0:
        return text[:limit]
    cut = cut[:space]
    if cut.count('"') % 2:
        cut = cut[:cut.rfind('"')]
    cut = cut.rstrip(" ·,;:-–(")
    return cut[:-3] if cut.endswith(" by") else cut


def name_from_id(entity_id: str) -> str:
    """A readable name for an entity known only by id: model:grok-3 -> "Grok 3"."""
    slug = entity_id.split(":", 1)[-1]
    return " ".join(part[:1].upper() + part[1:] for part in slug.split("-"))


@functools.lru_cache(maxsize=65536)
def when(partial: str) -> str:
    """A partial date as people write it: ``2024``, ``Jul 2024``, ``2 Jan 2025``."""
    parts = partial.split("-")
    if len(parts) == 1:
        return partial
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


@functools.lru_cache(maxsize=65536)
def due_text(due: str) -> str:
    """A due date as short as it is exact: the last day of a month is that month
    (``2024-12-31`` -> ``2024-12``); other dates stay as they are."""
    if len(due) == 10:
        year, month = int(due[:4]), int(due[5:7])
        if int(due[8:]) == calendar.monthrange(year, month)[1]:
            return due[:7]
    return due


@functools.lru_cache(maxsize=65536)
def short_name(name: str | None, entity_id: str) -> str:
    """How an entity is named inside a caption: a person by the last word of the name
    (``Elon Musk`` -> ``Musk``), anything else by its name, both at most 18 characters."""
    text = " ".join((name or name_from_id(entity_id)).split())
    if entity_id.startswith("person:") and " " in text:
        text = text.rsplit(" ", 1)[1]
    return shorten(text, NAME_MAX)


@functools.lru_cache(maxsize=65536)
def quantity_text(value: float | int | None, unit: str | None = None) -> str:
    """A number made short: 100000 -> ``100k``, 1500000 -> ``1.5M``; with its unit."""
    n = number(value)
    if n is None:
        return ""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(n) >= size:
            scaled = n / size
            text = f"{scaled:.1f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        text = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{text} {unit}" if unit else text


def object_text(obj: Mapping[str, Any] | None, entity_name: str | None = None) -> str:
    """A proposition's object in a caption: the entity's short name, the date, the value
    with its unit, or the text in quotation marks."""
    if not obj:
        return ""
    if obj.get("entity"):
        return short_name(entity_name, str(obj["entity"]))
    if obj.get("date"):
        return str(obj["date"])
    if obj.get("value") is not None:
        return quantity_text(obj["value"], obj.get("unit"))
    return f'"{obj.get("text", "")}"'


def statement(predicate: str, obj: str = "", quantity: float | int | None = None,
              unit: str | None = None, due: str | None = None, denied: bool = False) -> str:
    """Predicate, object and due date in words, without the subject: ``release by
    2024-12``, ``trained on 100k NVIDIA H100``, ``not release by 2025``."""
    return variants(predicate, obj, quantity, unit, due, denied)[0]


@functools.lru_cache(maxsize=65536)
def variants(predicate: str, obj: str = "", quantity: float | int | None = None,
             unit: str | None = None, due: str | None = None, denied: bool = False) -> tuple[str, ...]:
    """The statement in ever shorter forms, for a caption to take the first that fits:
    in full; without the quantity; with the object's last word only; with a due date at
    the end of a year as that year; without the due date."""
    head = ("not " if denied else "") + WORDS.get(predicate, predicate.replace("_", " "))
    amount = quantity_text(quantity, unit)
    last = obj.rsplit(" ", 1)[-1] if obj and not obj.startswith('"') else obj
    dues = [due_text(due)] if due else [""]
    if due and due[4:] in ("", "-12", "-12-31"):
        dues.append(due[:4])
    forms = [(amount, obj, dues[0]), ("", obj, dues[0]), ("", last, dues[0]), ("", last, dues[-1]), ("", last, "")]
    return tuple(dict.fromkeys(" ".join(x for x in (head, a, o, "by " + d if d else "") if x) for a, o, d in forms))


@functools.lru_cache(maxsize=65536)
def fitting(forms: tuple[str, ...], limit: int) -> str:
    """The first of ``forms`` at most ``limit`` long, else the last one shortened."""
    return next((f for f in forms if len(f) <= limit), shorten(forms[-1], limit))


@functools.lru_cache(maxsize=65536)
def proposition_caption(subject: str, what: str) -> str:
    """``Grok 3 release by 2024-12``: the subject's short name and the statement."""
    return shorten(f"{subject} {what}", PROPOSITION_MAX)


@functools.lru_cache(maxsize=65536)
def claim_caption(who: str, subject: str, forms: tuple[str, ...], stated: str) -> str:
    """``Musk · Grok 3 release by 2024-12 · Jul 2024``: who, what (the subject first,
    then the first of the statement's ``forms`` that fits), when (to the month); at most
    48 characters, shortened by whole words."""
    date = when(stated[:7])
    who = shorten(who, CLAIM_MAX - len(date) - 2 * len(SEP) - 8)
    room = CLAIM_MAX - len(who) - len(date) - 2 * len(SEP)
    what = next((f"{subject} {f}" for f in forms if len(subject) + 1 + len(f) <= room), f"{subject} {forms[0]}")
    return f"{who}{SEP}{shorten(what, room)}{SEP}{date}"


def resolution_caption(verdict: str, known: str) -> str:
    """``broken · 2 Jan 2025``: the verdict and the date it was known."""
    return f"{verdict.replace('_', ' ')}{SEP}{when(known)}"


def source_caption(source_id: str, publisher: str | None = None, published: str | None = None,
                   title: str | None = None, url: str | None = None) -> str:
    """``Grok3 Report Publisher · 2 Jan 2025``: who published it (else its title, else
    the site) and when."""
    host = urlsplit(url).hostname if url else None
    who = publisher or title or (host.removeprefix("www.") if host else None) or source_id
    date = when(published) if published else ""
    if not date:
        return shorten(who, SOURCE_MAX)
    return f"{shorten(who, SOURCE_MAX - len(date) - len(SEP))}{SEP}{date}"
