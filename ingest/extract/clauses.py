"""Clauses inside one statement: where a predicate's arguments are looked for first.

A statement is cut at commas, semicolons, colons, dashes and brackets outside quotation
marks, except where the comma separates the names of a list ("GPT-4.5, Claude 3.7 Sonnet
und Gemini 2.0 Pro") or the digits of a number. A clause opened by a relative pronoun
("Claude 3.5 Opus, dessen Veröffentlichung … geplant war", "Colossus, which xAI built")
refers to the name just before it: its antecedent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Mention

_CUT = re.compile(r",\s+|;\s*|:\s+|\s+[–—-]\s+|\s*\(|\)\s*")
_RELATIVE = {
    "de": re.compile(r"(?:dessen|deren|der|die|das|dem|den|denen|welche[rsmn]?|wo)\s+(?![A-ZÄÖÜ])"),
    "en": re.compile(r"(?:which|who|whose|whom|where)\b"),
}
_BETWEEN = re.compile(r"[\s„“”\"'»«),;:(]*")


@dataclass(frozen=True)
class Clause:
    """One clause of a statement: its span, and for a relative clause its antecedent."""
    start: int
    end: int
    antecedent: Mention | None = None


def _list_comma(mentions: list[Mention], a: int, b: int) -> bool:
    """A comma between two names of a list (a name ends at ``a``, one starts at ``b``)."""
    before = any(0 <= a - m.end <= 2 for m in mentions)
    after = any(0 <= m.start - b <= 1 for m in mentions)
    return before and after


def clauses(text: str, start: int, end: int, mentions: list[Mention], quotes: list[tuple[int, int]],
            language: str) -> list[Clause]:
    """The clauses of text[start:end] in text order (at least one)."""
    cuts: list[tuple[int, int]] = []
    for m in _CUT.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in quotes):
            continue
        if m.group().startswith(",") and _list_comma(mentions, m.start(), m.end()):
            continue
        cuts.append((m.start(), m.end()))
    out: list[Clause] = []
    pos = start
    for a, b in cuts + [(end, end)]:
        if a > pos:
            antecedent = None
            if out and _RELATIVE[language].match(text, pos):
                near = [m for m in mentions if m.end <= pos and _BETWEEN.fullmatch(text, m.end, pos)]
                antecedent = near[-1] if near else None
            out.append(Clause(pos, a, antecedent))
        pos = max(pos, b)
    return out or [Clause(start, end)]


def clause_of(found: list[Clause], pos: int) -> Clause:
    """The clause holding position ``pos`` (the last one that starts at or before it)."""
    best = found[0]
    for c in found:
        if c.start <= pos:
            best = c
    return best
