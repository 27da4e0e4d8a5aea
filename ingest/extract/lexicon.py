"""Keyword patterns indexed by word prefix, so a clause runs only the few that can match.

A ``Lexicon`` holds named patterns written as ``\\b(?:a|b|c)\\b``. Each top-level
alternative is compiled on its own and indexed by the first three letters of its literal
prefix; a clause's words look up the alternatives that can match, and only those run.
Scanning every pattern over every clause costs far more.
"""
from __future__ import annotations

import re
from typing import NamedTuple


def rx(words: str) -> re.Pattern:
    """A case-insensitive pattern for any of ``words`` (``a|b|c``) as whole words."""
    return re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE)


class Hit(NamedTuple):
    """One match of a named pattern."""
    name: str
    start: int
    end: int


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a ``\\b(?:a|b|c)\\b`` pattern."""
    body = pattern
    if body.startswith(r"\b(?:") and body.endswith(r")\b"):
        body = body[len(r"\b(?:"):-len(r")\b")]
    out, depth, current, escaped = [], 0, "", False
    for ch in body:
        if not escaped and ch in "()":
            depth += 1 if ch == "(" else -1
        if ch == "|" and depth == 0 and not escaped:
            out.append(current)
            current = ""
        else:
            current += ch
        escaped = ch == "\\" and not escaped
    return out + [current]


def _literal_prefix(alternative: str) -> str:
    prefix = ""
    for ch in alternative:
        if ch in "\\()[]{}?*+.^$| ":
            break
        prefix += ch
    return prefix.lower()


class Lexicon:
    """Named keyword patterns with a prefix index over their alternatives."""

    def __init__(self, entries: list[tuple[str, re.Pattern]], whole_compounds: bool = False):
        """``whole_compounds``: a match must not go on with a hyphen ("Start" is not
        found in "Start-up")."""
        self.names = list(dict.fromkeys(name for name, _ in entries))
        self.index: dict[str, list[tuple[str, re.Pattern]]] = {}
        self.always: list[tuple[str, re.Pattern]] = []
        tail = r")\b(?!-)" if whole_compounds else r")\b"
        for name, pattern in entries:
            for alt in alternatives(pattern.pattern):
                compiled = re.compile(r"\b(?:" + alt + tail, re.IGNORECASE)
                prefix = _literal_prefix(alt)
                if len(prefix) < 3 or not prefix[0].isalnum():
                    self.always.append((name, compiled))
                else:
                    self.index.setdefault(prefix[:3], []).append((name, compiled))

    def _candidates(self, words: list[str]) -> list[tuple[str, re.Pattern]]:
        found = dict.fromkeys(self.always)
        index = self.index
        for prefix in {w[:3] for w in words} & index.keys():
            found.update(dict.fromkeys(index[prefix]))
        return list(found)

    def hits(self, text: str, start: int, end: int, words: list[str]) -> list[Hit]:
        """Every match in text[start:end] (``words``: its lower-cased tokens), in text
        order; where matches of the same name overlap, the longest wins."""
        out = [Hit(name, m.start(), m.end()) for name, pattern in self._candidates(words)
               for m in pattern.finditer(text, start, end)]
        out.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for h in out:
            if any(k.name == h.name and k.start <= h.start < k.end for k in kept):
                continue
            kept.append(h)
        return kept

    def first(self, text: str, start: int, end: int, words: list[str]) -> Hit | None:
        """The leftmost match of any name, or None."""
        found = self.hits(text, start, end, words)
        return found[0] if found else None

    def by_priority(self, text: str, start: int, end: int, words: list[str]) -> Hit | None:
        """The first name in table order that matches anywhere, with its leftmost match."""
        found = self.hits(text, start, end, words)
        for name in self.names:
            for h in found:
                if h.name == name:
                    return h
        return None
