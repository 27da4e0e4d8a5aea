"""Who says what in a sentence: attribution structure in German and English reporting.

A sentence is cut into parts where one statement ends and another begins (", but",
";", a dash). In each part the rules of ``PART_RULES`` are tried in order; the first
that applies gives the part's statements: "according to X" / "laut X" / "X zufolge";
verbs of saying with their subject before ("Altman said", "Ein Sprecher von SAP sagte")
or after them ("sagte Musk", '"…," said Altman'), their complement forward ("…, dass …",
"said that …") or the words before them; verbs of intention ("OpenAI plans to …");
documents that show something ("der Code auf der xAI-Website zeigt"). A part none of
them explains continues the last speaker (German Konjunktiv, a quotation that follows a
quoted speaker, the rest of a sentence whose first part was attributed) or is the
publication's own voice.

Speakers are resolved from the words around the verb: a person or organisation named
there (persons first), a spokesperson ("ein Sprecher von SAP" -> SAP), a role ("der
OpenAI-Chef" -> the person heading OpenAI), unnamed sources (-> the publication), a
pronoun or description referring back ("er", "the company"), or a new capitalised name.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .cues import (
    ACCORDING_AFTER,
    ACCORDING_BEFORE,
    ATTRIBUTIVE,
    CHANNEL,
    CLAUSE_SPLIT,
    DOCUMENT_REFERENCE,
    IMPERSONAL,
    INTENT,
    KONJUNKTIV,
    KONJUNKTIV_FORM,
    LEADER,
    NEWS_OUTLETS,
    ORG_REFERENCE,
    OWN_ACCOUNT,
    PERSON_REFERENCE,
    REPORT_CHANNELS,
    ROLE,
    SAY,
    SECONDARY_SOURCE,
    SHOW,
    SOURCE_REFERENCE,
    SPOKESPERSON,
    STANCE,
    UNNAMED,
)
from .dates import MONTHS, WEEKDAYS
from .discourse import Context, Sentence
from .gazetteer import Mention, entity_slug
from .lexicon import Hit, Lexicon
from .names import GIVEN_NAMES, STOPWORDS
from .predicates import LEXICON

SAY_LEXICON = {lang: Lexicon([("say", pattern)]) for lang, pattern in SAY.items()}
STANCE_LEXICON = {lang: Lexicon([("stance", pattern)]) for lang, pattern in STANCE.items()}
INTENT_LEXICON = {lang: Lexicon([("intent", pattern)]) for lang, pattern in INTENT.items()}
_BOUNDARY = re.compile(r"[,:;„“”\"«»]")
_COMPLEMENT = {"en": re.compile(r"\b(?:that|whether|if)\b|:|[„“\"«]", re.IGNORECASE),
               "de": re.compile(r",\s*(?:dass|daß|ob)\b|,|:|[„“\"«]", re.IGNORECASE)}
#: capitalised words right before a verb, after punctuation ("- **17 May.** Wired reported")
_CAPITALISED_END = re.compile(r"(?:^|[*\s(])((?:[A-ZÄÖÜ][\w&.'’-]+\s*){1,3})$")
_CAPITALISED = re.compile(r"^(?:(?:the|The|but|and|aber|und|doch)\s+)?((?:[A-ZÄÖÜ][\w&.'’-]+\s*){1,4})$")
#: a verb of saying used as a noun or an attribute ("rejected claims that", "widely reported benchmarks")
_NOUN_USE = re.compile(r"\b(?:the|a|an|its|his|her|their|these|those|such|rejected|denied|dismissed|widely|often|"
                       r"commonly|previously|die|der|das|den|dem|des|ein|eine|einen|diese|seine|ihre)\s+$",
                       re.IGNORECASE)
_PARTICIPLE = re.compile(r"ing$|end$", re.IGNORECASE)
_ORG_WORD = re.compile(r"\b(?:AI|Tech|Labs?|Inc|Corp|News|Times|Post|Journal|Review|Wire|Daily|Media|Group|Capital|"
                       r"Ventures|Partners|Systems|Technologies|Bank|Agentur|Zeitung|Kurier|Nachrichten|Digital|"
                       r"Research|Institute|Institut|Foundation|Stiftung|University|Universität|Reuters|Press)\b")
_LEADING = re.compile(r"[\s,;:–—-]*(?:(?:that|dass|daß|ob|whether|but|and|aber|und|doch|jedoch)\b)?[\s,:]*",
                      re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:–—-]*(?:\b(?:but|and|aber|und|doch|jedoch|while|während)\b)?[\s,;:–—-]*$", re.IGNORECASE)


@dataclass
class Speaker:
    """A resolved speaker and how it was found (``after``: named after the verb)."""
    id: str
    via: str
    after: bool = False
    near: bool = False  # named right before the verb, after a comma ("…, chief executive X told")


@dataclass
class Attribution:
    """One statement of a sentence: who makes it (``claimant``), by which rule and
    resolution (``rule``, ``via``), the words that attribute it (``cue_start``,
    ``cue_end``: where its date and channel are read) and the statement's span."""
    claimant: str
    rule: str
    via: str
    cue_start: int
    cue_end: int
    start: int
    end: int
    verb: str = ""
    backward: bool = False  # "Das berichtete Bloomberg.": it attributes the sentence before

    @property
    def own(self) -> bool:
        """True for the publication's own voice (and unnamed sources)."""
        return self.rule == "own" or self.via == "unnamed"


