"""Strict RDF parsing: pyoxigraph reads the document (it rejects what the W3C suites call
invalid, gives line numbers, and never fetches a remote JSON-LD context), and the result
is handed on as rdflib terms — the library the rest of the code works with. Literals keep
their lexical form (no normalisation).

JSON-LD as web pages publish it names the schema.org context by URL
(``"@context": "https://schema.org"``); that context ships with claimgraph
(``schemaorg.context.jsonld``) and is put in place before parsing. Any other remote
context is refused: nothing is ever fetched. RDF/XML errors get a line too (the parser
gives none: the document is read again line by line to find it).
"""
from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from claimgraph.schema.errors import InputError
from claimgraph.schema.formats import RDF_NAMES

FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}
NAMES = RDF_NAMES
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: the URLs under which the schema.org context is named (http and https, with and without
#: the trailing slash, and the context file itself)
SCHEMA_ORG_CONTEXTS = frozenset(
    f"{scheme}://schema.org{path}" for scheme in ("http", "https")
    for path in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld"))


def max_bytes() -> int:
    """The largest RDF document accepted (CLAIMGRAPH_MAX_RDF_MB, default 512)."""
    return int(float(os.environ.get("CLAIMGRAPH_MAX_RDF_MB", "512")) * 1024 * 1024)


#: the longest IRI accepted (longer ones are not identifiers anyone mints)
MAX_IRI = 4096
#: the most blank nodes in one document (exports claimgraph reads use few or none)
MAX_BLANK_NODES = 100_000


def max_literal() -> int:
    """The longest literal accepted: the largest source text a claim file may carry
    (``CLAIMGRAPH_MAX_FILE_MB``), as no literal claimgraph keeps is longer."""
    return int(float(os.environ.get("CLAIMGRAPH_MAX_FILE_MB", "16")) * 1024 * 1024)


class _Bounds:
    """Counts and checks what a document holds while it is read."""

    def __init__(self, name: str, path: str):
        self.name, self.path = name, path
        self.literal = max_literal()
        self.blanks: set[str] = set()

    def fail(self, reason: str) -> InputError:
        return InputError(f"invalid {self.name}: {reason}", file=self.path)

    def term(self, t: Any) -> None:
        if isinstance(t, ox.NamedNode):
            if len(t.value) > MAX_IRI:
                raise self.fail(f"an IRI of {len(t.value):,} characters (at most {MAX_IRI:,}): {t.value[:80]}…")
        elif isinstance(t, ox.BlankNode):
            self.blanks.add(t.value)
            if len(self.blanks) > MAX_BLANK_NODES:
                raise self.fail(f"more than {MAX_BLANK_NODES:,} blank nodes")
        elif isinstance(t, ox.Literal) and len(t.value) > self.literal:
            raise self.fail(f"a literal of {len(t.value):,} characters, over the limit of {self.literal:,} "
                            "(CLAIMGRAPH_MAX_FILE_MB)")


_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)\b", re.IGNORECASE)


def _refuse_declarations(path: Path, name: str) -> None:
    """XML documents may declare entities that expand to gigabytes; RDF/XML needs no
    document type, so a document with a declaration is refused before it is parsed."""
    with open(path, "rb") as f:
        offset, tail = 0, b""
        while chunk := f.read(1 << 20):
            data = tail + chunk
            found = _DECLARATION.search(data)
            if found:
                f.seek(0)
                line = f.read(offset - len(tail) + found.start()).count(b"\n") + 1
                raise InputError(f"invalid {name}: a <!{found.group(1).decode().upper()} declaration (XML entities "
                                 "are not read: they can expand without bound)", file=str(path), line=line)
            offset += len(chunk)
            tail = data[-16:]


@dataclass
class Document:
    """A parsed RDF document: ``graphs[graph][subject][predicate] -> [objects]``
    (graph ``None`` is the default graph)."""
    name: str
    graphs: dict = field(default_factory=dict)
    count: int = 0
    format: str = ""

    def add(self, s, p, o, g) -> None:
        self.graphs.setdefault(g, {}).setdefault(s, {}).setdefault(p, []).append(o)
        self.count += 1

    def subjects(self, graph=None) -> dict:
        return self.graphs.get(graph, {})

    def vocabulary(self, top: int = 5) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """The most frequent classes and properties in the document (for "nothing recognised")."""
        classes: Counter[str] = Counter()
        properties: Counter[str] = Counter()
        for subjects in self.graphs.values():
            for props in subjects.values():
                for p, objs in props.items():
                    properties[str(p)] += len(objs)
                    if str(p) == RDF_TYPE:
                        classes.update(str(o) for o in objs)
        return classes.most_common(top), properties.most_common(top)


class IRI(URIRef):
    """An rdflib IRI hashed as its text (rdflib's own hash builds a tuple per call, which
    dominates the dictionary look-ups of an import). Equal to IRIs of this document."""
    __slots__ = ()
    __hash__ = str.__hash__


class Blank(BNode):
    __slots__ = ()
    __hash__ = str.__hash__


class Lexical(Literal):
    """An rdflib literal that keeps its lexical form and skips rdflib's conversion to a
    Python value when it is made (``toPython()`` gives the text; the readers convert
    what they need themselves)."""
    __slots__ = ()

    def __new__(cls, lexical: str, lang: str | None = None, datatype=None):
        inst = str.__new__(cls, lexical)
        inst._language = lang
        inst._datatype = datatype
        inst._value = None
        inst._ill_typed = None
        return inst


def _term(t):
    if isinstance(t, ox.NamedNode):
        return IRI(t.value)
    if isinstance(t, ox.BlankNode):
        return Blank(t.value)
    if isinstance(t, ox.Literal):
        lang = t.language
        if lang:
            return Lexical(t.value, lang=lang)
        dt = t.datatype.value
        return Lexical(t.value, datatype=None if dt.endswith("#string") else IRI(dt))
    if isinstance(t, ox.DefaultGraph):
        return None
    raise InputError(f"RDF-star triple terms are not supported ({t})")


@functools.lru_cache(maxsize=1)
def schema_org_context() -> dict:
    """The shipped schema.org JSON-LD context (its ``@context`` value)."""
    text = (files("claimgraph.ingest.rdf") / "schemaorg.context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def _local_contexts(node, path: str) -> bool:
    """Replace every schema.org context URL in a JSON-LD document by the shipped context
    (in place); True when one was replaced. Other remote contexts are refused."""
    replaced = False
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            if key == "@context":
                entries = value if isinstance(value, list) else [value]
                out = []
                for entry in entries:
                    if isinstance(entry, str):
                        if entry.rstrip("#") not in SCHEMA_ORG_CONTEXTS:
                            raise InputError(
                                f"invalid JSON-LD: the document asks to fetch the remote @context {entry!r}; "
                                "claimgraph never fetches anything (only the schema.org context ships with "
                                "it): inline the context", file=path)
                        out.append(schema_org_context())
                        replaced = True
                    else:
                        out.append(entry)
                        stack.append(entry)
                item[key] = out if isinstance(value, list) else out[0]
            else:
                stack.append(value)
    return replaced


def _jsonld_input(path: Path, name: str):
    """The JSON-LD to hand to the parser: the file itself, or its text with the schema.org
    context put in place."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except RecursionError:
        raise InputError(f"invalid {name}: nested too deeply", file=str(path)) from None
    except UnicodeDecodeError as e:
        raise InputError(f"invalid {name}: not UTF-8 ({e.reason})", file=str(path)) from None
    except json.JSONDecodeError as e:
        raise InputError(f"invalid {name}: {e.msg}", file=str(path), line=e.lineno) from None
    if _local_contexts(data, str(path)):
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    return None


class _LineReader:
    """A binary reader handing the parser one line per read, counting lines: after a
    parser error, ``lines`` is the line it stopped in."""

    def __init__(self, path: Path):
        self.file = open(path, "rb")
        self.lines = 0

    def read(self, size: int = -1) -> bytes:
        line = self.file.readline(size if size and size > 0 else -1)
        if line.endswith(b"\n") or line:
            self.lines += 1
        return line

    def close(self) -> None:
        self.file.close()


def _rdfxml_line(path: Path, base: str) -> int | None:
    reader = _LineReader(path)
    try:
        for _ in ox.parse(reader, format=ox.RdfFormat.RDF_XML, base_iri=base):  # type: ignore[arg-type]
            pass
    except SyntaxError:
        return max(reader.lines, 1)
    except (ValueError, OSError):
        return None
    finally:
        reader.close()
    return None


def _remote_context(reason: str) -> bool:
    return "LoadDocumentCallback" in reason or "remote context" in reason.lower()


def parse_file(path: str | Path, fmt: str) -> Document:
    path = Path(path)
    name = NAMES[fmt]
    size = path.stat().st_size
    if size > max_bytes():
        raise InputError(f"{name} document is {size / 1048576:.0f} MiB, over the limit of "
                         f"{max_bytes() / 1048576:.0f} MiB (set CLAIMGRAPH_MAX_RDF_MB)", file=str(path))
    if size == 0:
        raise InputError(f"{name} document is empty", file=str(path))
    if fmt == "rdfxml":
        _refuse_declarations(path, name)
    doc = Document(path.name, format=fmt)
    base = path.resolve().as_uri()
    cache: dict = {}
    bounds = _Bounds(name, str(path))
    source = _jsonld_input(path, name) if fmt == "jsonld" else None
    try:
        quads = ox.parse(source, format=FORMATS[fmt], base_iri=base) if source is not None else \
            ox.parse(path=str(path), format=FORMATS[fmt], base_iri=base)
        for q in quads:
            s, p, o, g = q.subject, q.predicate, q.object, q.graph_name
            if s not in cache:
                bounds.term(s)
            bounds.term(o)
            doc.add(cache.get(s) or cache.setdefault(s, _term(s)), cache.get(p) or cache.setdefault(p, _term(p)),
                    _term(o), None if isinstance(g, ox.DefaultGraph) else cache.get(g) or cache.setdefault(g, _term(g)))
            if len(cache) > 200000:
                cache.clear()
    except SyntaxError as e:
        reason = str(getattr(e, "msg", e))
        if _remote_context(reason):
            reason = "the JSON-LD document asks to fetch a remote @context; claimgraph never fetches " \
                     "anything: inline the context"
        line = e.lineno
        if line is None and fmt == "rdfxml":
            line = _rdfxml_line(path, base)
        raise InputError(f"invalid {name}: {reason}", file=str(path), line=line) from None
    except (ValueError, OSError) as e:
        raise InputError(f"invalid {name}: {e}", file=str(path)) from None
    if doc.count == 0 and fmt != "jsonld":
        raise InputError(f"{name} document holds no triples", file=str(path))
    return doc


def check_syntax(path: str | Path, fmt: str) -> None:
    """Parse only (for the W3C syntax suites); raises InputError."""
    try:
        for _ in ox.parse(path=str(path), format=FORMATS[fmt], base_iri=Path(path).resolve().as_uri()):
            pass
    except SyntaxError as e:
        line = e.lineno
        if line is None and fmt == "rdfxml":
            line = _rdfxml_line(Path(path), Path(path).resolve().as_uri())
        raise InputError(f"invalid {NAMES[fmt]}: {getattr(e, 'msg', e)}", file=str(path), line=line) from None
