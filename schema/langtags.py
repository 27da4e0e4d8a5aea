"""BCP 47 language tags: validated by ``langcodes`` and kept in one canonical case.

RDF parsers may lower-case language tags (RDF 1.1 compares them case-insensitively), so
a tag read back from an export can differ in case from the one written. Every tag that
enters or leaves claimgraph through RDF is put in the case RFC 5646 recommends
(language lower case, script title case, region upper case, everything after a singleton
lower case), which makes round trips isomorphic. Pure: no I/O.
"""
from __future__ import annotations

import functools
import re

#: any well-formed tag shape (the library decides validity)
_SHAPE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


@functools.lru_cache(maxsize=4096)
def canonical_case(tag: str) -> str:
    """``en-us`` -> ``en-US``, ``ZH-HANT-tw`` -> ``zh-Hant-TW``, ``i-klingon`` stays."""
    parts = tag.lower().split("-")
    out = [parts[0]]
    after_singleton = len(parts[0]) == 1  # x-…, i-…: private use or grandfathered
    for part in parts[1:]:
        if after_singleton:
            out.append(part)
        elif len(part) == 1:
            after_singleton = True
            out.append(part)
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part)
    return "-".join(out)


@functools.lru_cache(maxsize=4096)
def is_valid(tag: str) -> bool:
    """Whether ``tag`` is a valid BCP 47 tag (well-formed and registered subtags)."""
    if not _SHAPE.match(tag):
        return False
    import langcodes

    try:
        return bool(langcodes.tag_is_valid(tag))
    except (ValueError, LookupError):
        return False


def canonical(tag: str) -> str:
    """The tag in canonical case; ValueError naming the tag when it is not valid BCP 47."""
    if not is_valid(tag):
        raise ValueError(f"not a valid BCP 47 language tag: {tag!r} (e.g. en, de-CH, zh-Hant-TW)")
    return canonical_case(tag)