@dataclass
class Part:
    """A stretch of a sentence that holds its own statement(s)."""
    sentence: Sentence
    start: int
    end: int
    previous: list[Attribution]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    lead = _LEADING.match(text, start, end)
    a = lead.end() if lead else start
    trail = _TRAILING.search(text[a:end])
    b = a + trail.start() if trail else end
    return (a, b) if b > a else (start, end)


# -- speakers -------------------------------------------------------------------------------
def _subject_like(ctx: Context, m: Mention) -> bool:
    return m.kind in ("person", "org") and not ATTRIBUTIVE.search(ctx.text[max(0, m.start - 12):m.start])


@dataclass
class Region:
    """Words that may name a speaker: their span, text and the mentions in them
    (``cited``: after "according to", where the name nearest the cue counts)."""
    sentence: Sentence
    start: int
    end: int
    text: str
    mentions: list[Mention]
    cited: bool


def _unnamed(ctx: Context, r: Region) -> Speaker | None:
    """Unnamed sources ("people familiar with the matter") speak for the publication,
    unless a name is given before them."""
    unnamed = UNNAMED.search(r.text)
    if not unnamed or not ctx.publisher:
        return None
    named_first = any(m.start < r.start + unnamed.start() and m.kind in ("person", "org") and _subject_like(ctx, m)
                      for m in r.mentions)
    return None if named_first else Speaker(ctx.publisher, "unnamed")


def _spokesperson(ctx: Context, r: Region) -> Speaker | None:
    """"Ein Sprecher von SAP", "a spokesperson": the organisation named, or the last one."""
    if not SPOKESPERSON.search(r.text):
        return None
    orgs = [m for m in r.mentions if m.kind == "org"]
    org = orgs[0].id if orgs else ctx.memory.last_org
    return Speaker(org, "spokesperson") if org else None


_ROLE_AFTER = re.compile(r"\s+(?:CEO|CTO|CFO|COO|chief|president|founder|co-founder|head|boss|Chef|Chefin|"
                         r"Gründer|Mitgründer|Vorstandschef|Präsident|Präsidentin)\b")


def _role_qualifier(ctx: Context, r: Region, m: Mention) -> bool:
    """A name before a role and another person ("Constellation CEO Joe Dominguez") names
    the organisation of that person, not a speaker."""
    return bool(_ROLE_AFTER.match(ctx.text, m.end)) and \
        any(o.kind == "person" and 0 < o.start - m.end <= 40 for o in r.mentions)


def _named(kind: str) -> Callable[[Context, Region], Speaker | None]:
    def by_name(ctx: Context, r: Region) -> Speaker | None:
        named = [m for m in r.mentions if m.kind == kind and (r.cited or _subject_like(ctx, m))
                 and not (kind == "person" and _role_qualifier(ctx, r, m))]
        return Speaker(named[0].id, "name") if named else None
    by_name.__doc__ = f"The first {kind} named as a subject (not after 'of'/'von')."
    return by_name


def _by_role(ctx: Context, r: Region) -> Speaker | None:
    """"Der OpenAI-Chef": the person heading the organisation; "the executive": the last person."""
    if not ROLE.search(r.text):
        return None
    orgs = [m for m in r.mentions if m.kind == "org"]
    if orgs and not LEADER.search(r.text):
        return None
    if orgs:
        leader = ctx.gazetteer.leader_of(orgs[0].id, ctx.memory.persons)
        return Speaker(leader, "role") if leader else None
    return Speaker(ctx.memory.last_person, "role") if ctx.memory.last_person else None


_IT = re.compile(r"(?:It|Es)", re.IGNORECASE)


def _by_reference(ctx: Context, r: Region) -> Speaker | None:
    """A pronoun or description: the person (organisation) named earlier in the
    sentence, else the one the memory holds as salient."""
    memory = ctx.memory
    earlier = [m for m in r.sentence.mentions if m.end <= r.start and not r.sentence.quoted(m.start)]
    persons = [m.id for m in earlier if m.kind == "person"]
    orgs = [m.id for m in earlier if m.kind == "org" and m.id != ctx.publisher]
    referent = persons[0] if persons else memory.salient_person or memory.last_person
    if PERSON_REFERENCE.search(r.text) and referent:
        return Speaker(referent, "pronoun")
    if _IT.fullmatch(r.text.strip()) and r.start == r.sentence.start and memory.first_org:
        return Speaker(memory.first_org, "pronoun")  # "… the research firm SemiAnalysis weighed in. It estimated …"
    if ORG_REFERENCE.search(r.text):  # "the company": not a news outlet the report cites
        actors = [o for o in orgs if o not in NEWS_OUTLETS]
        speaker_org = memory.last_speaker if memory.last_speaker and memory.last_speaker.startswith("org:") and \
            memory.last_speaker not in NEWS_OUTLETS else None
        last_org = memory.last_org if memory.last_org not in NEWS_OUTLETS else None
        org = actors[-1] if actors else speaker_org or last_org or (orgs[-1] if orgs else memory.last_org)
        return Speaker(org, "pronoun") if org else None
    return None


#: an article or inflected adjective before a capitalised German word: a noun, not a name
_NOUN_PHRASE_END = re.compile(r"\b(?:der|die|das|dem|den|des|ein|eine|einer|einem|eines|im|am|beim|vom|zum|zur|"
                              r"ins|seine[mnrs]?|ihre[mnrs]?|[a-zäöüß]+(?:en|em|er|es))\s+$")


