"""claimgraph's own vocabulary (its exports) to an import plan. Nothing is taken on
trust: sources must hash to their ids, functional properties have one value, proposition
and claim ids are recomputed from content by the gate (``decide_import``)."""
from __future__ import annotations

from rdflib import Literal, URIRef

from claimgraph.schema import external_ids as X
from claimgraph.schema import langtags
from claimgraph.schema import rdfvocab as V
from claimgraph.schema.dates import parse_partial_date
from claimgraph.schema.decide_import import ImportClaim, ImportEntity, ImportResolution
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import Recorded, SourceRegistered
from claimgraph.schema.model import (
    ENTITY_ID_RE,
    LANGUAGE_RE,
    PREDICATE_RE,
    Alias,
    Channel,
    Evidence,
    Modality,
    ObjectValue,
    Verdict,
    number,
    source_id,
)
from claimgraph.schema.text import nfc

from .common import Reader

TYPES = ("Source", "Entity", "Claim", "Resolution")


class OwnReader(Reader):
    def fail(self, reason: str) -> InputError:
        return InputError(reason, file=self.doc.name)

    def values(self, props: dict, pred: str) -> list:
        return props.get(pred) or []

    def one(self, props: dict, pred: str, what: str, required: bool = True):
        values = list(dict.fromkeys(self.values(props, pred)))
        if len(values) > 1:
            raise self.fail(f"{what}: {len(values)} values for <{pred}>, where one is allowed")
        if not values:
            if required:
                raise self.fail(f"{what}: missing <{pred}>")
            return None
        return values[0]

    def text(self, props: dict, pred: str, what: str, required: bool = True) -> str | None:
        value = self.one(props, pred, what, required)
        return str(value) if value is not None else None

    def date(self, props: dict, pred: str, what: str, required: bool = True) -> str | None:
        value = self.text(props, pred, what, required)
        if value is None:
            return None
        try:
            return parse_partial_date(value)
        except ValueError as e:
            raise self.fail(f"{what}: <{pred}>: {e}") from None

    def choice(self, term, base: str, what: str, label: str, allowed) -> str:
        value = self.under(term, base, what, label)
        names = [a.value for a in allowed]
        if value not in names:
            raise self.fail(f"{what}: {value!r} is not a {label} (one of {', '.join(names)})")
        return value

    def lang(self, tag: str | None, what: str) -> str | None:
        if not tag:
            return None
        try:
            canonical = langtags.canonical(tag)
        except ValueError as e:
            raise self.fail(f"{what}: {e}") from None
        if not LANGUAGE_RE.match(canonical):
            raise self.fail(f"{what}: the language tag {canonical!r} is valid BCP 47 but not accepted by the "
                            "event model yet")
        return canonical

    def read(self) -> None:
        rdf_type = V.RDF + "type"
        typed: dict[str, list] = {t: [] for t in TYPES}
        for s, props in self.default.items():
            for t in props.get(rdf_type, ()):
                name = str(t)[len(V.CG):] if str(t).startswith(V.CG) else None
                if name in typed:
                    typed[name].append(s)
        for s in typed["Source"]:
            self.source(s, self.default[s])
        for s in typed["Entity"]:
            self.entity(s, self.default[s])
        for s in typed["Entity"]:
            into = self.one(self.default[s], V.CG + "mergedInto", f"entity <{s}>", required=False)
            if into is not None:
                self.plan.merges.append((f"entity <{s}>", self.entity_ref(s), self.entity_ref(into)))
        for s in typed["Claim"]:
            self.claim(s, self.default[s])
        for s in typed["Resolution"]:
            self.resolution(s, self.default[s])

    def entity_ref(self, term) -> str:
        found = V.entity_id(str(term)) if isinstance(term, URIRef) else None
        if not found or not ENTITY_ID_RE.match(found):
            raise self.fail(f"<{term}> is not a claimgraph entity IRI")
        return found

    def under(self, term, base: str, what: str, label: str) -> str:
        value = str(term)
        if not isinstance(term, URIRef) or not value.startswith(base) or "/" in value[len(base):]:
            raise self.fail(f"{what}: <{value}> is not a claimgraph {label} (<{base}…>)")
        return value[len(base):]

    def source(self, s, props) -> None:
        what = f"source <{s}>"
        text_term = self.one(props, V.CG + "text", what)
        text = nfc(str(text_term))
        sid = source_id(text)
        if V.SOURCE + V.hex_of(sid) != str(s):
            raise self.fail(f"{what}: its text does not hash to its id (expected {sid})")
        language = self.text(props, V.SDO + "inLanguage", what, required=False)
        self.plan.sources.append(SourceRegistered(
            source_id=sid, text=text, url=self.text(props, V.SDO + "url", what, False),
            title=self.text(props, V.SDO + "name", what, False),
            publisher=self.text(props, V.SDO + "publisher", what, False),
            published=self.date(props, V.SDO + "datePublished", what, False),
            language=self.lang(language, what), origin=self.text(props, V.CG + "origin", what, False)))

    def entity(self, s, props) -> None:
        what = f"entity <{s}>"
        eid = self.text(props, V.CG + "id", what)
        assert eid is not None
        if not ENTITY_ID_RE.match(eid) or V.entity_iri(eid) != str(s):
            raise self.fail(f"{what}: cg:id {eid!r} does not match its IRI")
        name = self.text(props, V.RDFS + "label", what)
        assert name is not None
        if not name.strip():
            raise self.fail(f"{what}: its label is empty")
        aliases = []
        for a in self.values(props, V.SKOS + "altLabel"):
            if isinstance(a, Literal) and str(a).strip():
                aliases.append(Alias(name=str(a), lang=self.lang(a.language, what)))
        ext: list[tuple[str, str]] = []
        for x in self.values(props, V.CG + "externalId"):
            scheme, sep, value = str(x).partition(":")
            try:
                if not sep:
                    raise ValueError(f"not scheme:value: {str(x)!r}")
                ext.append((scheme, X.check(scheme, value)))
            except ValueError as e:
                raise self.fail(f"{what}: {e}") from None
        self.plan.entities.append(ImportEntity(key=str(s), kind=eid.split(":")[0], name=name, aliases=aliases,
                                               external_ids=ext, entity_id=eid))

    def evidence(self, what: str, props) -> Evidence:
        src = self.one(props, V.PROV + "wasDerivedFrom", what)
        quote = self.one(props, V.CG + "quote", what)
        hex_ = self.under(src, V.SOURCE, what, "source")
        verified = self.text(props, V.CG + "verified", what, required=False)
        try:
            start = int(self.one(props, V.CG + "start", what))
            end = int(self.one(props, V.CG + "end", what))
        except ValueError:
            raise self.fail(f"{what}: cg:start and cg:end are integers") from None
        if start < 0 or end < start:
            raise self.fail(f"{what}: offsets {start}–{end} are not a span")
        return Evidence(source_id="source:" + hex_, quote=str(quote), start=start, end=end,
                        language=self.lang(getattr(quote, "language", None), what),
                        verified=(verified or "true") in ("true", "1"))

    def recorded(self, props, what: str) -> Recorded | None:
        at = self.text(props, V.PROV + "generatedAtTime", what, required=False)
        by = self.text(props, V.CG + "recordedBy", what, required=False)
        return Recorded(at=at, by=by, document=self.doc.name) if at and by else None

    def claim(self, c, props) -> None:
        what = f"claim <{c}>"
        graph = self.one(props, V.CG + "assertion", what)
        prop_iri = self.one(props, V.CG + "states", what)
        # in its own graph (TriG, N-Quads, JSON-LD), or reified in the one graph (Turtle)
        described = self.doc.subjects(graph).get(prop_iri) or self.default.get(prop_iri, {})
        named = {str(k): v for k, v in described.items()}
        if not named:
            raise self.fail(f"{what}: its graph <{graph}> does not describe <{prop_iri}>")
        pwhat = f"proposition <{prop_iri}> of {what}"
        obj: str | ObjectValue | None = None
        kinds = [k for k in ("object", "objectDate", "objectValue", "objectText") if V.CG + k in named]
        if len(kinds) > 1:
            raise self.fail(f"{pwhat}: more than one object ({', '.join(kinds)})")
        if kinds == ["object"]:
            obj = self.entity_ref(self.one(named, V.CG + "object", pwhat))
        elif kinds == ["objectDate"]:
            obj = ObjectValue(date=self.date(named, V.CG + "objectDate", pwhat))
        elif kinds == ["objectValue"]:
            unit = self.text(named, V.CG + "objectUnit", pwhat, required=False)
            obj = ObjectValue(value=self.number(named, V.CG + "objectValue", pwhat), unit=unit)
        elif kinds == ["objectText"]:
            obj = ObjectValue(text=self.text(named, V.CG + "objectText", pwhat))
        predicate = self.under(self.one(named, V.CG + "predicate", pwhat), V.PREDICATE, pwhat, "predicate")
        if not PREDICATE_RE.match(predicate):
            raise self.fail(f"{pwhat}: {predicate!r} is not a predicate")
        conf = self.text(props, V.CG + "confidence", what, required=False)
        self.plan.claims.append(ImportClaim(
            what=what, claimant=self.entity_ref(self.one(props, V.PROV + "wasAttributedTo", what)),
            subject=self.entity_ref(self.one(named, V.CG + "subject", pwhat)), predicate=predicate, object=obj,
            quantity=self.number(named, V.CG + "quantity", pwhat, required=False),
            unit=self.text(named, V.CG + "unit", pwhat, required=False),
            due=self.date(named, V.CG + "due", pwhat, required=False),
            valid_from=self.date(named, V.CG + "validFrom", pwhat, required=False),
            valid_to=self.date(named, V.CG + "validTo", pwhat, required=False),
            stated=self.date(props, V.CG + "stated", what) or "",
            channel=self.choice(self.one(props, V.CG + "channel", what), V.CHANNEL, what, "channel", Channel),
            modality=self.choice(self.one(props, V.CG + "modality", what), V.MODALITY, what, "modality", Modality),
            evidence=self.evidence(what, props), confidence=float(conf) if conf is not None else None,
            extractor=self.text(props, V.CG + "extractor", what, required=False),
            recorded=self.recorded(props, what),
            declared_proposition="prop:" + self.under(prop_iri, V.PROPOSITION, what, "proposition"),
            declared_claim="claim:" + self.under(c, V.CLAIM, what, "claim")))

    def number(self, props, pred: str, what: str, required: bool = True):
        value = self.one(props, pred, what, required)
        if value is None:
            return None
        try:
            text = str(value).strip()
            if str(getattr(value, "datatype", "") or "").endswith("#integer"):
                return int(text)
            return number(float(text))
        except (ValueError, AttributeError):
            raise self.fail(f"{what}: <{pred}> is not a number: {str(value)!r}") from None

    def resolution(self, r, props) -> None:
        what = f"resolution <{r}>"
        self.plan.resolutions.append(ImportResolution(
            what=what, proposition="prop:" + self.under(self.one(props, V.CG + "resolves", what), V.PROPOSITION,
                                                        what, "proposition"),
            verdict=self.choice(self.one(props, V.CG + "verdict", what), V.VERDICT, what, "verdict", Verdict),
            known=self.date(props, V.CG + "known", what) or "", evidence=self.evidence(what, props),
            recorded=self.recorded(props, what)))
