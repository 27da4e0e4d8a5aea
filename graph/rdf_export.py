"""RDF export of the read model, as of any log position.

The dataset is nanopublication-like: each claim's proposition is in its own named graph
``…/graph/<claim>``; the default graph holds entities, sources, resolutions and each
claim's provenance in PROV-O (``prov:wasAttributedTo`` the claimant,
``prov:wasDerivedFrom`` the source, ``prov:generatedAtTime`` the recorded time) with the
verbatim quote (language-tagged), channel, modality and offsets. No blank nodes: every
node has a stable IRI, so two exports of one state are isomorphic.

Writers stream N-Quads, TriG, Turtle (the default graph plus the propositions, which the
claims reify — Turtle has no named graphs) and JSON-LD (with the context inline, so no
network is needed to read it).
"""
from __future__ import annotations

import json
import re
import sqlite3
from importlib.resources import files
from typing import Any, Callable, Iterator, TextIO

from claimgraph.schema import external_ids as X
from claimgraph.schema import langtags
from claimgraph.schema import rdfvocab as V

from .readmodel import INF, ReadModel

Term = str  # an N-Triples term: <iri>, "lexical"@lang or "lexical"^^<datatype>
Quad = tuple[Term, Term, Term, "Term | None"]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def iri(value: str) -> Term:
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> Term:
    text = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)
    if lang:
        return f'"{text}"@{langtags.canonical_case(lang)}'
    if datatype and datatype != V.XSD + "string":
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def num(value: float | int) -> Term:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return lit(str(value), datatype=V.XSD + ("integer" if isinstance(value, int) else "double"))


def date(partial: str) -> Term:
    return lit(partial, datatype=V.date_datatype(partial))


A = iri(V.RDF + "type")


def cg(name: str) -> Term:
    return iri(V.CG + name)


def quads(read: ReadModel, asof: int | None = None) -> Iterator[Quad]:
    """Every quad of the export of the state at ``asof`` (None: now)."""
    n = INF if asof is None else asof
    conn = read.conn
    # entities with their own names and aliases; merged ids point to their survivor
    aliases: dict[str, list[tuple[str, str]]] = {}
    for eid, alias, lang in conn.execute("SELECT entity_id, alias, lang FROM rm_aliases"
                                         " WHERE is_name = 0 AND seq_from <= ?", (n,)):
        aliases.setdefault(eid, []).append((alias, lang))
    redirects = dict(conn.execute("SELECT old_id, new_id FROM rm_redirects WHERE seq_from <= ? ORDER BY seq_from", (n,)))
    external: dict[str, list[tuple[str, str]]] = {}
    for eid, scheme, value in conn.execute("SELECT entity_id, scheme, value FROM rm_external_ids"
                                           " WHERE seq_from <= ? ORDER BY scheme, value", (n,)):
        external.setdefault(eid, []).append((scheme, value))
    for eid, kind, name in conn.execute("SELECT id, kind, name FROM rm_entities"
                                        " WHERE seq_from <= ? ORDER BY id", (n,)):
        s = iri(V.entity_iri(eid))
        yield s, A, cg("Entity"), None
        yield s, A, iri(V.KIND_CLASSES[kind]), None
        yield s, cg("id"), lit(eid), None
        yield s, iri(V.RDFS + "label"), lit(name), None
        for alias, lang in aliases.get(eid, ()):
            yield s, iri(V.SKOS + "altLabel"), lit(alias, lang or None), None
        for scheme, value in external.get(eid, ()):
            yield s, cg("externalId"), lit(f"{scheme}:{value}"), None
            if scheme == "wikidata" and X.is_valid(scheme, value):  # never an invalid IRI
                yield s, iri(V.OWL + "sameAs"), iri(V.WD + value), None
        if eid in redirects:
            yield s, cg("mergedInto"), iri(V.entity_iri(redirects[eid])), None
    for sid, text, url, title, publisher, published, language, origin in conn.execute(
            "SELECT id, text, url, title, publisher, published, language, origin FROM rm_sources"
            " WHERE seq_from <= ? ORDER BY id", (n,)):
        s = iri(V.SOURCE + V.hex_of(sid))
        yield s, A, cg("Source"), None
        yield s, A, iri(V.SDO + "CreativeWork"), None
        yield s, cg("text"), lit(text, language), None
        if url:
            yield s, iri(V.SDO + "url"), lit(url, datatype=V.XSD + "anyURI"), None
        if title:
            yield s, iri(V.SDO + "name"), lit(title), None
        if publisher:
            yield s, iri(V.SDO + "publisher"), lit(publisher), None
        if published:
            yield s, iri(V.SDO + "datePublished"), date(published), None
        if language:
            yield s, iri(V.SDO + "inLanguage"), lit(langtags.canonical_case(language)), None
        if origin:
            yield s, cg("origin"), lit(origin), None
    yield from _claims(conn, n)
    yield from _resolutions(conn, n)
    yield from _promises(read, asof)


