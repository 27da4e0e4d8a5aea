"""Sentences and tokens of German and English news text, with character offsets kept.

Input is bounded here: a sentence longer than ``MAX_SENTENCE_CHARS`` is analysed in
windows of at most that many characters (cut at a space), and an article is read up to
``MAX_SENTENCES`` sentences; the rest is not mined. Sentence splitting looks only a few
characters back from each candidate boundary, so it stays linear in the text length.
"""
from __future__ import annotations

import re

from .dates import MONTHS

#: longer sentences are cut into windows of at most this many characters
MAX_SENTENCE_CHARS = 1500
#: sentences after this many are not mined (an article of 8 MiB has far fewer real ones)
MAX_SENTENCES = 20000

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ABBREV = re.compile(r"(?:\b(?:z|u|d|bzw|ca|vgl|Dr|Prof|Mr|Mrs|Ms|St|Inc|Corp|Ltd|Co|Nr|etc|e\.g|i\.e|vs|Jr|Sr|"
                     r"Mio|Mrd|Bn|No|Abs|bspw|evtl|ggf|inkl|sog|usw)\.|(?:^|[A-Z][\w.-]*\s|[A-Z]\.\s?)[A-Z]\.)$")
_ORDINAL = re.compile(r"\b\d{1,2}\.$")
_MONTH_START = re.compile(r"(?:" + _MONTH + r")\b", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.!?…]+[\"'“”„»«)]*\s+|\n\s*\n|\n(?=\s*[-*#•])")
#: in text whose paragraphs are single lines, every line break ends a sentence (titles, bylines)
_LINE_BOUNDARY = re.compile(r"[.!?…]+[\"'“”„»«)]*\s+|\n\s*")
_TERMINAL = re.compile(r"[.!?…:;,\"'“”„»«)]$")
_WORD = re.compile(r"[^\W_]+(?:\.\d+)*")
_LOOKBACK = 12


def _is_false_boundary(text: str, start: int, match: re.Match) -> bool:
    """True when a full stop belongs to an abbreviation, an initial, a German ordinal
    date ("am 2. Januar") or is followed by a lower-case word on the same line."""
    head = text[max(start, match.start() - _LOOKBACK):match.start() + 1].rstrip()
    if "\n" in match.group():
        return False
    if _ABBREV.search(head):  # an abbreviation, or an initial after a name or initial ("C. C. Wei")
        return True
    if _ORDINAL.search(head) and _MONTH_START.match(text, match.end()):
        return True
    following = text[match.end():match.end() + 1]
    return bool(following) and following.islower() and "\n" not in match.group()


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _windows(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """An overlong sentence as consecutive windows cut at a space where possible."""
    out = []
    while b - a > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = cut if cut > a else a + MAX_SENTENCE_CHARS
        out.append(_trim(text, a, cut))
        a = cut
    out.append(_trim(text, a, b))
    return [(x, y) for x, y in out if y > x]


def _lines_are_paragraphs(text: str) -> bool:
    """True when most text sits on long lines (a paragraph per line, not hard-wrapped)."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    return bool(lengths) and lengths[(len(lengths) * 9) // 10] > 150


def sentences(text: str, limit: int = MAX_SENTENCES) -> list[tuple[int, int]]:
    """(start, end) of each sentence, at most ``limit`` of them; abbreviations, initials
    and German ordinal dates do not end a sentence, and overlong ones are windowed. Where
    paragraphs are single lines, a line break ends a sentence too (a title, a byline)."""
    spans: list[tuple[int, int]] = []
    start = 0
    boundary = _LINE_BOUNDARY if _lines_are_paragraphs(text) else _BOUNDARY
    for m in boundary.finditer(text):
        if _is_false_boundary(text, start, m):
            continue
        spans.extend(_windows(text, *_trim(text, start, m.start() + len(m.group().rstrip()))))
        start = m.end()
        if len(spans) >= limit:
            return spans[:limit]
    if text[start:].strip():
        spans.extend(_windows(text, *_trim(text, start, len(text))))
    return spans[:limit]


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Word tokens of text[start:end] as (token, start, end), split at hyphens too."""
    stop = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, stop)]


_QUOTE_PAIRS = re.compile(r"„([^“”\"\n]{1,1500})[“”\"]|“([^”“\n]{1,1500})”|\"([^\"\n]{1,1500})\"|"
                          r"«([^»\n]{1,1500})»|»([^«\n]{1,1500})«")


def quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks in text[start:end]."""
    out = []
    for m in _QUOTE_PAIRS.finditer(text, start, end):
        group = next(i for i in range(1, 6) if m.group(i) is not None)
        out.append((m.start(group), m.end(group)))
    return out


def is_heading(text: str, start: int, end: int) -> bool:
    """A title, subtitle, byline or section heading: a short line of its own without a
    sentence's final punctuation ("Musk's xAI unveils Grok 3", "LIVEBLOG · 7. August")."""
    line_end = end == len(text) or text[end:end + 1] == "\n" or not text[end:].strip()
    line_start = start == 0 or text[start - 1:start] == "\n"
    stripped = text[start:end].rstrip("*_ ")
    return line_start and line_end and not _TERMINAL.search(stripped) and len(stripped.split()) <= 25
