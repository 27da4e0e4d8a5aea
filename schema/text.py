"""Text normalisation and verbatim-quote location.

Quotes are compared with their source after Unicode NFC, whitespace folding (every run
of whitespace is one space) and quotation-mark folding („“”«» are all ", ‚‘’ are '),
so a quote typed on an ordinary keyboard still finds its span. Offsets are always
returned in the NFC text of the source, which is what is stored.
"""
from __future__ import annotations

import re
import unicodedata

_QUOTES = {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"}
_QUOTES.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"})
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def alias_key(name: str) -> str:
    """The form names are matched in: "Grok 3", "Grok-3" and "grok3" share one key."""
    return _NON_ALNUM.sub("", nfc(name).casefold())


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(_QUOTES.get(ch, ch))
        index.append(i)
    return "".join(out), index


class QuoteLocator:
    """Finds quotes in one source text; folds the source once."""

    def __init__(self, source_text: str):
        self.text = source_text
        self._folded, self._index = fold(source_text)

    def locate(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the first occurrence of ``quote`` in the source, or None."""
        folded_quote, _ = fold(nfc(quote).strip())
        if not folded_quote:
            return None
        pos = self._folded.find(folded_quote)
        if pos < 0:
            return None
        start = self._index[pos]
        end = self._index[pos + len(folded_quote) - 1] + 1
        return start, end
