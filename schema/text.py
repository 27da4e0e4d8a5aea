"""Text normalisation and verbatim-quote location.

Quotes are compared with their source after Unicode NFC, whitespace folding (every run
of whitespace is one space) and quotation-mark folding („“”«» are all ", ‚‘’ are '),
so a quote typed on an ordinary keyboard still finds its span. Offsets are always
returned in the NFC text of the source, which is what is stored.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from array import array
from collections.abc import Iterable

import ahocorasick

_QUOTES = {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"}
_QUOTES.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"})
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
#: every character ``str.isspace`` is true for, but the space (a test checks the list)
OTHER_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def alias_key(name: str) -> str:
    """The form names are matched in: "Grok 3", "Grok-3" and "grok3" share one key."""
    return _NON_ALNUM.sub("", nfc(name).casefold())


@functools.lru_cache(maxsize=64)
def _folding(others: str, marks: str) -> re.Pattern[str]:
    """What folding changes, given the whitespace other than the space and the quotation
    marks a text holds: a run of whitespace starting with such a character or with a
    space followed by more whitespace, or one quotation mark. Built for the characters
    present, the pattern scans about as fast as a literal."""
    o = re.escape(others)
    runs = f"(?:[{o}]| (?=[ {o}]))[ {o}]*" if others else " {2,}"
    return re.compile(f"{runs}|[{re.escape(marks)}]" if marks else runs)


def _pattern(text: str) -> re.Pattern[str]:
    return _folding("".join(c for c in OTHER_SPACES if c in text), "".join(c for c in _QUOTES if c in text))


def _replacement(m: re.Match[str]) -> str:
    return _QUOTES.get(m.group(), " ")


def fold(text: str) -> str:
    """The form quotes are compared in: every run of whitespace one space, quotation
    marks plain."""
    return _pattern(text).sub(_replacement, text)


class _OffsetMap:
    """Maps a position in the folded text back to the source. Folding changes lengths only
    where a run of two or more whitespace characters becomes one space, so only those
    runs are kept (as arrays): memory grows with the number of such runs, not the text."""

    def __init__(self) -> None:
        self.after = array("q")  # folded position right after each collapsed run
        self.shift = array("q")  # characters removed up to and including that run

    def source(self, folded_position: int) -> int:
        i = bisect.bisect_right(self.after, folded_position)
        return folded_position + (self.shift[i - 1] if i else 0)


def fold_with_offsets(text: str) -> tuple[str, _OffsetMap]:
    """``fold(text)`` and the map from its positions back to ``text``.

    The text is folded a chunk at a time (each chunk ends after a whole whitespace run):
    quotation marks and whitespace other than the space are replaced one for one (fast
    ``str.replace``, offsets unchanged), then runs of spaces collapse and are recorded.
    Working on chunks keeps the extra memory near the folded text itself: a 2-byte text
    (one with „“) is never copied whole, and the folded one is usually 1 byte a character."""
    offsets = _OffsetMap()
    marks = [(c, _QUOTES[c]) for c in _QUOTES if c in text]
    others = [(c, " ") for c in OTHER_SPACES if c in text]
    pieces: list[str] = []
    removed = start = 0

    def collapse(m: re.Match[str]) -> str:
        nonlocal removed
        offsets.after.append(start + m.start() - removed + 1)
        removed += m.end() - m.start() - 1
        offsets.shift.append(removed)
        return " "

    while start < len(text):
        end = _after_whitespace(text, min(len(text), start + _FOLD_CHUNK))
        chunk = text[start:end] if start or end < len(text) else text
        for old, new in marks + others:
            chunk = chunk.replace(old, new)
        # the regex engine reads a character at a time; a fast search finds most chunks clean
        pieces.append(_SPACE_RUN.sub(collapse, chunk) if "  " in chunk else chunk)
        del chunk
        start = end
    return "".join(pieces), offsets


_WHITESPACE = re.compile("[ " + re.escape(OTHER_SPACES) + "]+")


def _after_whitespace(text: str, position: int) -> int:
    """``position``, or the end of the whitespace run it falls in (chunks never split one)."""
    m = _WHITESPACE.match(text, position)
    return m.end() if m else position
_SPACE_RUN = re.compile(" {2,}")
#: characters folded at a time
_FOLD_CHUNK = 1 << 20


#: matches of patterns already found, after which the search automaton is rebuilt
#: without them (so that a frequent short quote cannot make the search quadratic)
_WASTE_LIMIT = 100_000
#: characters scanned at a time
_WINDOW = 1 << 20


class QuoteLocator:
    """Finds quotes in one source text. The text is folded once; all the quotes of a
    document are then found in one pass (Aho-Corasick), so locating many quotes costs
    about as much as reading the text once."""

    def __init__(self, source_text: str):
        self.text = source_text
        self._folded, self._map = fold_with_offsets(source_text)

    def locate(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the first occurrence of ``quote`` in the source, or None."""
        return self.locate_all([quote])[quote]

    def locate_all(self, quotes: Iterable[str]) -> dict[str, tuple[int, int] | None]:
        """Each quote's (start, end) in the source (first occurrence), or None."""
        folded = {q: fold(nfc(q).strip()) for q in quotes}
        patterns = {p for p in folded.values() if p}
        first = self._first_occurrences(patterns) if len(patterns) > 3 else \
            {p: i for p in patterns if (i := self._folded.find(p)) >= 0}
        out: dict[str, tuple[int, int] | None] = {}
        for quote, pattern in folded.items():
            start = first.get(pattern)
            out[quote] = None if start is None else \
                (self._map.source(start), self._map.source(start + len(pattern) - 1) + 1)
        return out

    def _first_occurrences(self, patterns: set[str]) -> dict[str, int]:
        """Start of the first occurrence of each pattern in the folded text. The text is
        scanned in windows (overlapping by the longest pattern, so every occurrence lies
        wholly in the window its start falls in), because the automaton copies what it
        scans into 4 bytes per character."""
        found: dict[str, int] = {}
        text, position = self._folded, 0
        while len(found) < len(patterns) and position < len(text):
            remaining = patterns - found.keys()
            automaton = ahocorasick.Automaton()
            for p in remaining:
                automaton.add_word(p, p)
            automaton.make_automaton()
            longest = max(map(len, remaining))
            position = self._scan(automaton, position, longest, found, len(patterns))
        return found

    def _scan(self, automaton: ahocorasick.Automaton, position: int, longest: int, found: dict[str, int],
              wanted: int) -> int:
        """Scan window by window from ``position``; returns where to resume with a smaller
        automaton when too many matches repeat patterns already found (or the text's end)."""
        text, wasted = self._folded, 0
        while position < len(text):
            window_end = min(len(text), position + _WINDOW)
            matches: Iterable[tuple[int, str]] = automaton.iter(text[position:window_end + longest - 1])
            for end, pattern in matches:
                if pattern not in found:
                    found[pattern] = position + end - len(pattern) + 1
                    if len(found) == wanted:
                        return len(text)
                    continue
                wasted += 1
                if wasted > _WASTE_LIMIT and end - longest + 1 > 0:
                    return position + end - longest + 1  # nothing unfound ends before this
            position = window_end
        return position
