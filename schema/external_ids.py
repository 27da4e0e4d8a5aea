"""External identifiers per scheme (``wikidata``: ``Q42``), checked before they are stored,
so that nothing exported from them (``owl:sameAs`` IRIs, ``cg:externalId`` literals) can
be invalid RDF. Pure: no I/O.
"""
from __future__ import annotations

import functools
import re

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

#: scheme -> (pattern of a valid value, an example)
SCHEMES: dict[str, tuple[re.Pattern[str], str]] = {
    "wikidata": (re.compile(r"^Q[1-9][0-9]{0,11}$"), "Q937"),
    "ror": (re.compile(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$"), "00971b260"),
    "orcid": (re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"), "0000-0002-1825-0097"),
    "isni": (re.compile(r"^[0-9]{15}[0-9X]$"), "0000000121032683"),
    "lei": (re.compile(r"^[A-Z0-9]{18}[0-9]{2}$"), "5493001KJTIIGC8Y1R12"),
    "viaf": (re.compile(r"^[1-9][0-9]{0,21}$"), "102333412"),
    "gnd": (re.compile(r"^[0-9X-]{2,20}$"), "118540238"),
}
SCHEME_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
#: other schemes: a printable token without spaces or characters that break IRIs or N-Triples
OTHER_VALUE = re.compile(r"^[^\s<>\"{}|\\^`\x00-\x1f\x7f]{1,200}$")


def check(scheme: str, value: str) -> str:
    """The value, checked for its scheme; ValueError saying what a valid one looks like."""
    if not SCHEME_NAME.match(scheme):
        raise ValueError(f"not an external id scheme: {scheme!r} (lowercase letters, digits, '-' and '_')")
    known = SCHEMES.get(scheme)
    if known is not None:
        pattern, example = known
        if not pattern.match(value):
            raise ValueError(f"not a {scheme} id: {value!r} (e.g. {example})")
        return value
    if not OTHER_VALUE.match(value):
        raise ValueError(f"not a usable {scheme} id: {value!r} (no spaces, quotes or angle brackets; "
                         "at most 200 characters)")
    return value


def is_valid(scheme: str, value: str) -> bool:
    try:
        check(scheme, value)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=65536)
def wikidata_id(iri: str) -> str | None:
    """``Q42`` for a Wikidata item IRI (entity IRI or wiki page, http or https), else None."""
    for prefix in ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/",
                   "https://www.wikidata.org/wiki/", "http://www.wikidata.org/wiki/",
                   "https://m.wikidata.org/wiki/"):
        if iri.startswith(prefix):
            value = iri[len(prefix):]
            return value if SCHEMES["wikidata"][0].match(value) else None
    return None
