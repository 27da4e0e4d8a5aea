"""Entities of other vocabularies (schema.org, Wikidata, mapped classes) and schema.org
statements, to an import plan. Identity is decided later by the gate (external ids,
then names within a kind); here every described thing becomes one ``ImportEntity`` keyed
by its node, and every statement one ``ImportClaim`` with a synthesized source whose
text renders the statements (the quotes are spans of it)."""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from claimgraph.schema import external_ids as X
from claimgraph.schema import rdfvocab as V
from claimgraph.schema.decide_import import ExternalRef, ImportClaim, ImportEntity
from claimgraph.schema.events import SourceRegistered
from claimgraph.schema.model import Alias, Evidence, ObjectValue, source_id

from .common import Reader, best_label, key_of, labels, norm, partial_date

SDO_TYPES = {"Person": "person", "Organization": "org", "Corporation": "org", "NGO": "org",
             "EducationalOrganization": "org", "ResearchOrganization": "org", "GovernmentOrganization": "org",
             "OnlineBusiness": "org", "LocalBusiness": "org", "ResearchProject": "org",
             "SoftwareApplication": "model", "WebApplication": "model", "MobileApplication": "model",
             "SoftwareSourceCode": "model", "Product": "product", "ProductModel": "product",
             "IndividualProduct": "product"}
#: classes of documents and structure, not of entities: their nodes are not reported
NOT_ENTITIES = {V.SDO + t for t in ("WebPage", "WebSite", "Article", "NewsArticle", "BlogPosting", "CreativeWork",
                                    "ImageObject", "Dataset", "BreadcrumbList", "ListItem", "SearchAction",
                                    "EntryPoint", "PostalAddress", "ContactPoint", "Offer", "AggregateRating",
                                    "Rating", "Review", "Brand", "QuantitativeValue", "PropertyValue")}
WIKIBASE = "http://wikiba.se/ontology#"
NOT_ENTITIES |= {WIKIBASE + t for t in ("Statement", "Reference", "TimeValue", "QuantityValue", "GlobecoordinateValue",
                                        "Property", "BestRank", "Dump")}
WD_CLASSES = {"Q5": "person", "Q43229": "org", "Q4830453": "org", "Q783794": "org", "Q6881511": "org",
              "Q891723": "org", "Q163740": "org", "Q31855": "org", "Q7397": "model", "Q115305900": "model",
              "Q2539": "model", "Q116777014": "model", "Q183484": "hardware", "Q5300": "hardware",
              "Q2424752": "product", "Q1137109": "org", "Q3918": "org", "Q1664720": "org", "Q161726": "org",
              "Q21980538": "org", "Q166142": "model", "Q1639024": "model", "Q17155032": "hardware",
              "Q121180203": "model", "Q131279": "product"}
WDT = "http://www.wikidata.org/prop/direct/"
NAME_KEYS = (V.SDO + "name", V.RDFS + "label", V.SKOS + "prefLabel")
ALIAS_KEYS = (V.SDO + "alternateName", V.SDO + "legalName", V.SKOS + "altLabel")
DESCRIPTION_KEYS = (V.SDO + "description",)
SAME_AS = (V.SDO + "sameAs", V.OWL + "sameAs")

