"""Wikidata statements to claims by ``org:wikidata``.

Full statements (``p:``/``ps:``/``pq:``/``prov:wasDerivedFrom``) keep their meaning:
deprecated ones never become claims; preferred and normal ones do, and the rank is part
of the source text; start, end and point-in-time qualifiers (P580, P582, P585) become
the proposition's validity interval at the precision ``wikibase:timePrecision`` gives.
Each reference is one source (its URL, stated-in item and dates rendered as text, the
statement line quoted from it), so the result does not depend on the order of
references or triples. Statements without a reference, or referenced only as imported
from a Wikimedia project (P143), and truthy ``wdt:`` values that no full statement
carries are claims whose source is the entity document itself, each marked so in the
text (``Options.unreferenced = "skip"`` leaves them out).
"""
from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

from claimgraph.schema import external_ids as X
from claimgraph.schema import rdfvocab as V
from claimgraph.schema.decide_import import ExternalRef, ImportClaim
from claimgraph.schema.events import SourceRegistered
from claimgraph.schema.model import Evidence, ObjectValue, check_interval, number, source_id

from .common import partial_date
from .foreign import WDT, WIKIBASE, ForeignReader

P = "http://www.wikidata.org/prop/"
PS, PSV = P + "statement/", P + "statement/value/"
PQ, PQV = P + "qualifier/", P + "qualifier/value/"
PR, PRV = P + "reference/", P + "reference/value/"
ENTITY_DATA = "https://www.wikidata.org/wiki/Special:EntityData/"
WIKIDATA = "org:wikidata"
ACTOR = "rdf-import@1"

#: Wikidata property -> (predicate, swap): swap means the value is the claim's subject
PROPERTIES = {"P169": ("leads", True), "P112": ("founded", True), "P127": ("owns", True),
              "P1830": ("owns", False), "P178": ("develops", True), "P155": ("successor_of", False),
              "P577": ("released", False), "P1056": ("develops", False), "P176": ("develops", True),
              "P571": ("founded_on", False), "P108": ("works_for", False), "P749": ("owns", True),
              "P355": ("owns", False), "P170": ("develops", True), "P123": ("publishes", True)}
LABELS = {"P169": "chief executive officer", "P112": "founded by", "P127": "owned by", "P1830": "owner of",
          "P178": "developer", "P155": "follows", "P577": "publication date", "P1056": "product or material produced",
          "P176": "manufacturer", "P571": "inception", "P108": "employer", "P749": "parent organization",
          "P355": "subsidiary", "P170": "creator", "P123": "publisher", "P580": "start time", "P582": "end time",
          "P585": "point in time", "P854": "reference URL", "P813": "retrieved", "P248": "stated in",
          "P143": "imported from Wikimedia project", "P4656": "Wikimedia import URL", "P1476": "title",
          "P50": "author", "P2093": "author name string", "P407": "language of work or name", "P31": "instance of"}
TIME_QUALIFIERS = ("P580", "P582", "P585")
IMPORTED_ONLY = {"P143", "P4656", "P813"}
RANKS = {WIKIBASE + "PreferredRank": "preferred", WIKIBASE + "NormalRank": "normal",
         WIKIBASE + "DeprecatedRank": "deprecated"}
_STATEMENT_ID = re.compile(r"^(Q[0-9]+)-(.+)$")


def statement_id(node) -> str:
    """Wikidata's id of a statement node (``Q95$…``), or the node itself."""
    tail = str(node).rsplit("/", 1)[-1]
    m = _STATEMENT_ID.match(tail)
    return f"{m.group(1)}${m.group(2)}" if m and isinstance(node, URIRef) else tail


def plabel(pid: str) -> str:
    return f"{LABELS[pid]} ({pid})" if pid in LABELS else pid


