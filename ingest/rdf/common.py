"""What the RDF readers share: options, the plan they fill, labels in canonical
language tags, dates, and the record of what was skipped and why."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef

from claimgraph.schema import langtags
from claimgraph.schema import rdfvocab as V
from claimgraph.schema.decide_import import ImportPlan

SDO_HTTP = "http://schema.org/"


def norm(iri: str) -> str:
    """schema.org's http namespace as its https one (both are in use)."""
    return V.SDO + iri[len(SDO_HTTP):] if iri.startswith(SDO_HTTP) else iri


def key_of(term) -> str:
    """A document-local key for a node: its IRI, or ``_:label`` for a blank node."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


@dataclass
class Options:
    """How foreign statements are imported: ``unreferenced`` is ``keep`` (claims whose
    source is the entity document, marked so) or ``skip``; ``retrieved`` is the date
    undated statements are stated on (default: today)."""
    unreferenced: str = "keep"
    retrieved: str | None = None

    def day(self) -> str:
        return self.retrieved or dt.date.today().isoformat()


@dataclass
class Skips:
    """Everything left out, by reason, with examples."""
    reasons: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reason: str, example: str) -> None:
        self.reasons.setdefault(reason, []).append(example)


class Reader:
    """Base of the readers: the document's default graph with schema.org IRIs in https."""

    def __init__(self, doc, plan: ImportPlan, skips: Skips, options: Options):
        self.doc, self.plan, self.skips, self.options = doc, plan, skips, options
        self.default: dict = getattr(doc, "_normalised", None) or self._normalise(doc)

    @staticmethod
    def _normalise(doc) -> dict:
        out = {s: {norm(str(p)): objs for p, objs in props.items()} for s, props in doc.subjects(None).items()}
        doc._normalised = out
        return out

    def props(self, node) -> dict:
        return self.default.get(node, {})


@functools.lru_cache(maxsize=4096)
def _tag(tag: str) -> tuple[str | None, str | None]:
    """(canonical tag, None) or (None, why it cannot be kept)."""
    try:
        return langtags.canonical(tag), None
    except ValueError:
        return None, "label with an invalid language tag"


def language(tag: str | None, skips: Skips, example: str) -> tuple[bool, str | None]:
    """(usable, canonical tag) for a literal's language tag; unusable tags are recorded."""
    if not tag:
        return True, None
    canonical, reason = _tag(tag)
    if reason is not None:
        skips.add(reason, f"{example} @{langtags.canonical_case(tag)}")
        return False, None
    return True, canonical


def labels(props: dict, keys, skips: Skips, what: str) -> list[tuple[str, str | None]]:
    """(text, canonical language) of the literals under ``keys``, without repeats."""
    out: list[tuple[str, str | None]] = []
    seen = set()
    for key in keys:
        for value in props.get(key, ()):
            if not isinstance(value, Literal):
                continue
            text = str(value).strip()
            if not text:
                continue
            ok, lang = language(value.language, skips, f"{what} {text!r}")
            if ok and (text, lang) not in seen:
                seen.add((text, lang))
                out.append((text, lang))
    return out


def _rank(label: tuple[str, str | None]) -> tuple:
    text, lang = label
    if lang == "en":
        return (0, "", text)
    if lang and lang.startswith("en-"):
        return (1, lang, text)
    if lang is None:
        return (2, "", text)
    if lang == "mul":
        return (3, "", text)
    return (4, lang, text)


def best_label(found: list[tuple[str, str | None]]) -> tuple[str, str | None] | None:
    """The label a name is taken from: English, then untagged, then ``mul``, then by tag."""
    return min(found, key=_rank) if found else None


_DATE = re.compile(r"^([+-]?)(\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")


def partial_date(lexical: str, precision: int | None = None) -> tuple[str | None, str | None]:
    """(partial date, None) for an xsd/Wikidata date or dateTime at a Wikidata precision
    (9 year, 10 month, 11 day and finer), or (None, reason)."""
    m = _DATE.match(lexical.strip())
    if not m:
        return None, f"not a date: {lexical!r}"
    sign, year, month, day = m.groups()
    if sign == "-" or not 1 <= int(year) <= 9999:
        return None, f"a date outside the years 1–9999: {lexical!r}"
    year = f"{int(year):04d}"
    if precision is not None and precision < 9:
        return None, f"a date coarser than a year (precision {precision}): {lexical!r}"
    if precision == 9 or month is None or month == "00":
        return year, None
    if precision == 10 or day is None or day == "00":
        return f"{year}-{month}", None
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, f"not a date: {lexical!r}"
    return f"{year}-{month}-{day}", None


def is_iri(term) -> bool:
    return isinstance(term, URIRef)