#: schema.org property -> (predicate, swap, kind of a value given as a plain name,
#: kinds of subject it applies to); swap: the value is the claim's subject
SDO_PROPERTIES: dict[str, tuple[str, bool, str | None, frozenset[str]]] = {
    "founder": ("founded", True, "person", frozenset({"org"})),
    "founders": ("founded", True, "person", frozenset({"org"})),
    "foundingDate": ("founded_on", False, None, frozenset({"org"})),
    "parentOrganization": ("owns", True, "org", frozenset({"org"})),
    "subOrganization": ("owns", False, "org", frozenset({"org"})),
    "worksFor": ("works_for", False, "org", frozenset({"person"})),
    "employee": ("works_for", True, "person", frozenset({"org"})),
    "employees": ("works_for", True, "person", frozenset({"org"})),
    "creator": ("develops", True, None, frozenset({"model", "product", "hardware"})),
    "author": ("develops", True, None, frozenset({"model", "product", "hardware"})),
    "publisher": ("publishes", True, "org", frozenset({"model", "product", "hardware"})),
    "manufacturer": ("develops", True, "org", frozenset({"model", "product", "hardware"})),
    "releaseDate": ("released", False, None, frozenset({"model", "product", "hardware"})),
    "datePublished": ("released", False, None, frozenset({"model", "product", "hardware"})),
}
DATE_PROPERTIES = {"foundingDate", "releaseDate", "datePublished"}
PAGE_TYPES = {V.SDO + t for t in ("WebPage", "WebSite", "Article", "NewsArticle", "BlogPosting", "CreativeWork",
                                  "AboutPage", "ItemPage", "ProfilePage")}