class WikidataReader:
    """Reads the statements of the entities a ``ForeignReader`` found."""

    def __init__(self, foreign: ForeignReader):
        self.f = foreign
        self.skips, self.options, self.plan = foreign.skips, foreign.options, foreign.plan
        self.properties = dict(PROPERTIES)
        for key, role in foreign.mapping.properties.items():
            pid = key.rsplit("/", 1)[-1]
            if role not in ("name", "alias") and not role.startswith("external_id:") and re.match(r"^P[0-9]+$", pid):
                self.properties[pid] = (role, False)
        #: entity document of each item: qid -> (IRI, date modified)
        self.documents: dict[str, tuple[str, str | None]] = {}
        for node, props in self.f.default.items():
            for about in props.get(V.SDO + "about", ()):
                qid = X.wikidata_id(str(about))
                if qid:
                    modified = next(iter(props.get(V.SDO + "dateModified", ())), None)
                    day = partial_date(str(modified), 11)[0] if modified is not None else None
                    self.documents[qid] = (str(node), day)
        #: entity document qid -> [(line, claim fields)] of its unreferenced statements
        self.unreferenced: dict[str, list[tuple[str, dict]]] = {}

    def props(self, node) -> dict:
        return self.f.props(node)

    def run(self) -> None:
        items = sorted(((node, e) for node, e in self.f.found.items() if X.wikidata_id(str(node))),
                       key=lambda kv: kv[1].key)
        for node, _ in items:
            qid = X.wikidata_id(str(node))
            assert qid is not None
            props = self.props(node)
            covered: set[tuple[str, str]] = set()
            for pred in sorted(props):
                if not pred.startswith(P) or "/" in pred[len(P):]:
                    continue
                pid = pred[len(P):]
                for st in sorted(props[pred], key=str):
                    for value in self.props(st).get(PS + pid, ()):
                        covered.add((pid, str(value)))
                    if pid in self.properties:
                        self.statement(node, qid, pid, st)
                    elif pid not in ("P31",):
                        self.skips.add("Wikidata property not mapped", f"{qid} {pid}")
            for pred in sorted(props):
                if not pred.startswith(WDT):
                    continue
                pid = pred[len(WDT):]
                if pid not in self.properties:
                    if pid != "P31" and not any(p.startswith(P + pid) for p in props):
                        self.skips.add("Wikidata property not mapped", f"{qid} {pid}")
                    continue
                for value in sorted(props[pred], key=str):
                    if (pid, str(value)) not in covered:
                        self.truthy(node, qid, pid, value)
        self.entity_documents()

    # -- values ----------------------------------------------------------------------------
    def precision(self, value_node) -> int | None:
        if value_node is None:
            return None
        for p in self.props(value_node).get(WIKIBASE + "timePrecision", ()):
            try:
                return int(str(p))
            except ValueError:
                return None
        return None

    def date(self, value, value_node, what: str) -> str | None:
        precision = self.precision(value_node)
        if precision is None:
            self.skips.add("date without wikibase:timePrecision (read as a day)", what)
        found, reason = partial_date(str(value), precision)
        if found is None:
            self.skips.add("date that cannot be kept", f"{what}: {reason}")
        return found

    def value(self, value, value_node, what: str):
        """(object, how it is shown) for a statement's value, or None (recorded)."""
        if isinstance(value, BNode):
            self.skips.add("unknown value (somevalue)", what)
            return None
        if isinstance(value, URIRef):
            qid = X.wikidata_id(str(value))
            if qid:
                ref = self.f.ref(value)
                return ref, self.f.label(value)
            return ObjectValue(text=str(value)), str(value)
        assert isinstance(value, Literal)
        dtype = str(value.datatype or "")
        if dtype.endswith("#dateTime") or dtype.endswith("#date"):
            found = self.date(value, value_node, what)
            return (ObjectValue(date=found), found) if found else None
        if dtype.endswith(("#decimal", "#integer", "#double", "#float")):
            try:
                amount = number(float(str(value)))
            except ValueError:
                self.skips.add("not a number", what)
                return None
            return ObjectValue(value=amount), str(amount)
        return ObjectValue(text=str(value)), str(value)

    def one_date(self, st_props: dict, pid: str, what: str) -> tuple[bool, str | None]:
        """(ok, date) of a time qualifier: ok is False when it cannot be kept."""
        values = list(dict.fromkeys(str(v) for v in st_props.get(PQ + pid, ())))
        if not values:
            return True, None
        if len(values) > 1:
            self.skips.add("several values of one time qualifier", f"{what} {pid}")
            return False, None
        nodes = st_props.get(PQV + pid, ())
        found = self.date(values[0], nodes[0] if nodes else None, f"{what} {pid}")
        return found is not None, found

    # -- statements ------------------------------------------------------------------------
    def parts(self, node, qid: str, pid: str, value, value_node, rank: str, st_props: dict, what: str):
        """(claim fields, quote) for a statement, or None (recorded)."""
        predicate, swap = self.properties[pid]
        item = self.value(value, value_node, what)
        if item is None:
            return None
        obj, shown = item
        subject = self.f.found[node].key
        if swap:
            if not isinstance(obj, (str, ExternalRef)):
                self.skips.add("value that is not an item where an item is needed", what)
                return None
            subject, obj = obj, subject
        times: dict[str, str | None] = {}
        for q in TIME_QUALIFIERS:
            ok, found = self.one_date(st_props, q, what)
            if not ok:
                return None
            times[q] = found
        valid_from = times["P580"] or times["P585"]
        valid_to = times["P582"] or times["P585"]
        try:
            check_interval(valid_from, valid_to)
        except ValueError as e:
            self.skips.add("end before start", f"{what}: {e}")
            return None
        for pred in sorted(st_props):
            if pred.startswith(PQ) and "/" not in pred[len(PQ):] and pred[len(PQ):] not in TIME_QUALIFIERS:
                self.skips.add("qualifier not kept", f"{what} {pred[len(PQ):]}")
        quote = f"{self.f.label(node)} {plabel(pid)} {shown}"
        shown_times = [f"{plabel(q)} {times[q]}" for q in TIME_QUALIFIERS if times[q]]
        if shown_times:
            quote += f" [{'; '.join(shown_times)}]"
        fields = {"subject": subject, "predicate": predicate, "object": obj, "valid_from": valid_from,
                  "valid_to": valid_to, "what": what}
        return fields, quote

    def statement(self, node, qid: str, pid: str, st) -> None:
        st_props = self.props(st)
        sid = statement_id(st)
        what = f"statement {sid} ({pid})"
        rank = "normal"
        for r in st_props.get(WIKIBASE + "rank", ()):
            rank = RANKS.get(str(r), "normal")
        if rank == "deprecated":
            self.skips.add("deprecated rank", what)
            return
        values = st_props.get(PS + pid, ())
        if not values:
            self.skips.add("no value (novalue)", what)
            return
        if len(set(values)) > 1:
            self.skips.add("several values in one statement", what)
            return
        value_nodes = st_props.get(PSV + pid, ())
        made = self.parts(node, qid, pid, values[0], value_nodes[0] if value_nodes else None, rank, st_props, what)
        if made is None:
            return
        fields, quote = made
        references = [self.reference(r) for r in st_props.get(V.PROV + "wasDerivedFrom", ())]
        real = sorted({r for r in references if r is not None and not r[1]})
        imported = [r for r in references if r is not None and r[1]]
        if not real:
            mark = "referenced only as imported from a Wikimedia project (P143)" if imported else "no reference"
            self.keep_unreferenced(qid, f"{sid} ({rank} rank, {mark})", quote, fields,
                                   "unreferenced claim" if not imported else "P143-only claim")
            return
        for text_lines, _, stated in real:
            self.referenced(qid, sid, rank, quote, fields, text_lines, stated)

    def reference(self, ref) -> tuple[str, bool, str | None] | None:
        """(rendered reference, imported-only, date) or None for an empty reference."""
        props = self.props(ref)
        pids = sorted({p[len(PR):] for p in props if p.startswith(PR) and "/" not in p[len(PR):]})
        if not pids:
            return None
        parts, stated = [], None
        for pid in pids:
            values = sorted(props[PR + pid], key=str)
            nodes = props.get(PRV + pid, ())
            shown = []
            for v in values:
                if isinstance(v, Literal) and str(v.datatype or "").endswith("#dateTime"):
                    day, _ = partial_date(str(v), self.precision(nodes[0]) if len(nodes) == 1 else None)
                    shown.append(day or str(v))
                    if pid in ("P813", "P577") and day and (stated is None or pid == "P813"):
                        stated = day
                elif isinstance(v, URIRef) and X.wikidata_id(str(v)):
                    shown.append(self.f.label(v))
                else:
                    shown.append(str(v))
            parts.append(f"{plabel(pid)} {', '.join(shown)}")
        return "; ".join(parts), set(pids) <= IMPORTED_ONLY and "P143" in pids, stated

    def document(self, qid: str) -> tuple[str, str | None]:
        return self.documents.get(qid, (ENTITY_DATA + qid, None))

    def referenced(self, qid: str, sid: str, rank: str, quote: str, fields: dict, reference: str,
                   stated: str | None) -> None:
        _, modified = self.document(qid)
        if stated is None:
            stated = modified
        if stated is None:
            stated = self.options.day()
            self.skips.add("stated on the day of import (no date in the reference or the document)",
                           fields["what"])
        text = (f"Wikidata statement {sid} ({rank} rank)\n{quote}\nReference: {reference}\n")
        start = text.index("\n") + 1
        urls = re.findall(r"reference URL \(P854\) (\S+)", reference)
        url = urls[0].rstrip(";,") if urls else f"https://www.wikidata.org/wiki/{qid}"
        src = self.derived_source(text, url, f"Wikidata statement {sid}, reference", stated)
        self.claim(fields, stated, Evidence(source_id=src, quote=quote, start=start, end=start + len(quote),
                                            language="en"), "referenced claim")

    def derived_source(self, text: str, url: str, title: str, stated) -> str:
        """Register a source text claimgraph writes from the document (a statement with its
        reference, an entity's unreferenced statements); its id."""
        src = source_id(text)
        self.plan.derived.add(src)
        self.plan.sources.append(SourceRegistered(source_id=src, text=text, url=url, title=title,
                                                  publisher="Wikidata", published=stated, language="en",
                                                  origin=self.f.doc.name))
        return src

    def keep_unreferenced(self, qid: str, label: str, quote: str, fields: dict, category: str) -> None:
        if self.options.unreferenced == "skip":
            self.skips.add("unreferenced (--unreferenced skip)", fields["what"])
            return
        fields = dict(fields, category=category)
        self.unreferenced.setdefault(qid, []).append((f"{label}: {quote}", fields | {"quote": quote}))

    def truthy(self, node, qid: str, pid: str, value) -> None:
        what = f"truthy {qid} {pid}"
        made = self.parts(node, qid, pid, value, None, "best", {}, what)
        if made is None:
            return
        fields, quote = made
        self.keep_unreferenced(qid, f"wdt:{pid} (truthy value, no full statement in the document)", quote,
                               fields, "truthy claim")

    def entity_documents(self) -> None:
        """One source per entity document, holding its unreferenced statements."""
        for qid, items in sorted(self.unreferenced.items()):
            iri, modified = self.document(qid)
            stated = modified
            if stated is None:
                stated = self.options.day()
                for _, fields in items:
                    self.skips.add("stated on the day of import (the entity document has no schema:dateModified)",
                                   fields["what"])
            lines = sorted({line for line, _ in items})
            text = (f"Wikidata entity document {iri}" + (f" (modified {modified})" if modified else "") +
                    "\nStatements without a reference (as Wikidata gives them):\n" + "\n".join(lines) + "\n")
            src = self.derived_source(text, iri, f"Wikidata entity document {qid} (unreferenced statements)", stated)
            for line, fields in items:
                start = text.index("\n" + line + "\n") + 1 + len(line) - len(fields["quote"])
                self.claim(fields, stated, Evidence(source_id=src, quote=fields["quote"], start=start,
                                                    end=start + len(fields["quote"]), language="en"),
                           fields["category"])

    def claim(self, fields: dict, stated: str, evidence: Evidence, category: str) -> None:
        obj = fields["object"]
        self.plan.claims.append(ImportClaim(
            what=fields["what"], claimant=WIKIDATA, subject=fields["subject"], predicate=fields["predicate"],
            object=obj, stated=stated, channel="other", modality="asserted", evidence=evidence,
            valid_from=fields["valid_from"], valid_to=fields["valid_to"], extractor=ACTOR, category=category))
