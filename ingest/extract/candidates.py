"""Candidate claims of one statement: predicates by their triggers, subject and object
by the predicate's argument rule, when it was said, channel, modality, due date and
quantity. Each candidate keeps the features its confidence is computed from and the
fields a reviewer should check.

Arguments are looked for in the trigger's own clause first (``clauses``): a relative
clause refers to its antecedent, a clause naming nobody of the right kind takes the
statement's names, then what the statement refers back to ("it", "das Modell", "the
company", "wir"), then what the article is about.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .attribution import Attribution
from .clauses import Clause, clause_of, clauses
from .cues import (
    ATTRIBUTIVE,
    CHANNEL,
    DEMONSTRATIVE,
    FIRST_PERSON,
    FIRST_PLURAL,
    FORWARD,
    MODALITY,
    NEWS_OUTLETS,
    NOT_RELEASED,
    ORG_REFERENCE,
    PASSIVE_AGENT,
    THING_REFERENCE,
)
from .dates import DateMention, anchored, dates
from .discourse import Context, Said, Sentence
from .gazetteer import Mention
from .lexicon import Hit
from .numbers import quantity
from .predicates import LEXICON, OPEN_RULE, OVERRIDES, RULES, ArgRule

_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|wurde|wurden|worden|wird|werden)\b", re.IGNORECASE)
_PAST_RELEASE = re.compile(r"\b(?:released|launched|unveiled|debuted|introduced|arrived|shipped|rolled out|came out|"
                           r"went live|made available|is now available|are now available|now available|"
                           r"is available|was available|are available|were available|veröffentlichte|"
                           r"veröffentlicht|erschien|erschienen|vorgestellt|stellte|startete|gestartet|eingeführt|"
                           r"präsentierte|präsentiert|ist (?:jetzt |nun |ab sofort )?verfügbar|seit|ab sofort|"
                           r"is rolling out|rolls out|is out)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|would|soll|sollen|solle|werde|werden|wird|würde|plan\w*|geplant|bis|by|later|"
                     r"später|next|nächste\w*|kommende\w*|coming|upcoming|Ende|end of)\b", re.IGNORECASE)
_COORDINATION = re.compile(r"^\s*(?:,|und|and|sowie|or|oder|&|, and|, und)\s*(?:the\s+|die\s+|der\s+)?$", re.IGNORECASE)
#: an org or person directly before another name qualifies it ("OpenAI GPT-4", "Google's Gemini"); an
#: article between starts a noun phrase of its own („hatte Mistral das Sprachmodell Mistral Large vorgestellt“)
_POSSESSIVE = re.compile(r"^(?:['’]s?|s)?\s*(?:(?!(?:das|die|der|den|dem|des|ein|eine|einen|einem|the|a|an)\s)"
                         r"[\w-]+\s+){0,2}$", re.IGNORECASE)
#: a name after these words is what something succeeds or follows, not the subject
_SUCCEEDED = re.compile(r"\b(?:Nachfolger|Nachfolgemodell|successor|successors|follow-up|Vorgänger|predecessor)\s+"
                        r"(?:\w+\s+){0,3}$", re.IGNORECASE)
_DUE_PREDICATES = {"release", "buys", "builds", "develops", "open_source", "invests_in", "raises_funding",
                   "acquires", "trained_on", "delay", "supplies", "partners_with", "uses", "ships", "spends",
                   "reaches", "leaves", "joins", "predicts", "revenue", "loses", "goes_public", "expands"}
_PROMISABLE = _DUE_PREDICATES | {"open_source", "pays", "signs", "publishes", "fixes", "pauses", "restructures",
                                 "focuses_on", "leads", "remove_from_roadmap"}
#: predicates whose trigger carries its own negation ("nicht rechtzeitig", "no longer")
_NEGATIVE = {"delay", "remove_from_roadmap"}


@dataclass
class Candidate:
    """A candidate claim: the claim-file fields, its quote span, the features its
    confidence is computed from, and notes on fields a reviewer should check."""
    claim: dict
    start: int
    end: int
    features: dict[str, float] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    primary: bool = True  # False for an alternative subject the scorer weighs


@dataclass
class Arguments:
    """A predicate's resolved subject and object, how the subject was found and where
    it is named (None when it is not named in the statement)."""
    subject: str
    object: str | None
    via: str
    found_by: str
    position: int | None = None


@dataclass
class Statement:
    """One attributed statement being turned into candidates."""
    ctx: Context
    sentence: Sentence
    attribution: Attribution
    mentions: list[Mention]
    words: list[str]
    lead: int = -1  # where the words before the attribution that belong to no other statement start
    parts: list[Clause] = field(default_factory=list)

    def __post_init__(self) -> None:
        att = self.attribution
        if self.lead < 0:
            self.lead = self.sentence.start
        self.parts = clauses(self.ctx.text, att.start, att.end, self.mentions, self.sentence.quotes,
                             self.ctx.language)

    def clause(self, pos: int) -> Clause:
        return clause_of(self.parts, pos)


# -- predicates -----------------------------------------------------------------------------
def predicate_hits(st: Statement) -> list[Hit]:
    """Predicate triggers in the statement, minus those a more telling one in the same
    clause overrides; one hit per predicate and clause."""
    att = st.attribution
    found = LEXICON[st.ctx.language].hits(st.ctx.text, att.start, att.end, st.words)
    # a trigger inside a longer one of another predicate says less ("outperforming anything")
    hits = [h for h in found if not any(k.name != h.name and k.start <= h.start and h.end <= k.end
                                        and k.end - k.start > h.end - h.start for k in found)]
    by_clause: dict[int, list[Hit]] = {}
    for h in hits:
        by_clause.setdefault(st.clause(h.start).start, []).append(h)
    out: list[Hit] = []
    for group in by_clause.values():
        names = {h.name for h in group}
        for h in group:
            if OVERRIDES.get(h.name, set()) & names or any(k.name == h.name for k in out if
                                                            st.clause(k.start) == st.clause(h.start)):
                continue
            out.append(h)
    return sorted(out, key=lambda h: h.start)


def _specific(predicate: str, args: Arguments, st: Statement, modality: str, hit: Hit) -> str:
    """release -> released for a past fact; buys of a company -> acquires; builds of a model -> develops."""
    obj_kind = args.object.split(":")[0] if args.object else None
    c = st.clause(hit.start)
    if predicate == "release" and modality == "asserted" and _PAST_RELEASE.search(st.ctx.text, c.start, c.end) \
            and not _FUTURE.search(st.ctx.text, c.start, c.end):
        return "released"
    if predicate == "buys" and obj_kind in ("org", "product"):
        return "acquires"
    if predicate == "builds" and obj_kind == "model":
        return "develops"
    return predicate


# -- arguments ------------------------------------------------------------------------------
def _qualifier(st: Statement, m: Mention) -> bool:
    """An org or person directly before another name qualifies it ("OpenAI GPT-4")."""
    if m.kind not in ("org", "person"):
        return False
    text = st.ctx.text
    for other in st.sentence.mentions:
        if other.start >= m.end and other.start - m.end <= 25 and other.kind in ("model", "product", "hardware"):
            return bool(_POSSESSIVE.match(text[m.end:other.start]))
    return False


def _free(st: Statement, m: Mention) -> bool:
    """An agent after "von"/"of"/"an" is an attribute or object; a thing stays a subject
    ("die Veröffentlichung von Grok 3"); what something succeeds is not its subject; a
    name qualifying the next one is not an argument."""
    before = st.ctx.text[max(0, m.start - 40):m.start]
    if _SUCCEEDED.search(before) or _qualifier(st, m):
        return False
    return m.kind not in ("org", "person") or not ATTRIBUTIVE.search(before[-14:])


def _passive_agent(st: Statement, allowed: list[Mention], c: Clause) -> Mention | None:
    if not _PASSIVE.search(st.ctx.text, c.start, c.end):
        return None
    for m in allowed:
        if PASSIVE_AGENT.search(st.ctx.text[max(0, m.start - 10):m.start]):
            return m
    return None


def _coordinated(st: Statement, first: Mention, pool: list[Mention]) -> list[Mention]:
    """``first`` and the names of its kind coordinated with it, before and after ("von
    Google und OpenAI", "Scout und Maverick")."""
    out = [first]
    for m in reversed(pool):
        if m.end < out[0].start and m.kind == first.kind and _COORDINATION.match(st.ctx.text[m.end:out[0].start]):
            out.insert(0, m)
    for m in pool:
        if m.start > out[-1].end and m.kind == first.kind and _COORDINATION.match(st.ctx.text[out[-1].end:m.start]):
            out.append(m)
    return out


def _pick_subjects(st: Statement, rule: ArgRule, hit: Hit, pool: list[Mention], c: Clause | None) -> \
        tuple[list[Mention], str]:
    allowed = [m for m in pool if m.kind in rule.subject]
    if c is not None:
        agent = _passive_agent(st, allowed, c)
        if agent:  # "gegründet von Rombach, Blattmann und Esser": each agent of the list
            return _coordinated(st, agent, [m for m in allowed if m.kind == agent.kind]), "passive"
    free = [m for m in allowed if _free(st, m)]
    if not free:  # "die Teamgröße von xAI", "the valuation of OpenAI": whose the trigger noun is
        free = [m for m in allowed if m.start >= hit.end and _OF_TRIGGER.fullmatch(st.ctx.text, hit.end, m.start)]
    if rule is OPEN_RULE:
        first = [m for m in free if m.id != st.attribution.claimant]
        return (_coordinated(st, first[0], allowed), "named") if first else ([], "")
    if rule.head_first:
        before = [m for m in free if m.start < hit.start]
        return ([before[-1]], "named") if before else ([], "")
    for kind in rule.subject:
        of_kind = [m for m in free if m.kind == kind]
        if of_kind:
            return _coordinated(st, of_kind[0], [m for m in allowed if m.kind == kind]), "named"
    return [], ""


def _named_subjects(st: Statement, rule: ArgRule, hit: Hit) -> tuple[list[Mention], str]:
    """Subjects named in the trigger's clause, its antecedent, or elsewhere in the statement."""
    c = st.clause(hit.start)
    local = [m for m in st.mentions if c.start <= m.start < c.end]
    found, via = _pick_subjects(st, rule, hit, local, c)
    if found and found[0].kind in ("org", "person") and any(k in rule.subject for k in ("model", "product")) \
            and _THING_NP.search(st.ctx.text, c.start, c.end):
        return [], ""  # "OpenAI hatte das … ausgelegte Modell vorgestellt": the model referred to
    if found:
        return found, via
    if c.antecedent is not None and c.antecedent.kind in rule.subject:
        return [c.antecedent], "antecedent"
    if _reference_in(st, c, hit):
        return [], ""
    rest = [m for m in st.mentions if not c.start <= m.start < c.end]
    found, _ = _pick_subjects(st, rule, hit, rest, None)
    return found, ("statement" if found else "")


_OF_TRIGGER = re.compile(r"\s+(?:von|vom|of|des|der)\s+(?:the\s+|dem\s+|den\s+)?", re.IGNORECASE)
#: a definite description of a model or product ("das auf Schlussfolgern ausgelegte Modell")
_THING_NP = re.compile(r"\b(?:das|dem|des|the|this|dieses|diesem)\s+(?:[\w-]+\s+){0,5}?(?:Modell|Modells|model|"
                       r"Sprachmodell|KI-Modell|Chip|chip|chips|Chips|Produkt|product|Dienst|service|Assistent|"
                       r"assistant|app|App)\b")
_REFERENCE_START = re.compile(r"^\W*(?:(?:und|and|aber|but|doch|dass|that|ob|whether|weil|because|da|wenn|when|"
                              r"nachdem|after|while|während|also|auch|now|nun|jetzt|then|dann)\s+)*"
                              r"(?:it|its|es|sie|they|er|he|she|das Modell|the model|the company|das Unternehmen|"
                              r"der Konzern|the firm|this|dies|diese[sr]?|these|the new model|das neue Modell|"
                              r"the chips?|die Chips|der Chip)\b", re.IGNORECASE)


def _reference_in(st: Statement, c: Clause, hit: Hit) -> bool:
    """The clause's subject is a pronoun or description referring back ("it would …")."""
    return bool(_REFERENCE_START.match(st.ctx.text, c.start, hit.start + 1))


def _speaker_itself(st: Statement, rule: ArgRule, hit: Hit) -> str | None:
    """"I will …", "kündigte an, … zu verlassen": the speaker; "we", "wir": the
    speaker's organisation (or the speaking organisation itself)."""
    att, text = st.attribution, st.ctx.text
    if att.own:
        return None
    kind = att.claimant.split(":")[0]
    c = st.clause(hit.start)
    if FIRST_PLURAL.search(text, c.start, hit.start + 1) and "org" in rule.subject:
        org = att.claimant if kind == "org" else st.ctx.memory.affiliation.get(att.claimant)
        if org:
            return org
    if kind not in rule.subject:
        return None
    first_person = FIRST_PERSON.search(text, c.start, hit.start + 1)
    return att.claimant if first_person or rule.fallback == "none" else None


def _referred_thing(st: Statement, rule: ArgRule, hit: Hit) -> str | None:
    """"it", "das Modell": the model or product named earlier in the sentence, else
    the one the last claims were about."""
    ctx = st.ctx
    if not any(k in rule.subject for k in ("model", "product", "hardware")):
        return None
    c = st.clause(hit.start)
    if not THING_REFERENCE.search(ctx.text, c.start, max(hit.end, c.end)) and \
            not _THING_NP.search(ctx.text, c.start, c.end):
        return None
    things = [m.id for m in st.sentence.mentions if m.start < c.start and m.kind in ("model", "product")
              and _free(st, m)]
    return things[0] if things else ctx.memory.topic or ctx.memory.last_thing


def _speaking_org(st: Statement, rule: ArgRule, hit: Hit) -> str | None:
    """An organisation speaking about itself, a person speaking for the organisation
    named beside them, "the company" (also "das erst 2023 gegründete Unternehmen")
    referring back, or, for a figure the report states without naming whose it is
    ("Revenue reached $30 billion"), the organisation the report is about."""
    ctx, att = st.ctx, st.attribution
    if "org" not in rule.subject:
        return None
    if att.claimant.startswith("org:") and not att.own:
        return att.claimant
    if att.claimant.startswith("person:") and rule.subject[0] == "org" and att.claimant in ctx.memory.affiliation:
        return ctx.memory.affiliation[att.claimant]  # "Telekom-Chef Höttges: das Zentrum solle …"
    c = st.clause(hit.start)
    figure = rule.quantity and rule.subject[0] == "org" and bool(_DIGIT.search(ctx.text, c.start, c.end))
    if ORG_REFERENCE.search(ctx.text, c.start, hit.start + 1) or figure or \
            _ORG_NP.search(ctx.text, st.attribution.start, max(hit.start + 1, c.end)):
        memory = ctx.memory  # "Revenue reached $30 billion": the organisation the report is about
        orgs = [eid for eid in memory.mentioned if eid.startswith("org:") and eid not in NEWS_OUTLETS
                and eid != ctx.publisher]
        return max(orgs, key=lambda eid: memory.mentioned[eid], default=None)
    return None


_DIGIT = re.compile(r"\d")


#: a description of an organisation ("das erst im Frühjahr gegründete Unternehmen", "the San Francisco company")
_ORG_NP = re.compile(r"\b(?:das|der|die|the|its|seine|ihre)\s+(?:[\w-]+\s+){0,5}?(?:Unternehmen|Konzern|"
                     r"Start-up|Startup|Firma|Chipkonzern|Techkonzern|company|firm|start-?up|chipmaker|group)\b")


def _topic(st: Statement, rule: ArgRule, hit: Hit) -> str | None:
    """The model or product the article is talking about."""
    memory = st.ctx.memory
    return memory.topic or memory.last_thing if rule.fallback == "thing" and "model" in rule.subject else None


#: tried in order when a statement names no subject of the right kind
SUBJECT_FALLBACKS: list[tuple[str, Callable[[Statement, ArgRule, Hit], str | None]]] = [
    ("claimant", _speaker_itself), ("reference", _referred_thing), ("claimant", _speaking_org),
    ("memory", _topic)]


def _fallback_subject(st: Statement, rule: ArgRule, hit: Hit) -> tuple[str | None, str]:
    for via, fallback in SUBJECT_FALLBACKS:
        if via != "claimant" and rule.fallback == "none":
            break
        found = fallback(st, rule, hit)
        if found:
            return found, via
    return None, ""


def _objects(st: Statement, rule: ArgRule, subjects: set[str], hit: Hit) -> list[str | None]:
    allowed = [m for m in st.mentions if m.kind in rule.object and m.id not in subjects and not _qualifier(st, m)]
    if not allowed:
        return [None]
    c = st.clause(hit.start)
    local = [m for m in allowed if c.start <= m.start < c.end]
    after = [m for m in local if m.start >= hit.start] or local or [m for m in allowed if m.start >= hit.start]
    pool = after or allowed
    if rule.many:
        return list(dict.fromkeys(m.id for m in pool))
    return [pool[0].id]


def arguments(st: Statement, predicate: str, hit: Hit) -> list[Arguments]:
    """Subject/object pairs of one predicate trigger (one per coordinated subject and,
    for comparisons and partnerships, per object)."""
    rule = RULES.get(predicate, OPEN_RULE)
    named, via = _named_subjects(st, rule, hit)
    subjects: list[tuple[str, str, int | None]]
    if named:
        subjects = [(m.id, m.found_by, m.start) for m in named]
    else:
        fallback, via = _fallback_subject(st, rule, hit)
        subjects = [(fallback, "memory", None)] if fallback else []
    out = []
    chosen = {s for s, _, _ in subjects}
    for subject, found_by, position in subjects:
        for obj in _objects(st, rule, chosen, hit):
            out.append(Arguments(subject, obj, via, found_by, position))
    return out + _alternatives(st, rule, chosen, hit)


def _alternatives(st: Statement, rule: ArgRule, chosen: set[str], hit: Hit) -> list[Arguments]:
    """Other entities of an allowed kind as alternative subjects (the scorer weighs them)."""
    out = []
    seen = set(chosen)
    for m in st.mentions:
        if m.kind in rule.subject and m.id not in seen and m.id != st.attribution.claimant and _free(st, m):
            seen.add(m.id)
            out.append(Arguments(m.id, None, "alternative", m.found_by, m.start))
    return out[:2]


# -- when, where, how -----------------------------------------------------------------------
def _said_when(st: Statement) -> list[DateMention]:
    """Dates of the attribution words, nearest the verb first; then those of the words
    leading up to them ("Speaking … last Thursday, Musk called …"), of the rest of the
    sentence before the statement ("Als Meta am Samstag … veröffentlichte, hieß es …")
    and of the statement's first words ("warned the next day of charges"). A date
    inside the statement is what it is about, not when it was said; a bare year outside
    the attribution words is too."""
    ctx, att, s = st.ctx, st.attribution, st.sentence

    def found_in(a: int, b: int) -> list[DateMention]:
        out = dates(ctx.text, a, b, ctx.published, ("point",))
        if ctx.memory.last_date:
            out += anchored(ctx.text, a, b, ctx.memory.last_date)
        return out

    cue = [d for d in found_in(att.cue_start, att.cue_end) if not att.start <= d.start < att.end]
    if cue:
        return sorted(cue, key=lambda d: d.start)
    outside = [d for d in found_in(s.start, att.cue_start) if not att.start <= d.start < att.end and
               not _BARE_YEAR.fullmatch(ctx.text, d.start, d.end)]
    lead = [d for d in outside if d.start >= st.lead]
    if lead or outside:
        return sorted(lead or outside, key=lambda d: -d.start)
    head = min(att.end, att.start + 30)
    return [d for d in found_in(att.start, head) if not _BARE_YEAR.fullmatch(ctx.text, d.start, d.end)]


_BARE_YEAR = re.compile(r"\s*(?:19|20)\d\d")


def _stated(st: Statement, channel: str | None) -> tuple[str, str]:
    """(stated, how it was found): the date in the attribution words, carried over from
    the same speaker, or the publication date."""
    ctx, att = st.ctx, st.attribution
    if att.own:
        return ctx.published.isoformat(), "publisher"
    points = _said_when(st)
    said = ctx.memory.said.get(att.claimant)
    index = st.sentence.index
    if points:
        ctx.memory.said[att.claimant] = Said(points[0].value, channel, index)
        return points[0].value, "explicit"
    if said and (att.rule == "continued" or channel in (None, "press_report") or said.channel == channel
                 or (said.channel is None and index - said.sentence <= 2)):
        said.sentence = index
        return said.stated, "carried"
    last = ctx.memory.last_date
    if last and _PAST_SAY.search(att.verb or "") and 0 <= (ctx.published - last).days <= 6:
        ctx.memory.said.setdefault(att.claimant, Said(last.isoformat(), channel, index))
        return last.isoformat(), "event"  # "said", after the day the report is about was named
    ctx.memory.said.setdefault(att.claimant, Said(ctx.published.isoformat(), channel, index))
    return ctx.published.isoformat(), "default"


_PAST_SAY = re.compile(r"\b(?:\w+ed|said|told|wrote|sagte\w*|erklärte\w*|teilte\w*|betonte\w*|schrieb\w*|"
                       r"kündigte\w*|nannte\w*|bestätigte\w*|gab)\b", re.IGNORECASE)


def _channel(st: Statement) -> str:
    ctx, att = st.ctx, st.attribution
    if att.own:
        return "press_report"
    if att.claimant.startswith("org:") and att.rule == "according" and att.via == "name" and \
            att.claimant in OUTLETS(ctx):
        return "press_report"
    region = (min(st.lead, att.cue_start, att.start), max(att.cue_end, att.end))
    hit = CHANNEL.by_priority(ctx.text, region[0], region[1], st.sentence.words_in(*region))
    return hit.name if hit else "other"


def OUTLETS(ctx: Context) -> set[str]:
    """Ids of news outlets known to the gazetteer (they report, they do not act)."""
    return {eid for eid in ctx.gazetteer.names if eid in _OUTLET_IDS}


_OUTLET_IDS = NEWS_OUTLETS


def _modality(st: Statement, predicate: str, hit: Hit) -> str:
    """The modality of the trigger's clause: a negation, hedge or forecast there, else
    what the verb of saying or intention says ("verspricht", "plans", "hofft"), else
    the clause's future or wish; asserted when nothing marks it."""
    ctx, att = st.ctx, st.attribution
    lexicon = MODALITY[ctx.language]
    c = st.clause(hit.start)
    local = [h for h in lexicon.hits(ctx.text, c.start, c.end, st.sentence.words_in(c.start, c.end))
             if not (predicate in _NEGATIVE and h.name == "denied" and hit.start <= h.start < hit.end + 12)]
    found = {h.name for h in local}
    verb = att.verb and lexicon.first(att.verb, 0, len(att.verb), att.verb.lower().split())
    name: str | None = next((n for n in ("denied", "hedged") if n in found), None)
    if name is None and verb:
        name = verb.name
    if name is None:
        name = next((n for n in lexicon.names if n in found), "asserted")
    if name == "promised" and (predicate not in _PROMISABLE or att.own):
        return "predicted"
    return name


def _due(st: Statement, modality: str, reference: str, predicate: str, hit: Hit) -> str | None:
    if modality not in FORWARD or predicate not in _DUE_PREDICATES:
        return None
    ctx, att = st.ctx, st.attribution
    ref = ctx.published if len(reference) < 4 else \
        dt.date(int(reference[:4]), int(reference[5:7]) if len(reference) >= 7 else 7, 1)
    c = st.clause(hit.start)
    dues = dates(ctx.text, c.start, c.end, ref, ("due",)) or dates(ctx.text, att.start, att.end, ref, ("due",))
    return dues[0].value if dues else None


# -- candidates -----------------------------------------------------------------------------
@dataclass
class Facts:
    """What is known about one statement before its predicates are read."""
    channel: str
    stated: str
    stated_via: str


def _position_features(st: Statement, predicate: str, args: Arguments, hit: Hit) -> dict[str, float]:
    """Where the subject stands relative to the trigger, and what kind it is for the predicate."""
    rule = RULES.get(predicate, OPEN_RULE)
    kind = args.subject.split(":")[0]
    out = {"subject_preferred_kind": float(bool(rule.subject) and kind == rule.subject[0]),
           "subject_allowed_kind": float(kind in rule.subject)}
    if args.position is not None:
        c = st.clause(hit.start)
        out["subject_in_clause"] = float(c.start <= args.position < c.end)
        out["subject_before_trigger"] = float(args.position < hit.start)
        out["subject_distance"] = min(abs(hit.start - args.position), 150) / 150
    return out


def _features(st: Statement, predicate: str, args: Arguments, facts: Facts, hit: Hit) -> dict[str, float]:
    att = st.attribution
    claimant_kind = "publisher" if att.claimant == st.ctx.publisher else att.claimant.split(":")[0]
    name = predicate if predicate in RULES else "open"
    salience = st.ctx.memory.mentioned.get(args.subject, 0)
    clause = st.clause(hit.start)
    return {
        **_position_features(st, predicate, args, hit),
        f"{name}&claimant={claimant_kind}": 1.0, f"{name}&subject={args.subject.split(':')[0]}": 1.0,
        f"{name}&via={args.via}": 1.0, f"rule={att.rule}&via={att.via}": 1.0,
        "subject_salience": min(salience, 8) / 8, "trigger_length": min(hit.end - hit.start, 30) / 30,
        f"stated_precision={len(facts.stated)}": 1.0,
        f"rule={att.rule}": 1.0, f"via={att.via}": 1.0, f"claimant={claimant_kind}": 1.0,
        f"predicate={predicate if predicate in RULES else 'open'}": 1.0,
        f"subject_via={args.via}": 1.0, f"subject_kind={args.subject.split(':')[0]}": 1.0,
        f"subject_by={args.found_by}": 1.0, f"stated={facts.stated_via}": 1.0,
        f"channel={facts.channel}": 1.0, f"lang={st.ctx.language}": 1.0,
        "has_object": float(args.object is not None), "quoted": float(st.sentence.quoted(hit.start)),
        "lede": float(st.sentence.index == 0), "subject_is_claimant": float(args.subject == att.claimant),
        "mentions": min(len(st.mentions), 6) / 6,
        "clause_words": min(len(st.sentence.words_in(clause.start, clause.end)), 30) / 30,
        "clause_index": min(st.parts.index(clause), 4) / 4,
        "trigger_in_clause": min(hit.start - clause.start, 100) / 100,
        "trigger_capitalised": float(st.ctx.language == "en" and st.ctx.text[hit.start:hit.start + 1].isupper()),
        "demonstrative": float(bool(DEMONSTRATIVE.search(st.ctx.text[max(0, hit.start - 14):hit.start]))),
        "bias": 1.0,
    }


def _checks(st: Statement, args: Arguments, facts: Facts, predicate: str) -> list[str]:
    att = st.attribution
    notes = []
    if att.via in ("pronoun", "role", "inherited", "new_name", "spokesperson", "own_account"):
        notes.append(f"claimant: resolved by {att.via.replace('_', ' ')} ({att.rule})")
    if att.own and att.via == "unnamed":
        notes.append("claimant: unnamed sources, attributed to the publication")
    if args.via not in ("named", "passive"):
        notes.append(f"subject: not named in the quote ({args.via})")
    if args.found_by == "cue" or args.subject not in st.ctx.gazetteer.names:
        notes.append(f"subject: {args.subject} is a new entity")
    if facts.stated_via in ("default", "carried"):
        notes.append("stated: " + ("no date given, the publication date" if facts.stated_via == "default"
                                   else "carried over from an earlier statement of the speaker"))
    if predicate not in RULES:
        notes.append(f"predicate: open predicate {predicate!r}")
    return notes


def _claim(st: Statement, predicate: str, args: Arguments, facts: Facts, hit: Hit) -> dict:
    ctx, att = st.ctx, st.attribution
    modality = _modality(st, predicate, hit)
    claim: dict = {"claimant": att.claimant, "stated": facts.stated, "channel": facts.channel,
                   "subject": args.subject, "predicate": _specific(predicate, args, st, modality, hit)}
    if args.object:
        claim["object"] = args.object
    if RULES.get(predicate, OPEN_RULE).quantity:
        c = st.clause(hit.start)
        value, unit = quantity(ctx.text, c.start, c.end, ctx.language)
        if value is None:
            value, unit = quantity(ctx.text, att.start, att.end, ctx.language)
        if value is not None:
            claim["quantity"] = int(value) if float(value).is_integer() else value
            if unit:
                claim["unit"] = unit
    claim["modality"] = modality
    due = _due(st, modality, facts.stated, predicate, hit)
    if due:
        claim["due"] = due
    claim["quote"] = ctx.text[att.start:att.end]
    return claim


def _facts(st: Statement) -> Facts:
    channel = _channel(st)
    stated, via = _stated(st, None if channel == "other" else channel)
    return Facts(channel, stated, via)


_COPULA = re.compile(r"\b(?:is|are|was|were|be|sei|seien|ist|sind|war|wäre|bleibt|bleibe|remains)\b", re.IGNORECASE)


def _open_predicate(st: Statement) -> tuple[str, Hit]:
    """The predicate of a statement no trigger explains: a characterisation
    (``described_as``), anchored at its copula where it has one."""
    ctx, att = st.ctx, st.attribution
    copula = _COPULA.search(ctx.text, att.start, att.end)
    if copula:
        return "described_as", Hit("described_as", copula.start(), copula.end())
    start = st.mentions[0].end if st.mentions else att.start
    return "described_as", Hit("described_as", start, min(att.end, start + 1))


def _open_candidates(st: Statement, facts: Facts) -> list[Candidate]:
    """A characterisation for a statement no trigger explains; the report's own
    sentences without a predicate of the vocabulary are its narrative, not claims."""
    if st.attribution.own:
        return []
    predicate, hit = _open_predicate(st)
    out = []
    for args in arguments(st, predicate, hit) or [Arguments(st.attribution.claimant, None, "claimant", "claimant")]:
        claim = _claim(st, predicate, args, facts, hit)
        features = _features(st, predicate, args, facts, hit)
        features["open_statement"] = 1.0
        out.append(Candidate(claim, st.attribution.start, st.attribution.end, features,
                             _checks(st, args, facts, predicate), args.via != "alternative"))
    return out[:2]


#: a statement that opens with a demonstrative goes on about what was said before
_GOES_ON = re.compile(r"[\W]*(?:das|dies|dieses|this|that|which|was)\b", re.IGNORECASE)


def _continued_claim(st: Statement, facts: Facts) -> list[Candidate]:
    """A statement no trigger explains, by the speaker of the claim just before it, goes
    on about that claim's proposition ("„Das wird uns vielleicht nicht gelingen“")."""
    att, memory = st.attribution, st.ctx.memory
    last = memory.last_claims.get(att.claimant)
    if att.own or last is None or st.sentence.index - last[0] > 2 or \
            not _GOES_ON.match(st.ctx.text, att.start, att.end):
        return []
    previous = last[1]
    hit = Hit(previous["predicate"], att.start, att.start + 1)
    args = Arguments(previous["subject"], previous.get("object"), "continued", "memory")
    claim = _claim(st, previous["predicate"], args, facts, hit)
    claim["predicate"] = previous["predicate"]
    features = _features(st, previous["predicate"], args, facts, hit)
    features["continued_claim"] = 1.0
    return [Candidate(claim, att.start, att.end, features, _checks(st, args, facts, previous["predicate"]))]


def statement_candidates(st: Statement) -> list[Candidate]:
    """Candidate claims of one attributed statement (the speaker's last proposition, or
    an open predicate, when no trigger of the vocabulary yields one)."""
    if len(st.words) < 2:
        return []
    hits = predicate_hits(st)
    if st.attribution.own:  # "diese Verzögerung", "the delay": what the report already said
        hits = [h for h in hits if not DEMONSTRATIVE.search(st.ctx.text, max(0, h.start - 30), h.start)]
        if NOT_RELEASED.hits(st.ctx.text, st.attribution.start, st.attribution.end, st.words):
            hits = [h for h in hits if h.name not in ("release", "delay")]  # a resolution, not a claim
    facts = _facts(st)
    out: list[Candidate] = []
    for hit in hits:
        for args in arguments(st, hit.name, hit):
            if args.subject == args.object:
                continue
            claim = _claim(st, hit.name, args, facts, hit)
            if claim.get("due") and facts.stated_via == "default" and claim["due"][:4] < facts.stated[:4]:
                claim["stated"] = claim["due"][:4]  # a plan for a year already past was made back then
            out.append(Candidate(claim, st.attribution.start, st.attribution.end,
                                 _features(st, hit.name, args, facts, hit), _checks(st, args, facts, hit.name),
                                 args.via != "alternative"))
    return out or _continued_claim(st, facts) + _open_candidates(st, facts)