def _evidence(s: Term, source_id: str, quote: str, start: int, end: int, language: str | None,
              verified: int) -> Iterator[Quad]:
    yield s, iri(V.PROV + "wasDerivedFrom"), iri(V.SOURCE + V.hex_of(source_id)), None
    yield s, cg("quote"), lit(quote, language), None
    yield s, cg("start"), num(start), None
    yield s, cg("end"), num(end), None
    yield s, cg("verified"), lit("true" if verified else "false", datatype=V.XSD + "boolean"), None


def _claims(conn: sqlite3.Connection, n: int) -> Iterator[Quad]:
    rows = conn.execute(
        "SELECT c.id, c.claimant, c.stated, c.channel, c.modality, c.confidence, c.extractor, c.actor,"
        " c.recorded_at, p.id, p.subject, p.predicate, p.object, p.quantity, p.unit, p.due, p.valid_from, p.valid_to,"
        " e.source_id, e.quote, e.start, e.end, e.language, e.verified"
        " FROM rm_claims c JOIN rm_propositions p ON p.id = c.proposition_id JOIN rm_evidence e ON e.owner_id = c.id"
        " WHERE c.seq_from <= ? AND (c.seq_to IS NULL OR c.seq_to > ?) ORDER BY c.seq_from", (n, n))
    for (cid, claimant, stated, channel, modality, confidence, extractor, actor, recorded_at, pid, subject,
         predicate, obj, quantity, unit, due, valid_from, valid_to, source_id, quote, start, end, language,
         verified) in rows:
        h = V.hex_of(cid)
        c, g, p = iri(V.CLAIM + h), iri(V.GRAPH + h), iri(V.PROPOSITION + V.hex_of(pid))
        yield c, A, cg("Claim"), None
        yield c, A, iri(V.SDO + "Claim"), None
        yield c, A, iri(V.PROV + "Entity"), None
        yield c, cg("assertion"), g, None
        yield c, cg("states"), p, None
        yield c, iri(V.PROV + "wasAttributedTo"), iri(V.entity_iri(claimant)), None
        yield c, cg("stated"), date(stated), None
        yield c, cg("channel"), iri(V.CHANNEL + channel), None
        yield c, cg("modality"), iri(V.MODALITY + modality), None
        yield c, iri(V.PROV + "generatedAtTime"), lit(recorded_at, datatype=V.XSD + "dateTime"), None
        yield c, cg("recordedBy"), lit(actor), None
        if confidence is not None:
            yield c, cg("confidence"), lit(repr(float(confidence)), datatype=V.XSD + "double"), None
        if extractor:
            yield c, cg("extractor"), lit(extractor), None
        yield from _evidence(c, source_id, quote, start, end, language, verified)
        # the proposition, in the claim's own graph
        s = iri(V.entity_iri(subject))
        pred = iri(V.PREDICATE + predicate)
        yield p, A, cg("Proposition"), g
        yield p, cg("subject"), s, g
        yield p, cg("predicate"), pred, g
        value = None
        if obj:
            o = json.loads(obj)
            if "entity" in o:
                value = iri(V.entity_iri(o["entity"]))
                yield p, cg("object"), value, g
            elif "date" in o:
                value = date(o["date"])
                yield p, cg("objectDate"), value, g
            elif "value" in o:
                value = num(o["value"])
                yield p, cg("objectValue"), value, g
                if o.get("unit"):
                    yield p, cg("objectUnit"), lit(o["unit"]), g
            else:
                value = lit(o["text"])
                yield p, cg("objectText"), value, g
        if quantity is not None:
            yield p, cg("quantity"), num(quantity), g
        if unit:
            yield p, cg("unit"), lit(unit), g
        if due:
            yield p, cg("due"), date(due), g
        if valid_from:
            yield p, cg("validFrom"), date(valid_from), g
        if valid_to:
            yield p, cg("validTo"), date(valid_to), g
        if value is not None:  # the claim itself, as a plain triple
            yield s, pred, value, g


def _promises(read: ReadModel, asof: int | None) -> Iterator[Quad]:
    """What the log implies about promises (recomputed on import, never read from a
    document): the delivery that settles each promise proposition, with the derived
    verdict and the days late as of the day of the export, and the revision chains."""
    from .promises import revisions, settlements

    for s in settlements(read, asof):
        p = iri(V.PROPOSITION + V.hex_of(s.proposition))
        fact = V.CLAIM if s.delivery.kind == "claim" else V.RESOLUTION
        yield p, cg("settledBy"), iri(fact + V.hex_of(s.delivery.source_id)), None
        yield p, cg("delivered"), date(s.delivery.date), None
        yield p, cg("derivedVerdict"), iri(V.VERDICT + s.verdict), None
        yield p, cg("daysLate"), num(s.days_late), None
    for before, after in revisions(read, asof):
        yield iri(V.PROPOSITION + V.hex_of(before)), cg("revisedBy"), iri(V.PROPOSITION + V.hex_of(after)), None