def _by_new_name(ctx: Context, r: Region) -> Speaker | None:
    """A capitalised name the gazetteer lacks ("Harbor Street Tech reported", "Zoph
    erklärte"): a person if it looks like one, else an organisation."""
    m = _CAPITALISED.match(r.text.strip()) or _CAPITALISED_END.search(r.text.rstrip())
    if not m or len(m.group(1)) < 3:
        return None
    name = m.group(1).strip()
    words = name.split()
    if any(w in STOPWORDS or w.lower() in MONTHS or w.lower() in WEEKDAYS for w in words):
        return None
    if ctx.language == "de" and len(words) == 1 and _NOUN_PHRASE_END.search(r.text, 0, r.text.rfind(name)):
        return None  # "In einer Stellungnahme", "Im begleitenden Blogbeitrag": a German noun
    camel = any(c.isupper() for w in words for c in w[1:])
    personal = words[0] in GIVEN_NAMES or (len(words) <= 2 and not _ORG_WORD.search(name) and not camel)
    eid = f"{'person' if personal else 'org'}:{entity_slug(name)}"
    ctx.gazetteer.add(eid, name)
    return Speaker(eid, "new_name")


def _cited_before(ctx: Context, r: Region) -> Speaker | None:
    """"dem Bericht zufolge", "the report said": the source cited last (a model or
    product named beside the words is what the report is about)."""
    if any(m.kind in ("person", "org") for m in r.mentions) or not ctx.memory.last_source or \
            not SOURCE_REFERENCE.search(r.text):
        return None
    return Speaker(ctx.memory.last_source, "reference")


def _document_before(ctx: Context, r: Region) -> Speaker | None:
    """"laut der Mitteilung", "according to the post": whoever spoke last (in the
    last few sentences) wrote the document referred to."""
    memory = ctx.memory
    if any(m.kind in ("person", "org") for m in r.mentions) or not DOCUMENT_REFERENCE.search(r.text):
        return None
    if memory.last_speaker and r.sentence.index - memory.speaker_sentence <= 4:
        return Speaker(memory.last_speaker, "reference")
    return None


_INDEFINITE_PERSON = re.compile(r"\b(?:[Aa]n?|[Ee]ine?|[Ee]iner)\s+(?:[\w-]+\s+){0,3}?(?:executive|manager|official|"
                                r"engineer|researcher|scientist|director|adviser|advisor|Manager|Managerin|"
                                r"Mitarbeiter|Mitarbeiterin|Führungskraft|Ingenieur|Ingenieurin|Forscher|"
                                r"Forscherin|Direktor|Direktorin|Berater|Beraterin)\b")


def _named_later(ctx: Context, r: Region) -> Speaker | None:
    """"A senior Meta executive on Monday rejected …" when the next sentences name him:
    the first person named there."""
    if any(m.kind == "person" for m in r.mentions) or not _INDEFINITE_PERSON.search(r.text):
        return None
    for index in (r.sentence.index + 1, r.sentence.index + 2):
        following = ctx.sentence_at(index)
        persons = [m for m in following.mentions if m.kind == "person"] if following else []
        if persons:
            return Speaker(persons[0].id, "cataphora")
    return None


#: tried in this order on the words that may name a speaker
SPEAKER_RULES: list[Callable[[Context, Region], Speaker | None]] = [
    _unnamed, _spokesperson, _named("person"), _named_later, _by_role, _named("org"), _cited_before,
    _document_before, _by_reference, _by_new_name]


def resolve_speaker(ctx: Context, s: Sentence, start: int, end: int, cited: bool = False,
                    new_names: bool = True) -> Speaker | None:
    """The speaker named or referred to in text[start:end] by the first rule of
    ``SPEAKER_RULES`` that finds one, or None (``new_names``: whether a capitalised name
    the gazetteer lacks may be the speaker)."""
    text = ctx.text[start:end]
    if not text.strip():
        return None
    mentions = [m for m in s.within(start, end) if cited or not s.quoted(m.start)]  # „Wall Street Journal“
    region = Region(s, start, end, text, mentions[::-1] if cited else mentions, cited)
    for rule in SPEAKER_RULES if new_names else SPEAKER_RULES[:-1]:
        found = rule(ctx, region)
        if found:
            return found
    return None


# -- one verb -------------------------------------------------------------------------------
def _segment_start(part: Part, pos: int, floor: int) -> int:
    text = part.sentence.text
    cut = max((m.end() for m in _BOUNDARY.finditer(text, floor, pos)), default=floor)
    return cut


_INVERSION_STOP = re.compile(r"[,:;„“”\"«»]|\b(?:that|dass|daß|ob|whether|to|zu|it|es|the company|das Unternehmen|"
                             r"in|im|mit|with|at|on|auf|bei|beim|am|vor|nach|während|during|gegenüber|über|"
                             r"für|for|from|von|vom|laut|after|before)\b", re.IGNORECASE)


def _inversion_end(text: str, start: int, end: int) -> int:
    """Where the words after a verb that can name its speaker end ("sagte Musk am
    Dienstag, …", "said Altman.", "erwähnte er in einem Interview mit …"): at a
    boundary, complementizer or preposition, 60 characters at most; a description of
    the company right after the verb is its subject."""
    m = _INVERSION_STOP.search(text, start, end)
    stop = m.start() if m else end
    if m and not text[start:stop].strip() and m.group().lower() in ("the company", "das unternehmen"):
        stop = m.end()  # "In einer Stellungnahme betont das Unternehmen, …": the company speaks
    return min(stop, start + 60)


