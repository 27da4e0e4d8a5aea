"""The rule-based extractor for German and English news reports.

Sentence by sentence it finds the entities (gazetteer, database, type cues), who says
what (``attribution``), the predicates said and their arguments (``candidates``), and
scores each candidate with the learned model (``scorer``). Candidates below the
model's threshold (or ``min_confidence``) are not emitted. What the report states in
its own voice becomes a claim of the publisher. Every quote is an exact span of the text.

Bounds: at most ``text.MAX_SENTENCES`` sentences of at most ``text.MAX_SENTENCE_CHARS``
characters are mined, and at most ``MAX_CANDIDATES`` candidates are kept per article.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from claimgraph.schema.text import alias_key

from .article import Article, detect_language
from .attribution import Attribution, attribute
from .candidates import Candidate, Statement, statement_candidates
from .dates import dates
from .discourse import Context, Sentence
from .gazetteer import Gazetteer, entity_slug
from .names import find_unknown
from .resolutions import not_released
from .scorer import Model, shipped_model
from .text import is_heading, quotations, sentences, tokens

VERSION = "rule-extractor@2"
#: candidates kept per article, whatever its length
MAX_CANDIDATES = 5000


class UnsupportedLanguage(ValueError):
    """The article is not in German or English, or its language cannot be told."""


def article_language(article: Article) -> str:
    """``de`` or ``en``: given, or detected; anything else raises UnsupportedLanguage."""
    language = article.language
    if not language:
        language, share = detect_language(article.text)
        if language is None or share < 0.4:
            raise UnsupportedLanguage("cannot tell the article's language (give --language de or en)")
    language = language.split("-")[0].lower()
    if language not in ("de", "en"):
        raise UnsupportedLanguage(f"the article is in {language!r}; the rule-based extractor reads "
                                  "German (de) and English (en) only")
    return language


def publication_date(article: Article) -> dt.date:
    """The publication date as a day (a month or year given: its first day; none: today)."""
    if not article.published:
        return dt.date.today()
    value = str(article.published)
    return dt.date.fromisoformat(value if len(value) == 10 else (value + "-01-01")[:10])


@dataclass
class Extraction:
    """Everything found in one article: scored candidates (best first per duplicate
    group removed), resolutions and the names used."""
    article: Article
    context: Context
    candidates: list[Candidate] = field(default_factory=list)
    resolutions: list[dict] = field(default_factory=list)

    def kept(self, min_confidence: float) -> list[Candidate]:
        """Candidates at or above ``min_confidence``, in text order."""
        return [c for c in self.candidates if c.claim["confidence"] >= min_confidence]

    def claim_file(self, min_confidence: float) -> dict:
        """The claim file (as a dict) of the candidates at or above ``min_confidence``."""
        ctx, article = self.context, self.article
        claims = [c.claim for c in self.kept(min_confidence)]
        used = dict.fromkeys(eid for c in claims for eid in (c["claimant"], c["subject"], c.get("object"))
                             if isinstance(eid, str))
        entities = [ctx.gazetteer.entity(eid, article.publisher if eid == ctx.publisher else None) for eid in used]
        source = {"text": ctx.text, **article.meta(), "language": ctx.language}
        if article.published is None:
            source["published"] = ctx.published.isoformat()
        resolutions = [r for r in self.resolutions if any(c["subject"] == r["subject"] for c in claims)]
        return {"source": source, "extractor": VERSION, "entities": entities, "claims": claims,
                "resolutions": resolutions}


#: "SAN FRANCISCO, Feb 18 (Meridian Wire Service) - ", "Brüssel (eta) – ": where and who, not a statement
DATELINE = re.compile(r"[A-ZÄÖÜ][\w.'/-]*(?:[ ,]+[\w.'/-]+){0,5}\s*\([^()\n]{1,40}\)\s*[-–—]\s+")


def _sentence(ctx: Context, index: int, span: tuple[int, int]) -> Sentence:
    a, b = span
    dateline = DATELINE.match(ctx.text, a, b) if index < 5 else None
    if dateline:
        a = dateline.end()
    toks = tokens(ctx.text, a, b)
    mentions = ctx.gazetteer.find(ctx.text, a, b, toks)
    mentions += find_unknown(ctx.text, span, mentions, gazetteer=ctx.gazetteer, language=ctx.language)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        ctx.gazetteer.learn_surname(m)
    return Sentence(ctx.text, a, b, [t[0].lower() for t in toks], mentions, quotations(ctx.text, a, b), index)


def _key(c: Candidate) -> tuple:
    return c.claim["claimant"], c.claim["subject"], c.claim["predicate"], str(c.claim.get("object"))


def _deduplicated(candidates: list[Candidate], publisher: str | None) -> list[Candidate]:
    """One candidate per claim: the same claimant, subject, predicate and object over
    overlapping spans (the best scored stays). The report restating itself adds nothing:
    of the publisher's repeated claims the first statement stays, with the best
    confidence any of them has."""
    best: dict[tuple, float] = {}
    for c in candidates:
        if c.claim["claimant"] == publisher:
            best[_key(c)] = max(best.get(_key(c), 0.0), c.claim["confidence"])
    spans: dict[tuple, list[tuple[int, int]]] = {}
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, c.end) if c.claim["claimant"] == publisher
                    else (-c.claim["confidence"], c.start)):
        key = _key(c)
        seen = spans.setdefault(key, [])
        if (key[0] == publisher and seen) or any(c.start < b and a < c.end for a, b in seen):
            continue
        if key[0] == publisher:
            c.claim["confidence"] = best[key]
        seen.append((c.start, c.end))
        kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def _best_subjects(candidates: list[Candidate]) -> list[Candidate]:
    """Of the candidates of one statement and predicate, the alternative subjects stay
    only where one scores above every subject the rules chose."""
    slots: dict[str, list[Candidate]] = {}
    for c in candidates:
        slots.setdefault(c.claim["predicate"], []).append(c)
    out = []
    for group in slots.values():
        chosen = [c for c in group if c.primary]
        others = [c for c in group if not c.primary]
        top = max((c.claim["confidence"] for c in chosen), default=-1.0)
        better = [c for c in others if c.claim["confidence"] > top]
        out += ([max(better, key=lambda c: c.claim["confidence"])] if better else chosen)
    return [c for c in candidates if c in out]


class RuleExtractor:
    """German and English news articles to candidate claims (see the module docstring)."""
    name = VERSION

    def __init__(self, model: Model | None = None, min_confidence: float | None = None):
        self.model = model or shipped_model()
        self.min_confidence = self.model.threshold if min_confidence is None else min_confidence

    def run(self, article: Article, known: dict[str, str] | None = None) -> Extraction:
        """Every candidate of an article, scored (nothing is filtered yet)."""
        language = article_language(article)
        gazetteer = Gazetteer(known)
        publisher = None
        if article.publisher:
            publisher = gazetteer.keys.get(alias_key(article.publisher)) or f"org:{entity_slug(article.publisher)}"
            gazetteer.add(publisher, article.publisher)
        ctx = Context(article.text, language, publication_date(article), publisher, gazetteer)
        found = Extraction(article, ctx)
        spans = sentences(ctx.text)
        ahead: dict[int, Sentence] = {}

        def sentence_at(index: int) -> Sentence | None:  # read ahead for a speaker named later
            if index >= len(spans) or index > ahead_limit[0] + 3:
                return None
            if index not in ahead:
                ahead[index] = _sentence(ctx, index, spans[index])
            return ahead[index]

        ahead_limit = [0]
        ctx.sentence_at = sentence_at
        previous: list[tuple[Statement, list[Candidate]]] = []
        for index, span in enumerate(spans):
            ahead_limit[0] = index
            s = ahead.pop(index, None) or _sentence(ctx, index, span)
            ctx.memory.affiliate(s.mentions)
            if not is_heading(ctx.text, s.start, s.end):  # headlines and bylines are not claims
                previous = self._read(ctx, s, found, previous)
            days = [d for d in dates(ctx.text, s.start, s.end, ctx.published, ("point",)) if len(d.value) == 10]
            if days:
                ctx.memory.last_date = dt.date.fromisoformat(days[-1].value)
            ctx.memory.saw(s.mentions)
            resolution = not_released(ctx, s, [c.claim for c in found.candidates])
            if resolution and resolution not in found.resolutions:
                found.resolutions.append(resolution)
            if len(found.candidates) >= MAX_CANDIDATES:
                break
        found.candidates = _deduplicated(found.candidates, publisher)
        return found

    def _score(self, ctx: Context, st: Statement, found: Extraction) -> list[Candidate]:
        candidates = statement_candidates(st)
        for c in candidates:
            c.claim["confidence"] = self.model.confidence(c.features)
        candidates = _best_subjects(candidates)
        found.candidates += candidates
        primary = [c for c in candidates if c.primary]
        if primary:
            best = max(primary, key=lambda c: c.claim["confidence"])
            ctx.memory.about(best.claim["subject"], best.claim.get("object"))
            ctx.memory.last_claims[st.attribution.claimant] = (st.sentence.index, best.claim)
        return candidates

    def _read(self, ctx: Context, s: Sentence, found: Extraction,
              previous: list[tuple[Statement, list[Candidate]]]) -> list[tuple[Statement, list[Candidate]]]:
        """Score the candidates of one sentence and remember what its best claims were
        about (the proposition a speaker goes on about, the model "it" refers to). A
        sentence that only attributes ("Das berichtete Bloomberg am Donnerstag.") gives
        the report's own statements of the sentence before to its speaker."""
        lead = s.start
        out = []
        for att in attribute(ctx, s):
            if att.backward:
                for st, candidates in previous:
                    if not st.attribution.own:
                        continue
                    for c in candidates:
                        found.candidates.remove(c)
                    moved = Attribution(att.claimant, "according", "backward", att.cue_start, att.cue_end,
                                        st.attribution.start, st.attribution.end)
                    again = Statement(ctx, st.sentence, moved, st.mentions, st.words, att.cue_start)
                    out.append((again, self._score(ctx, again, found)))
                continue
            mentions = [m for m in s.within(att.start, att.end)  # a source cited inside is no argument
                        if att.rule != "according" or not att.cue_start <= m.start < att.cue_end]
            st = Statement(ctx, s, att, mentions, s.words_in(att.start, att.end), lead)
            lead = max(lead, att.end, att.cue_end)
            out.append((st, self._score(ctx, st, found)))
        return out

    def extract(self, article: Article, known: dict[str, str] | None = None) -> dict:
        """A claim file (as a dict) of the candidates at or above the minimum confidence."""
        return self.run(article, known).claim_file(self.min_confidence)