def _resolutions(conn: sqlite3.Connection, n: int) -> Iterator[Quad]:
    rows = conn.execute(
        "SELECT r.id, r.proposition_id, r.verdict, r.known, r.actor, r.recorded_at,"
        " e.source_id, e.quote, e.start, e.end, e.language, e.verified"
        " FROM rm_resolutions r JOIN rm_evidence e ON e.owner_id = r.id"
        " WHERE r.seq_from <= ? AND (r.seq_to IS NULL OR r.seq_to > ?) ORDER BY r.seq_from", (n, n))
    for rid, pid, verdict, known, actor, recorded_at, source_id, quote, start, end, language, verified in rows:
        r = iri(V.RESOLUTION + V.hex_of(rid))
        yield r, A, cg("Resolution"), None
        yield r, A, iri(V.PROV + "Entity"), None
        yield r, cg("resolves"), iri(V.PROPOSITION + V.hex_of(pid)), None
        yield r, cg("verdict"), iri(V.VERDICT + verdict), None
        yield r, cg("known"), date(known), None
        yield r, iri(V.PROV + "generatedAtTime"), lit(recorded_at, datatype=V.XSD + "dateTime"), None
        yield r, cg("recordedBy"), lit(actor), None
        yield from _evidence(r, source_id, quote, start, end, language, verified)


# -- writers ---------------------------------------------------------------------------
FORMATS = ("nquads", "trig", "turtle", "jsonld")


def _prefix_block() -> str:
    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in V.PREFIXES.items()) + "\n"


def write(read: ReadModel, fmt: str, out: TextIO, asof: int | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the export in ``fmt`` to ``out``; returns the number of quads written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r} (use {', '.join(FORMATS)})")
    count = 0
    stream = quads(read, asof)
    if fmt == "nquads":
        lines = []
        for s, p, o, g in stream:
            lines.append(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
            count += 1
            if len(lines) >= 10000:
                out.write("".join(lines))
                lines.clear()
                if progress:
                    progress(count)
        out.write("".join(lines))
    elif fmt in ("trig", "turtle"):
        out.write(_prefix_block())
        named: dict[str, list[str]] = {}
        lines = []
        for s, p, o, g in stream:
            count += 1
            if g is None:
                lines.append(f"{s} {p} {o} .\n")
            elif fmt == "turtle":
                if not p.startswith(f"<{V.PREDICATE}"):  # reified only: no bare claim triple
                    lines.append(f"{s} {p} {o} .\n")
            else:
                named.setdefault(g, []).append(f"  {s} {p} {o} .\n")
            if len(lines) >= 10000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))
        for g, triples in named.items():  # one block per claim graph, written as it is
            out.write(f"\n{g} {{\n{''.join(triples)}}}\n")
    else:
        count = _write_jsonld(stream, out)
    if progress:
        progress(count)
    return count


def context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((files("claimgraph.schema") / "claimgraph.context.jsonld").read_text())
    return loaded


def _jsonld_value(term: Term) -> dict[str, str]:
    if term.startswith("<"):
        return {"@id": term[1:-1]}
    m = re.match(r'^"(.*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]+)>)?$', term, re.S)
    if m is None:
        raise ValueError(f"not an N-Triples term: {term[:80]}")
    text = json.loads('"' + m.group(1) + '"') if "\\" in m.group(1) else m.group(1)
    if m.group(2):
        return {"@value": text, "@language": m.group(2)}
    if m.group(3):
        return {"@value": text, "@type": m.group(3)}
    return {"@value": text}


def _write_jsonld(stream: Iterator[Quad], out: TextIO) -> int:
    graphs: dict[str | None, dict[str, dict[str, Any]]] = {}
    count = 0
    for s, p, o, g in stream:
        count += 1
        nodes = graphs.setdefault(g[1:-1] if g else None, {})
        node = nodes.setdefault(s[1:-1], {"@id": s[1:-1]})
        if p == A:
            node.setdefault("@type", []).append(o[1:-1])
        else:
            node.setdefault(p[1:-1], []).append(_jsonld_value(o))
    top = list(graphs.pop(None, {}).values())
    top += [{"@id": g, "@graph": list(nodes.values())} for g, nodes in graphs.items()]
    json.dump({"@context": context()["@context"], "@graph": top}, out, ensure_ascii=False, indent=1)
    return count