def _complement_start(ctx: Context, verb: Hit, stop: int) -> int | None:
    """Where the complement of a verb of saying starts: after "that", „, dass“ or a
    colon, at a quotation; "that" only when the words before it hold no comma or finite
    verb ("said in a post on X on Tuesday that", not "said the model is trained on that")."""
    pattern = _COMPLEMENT[ctx.language]
    start = verb.end
    cited = _CITATION.match(ctx.text, start, stop)  # "reported, citing a US official, that …"
    if cited:
        start = cited.end()
    m = pattern.search(ctx.text, start, min(stop, start + 90))
    if m is None:
        return None
    if m.group().lower() in ("that", "if", "whether") and _FINITE.search(ctx.text, start, m.start()):
        return None
    return m.start() if m.group().strip() in "„“\"«" else m.end()


_FINITE = re.compile(r",|\b(?:is|are|was|were|will|would|has|have|had|can|could|be|being)\b", re.IGNORECASE)
_CITATION = re.compile(r"[^,]{0,30},\s*(?:citing|unter Berufung auf)\s[^,]{1,80},", re.IGNORECASE)
#: what follows a verb of saying that ends the attribution ("told reporters at a conference …")
_ADVERBIAL_TAIL = re.compile(r"\s*(?:reporters|analysts|investors|employees|staff|viewers|journalists|the audience|"
                             r"an audience|attendees|colleagues|lawmakers|at|in|on|during|to|from|via|late|early|"
                             r"earlier|last|this|yesterday|today|am|im|auf|bei|gegenüber|vor|während)\b",
                             re.IGNORECASE)
