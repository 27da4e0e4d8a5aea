"""RDF documents to events: claimgraph's own exports (lossless), schema.org data and
Wikidata entity exports (truthy ``wdt:`` triples, and full ``p:``/``ps:``/``pq:``
statements whose ``prov:wasDerivedFrom`` reference becomes the source of a claim), and
other vocabularies through a mapping file. Every imported event names the document in
its ``reason``; ids are content-derived, so importing a file twice appends nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Literal, URIRef

from claimgraph.schema import rdfvocab as V
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import (
    Alias,
    ClaimRecorded,
    DomainEvent,
    EntitiesMerged,
    EntityRegistered,
    PropositionResolved,
    Recorded,
    SourceRegistered,
)
from claimgraph.schema.model import (
    ENTITY_ID_RE,
    Evidence,
    ObjectValue,
    Proposition,
    content_id,
    number,
    slugify,
    source_id,
)
from claimgraph.schema.text import nfc

from .rdf_parse import Document

SDO_TYPES = {"Person": "person", "Organization": "org", "Corporation": "org", "NGO": "org",
             "EducationalOrganization": "org", "ResearchOrganization": "org", "GovernmentOrganization": "org",
             "SoftwareApplication": "model", "SoftwareSourceCode": "model", "Product": "product",
             "ProductModel": "product"}
WD_CLASSES = {"Q5": "person", "Q43229": "org", "Q4830453": "org", "Q783794": "org", "Q6881511": "org",
              "Q891723": "org", "Q163740": "org", "Q31855": "org", "Q7397": "model", "Q115305900": "model",
              "Q2539": "model", "Q116777014": "model", "Q183484": "hardware", "Q5300": "hardware",
              "Q2424752": "product"}
#: Wikidata property -> (predicate, swap): swap means the value is the claim's subject
WD_PROPERTIES = {"P169": ("leads", True), "P112": ("founded", True), "P127": ("owns", True),
                 "P1830": ("owns", False), "P178": ("develops", True), "P155": ("successor_of", False),
                 "P577": ("released", False), "P1327": ("competes_with", False),
                 "P1056": ("develops", False), "P176": ("develops", True)}
WDT, P, PS, PQ, PR = ("http://www.wikidata.org/prop/direct/", "http://www.wikidata.org/prop/",
                      "http://www.wikidata.org/prop/statement/", "http://www.wikidata.org/prop/qualifier/",
                      "http://www.wikidata.org/prop/reference/")
LABELS = (V.RDFS + "label", V.SKOS + "prefLabel")
ALT = (V.SKOS + "altLabel",)
WIKIDATA = "org:wikidata"
ACTOR = "rdf-import@1"


@dataclass
class Mapping:
    """User mapping of other vocabularies: class IRI -> kind; property IRI -> 'name',
    'alias', 'external_id:<scheme>' or a predicate for Wikidata-style statements."""
    classes: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Mapping":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise InputError(f"cannot read the mapping file: {e}", file=str(path)) from None
        if not isinstance(data, dict) or set(data) - {"classes", "properties"}:
            raise InputError("a mapping file has 'classes' (IRI: kind) and 'properties' (IRI: role)", file=str(path))
        kinds = {"person", "org", "model", "hardware", "product"}
        for iri, kind in (data.get("classes") or {}).items():
            if kind not in kinds:
                raise InputError(f"class {iri}: kind {kind!r} is not one of {sorted(kinds)}", file=str(path))
        return cls(dict(data.get("classes") or {}), dict(data.get("properties") or {}))


def _norm(iri: str) -> str:
    return "https://schema.org/" + iri[len("http://schema.org/"):] if iri.startswith("http://schema.org/") else iri


class _Import:
    def __init__(self, doc: Document, mapping: Mapping):
        self.doc, self.mapping = doc, mapping
        self.events: list[DomainEvent] = []
        self.default = {s: {_norm(str(p)): objs for p, objs in props.items()}
                        for s, props in doc.subjects(None).items()}
        self.registered: set[str] = set()

    def fail(self, reason: str) -> InputError:
        return InputError(reason, file=self.doc.name)

    def one(self, props: dict, pred: str, required: bool = True, what: str = ""):
        values = props.get(pred) or []
        if not values:
            if required:
                raise self.fail(f"{what}: missing <{pred}>")
            return None
        return values[0]

    # -- claimgraph's own vocabulary ---------------------------------------------
    def own(self) -> None:
        typed = {t: [s for s, props in self.default.items() if URIRef(V.CG + t) in props.get(V.RDF + "type", [])]
                 for t in ("Source", "Entity", "Claim", "Resolution")}
        for s in typed["Source"]:
            self.source(s, self.default[s])
        for s in typed["Entity"]:
            self.entity(s, self.default[s])
        for s in typed["Entity"]:
            into = self.one(self.default[s], V.CG + "mergedInto", required=False)
            if into is not None:
                self.events.append(EntitiesMerged(from_id=self.entity_ref(s), into_id=self.entity_ref(into)))
        for s in typed["Claim"]:
            self.claim(s, self.default[s])
        for s in typed["Resolution"]:
            self.resolution(s, self.default[s])

    def entity_ref(self, term) -> str:
        found = V.entity_id(str(term))
        if not found or not ENTITY_ID_RE.match(found):
            raise self.fail(f"<{term}> is not a claimgraph entity IRI")
        return found

    def source(self, s, props) -> None:
        text = self.one(props, V.CG + "text", what=f"source <{s}>")
        sid = source_id(nfc(str(text)))
        if V.SOURCE + V.hex_of(sid) != str(s):
            raise self.fail(f"source <{s}>: its text does not hash to its id (expected {sid})")
        def get(p: str) -> str | None:
            value = self.one(props, p, required=False)
            return str(value) if value is not None else None

        self.events.append(SourceRegistered(
            source_id=sid, text=nfc(str(text)), url=get(V.SDO + "url"), title=get(V.SDO + "name"),
            publisher=get(V.SDO + "publisher"), published=get(V.SDO + "datePublished"),
            language=get(V.SDO + "inLanguage"), origin=get(V.CG + "origin")))

    def entity(self, s, props) -> None:
        eid = str(self.one(props, V.CG + "id", what=f"entity <{s}>"))
        if V.entity_iri(eid) != str(s):
            raise self.fail(f"entity <{s}>: cg:id {eid!r} does not match its IRI")
        name = str(self.one(props, V.RDFS + "label", what=f"entity <{s}>"))
        aliases = tuple(Alias(name=str(a), lang=getattr(a, "language", None) or None)
                        for a in props.get(V.SKOS + "altLabel", []))
        ext = dict(str(x).split(":", 1) for x in props.get(V.CG + "externalId", []))
        self.register(eid, name, aliases, ext)

    def register(self, eid: str, name: str, aliases=(), ext=None) -> None:
        if eid in self.registered:
            return
        self.registered.add(eid)
        self.events.append(EntityRegistered(entity_id=eid, kind=eid.split(":")[0], name=name,
                                            aliases=tuple(aliases), external_ids=ext or {}))

    def evidence(self, what: str, props) -> Evidence:
        src = self.one(props, V.PROV + "wasDerivedFrom", what=what)
        quote = self.one(props, V.CG + "quote", what=what)
        return Evidence(source_id="source:" + str(src).rsplit("/", 1)[-1], quote=str(quote),
                        start=int(self.one(props, V.CG + "start", what=what)),
                        end=int(self.one(props, V.CG + "end", what=what)),
                        language=getattr(quote, "language", None) or None,
                        verified=str(self.one(props, V.CG + "verified", required=False) or "true") == "true")

    def recorded(self, props) -> Recorded | None:
        at = self.one(props, V.PROV + "generatedAtTime", required=False)
        by = self.one(props, V.CG + "recordedBy", required=False)
        return Recorded(at=str(at), by=str(by), document=self.doc.name) if at and by else None

    def claim(self, c, props) -> None:
        what = f"claim <{c}>"
        graph = self.one(props, V.CG + "assertion", what=what)
        prop_iri = self.one(props, V.CG + "states", what=what)
        # in its own graph (TriG, N-Quads, JSON-LD), or reified in the one graph (Turtle)
        described = self.doc.subjects(graph).get(prop_iri) or self.doc.subjects(None).get(prop_iri, {})
        named = {str(k): v for k, v in described.items()}
        if not named:
            raise self.fail(f"{what}: its graph <{graph}> does not describe <{prop_iri}>")
        obj = None
        if V.CG + "object" in named:
            obj = ObjectValue(entity=self.entity_ref(named[V.CG + "object"][0]))
        elif V.CG + "objectDate" in named:
            obj = ObjectValue(date=str(named[V.CG + "objectDate"][0]))
        elif V.CG + "objectValue" in named:
            unit = named.get(V.CG + "objectUnit")
            obj = ObjectValue(value=number(named[V.CG + "objectValue"][0].toPython()),
                              unit=str(unit[0]) if unit else None)
        elif V.CG + "objectText" in named:
            obj = ObjectValue(text=str(named[V.CG + "objectText"][0]))
        def first(key: str):
            return named[key][0] if key in named else None

        quantity = first(V.CG + "quantity")
        due = first(V.CG + "due")
        prop = Proposition(id="prop:" + str(prop_iri).rsplit("/", 1)[-1],
                           subject=self.entity_ref(named[V.CG + "subject"][0]),
                           predicate=str(named[V.CG + "predicate"][0]).rsplit("/", 1)[-1], object=obj,
                           quantity=number(quantity.toPython()) if quantity is not None else None,
                           unit=str(first(V.CG + "unit")) if first(V.CG + "unit") is not None else None,
                           due=str(due) if due is not None else None)
        conf = self.one(props, V.CG + "confidence", required=False)
        extractor = self.one(props, V.CG + "extractor", required=False)
        self.events.append(ClaimRecorded(
            claim_id="claim:" + str(c).rsplit("/", 1)[-1],
            claimant=self.entity_ref(self.one(props, V.PROV + "wasAttributedTo", what=what)),
            proposition=prop, stated=str(self.one(props, V.CG + "stated", what=what)),
            channel=str(self.one(props, V.CG + "channel", what=what)).rsplit("/", 1)[-1],
            modality=str(self.one(props, V.CG + "modality", what=what)).rsplit("/", 1)[-1],
            evidence=self.evidence(what, props), confidence=float(conf) if conf is not None else None,
            extractor=str(extractor) if extractor is not None else None, recorded=self.recorded(props)))

    def resolution(self, r, props) -> None:
        what = f"resolution <{r}>"
        self.events.append(PropositionResolved(
            resolution_id="resolution:" + str(r).rsplit("/", 1)[-1],
            proposition_id="prop:" + str(self.one(props, V.CG + "resolves", what=what)).rsplit("/", 1)[-1],
            verdict=str(self.one(props, V.CG + "verdict", what=what)).rsplit("/", 1)[-1],
            known=str(self.one(props, V.CG + "known", what=what)), evidence=self.evidence(what, props),
            recorded=self.recorded(props)))

    # -- foreign vocabularies ---------------------------------------------------
    def kind_of(self, s, props) -> str | None:
        for t in props.get(V.RDF + "type", []):
            t = _norm(str(t))
            if t in self.mapping.classes:
                return self.mapping.classes[t]
            if t.startswith(V.SDO) and t[len(V.SDO):] in SDO_TYPES:
                return SDO_TYPES[t[len(V.SDO):]]
        for value in props.get(WDT + "P31", []):
            qid = str(value).rsplit("/", 1)[-1]
            if qid in WD_CLASSES:
                return WD_CLASSES[qid]
        return None

    def foreign_entities(self) -> dict[str, tuple[str, str]]:
        """subject IRI -> (entity id, label) for every described person/org/model/…"""
        found: dict[str, tuple[str, str]] = {}
        for s, props in self.default.items():
            if str(s).startswith(V.BASE):
                continue
            kind = self.kind_of(s, props)
            if kind is None:
                continue
            names: list[Literal] = []
            for key in (V.SDO + "name", *LABELS, *[k for k, v in self.mapping.properties.items() if v == "name"]):
                names += [n for n in props.get(key, []) if isinstance(n, Literal)]
            if not names:
                continue
            preferred = [n for n in names if (n.language or "en").startswith("en")] or names
            name = str(preferred[0])
            aliases = [a for a in names if str(a) != name]
            for key in (V.SDO + "alternateName", *ALT, *[k for k, v in self.mapping.properties.items()
                                                         if v == "alias"]):
                aliases += [a for a in props.get(key, []) if isinstance(a, Literal)]
            ext = {}
            if str(s).startswith(V.WD):
                ext["wikidata"] = str(s)[len(V.WD):]
            for key in (V.SDO + "sameAs", V.OWL + "sameAs"):
                for same in props.get(key, []):
                    if str(same).startswith(V.WD) or str(same).startswith("https://www.wikidata.org/wiki/"):
                        ext["wikidata"] = str(same).rsplit("/", 1)[-1]
            for key, role in self.mapping.properties.items():
                if role.startswith("external_id:") and props.get(key):
                    ext[role.split(":", 1)[1]] = str(props[key][0])
            eid = f"{kind}:{slugify(name)}"
            seen, unique = set(), []
            for a in aliases:
                k = (str(a), a.language or None)
                if k not in seen and str(a) != name:
                    seen.add(k)
                    unique.append(Alias(name=str(a), lang=a.language or None))
            self.register(eid, name, unique, ext)
            found[str(s)] = (eid, name)
        return found

    def wikidata_statements(self, entities: dict[str, tuple[str, str]]) -> None:
        properties = {**WD_PROPERTIES}
        for key, role in self.mapping.properties.items():
            pid = key.rsplit("/", 1)[-1]
            if role not in ("name", "alias") and not role.startswith("external_id:") and pid.startswith("P"):
                properties[pid] = (role, False)
        for s, props in self.default.items():
            if str(s) not in entities:
                continue
            for pred, statements in props.items():
                if not pred.startswith(P) or pred.startswith((PS, PQ, PR)) or pred.startswith(P + "direct"):
                    continue
                pid = pred[len(P):]
                if pid not in properties:
                    continue
                for st in statements:
                    self.statement(str(s), pid, properties[pid], st, entities)

    def statement(self, subject_iri: str, pid: str, mapped, st, entities) -> None:
        props = {str(k): v for k, v in self.doc.subjects(None).get(st, {}).items()}
        values = props.get(PS + pid, [])
        refs = props.get(V.PROV + "wasDerivedFrom", [])
        if not values or not refs:
            return  # only referenced statements become claims
        value = values[0]
        predicate, swap = mapped
        subj_id, subj_label = entities[subject_iri]
        if isinstance(value, URIRef):
            if str(value) not in entities:
                return
            obj_id, obj_label = entities[str(value)]
            if swap:
                subj_id, obj_id, subj_label, obj_label = obj_id, subj_id, obj_label, subj_label
            obj, value_text = ObjectValue(entity=obj_id), f"{obj_label} ({obj_id})"
        else:
            lexical = str(value)
            if pid == "P577" or lexical[:4].isdigit() and "T" in lexical:
                obj = ObjectValue(date=lexical[:10].lstrip("+"))
            else:
                obj = ObjectValue(text=lexical)
            value_text = lexical
        ref = {str(k): v for k, v in self.doc.subjects(None).get(refs[0], {}).items()}
        url = ref.get(PR + "P854", [None])[0]
        retrieved = ref.get(PR + "P813", [None])[0] or ref.get(PR + "P577", [None])[0]
        stated = str(retrieved)[:10].lstrip("+") if retrieved is not None else None
        if not stated or not stated[:4].isdigit():
            return
        quote = f"{subj_label} ({subj_id}) {predicate} {value_text}"
        text = (f"Wikidata statement {st}\n{quote}\nReference: {url or refs[0]}\n"
                f"Retrieved: {stated}\nImported from {self.doc.name}\n")
        sid = source_id(text)
        self.events.append(SourceRegistered(source_id=sid, text=text, url=str(url) if url else str(st),
                                            title=f"Wikidata statement {str(st).rsplit('/', 1)[-1]}",
                                            publisher="Wikidata", published=stated, origin=self.doc.name))
        start = text.index(quote)
        prop = Proposition.make(subj_id, predicate, obj)
        claim_id = content_id("claim", {"claimant": WIKIDATA, "proposition": prop.id, "source": sid})
        self.register(WIKIDATA, "Wikidata")
        self.events.append(ClaimRecorded(
            claim_id=claim_id, claimant=WIKIDATA, proposition=prop, stated=stated, channel="other",
            modality="asserted", evidence=Evidence(source_id=sid, quote=quote, start=start, end=start + len(quote)),
            extractor=ACTOR))


def events_from(doc: Document, mapping: Mapping | None = None) -> list[DomainEvent]:
    """The events an RDF document stands for; raises InputError naming the document."""
    job = _Import(doc, mapping or Mapping())
    try:
        job.own()
        entities = job.foreign_entities()
        job.wikidata_statements(entities)
    except InputError:
        raise
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"cannot import: {e}", file=doc.name) from None
    # the wikidata claimant first if it is new, then everything in order
    return job.events