class ForeignReader(Reader):
    """Entities first (``entities``), then schema.org statements (``schema_org``)."""

    def __init__(self, doc, plan, skips, options, mapping):
        super().__init__(doc, plan, skips, options)
        self.mapping = mapping
        #: node -> ImportEntity
        self.found: dict = {}
        #: node -> display label (for rendering statements)
        self.display: dict = {}
        #: keys of entities given only by a plain name
        self.named: set[str] = set()

    # -- entities -------------------------------------------------------------------------
    def classes(self, props: dict) -> list[str]:
        out = [norm(str(t)) for t in props.get(V.RDF + "type", ()) if isinstance(t, URIRef)]
        out += [str(v) for v in props.get(WDT + "P31", ()) if isinstance(v, URIRef)]
        return out

    def kind_of(self, classes: list[str]) -> str | None:
        for c in classes:
            if c in self.mapping.classes:
                return self.mapping.classes[c]
            if c.startswith(V.SDO) and c[len(V.SDO):] in SDO_TYPES:
                return SDO_TYPES[c[len(V.SDO):]]
            qid = X.wikidata_id(c)
            if qid and qid in WD_CLASSES:
                return WD_CLASSES[qid]
        return None

    def name_keys(self) -> tuple:
        return NAME_KEYS + tuple(k for k, v in self.mapping.properties.items() if v == "name")

    def alias_keys(self) -> tuple:
        return ALIAS_KEYS + tuple(k for k, v in self.mapping.properties.items() if v == "alias")

    def external_ids(self, node, props: dict, what: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        own = X.wikidata_id(str(node)) if isinstance(node, URIRef) else None
        if own:
            out.append(("wikidata", own))
        for key in SAME_AS:
            for same in props.get(key, ()):
                qid = X.wikidata_id(str(same))
                if qid:
                    out.append(("wikidata", qid))
                elif str(same).startswith(("http://www.wikidata.org/", "https://www.wikidata.org/")):
                    self.skips.add("sameAs a Wikidata IRI that is not an item", f"{what}: <{same}>")
                else:
                    self.skips.add("sameAs link other than Wikidata (not kept)", f"{what}: <{same}>")
        for key, role in self.mapping.properties.items():
            if role.startswith("external_id:"):
                scheme = role.split(":", 1)[1]
                for value in props.get(key, ()):
                    try:
                        out.append((scheme, X.check(scheme, str(value))))
                    except ValueError as e:
                        self.skips.add("invalid external id", f"{what}: {e}")
        return list(dict.fromkeys(out))

    def redirects(self) -> dict[str, set[str]]:
        """Q-id -> the Q-ids the document says are the same item (``owl:sameAs`` between
        items, as Wikidata states a redirect), also for nodes described no further."""
        same: dict[str, set[str]] = {}
        for node, props in self.default.items():
            own = X.wikidata_id(str(node)) if isinstance(node, URIRef) else None
            if not own:
                continue
            for key in SAME_AS:
                for other in props.get(key, ()):
                    qid = X.wikidata_id(str(other))
                    if qid and qid != own:
                        same.setdefault(own, set()).add(qid)
                        same.setdefault(qid, set()).add(own)
        return same

    def entities(self) -> None:
        same = self.redirects()
        name_keys = self.name_keys()
        for node, props in self.default.items():
            if isinstance(node, URIRef) and str(node).startswith(V.BASE):
                continue
            classes = self.classes(props)
            kind = self.kind_of(classes)
            if kind is None and not any(k in props for k in name_keys):
                continue  # structure (statements, references, values …): nothing to say
            what = f"<{key_of(node)}>"
            found = labels(props, name_keys, self.skips, what)
            best = best_label(found)
            if best is not None:
                self.display[node] = best[0]
            if kind is None:
                if best is None or any(c in NOT_ENTITIES or c in PAGE_TYPES for c in classes):
                    continue
                classes = [c for c in classes if c != WIKIBASE + "Item"]  # says nothing about the kind
                if classes:
                    shown = ", ".join(sorted({c.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for c in classes})[:4])
                    self.skips.add("unmapped class", f"{what} {best[0]!r}: {shown}")
                elif not isinstance(node, BNode):
                    self.skips.add("no class (rdf:type or wdt:P31)", f"{what} {best[0]!r}")
                continue
            if best is None:
                self.skips.add("no label", f"{what} ({kind})")
                continue
            for text in labels(props, DESCRIPTION_KEYS, self.skips, what):
                self.skips.add("description (claimgraph keeps none)", f"{what} {text[0][:60]!r}")
            aliases = [Alias(name=t, lang=lang) for t, lang in found if (t, lang) != best]
            aliases += [Alias(name=t, lang=lang) for t, lang in labels(props, self.alias_keys(), self.skips, what)]
            ids = self.external_ids(node, props, what)
            ids += [("wikidata", q) for scheme, value in list(ids) if scheme == "wikidata"
                    for q in sorted(same.get(value, ())) if ("wikidata", q) not in ids]
            entity = ImportEntity(key=key_of(node), kind=kind, name=best[0], aliases=aliases,
                                  external_ids=list(dict.fromkeys(ids)))
            self.found[node] = entity
            self.plan.entities.append(entity)

    def ref(self, term):
        """A plan reference for an RDF term naming an entity, or None."""
        if term in self.found:
            return self.found[term].key
        qid = X.wikidata_id(str(term)) if isinstance(term, URIRef) else None
        if qid:
            return ExternalRef("wikidata", qid)
        return None

    def label(self, term) -> str:
        qid = X.wikidata_id(str(term)) if isinstance(term, URIRef) else None
        shown = self.display.get(term)
        if shown and qid:
            return f"{shown} ({qid})"
        return shown or qid or str(term)

    # -- schema.org statements -------------------------------------------------------------
    def page(self) -> tuple[object | None, str | None, str | None]:
        """(publisher node, url, date) of the web page or document node, if the data has one."""
        for node, props in sorted(self.default.items(), key=lambda kv: key_of(kv[0])):
            if not any(norm(str(t)) in PAGE_TYPES for t in props.get(V.RDF + "type", ())):
                continue
            publisher = next(iter(props.get(V.SDO + "publisher", ()) or props.get(V.SDO + "author", ())), None)
            url = next(iter(props.get(V.SDO + "url", ())), None) or (node if isinstance(node, URIRef) else None)
            date = next(iter(props.get(V.SDO + "dateModified", ()) or props.get(V.SDO + "datePublished", ())), None)
            return publisher, str(url) if url else None, str(date) if date else None
        return None, None, None

    def claimant(self, node, props, entity: ImportEntity, page_publisher):
        for candidate in [page_publisher] + [v for k in ("publisher", "author", "creator", "manufacturer")
                                             for v in props.get(V.SDO + k, ())]:
            if candidate is not None and candidate in self.found and self.found[candidate].kind in ("org", "person"):
                return self.found[candidate].key
        if entity.kind in ("org", "person"):
            return entity.key  # a person or organization describing itself
        return None

    def schema_org(self) -> None:
        publisher, url, page_date = self.page()
        stated = None
        if page_date:
            stated, _ = partial_date(page_date)
        lines: list[tuple[str, dict]] = []
        for node, entity in sorted(self.found.items(), key=lambda kv: kv[1].key):
            props = self.props(node)
            for prop, (predicate, swap, plain_kind, kinds) in SDO_PROPERTIES.items():
                values = props.get(V.SDO + prop, ())
                if not values:
                    continue
                what = f"<{entity.key}> schema:{prop}"
                if entity.kind not in kinds:
                    self.skips.add(f"schema:{prop} of a {entity.kind} (not mapped)", what)
                    continue
                claimant = self.claimant(node, props, entity, publisher)
                if claimant is None:
                    self.skips.add("no claimant: the data names no publisher", what)
                    continue
                for value in values:
                    item = self.sdo_value(prop, value, plain_kind, what)
                    if item is None:
                        continue
                    obj, shown = item
                    subject, target = entity.key, obj
                    if swap and isinstance(obj, (str, ExternalRef)):
                        subject, target = obj, entity.key
                    line = f"{self.label(node)} {prop}: {shown}"
                    lines.append((line, {"claimant": claimant, "subject": subject, "predicate": predicate,
                                         "object": target, "what": what}))
        if not lines:
            return
        own = self.node_date()
        stated = stated or own or self.options.day()
        header = "schema.org data" + (f" at {url}" if url else "") + f", as read on {stated}"
        body = sorted(set(line for line, _ in lines))
        text = header + "\n" + "\n".join(body) + "\n"
        sid = source_id(text)
        self.plan.derived.add(sid)
        self.plan.sources.append(SourceRegistered(source_id=sid, text=text, url=url,
                                                  title=f"schema.org data in {self.doc.name}",
                                                  published=stated, origin=self.doc.name))
        for line, c in lines:
            start = text.index("\n" + line + "\n") + 1
            obj = c["object"]
            self.plan.claims.append(ImportClaim(
                what=c["what"], claimant=c["claimant"], subject=c["subject"], predicate=c["predicate"],
                object=obj, stated=stated, channel="website_code", modality="asserted",
                evidence=Evidence(source_id=sid, quote=line, start=start, end=start + len(line)),
                extractor="rdf-import@1", category="schema.org claim"))

    def node_date(self) -> str | None:
        for props in self.default.values():
            for value in props.get(V.SDO + "dateModified", ()):
                found, _ = partial_date(str(value))
                if found:
                    return found
        return None

    def sdo_value(self, prop: str, value, plain_kind: str | None, what: str):
        """(object for the claim, how it is shown) or None (recorded as skipped)."""
        if prop in DATE_PROPERTIES:
            if not isinstance(value, Literal):
                self.skips.add(f"schema:{prop} that is not a date", what)
                return None
            found, reason = partial_date(str(value))
            if found is None:
                self.skips.add(f"schema:{prop} that is not a date", f"{what}: {reason}")
                return None
            return ObjectValue(date=found), found
        if isinstance(value, Literal):
            name = str(value).strip()
            if plain_kind is None or not name:
                self.skips.add("a plain name of unknown kind", f"{what}: {name!r}")
                return None
            key = f"name:{plain_kind}:{name}"
            if key not in self.named:
                self.named.add(key)
                self.plan.entities.append(ImportEntity(key=key, kind=plain_kind, name=name))
            return key, name
        ref = self.ref(value)
        if ref is None:
            self.skips.add("value is not a described entity", f"{what}: {key_of(value)}")
            return None
        return ref, self.label(value)