#: a demonstrative standing for the sentence before ("Das berichtete …", "That is what … said")
_BACKWARD = re.compile(r"\s*(?:Das|Dies|Dieses|This|That|So)\s+")
#: a relative clause between a speaker and their verb
_RELATIVE_BEFORE = re.compile(r",\s*(?:der|die|das|dessen|deren|which|who|whose)\b[^,]{0,120},\s*$", re.IGNORECASE)
#: a verb of saying inside a relative clause: its complement is about the antecedent
_RELATIVE_SAY = re.compile(r"\s*(?:which|that|who|den|die|das|der|was)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
#: a quotation closed just before the attribution ('"…," Musk told viewers')
_QUOTE_BEFORE = re.compile(r"[”“\"»«]\s*[,:]?\s*$")
#: verbs that name or characterise what follows them: their object belongs to the statement
NAMING = re.compile(r"(?:called|calls|call|described|describes|describing|dubbed|termed|labell?ed|hailed|praised|"
                    r"praises|critici[sz]ed|nannte|nennt|nennen|nannten|bezeichnete|bezeichnet|lobte|lobt|"
                    r"kritisierte|kritisiert|beschrieb|beschreibt)$", re.IGNORECASE)


def _content(ctx: Context, part: Part, verb: Hit, seg: int, stop: int, inverted: bool = False,
             near: bool = False) -> tuple[int, int, int]:
    """(statement start, statement end, end of the attribution words) for a verb: a
    quotation just before it, the complement after it ("that …", „dass …", a quotation),
    the object and complement of a naming verb ("called the model "scary smart""), or
    the words before it when nothing follows."""
    text = ctx.text
    last = part.previous[-1] if part.previous else None
    lo = max(part.start, last.end) if last and last.end <= verb.start else part.start  # not a statement taken
    if _QUOTE_BEFORE.search(text, lo, seg) and len(text[lo:seg].split()) >= 2:
        a, b = _trimmed(text, lo, seg)
        return a, b, stop
    if seg > part.start and text[seg - 1] == "," and _RELATIVE_SAY.match(text, seg, verb.start):
        # "…, which the company said is still in training"
        a, b = _trimmed(text, verb.end, stop)
        return a, b, verb.end
    if inverted and not text[seg:verb.start].strip(" ,") and seg > lo and \
            len(text[lo:seg].split()) >= 3:
        a, b = _trimmed(text, lo, seg)  # "Sie wolle …, schrieb Murati …"
        return a, b, stop
    if NAMING.match(text[verb.start:verb.end]):
        a, b = _trimmed(text, verb.end, stop)
        return a, b, verb.end
    comp = _complement_start(ctx, verb, stop)
    words_before = len(text[lo:seg].split())
    tail = text[verb.end:stop]
    if comp is None and words_before >= 3 and (len(tail.split()) <= 8 or (
            near and _ADVERBIAL_TAIL.match(tail) and not _FINITE.search(tail))) and \
            not _object_states_more(ctx, part, verb, seg, stop):
        a, b = _trimmed(text, lo, seg)
        return a, b, stop
    start = comp if comp is not None else verb.end
    a, b = _trimmed(text, start, stop)
    return a, b, start


def _object_states_more(ctx: Context, part: Part, verb: Hit, seg: int, stop: int) -> bool:
    """The verb's object names a proposition and the words before it do not ("Auch Geld
    fließt: Ein Microsoft-Sprecher bestätigte eine Investition von 15 Millionen Euro")."""
    s, lexicon = part.sentence, LEXICON[ctx.language]
    return bool(lexicon.first(ctx.text, verb.end, stop, s.words_in(verb.end, stop))) and \
        not lexicon.first(ctx.text, part.start, seg, s.words_in(part.start, seg))


#: a relative clause that ends the attribution words ("hieß es in dem Blogbeitrag, den Pichai … veröffentlichte")
_RELATIVE_AFTER = re.compile(r",\s*(?:den|die|das|der|dem|deren|dessen|which|that|who)\b", re.IGNORECASE)
_OWN_DOCUMENT = re.compile(r"\b(?:des Unternehmens|des Konzerns|der Firma|the company's|its)\b", re.IGNORECASE)


def _impersonal_speaker(ctx: Context, part: Part, verb: Hit, stop: int) -> Speaker | None:
    """"hieß es im Blogbeitrag des Unternehmens, …": the organisation whose document it
    is; "…, hieß es.": the source cited last (the statement comes before)."""
    memory, s, text = ctx.memory, part.sentence, ctx.text
    comma = text.find(",", verb.end, stop)
    tail_end = comma if comma >= 0 else stop
    after = not text[tail_end:stop].strip(" ,.;") or bool(_RELATIVE_AFTER.match(text, tail_end, stop))
    orgs = [m for m in s.within(verb.end, tail_end) if m.kind == "org"]
    if orgs:
        return Speaker(orgs[0].id, "name", after)
    if _OWN_DOCUMENT.search(text, verb.end, tail_end) and memory.last_org:
        return Speaker(memory.last_org, "pronoun", after)
    recent = memory.last_speaker if s.index - memory.speaker_sentence <= 3 else None
    source = memory.last_source or recent
    return Speaker(source, "reference", after) if source else None


def _verb_speaker(ctx: Context, part: Part, verb: Hit, seg: int, stop: int, rule: str) -> Speaker | None:
    """Who speaks through ``verb``: a participle ("saying", "adding") keeps the
    sentence's speaker; else the words before the verb, then those after it (German
    inversion "sagte Musk", '"…," said Altman'); a name the gazetteer lacks only when
    neither side names or refers to a known one ("Dennoch erwähnte er")."""
    s = part.sentence
    participle = bool(_PARTICIPLE.search(ctx.text[verb.start:verb.end]))
    if participle and part.previous:
        return Speaker(part.previous[-1].claimant, "inherited")
    if IMPERSONAL.fullmatch(ctx.text, verb.start, verb.end):
        return _impersonal_speaker(ctx, part, verb, stop)
    head = ctx.text.find(" ", verb.start, verb.end)
    after = head if head > 0 else verb.end
    inversion = (after, _inversion_end(ctx.text, after, max(stop, verb.end)))
    regions = [(seg, verb.start)]
    relative = _RELATIVE_BEFORE.search(ctx.text, part.start, verb.start)
    if relative:  # "Robby Walker, der die Siri-Sparte bislang führte, nannte …"
        regions.append((part.start, relative.start()))
    if participle:
        regions.append((s.start, min(s.end, s.start + 40)))
    regions.append(inversion)
    if rule == "say":
        regions.append((part.start, verb.start))
    for new_names in (False, True):
        for a, b in regions:
            speaker = resolve_speaker(ctx, s, a, b, new_names=new_names)
            if speaker:
                speaker.after = (a, b) == inversion
                speaker.near = (a, b) == regions[0] and a > part.start
                return speaker
    if part.previous:
        return Speaker(part.previous[-1].claimant, "inherited")
    return None


def _verb_attribution(ctx: Context, part: Part, verb: Hit, stop: int, rule: str) -> Attribution | None:
    floor = part.previous[-1].end if part.previous and part.previous[-1].end <= verb.start else part.start
    seg = _segment_start(part, verb.start, max(floor, part.start))
    speaker = _verb_speaker(ctx, part, verb, seg, stop, rule)
    if speaker is None:
        return None
    if rule == "stance":
        a, b = _trimmed(ctx.text, verb.start, stop)
        return Attribution(speaker.id, rule, speaker.via, seg, verb.start, a, b, ctx.text[verb.start:verb.end])
    backward = bool(_BACKWARD.fullmatch(ctx.text, part.start, verb.start)) and part.sentence.index > 0
    if backward:
        return Attribution(speaker.id, rule, speaker.via, part.start, stop, part.start, part.start,
                           ctx.text[verb.start:verb.end].lower(), backward=True)
    a, b, cue_end = _content(ctx, part, verb, seg, stop, speaker.after, speaker.near)
    cue_start = seg if a >= verb.start else min(seg, verb.start)
    return Attribution(speaker.id, rule, speaker.via, cue_start, max(cue_end, verb.end), a, b,
                       ctx.text[verb.start:verb.end].lower())


# -- part rules -----------------------------------------------------------------------------
def _cited_end(ctx: Context, part: Part, start: int) -> int:
    """Where the source after "according to"/"laut" ends: after the name that follows
    it, or at the next boundary."""
    text = ctx.text
    named = [m for m in part.sentence.within(start, part.end) if m.kind in ("org", "person")]
    if named and named[0].start - start <= 25:
        return named[0].end
    unnamed = UNNAMED.search(text, start, min(part.end, start + 40))
    stop = _BOUNDARY.search(text, start, part.end)
    end = stop.start() if stop else part.end
    if unnamed and unnamed.end() < end:
        tail = re.match(r"[\w\s]{0,40}?(?=[,.;:]|$)", text[unnamed.end():end])
        return unnamed.end() + (len(tail.group()) if tail else 0)
    return end



_CITED_NOUN = re.compile(r"(?:(?:Berichten|einem Bericht|dem Bericht|Angaben|Informationen|Recherchen|"
                         r"Daten|Schätzungen)\s+(?:von|des|der|vom)\s+|(?:dem|der|den|des)\s+)$")


def _zufolge_start(ctx: Context, part: Part, pos: int) -> int:
    """Where the source before "zufolge" starts: the name just before it (with "Berichten
    von", "dem Bericht des"), else the segment the word stands in."""
    named = [m for m in part.sentence.within(part.start, pos) if m.kind in ("org", "person") and pos - m.end <= 3]
    if named:
        start = named[-1].start
        noun = _CITED_NOUN.search(ctx.text, max(part.start, start - 30), start)
        return noun.start() if noun else start
    return _segment_start(part, pos, part.start)


#: an organisation described, not named, after "nach Angaben"/"according to" ("des Konzerns", "der Entwickler")
_DESCRIBED_SOURCE = re.compile(r"(?:(?:des|der|dem|the|its)\s+)?(?:Unternehmens|Konzerns|Firma|Start-ups|Startups|"
                               r"Herstellers|Chipkonzerns|Entwickler|Entwicklers|Kommission|Behörde|Regierung|"
                               r"company|firm|start-?up|developers?|makers?|lab|commission|agency)\b")


def _described_source(ctx: Context, s: Sentence, noun: str, cue: int) -> Speaker | None:
    """The organisation a description after "nach Angaben" stands for: a known one
    whose name holds the noun ("der Kommission" -> EU-Kommission), else the one named
    earlier in the sentence, the organisation that spoke last or the one named most
    (news outlets cited as sources excepted)."""
    memory = ctx.memory
    stem = noun.split()[-1].lower().rstrip("s")
    if len(stem) >= 6:
        for eid in reversed(list(memory.mentioned)):
            names = [ctx.gazetteer.names.get(eid, "")] + ctx.gazetteer.aliases.get(eid, [])
            if eid.startswith("org:") and eid != ctx.publisher and any(stem in n.lower() for n in names):
                return Speaker(eid, "pronoun")
    outside = NEWS_OUTLETS | {ctx.publisher}
    earlier = [m.id for m in s.mentions if m.end <= cue and m.kind == "org" and m.id not in outside]
    speaker = memory.last_speaker
    speaker_org = speaker if speaker and speaker.startswith("org:") and speaker not in outside else None
    salient = max((eid for eid in memory.mentioned if eid.startswith("org:") and eid not in outside),
                  key=lambda eid: memory.mentioned[eid], default=None)
    org = earlier[-1] if earlier else speaker_org or salient
    return Speaker(org, "pronoun") if org else None


#: whose a document is ("laut der Mitteilung von Mistral", "according to the post by Altman")
_DOCUMENT_OWNER = re.compile(r"\s+(?:von|vom|des|der|of|from|by)\s+(?:the\s+|dem\s+)?[A-ZÄÖÜ]")


def _speaks_after(ctx: Context, part: Part, cue_end: int) -> bool:
    """A verb of saying after the cited source, with a speaker of its own before it."""
    s = part.sentence
    for verb in SAY_LEXICON[ctx.language].hits(ctx.text, cue_end, part.end, s.words_in(cue_end, part.end)):
        if s.quoted(verb.start) or _PARTICIPLE.search(ctx.text[verb.start:verb.end]):
            continue
        between = ctx.text[cue_end:verb.start]
        return "," in between and len(between.split(",")[-1].split()) >= 1
    return False


def _according(ctx: Context, part: Part) -> list[Attribution]:
    s, text = part.sentence, ctx.text
    before = ACCORDING_BEFORE.search(text, part.start, part.end)
    if before and SECONDARY_SOURCE.match(text, before.start()) and \
            SAY_LEXICON[ctx.language].first(text, part.start, part.end, s.words_in(part.start, part.end)):
        return []  # "Reuters reported, citing a US official, that …": the verb of saying names the source
    after = None if before else ACCORDING_AFTER.search(text, part.start, part.end)
    described = _DESCRIBED_SOURCE.match(text, before.end(), part.end) if before else None
    if before and described and not s.within(before.end(), described.end()):
        cue_start, cue_end = before.start(), described.end()
        speaker = _described_source(ctx, s, described.group(), cue_start)
    elif before:
        cue_start, cue_end = before.start(), _cited_end(ctx, part, before.end())
        document = DOCUMENT_REFERENCE.match(text, before.end(), part.end) or \
            SOURCE_REFERENCE.match(text, before.end(), part.end)
        owner = document and _DOCUMENT_OWNER.match(text, document.end(), part.end)
        if document and not owner and not s.within(before.end(), document.end()):
            cue_end = document.end()  # "laut dem Beitrag auf den hauseigenen Chips …"
        speaker = resolve_speaker(ctx, s, before.end(), cue_end, cited=True)
    elif after:
        cue_start, cue_end = _zufolge_start(ctx, part, after.start()), after.end()
        speaker = resolve_speaker(ctx, s, cue_start, after.start(), cited=True)
    else:
        return []
    if speaker is None:
        return []
    if before and _speaks_after(ctx, part, cue_end):
        return []  # "first reported by Semafor, the chief executive wrote that …": the writer speaks
    words_before, words_after = len(text[part.start:cue_start].split()), len(text[cue_end:part.end].split())
    if words_before >= 1 and words_after >= 2 and text[cue_start - 2:cue_start].strip() not in (",", ";", ":"):
        a, b = _trimmed(text, part.start, part.end)  # "Google hat laut The Information … bestellt"
    elif words_before >= 3:
        a, b = _trimmed(text, part.start, cue_start)
    else:
        a, b = _trimmed(text, cue_end, part.end)
    return [Attribution(speaker.id, "according", speaker.via, cue_start, cue_end, a, b)]


_AFTER_NOUN = re.compile(r"\b(?!(?:he|she|it|they|we|who|which|that|er|sie|es|man|wir|also|then|later|once|again|"
                         r"now|previously|recently|publicly|repeatedly|even|has|have|had|was|were|is|are|"
                         r"\w+ly)\b)[a-zäöüß][\w-]*\s+$")


_REPORT_VERB = re.compile(r"berichte\w*|reports?|reported|reporting", re.IGNORECASE)
_TO_SOMEONE_AFTER = re.compile(r"\s+(?:an|to)\b", re.IGNORECASE)
_TO_SOMEONE_BEFORE = re.compile(r"\ban\s+(?:[\w-]+\s+){0,4}$")


def _reports_to(ctx: Context, verb: Hit) -> bool:
    """"an Softwarechef Craig Federighi berichten", "reports to Kaplan": a reporting line."""
    if not _REPORT_VERB.fullmatch(ctx.text, verb.start, verb.end):
        return False
    return bool(_TO_SOMEONE_AFTER.match(ctx.text, verb.end) or
                _TO_SOMEONE_BEFORE.search(ctx.text, max(0, verb.start - 50), verb.start))


def _adjectival(ctx: Context, part: Part, verb: Hit) -> bool:
    """A naming participle after a common noun describes it ("a subscription called
    SuperGrok"), and "what Apple calls …" gives a name: neither is a verb of saying."""
    if not NAMING.match(ctx.text[verb.start:verb.end]):
        return False
    if _NAME_GIVEN.search(ctx.text, max(part.start, verb.start - 40), verb.start):
        return True  # "what Apple calls Private Cloud Compute", "a system it calls …": a name given
    if ctx.language != "en":
        return False
    return bool(_AFTER_NOUN.search(ctx.text, max(part.start, verb.start - 30), verb.start))


#: a relative or noun before the subject of a naming verb: the verb introduces a name
_NAME_GIVEN = re.compile(r"\b(?:what|was|(?:an?|einen?|eine)\s+[\w-]+)\s+(?:it|he|she|they|we|es|er|sie|man|wir|"
                         r"the company|das Unternehmen|[A-ZÄÖÜ][\w.-]*(?:\s+[A-ZÄÖÜ][\w.-]*)?)\s+$")


_EXPECTED_TO = re.compile(r"(?:expected|anticipated|hoped|aimed)\s+to\b", re.IGNORECASE)


def _reduced_relative(ctx: Context, part: Part, verb: Hit) -> bool:
    """"the organisations expected to adopt the platform": a participle describing a
    noun, not the noun's stance."""
    if ctx.language != "en" or not _EXPECTED_TO.match(ctx.text, verb.start):
        return False
    return bool(_AFTER_NOUN.search(ctx.text, max(part.start, verb.start - 30), verb.start))


def _verbs(ctx: Context, part: Part, rule: str) -> list[Attribution]:
    s = part.sentence
    lexicon = (SAY_LEXICON if rule == "say" else STANCE_LEXICON)[ctx.language]
    found = [h for h in lexicon.hits(ctx.text, part.start, part.end, s.words_in(part.start, part.end))
             if not s.quoted(h.start) and (not _NOUN_USE.search(ctx.text[max(part.start, h.start - 20):h.start])
                                           or _BACKWARD.fullmatch(ctx.text, s.start, h.start))
             and not _adjectival(ctx, part, h) and not _reports_to(ctx, h) and not _reduced_relative(ctx, part, h)]
    if rule == "stance":
        found = found[:1]
    out: list[Attribution] = []
    for i, verb in enumerate(found):
        stop = part.end
        if i + 1 < len(found):
            nxt = found[i + 1]
            stop = _segment_start(part, nxt.start, verb.end)
            stop = stop if stop > verb.end else nxt.start
        sub = Part(s, part.start, part.end, part.previous + out)
        attribution = _verb_attribution(ctx, sub, verb, max(stop, verb.end), rule)
        if attribution:
            out.append(attribution)
    return out


def _say(ctx: Context, part: Part) -> list[Attribution]:
    return _verbs(ctx, part, "say")


def _stance(ctx: Context, part: Part) -> list[Attribution]:
    return _verbs(ctx, part, "stance")


def _intent(ctx: Context, part: Part) -> list[Attribution]:
    """A plan stated in the report's own voice ("Die Telekom will … bauen", "OpenAI had
    planned to launch GPT-5 in 2024", "Nun soll das Modell erst im Februar verfügbar
    sein"): the publication's claim, with the whole clause as its statement."""
    if ctx.publisher is None:
        return []
    s = part.sentence
    verb = INTENT_LEXICON[ctx.language].first(ctx.text, part.start, part.end, s.words_in(part.start, part.end))
    if verb is None or s.quoted(verb.start):
        return []
    a, b = _trimmed(ctx.text, part.start, part.end)
    return [Attribution(ctx.publisher, "own", "intent", part.start, part.start, a, b,
                        ctx.text[verb.start:verb.end].lower())]


def _document(ctx: Context, part: Part) -> list[Attribution]:
    s = part.sentence
    verb = SHOW.search(ctx.text, part.start, part.end)
    channel = CHANNEL.by_priority(ctx.text, part.start, part.end, s.words_in(part.start, part.end))
    if verb is None or channel is None or channel.name not in REPORT_CHANNELS:
        return []
    orgs = [m for m in s.within(part.start, verb.start()) if m.kind == "org"]
    if not orgs:
        return []
    a, b = _trimmed(ctx.text, verb.end(), part.end)
    return [Attribution(orgs[0].id, "document", "name", part.start, verb.end(), a, b, verb.group().lower())]


def _continued(ctx: Context, part: Part) -> list[Attribution]:
    memory, s, text = ctx.memory, part.sentence, ctx.text
    speaker = None
    if part.previous and part.previous[-1].rule != "own" and part.previous[-1].end >= part.start - 3:
        speaker = part.previous[-1].claimant
    recent = memory.last_speaker if s.index - memory.speaker_sentence <= 3 else None
    if speaker is None and memory.last_source and re.search(r"\bdemnach\b", text[part.start:part.end]):
        speaker = memory.last_source
    if speaker is None and recent and ctx.language == "de" and (KONJUNKTIV.search(text, part.start, part.end) or
                                                                KONJUNKTIV_FORM.search(text, part.start, part.end)):
        speaker = recent
    if speaker is None and recent and s.index - memory.speaker_sentence == 1 and \
            text[s.start:s.start + 1] in "„“\"«»" and s.quotes:
        speaker = recent
    if speaker is None:
        return []
    a, b = _trimmed(text, part.start, part.end)
    return [Attribution(speaker, "continued", "inherited", part.start, part.start, a, b)]


def _own(ctx: Context, part: Part) -> list[Attribution]:
    if ctx.publisher is None:
        return []
    a, b = _trimmed(ctx.text, part.start, part.end)
    rule = "own"
    own = OWN_ACCOUNT.search(ctx.text, part.start, part.end)
    if own:
        subjects = [m for m in part.sentence.within(part.start, part.end) if m.kind in ("org", "person")]
        reference = ORG_REFERENCE.search(ctx.text, part.start, part.end)
        if reference and ctx.memory.last_org and (not subjects or reference.start() < subjects[0].start):
            return [Attribution(ctx.memory.last_org, "according", "own_account", own.start(), own.end(), a, b)]
        if subjects:
            return [Attribution(subjects[0].id, "according", "own_account", own.start(), own.end(), a, b)]
    return [Attribution(ctx.publisher, rule, "publisher", part.start, part.end, a, b)]


PartRule = Callable[[Context, Part], list[Attribution]]
#: tried in this order; the first rule that gives statements explains the part
def _own_account(ctx: Context, part: Part) -> list[Attribution]:
    """"Mistral plant nach eigenen Angaben …": the organisation's own account."""
    if not OWN_ACCOUNT.search(ctx.text, part.start, part.end):
        return []
    found = _own(ctx, part)
    return found if found and found[0].rule == "according" else []


PART_RULES: list[PartRule] = [_according, _say, _document, _stance, _continued, _own_account, _intent, _own]


def _parts(s: Sentence) -> list[tuple[int, int]]:
    cuts = [s.start] + [m.end() for m in CLAUSE_SPLIT.finditer(s.text, s.start, s.end)
                        if not s.quoted(m.start())] + [s.end]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _uncovered(ctx: Context, part: Part, found: list[Attribution]) -> list[tuple[int, int]]:
    """Stretches of a part that neither attribute nor make up a statement found there,
    and hold a predicate of their own ("Letztes Jahr gelang es Anthropic nicht, …, und
    gab kürzlich bekannt, dass …": the first clause is the report's own)."""
    covered = sorted((min(f.cue_start, f.start), max(f.cue_end, f.end)) for f in found)
    out, pos = [], part.start
    for a, b in covered + [(part.end, part.end)]:
        if a > pos:
            x, y = _trimmed(ctx.text, pos, a)
            words = part.sentence.words_in(x, y)
            if len(words) >= 4 and LEXICON[ctx.language].first(ctx.text, x, y, words):
                out.append((x, y))
        pos = max(pos, b)
    return out


def attribute(ctx: Context, s: Sentence) -> list[Attribution]:
    """The statements of a sentence with their claimants, in text order."""
    out: list[Attribution] = []
    for a, b in _parts(s):
        part = Part(s, a, b, list(out))
        for rule in PART_RULES:
            found = rule(ctx, part)
            if found:
                if rule is not _own:
                    for x, y in _uncovered(ctx, part, found):
                        found += _own(ctx, Part(s, x, y, list(out)))
                out += sorted(found, key=lambda f: f.start)
                break
    for attribution in out:
        if not attribution.own and attribution.claimant != ctx.publisher:
            ctx.memory.spoke(attribution.claimant, s.index)
            reported = attribution.rule == "according" or attribution.verb.startswith(("report", "bericht"))
            if reported and attribution.claimant.startswith("org:"):
                ctx.memory.last_source = attribution.claimant
    return out
