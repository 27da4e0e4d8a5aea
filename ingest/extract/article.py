"""Reading an article: plain text, Markdown or HTML (boilerplate and scripts stripped with
trafilatura), metadata from YAML front matter, a sidecar ``<article>.meta.yaml`` or
options, encoding detected, language detected when not given."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from claimgraph.ingest.safeyaml import load_yaml
from claimgraph.schema.dates import parse_partial_date
from claimgraph.schema.errors import InputError
from claimgraph.schema.text import nfc

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDECAR_BYTES = 64 * 1024
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)

STOPWORDS = {
    "de": [
        "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit", "sich", "des", "auf",
        "für", "im", "dem", "auch", "es", "an", "als", "wird", "wurde", "dass", "sie", "er", "nach", "bei", "hat",
        "noch", "aus", "um", "wie", "bis", "über", "vor"
    ],
    "en": [
        "the", "and", "is", "not", "a", "an", "to", "of", "in", "that", "it", "for", "on", "with", "as", "was",
        "by", "at", "be", "this", "are", "from", "has", "have", "will", "its", "said", "but", "or", "which", "were"
    ],
    "fr": [
        "le", "la", "les", "et", "est", "pas", "un", "une", "des", "du", "en", "que", "qui", "dans", "pour", "sur",
        "avec", "il", "elle", "au", "par", "ce", "sont"
    ],
    "es": [
        "el", "la", "los", "las", "y", "es", "no", "un", "una", "de", "en", "que", "por", "con", "para", "se",
        "del", "al", "su", "lo", "como", "más", "pero"
    ],
    "it": [
        "il", "lo", "la", "gli", "le", "e", "è", "non", "un", "una", "di", "in", "che", "per", "con", "sono", "del",
        "della", "al", "si", "come"
    ],
    "nl": [
        "de", "het", "een", "en", "is", "niet", "van", "in", "dat", "op", "te", "met", "voor", "zijn", "aan", "er",
        "ook", "als", "bij"
    ],
}


@dataclass
class Article:
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    language: str | None = None

    def meta(self) -> dict:
        return {k: v for k, v in {"url": self.url, "title": self.title, "publisher": self.publisher,
                                  "published": self.published, "language": self.language}.items() if v}


def detect_language(text: str) -> tuple[str | None, float]:
    """(language, share of its stopwords among all stopword hits) — None when unclear.

    Only German and English are extracted; the other languages are recognised so
    that an article in them is refused with its language named instead of mined."""
    words = re.findall(r"[a-zäöüßéèêàçñ]+", text.lower()[:200000])
    if not words:
        return None, 0.0
    hits: Counter[str] = Counter()
    for lang, stop in STOPWORDS.items():
        s = set(stop)
        hits[lang] = sum(1 for w in words if w in s)
    total = sum(hits.values())
    if total < 5:
        return None, 0.0
    lang, count = hits.most_common(1)[0]
    return lang, count / total


def _decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise InputError("the article is empty", file=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:4096]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        raise InputError("the article is a binary file, not text", file=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("cannot tell the article's text encoding (save it as UTF-8)", file=path)
    return str(best)


def html_to_text(html: str) -> tuple[str, dict]:
    """Main text and metadata of an HTML page. Deduplication stays off: trafilatura keeps
    its record of seen text across calls, so a page read twice would come back empty."""
    import trafilatura
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True,
                               deduplicate=False) or ""
    meta = {}
    doc = trafilatura.extract_metadata(html)
    if doc is not None:
        meta = {"title": doc.title, "url": doc.url, "publisher": doc.sitename, "published": doc.date}
    return text, {k: v for k, v in meta.items() if v}


def _read_text(path: Path, name: str) -> str:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read the article: {e.strerror}", file=name) from None
    if size > MAX_BYTES:
        raise InputError(f"the article is {size / 1048576:.1f} MiB, over the limit of "
                         f"{MAX_BYTES // 1048576} MiB", file=name)
    text = _decode(path.read_bytes(), name)
    nul = text.find("\x00")
    if nul >= 0:  # no stored document may hold one (a claim file's source text would be refused)
        raise InputError("the article holds a NUL character (U+0000), which no text document contains",
                         file=name, line=text.count("\n", 0, nul) + 1)
    return text


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    """(YAML front matter, the text after it)."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    front = _metadata(m.group(1), name)
    if not isinstance(front, dict):
        raise InputError("front matter must be a mapping", file=name)
    return front, text[m.end():]


def _metadata(text: str, name: str) -> object:
    """Front matter or a sidecar read by the claim files' bounded YAML loader (no aliases,
    bounded depth and size, duplicate keys refused), so metadata cannot carry a YAML bomb."""
    if not text.strip():
        return {}
    return load_yaml(text, name)[0]


def _sidecar(path: Path) -> dict:
    """Metadata from ``ARTICLE.meta.yaml`` (or ``ARTICLE-stem.meta.yaml``), if present."""
    for sidecar in (path.with_name(path.name + ".meta.yaml"), path.with_suffix(".meta.yaml")):
        if sidecar.is_file():
            if sidecar.stat().st_size > MAX_SIDECAR_BYTES:
                raise InputError(f"the sidecar metadata is over {MAX_SIDECAR_BYTES // 1024} KiB", file=str(sidecar))
            try:
                text = sidecar.read_text(encoding="utf-8")
            except UnicodeDecodeError as e:
                raise InputError(f"the sidecar metadata is not UTF-8 (byte {e.start})", file=str(sidecar)) from None
            extra = _metadata(text, str(sidecar))
            if not isinstance(extra, dict):
                raise InputError("the sidecar metadata must be a mapping", file=str(sidecar))
            return extra
    return {}


def _published(meta: dict, name: str) -> str | None:
    published = meta.get("published") or meta.get("date")
    if published is None:
        return None
    try:
        return parse_partial_date(published if not isinstance(published, str) else published[:10])
    except ValueError as e:
        raise InputError(str(e), file=name, field="published") from None


def read_article(path: str | Path, **options) -> Article:
    """An Article from a file; ``options`` (url, title, publisher, published, language)
    win over the sidecar, which wins over front matter and HTML metadata."""
    path = Path(path)
    name = str(path)
    meta, text = _front_matter(_read_text(path, name), name)
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **meta}
    meta.update(_sidecar(path))
    meta.update({k: v for k, v in options.items() if v})
    unknown = set(meta) - {"url", "title", "publisher", "published", "language", "date", "author"}
    if unknown:
        raise InputError(f"unknown metadata field(s): {', '.join(sorted(unknown))}", file=name)
    text = nfc(text).strip()
    if not text:
        raise InputError("no article text found (after removing markup and boilerplate)", file=name)
    return Article(text=text, path=name, url=meta.get("url"), title=meta.get("title"),
                   publisher=meta.get("publisher"), published=_published(meta, name),
                   language=str(meta["language"]).lower() if meta.get("language") else None)
