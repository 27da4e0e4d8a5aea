"""The rule-based extractor for German and English news reports.

Per sentence it finds the entities (gazetteer + database), who is speaking (a reporting
verb and its subject, a pronoun or surname referring back to the last person named, or
a document such as a company's website code), what is said about which entity (the
core predicates, by keyword), when it was said (resolved against the publication date,
or carried over from an earlier mention of the same interview or post), the channel,
the modality, due dates and quantities. Sentences the report states on its own account
become claims of the publisher. Every quote is an exact span (the sentence) of the text.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from importlib.resources import files

import yaml

from claimgraph.schema.model import slugify
from claimgraph.schema.text import alias_key

from .article import Article, detect_language
from .text import MONTHS, NUMBER, dates, parse_number, sentences, tokens

VERSION = "rule-extractor@1"


class UnsupportedLanguage(ValueError):
    pass


# -- lexicon ---------------------------------------------------------------------------
def _rx(words: str) -> re.Pattern:
    return re.compile(r"\b(?:" + words + r")\b", re.I)


SPEECH = _rx("sagte|sagt|sagten|erklärte|erklärt|erwähnte|erwähnt|kündigte|kündigt|verspricht|versprach|"
             "versprochen|behauptete|behauptet|betonte|betont|schrieb|schreibt|postete|twitterte|bemerkte|"
             "meinte|teilte|gab|gibt|bestätigte|bestätigt|dementierte|bestritt|wies|prognostizierte|"
             "prognostiziert|räumte|hofft|hoffen|plant|plante|planen|geplant|will|wollen|kündigten|versprachen|"
             "angekündigt|verkündete|verkündet|teilte mit|mitgeteilt|betonte|sagten|erklärten|"
             "reported|reports|berichtete|berichtet|"
             "said|says|announced|announces|promised|promises|posted|posts|wrote|writes|tweeted|claimed|"
             "claims|stated|states|told|tells|revealed|confirmed|confirms|denied|denies|predicted|predicts|"
             "expects|expected|hopes|hoped|plans|planned|vowed|pledged|boasted|insisted|argued|noted|added|"
             "teased|unveiled|reiterated|admitted|warned|according to|laut|zufolge|zeigt|zeigte|shows|showed|"
             "suggests|suggested|listed|lists")
# German "will"/"wollen" report an intention; English "will" is only the future tense
SPEECH_EN = re.compile(SPEECH.pattern.replace("|will|wollen|", "|"), re.I)
CLAUSE = re.compile(r"\b(?:dass|daß|that|ob|whether)\b|[:„“\"«]", re.I)
PRONOUNS_PERSON = _rx("er|sie|he|she|they|sie")
PRONOUNS = _rx("er|he|she")
SPOKESPERSON = _rx("ein Sprecher|eine Sprecherin|ein Unternehmenssprecher|a spokesperson|a spokesman|"
                   "a spokeswoman|a representative|das Unternehmen|the company|die Firma")
DESCRIBED_PERSON = re.compile(r"^\s*(?:Der|Die|The)\s+\w+(?:-\w+)?\s*$", re.I)
OUTLET = re.compile(r"\b((?:The\s+)?[A-Z][\w&.-]+(?:\s+[A-Z][\w&.-]+){0,2})\s+(?:had\s+|has\s+|hatte\s+)?"
                    r"(?:reported|reports|berichtete|berichtet|zufolge)\b")
KONJUNKTIV = _rx("sei|seien|habe|werde|könne|wolle|solle|müsse|dürfe|übertreffe|investiere|plane|biete|verfüge")
CLAUSE_SPLIT = re.compile(r",\s+(?:but|aber|doch|jedoch|while|whereas|während)\s+|;\s+", re.I)

PREDICATES = [
    ("remove_from_roadmap", _rx("entfernt|gestrichen|removed from|dropped from|scrapped|abgesagt|eingestellt|"
                                "shelved|cancell?ed")),
    ("trained_on", _rx("Training mit|Training auf|trainiert\\w*|trained|training on|training with")),
    ("buys", _rx("kauf\\w*|gekauft|bestell\\w*|erwirbt|erwarb|erwerben|buy|buys|bought|purchase|purchased|"
                 "purchases|order|ordered|acquire[sd]?")),
    ("invests_in", _rx("investier\\w*|Investition\\w*|beteiligt|Beteiligung|invest|invests|invested|investment|"
                       "took a stake|takes a stake|stake in")),
    ("outperforms", _rx("übertr(?:ifft|af|effe|effen|äfe)|besser als|schlägt|schlug|outperform|outperforms|"
                        "outperformed|beats|beat|surpass|surpasses|surpassed|better than|ahead of")),
    ("most_capable", _rx("fortschrittlichste|fortschrittlichsten|leistungsfähigste|leistungsfähigsten|"
                         "beste KI|bestes Modell|most advanced|most capable|most powerful|best model|"
                         "smartest|strongest model")),
    ("delay", _rx("verzögert|verzögerte|Verzögerung|Verzögerungen|verschoben|verschiebt|delay|delays|"
                  "delayed|postpone|postponed|pushed back|nicht rechtzeitig|behind schedule|slipped|"
                  "missed (?:its|the|a) (?:deadline|target|date)|failed to [^.]{0,60}on time")),
    ("team_size", _rx("Teamgröße|Team ist kleiner|Mitarbeiterzahl|team size|headcount|employees|Mitarbeiter")),
    ("competes_with", _rx("als Reaktion auf|als Antwort auf|Konkurrenz zu|konkurriert|in response to|"
                          "compete with|competes with|competing with|rival to|rival of|answer to")),
    ("release", _rx("auf den Markt kommen|auf den Markt bringen|auf den Markt zu bringen|herausbringen|"
                    "herauszubringen|herausgebracht|veröffentlich\\w*|erschein\\w*|erschien\\w*|starten|startet|"
                    "vorstellen|vorgestellt|verfügbar|release|released|releases|releasing|launch|launches|"
                    "launched|launching|ship|ships|shipping|roll out|rolls out|available|debut|unveil")),
]

MODALITY = [
    ("denied", _rx("dementierte|dementiert|bestritt|bestreitet|wies zurück|denied|denies|rejected|refuted|"
                   "dismissed|no plans to|keine Pläne|nicht geplant|has not planned|will not|won't|"
                   "wird nicht|werde nicht")),
    ("hedged", _rx("mit etwas Glück|möglicherweise|vielleicht|eventuell|könnte|könnten|unter Umständen|"
                   "wahrscheinlich|may|might|could|possibly|perhaps|with (?:some|a bit of) luck|hopefully|"
                   "probably|likely")),
    ("aspired", _rx("hoffen|hofft|hoffe|Anspruch|Ziel ist|anstreben|hope|hopes|hoping|aim|aims|aspire|"
                    "aspires|ambition|goal is")),
    ("planned", _rx("plant|plante|planen|geplant|beabsichtigt|plans|planned|planning|intends|intended|"
                    "roadmap")),
    ("promised", _rx("verspricht|versprach|versprochen|versprechen|zugesagt|promise|promised|promises|vowed|"
                     "pledged|guaranteed|will|wird|werde|würde|werden|is going to|kommt")),
    ("predicted", _rx("erwartet|erwartete|prognostiziert|prognostizierte|rechnet mit|predict|predicts|"
                      "predicted|expects|expected|forecast|anticipates")),
]

CHANNELS = [
    ("x_post", _rx("Plattform X|auf X|bei X|auf Twitter|on X|on Twitter|tweet|tweeted|"
                   "Tweet|X-Post|post on X|posted on X|in a post on X")),
    ("podcast", _rx("Podcast|podcast")),
    ("interview", _rx("Interview|interview|im Gespräch mit|in an interview|told")),
    ("keynote", _rx("Keynote|keynote")),
    ("blog", _rx("Blogbeitrag|Blog-Beitrag|Blogpost|Blog|blog post|blog")),
    ("press_release", _rx("Pressemitteilung|press release|Mitteilung")),
    ("website_code", _rx("Code auf der|Website-Code|Quellcode der Website|website code|code on (?:the|its) "
                         "website|source code of")),
    ("docs", _rx("Dokumentation|Entwicklungsdokumenten|Dokumenten|documentation|docs|developer documents")),
    ("livestream", _rx("Livestream|livestream|live stream")),
    ("keynote", _rx("Konferenz|conference|event|Event")),
]
REPORT_CHANNELS = {"website_code", "docs"}

NOT_RELEASED = _rx("noch nicht erschienen|immer noch nicht erschienen|noch nicht veröffentlicht|nicht "
                   "veröffentlicht|still not released|not yet released|has not been released|hasn't been "
                   "released|has yet to be released|still hasn't shipped|has not shipped|noch nicht auf den Markt")
DEMONSTRATIVE = re.compile(r"\b(?:diese|dieser|dieses|diesen|this|these|those|solche|such)\s+(?:\w+\s+)?$", re.I)
ATTRIBUTIVE = re.compile(r"\b(?:von|of)\s+$", re.I)
REPORT_PREDICATES = {"delay", "team_size", "remove_from_roadmap", "invests_in", "buys"}
FORWARD = {"promised", "planned", "predicted", "hedged", "aspired"}


class _Hit:
    __slots__ = ("_start", "_end")

    def __init__(self, start: int, end: int):
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``\\b(?:a|b|c)\\b``-style patterns."""
    body = pattern
    if body.startswith(r"\b(?:") and body.endswith(r")\b"):
        body = body[len(r"\b(?:"):-len(r")\b")]
    out, depth, current = [], 0, ""
    for ch in body:
        if ch == "(" and not current.endswith("\\"):
            depth += 1
        elif ch == ")" and not current.endswith("\\"):
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return out + [current]


def _literal_prefix(alternative: str) -> str:
    prefix = ""
    for ch in alternative:
        if ch in "\\()[]{}?*+.^$|":
            break
        prefix += ch
    return prefix.split(" ")[0].lower()


class Lexicon:
    """Several named keyword patterns. Each alternative of each pattern is indexed by the
    first letters of its literal prefix; a clause's words look up the few alternatives
    that can match, and only those small patterns run (scanning every pattern over every
    clause costs far more)."""

    def __init__(self, entries: list[tuple[str, re.Pattern]]):
        self.names = [name for name, _ in entries]
        self.index: dict[str, list[tuple[str, re.Pattern]]] = {}
        self.always: list[tuple[str, re.Pattern]] = []
        for name, rx in entries:
            for alt in _alternatives(rx.pattern):
                compiled = re.compile(r"\b(?:" + alt + r")\b", re.I)
                prefix = _literal_prefix(alt)
                if not prefix or not prefix[0].isalnum():
                    self.always.append((name, compiled))
                else:
                    self.index.setdefault(prefix[:3], []).append((name, compiled))
        self.short = {k for k in self.index if len(k) < 3}

    def candidates(self, words: list[str]) -> set:
        found = set(self.always)
        index, short = self.index, self.short
        for w in words:
            entries = index.get(w[:3])
            if entries:
                found.update(entries)
            if short:
                for k in (w[:1], w[:2]):
                    if k in short:
                        found.update(index[k])
        return found

    def first_hits(self, text: str, a: int, b: int, words: list[str] | None = None) -> dict[str, _Hit]:
        if words is None:
            words = [t[0].lower() for t in tokens(text, a, b)]
        found: dict[str, _Hit] = {}
        for name, rx in self.candidates(words):
            m = rx.search(text, a, b)
            if m and (name not in found or m.start() < found[name].start()):
                found[name] = _Hit(m.start(), m.end())
        return found


PREDICATE_LEXICON = Lexicon(PREDICATES)
SPEECH_DE_LEXICON = Lexicon([("speech", SPEECH)])
MODALITY_LEXICON = Lexicon(MODALITY)
NOT_RELEASED_LEXICON = Lexicon([("not_released", NOT_RELEASED)])
SPEECH_EN_LEXICON = Lexicon([("speech", SPEECH_EN)])
CHANNEL_LEXICON = Lexicon(CHANNELS)
DATE_HINT = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}(?:\.|st|nd|rd|th)?\s|" + "|".join(sorted(MONTHS,
                                                key=len, reverse=True)) +
                       r"|Ende|end of|Jahr|year|Sommer|summer|kürzlich|vor kurzem|jüngst|recently|Woche|week|"
                       r"gestern|yesterday|heute|today|bald|soon|Kürze|Quartal|months|Monaten", re.I)


@dataclass
class Mention:
    id: str
    kind: str
    start: int
    end: int
    text: str


@dataclass
class Memory:
    last_person: str | None = None
    last_org: str | None = None
    last_model: str | None = None
    last_hardware: str | None = None
    last_speaker: str | None = None
    words: list = field(default_factory=list)        # the current sentence's words and mentions
    mentions: list = field(default_factory=list)
    events: dict = field(default_factory=dict)        # (channel, counterpart) -> stated
    last_claim: dict = field(default_factory=dict)    # claimant -> (subject, predicate, channel, stated)


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[dict, dict, dict]:
    data = yaml.safe_load((files("claimgraph.ingest.extract") / "gazetteer.yaml").read_text(encoding="utf-8"))
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for kind, entries in data.items():
        for slug, entry_names in entries.items():
            eid = f"{kind}:{slug}"
            names[eid] = entry_names[0]
            aliases[eid] = tuple(entry_names[1:])
            for n in entry_names:
                keys.setdefault(alias_key(n), eid)
    return keys, names, aliases


@functools.lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return alias_key(token)


class Gazetteer:
    """Names of entities (shipped, plus the database's) matched over token windows: the
    key of a window is the concatenation of its tokens' keys, so "Grok 3", "Grok-3" and
    "Grok3" all match."""

    def __init__(self, known: dict[str, str] | None = None):
        keys, names, aliases = _shipped()
        self.keys = dict(keys)
        self.names = dict(names)
        self.aliases = {k: list(v) for k, v in aliases.items()}
        for name, eid in (known or {}).items():
            self.keys.setdefault(alias_key(name), eid)
            self.names.setdefault(eid, name)
        self.max_tokens = 4

    def find(self, text: str, start: int, end: int, toks=None) -> list[Mention]:
        toks = tokens(text, start, end) if toks is None else toks
        tkeys = [_token_key(t[0]) for t in toks]
        out, i = [], 0
        while i < len(toks):
            hit = None
            for n in range(min(self.max_tokens, len(toks) - i), 0, -1):
                key = "".join(tkeys[i:i + n])
                eid = self.keys.get(key)
                if eid is None:
                    continue
                a, b = toks[i][1], toks[i + n - 1][2]
                span = text[a:b]
                if len(key) > 2 or span in (self.names.get(eid), *self.aliases.get(eid, ())):
                    hit = Mention(eid, eid.split(":")[0], a, b, span)
                    i += n
                    break
            if hit:
                out.append(hit)
            else:
                i += 1
        return out


class RuleExtractor:
    name = VERSION

    def extract(self, article: Article, known: dict[str, str] | None = None) -> dict:
        language = article.language
        if not language:
            language, share = detect_language(article.text)
            if language is None or share < 0.4:
                raise UnsupportedLanguage("cannot tell the article's language (give --language de or en)")
        language = language.split("-")[0]
        if language not in ("de", "en"):
            raise UnsupportedLanguage(f"the article is in {language!r}; the rule-based extractor reads "
                                      "German (de) and English (en) only")
        published = dt.date.fromisoformat((article.published or dt.date.today().isoformat()).ljust(10, "-")[:7] + "-01") \
            if article.published and len(article.published) < 10 else \
            dt.date.fromisoformat(article.published) if article.published else dt.date.today()
        gaz = Gazetteer(known)
        text = article.text
        memory = Memory()
        publisher = None
        if article.publisher:
            publisher = gaz.keys.get(alias_key(article.publisher)) or f"org:{slugify(article.publisher)}"
        claims: list[dict] = []
        resolutions: list[dict] = []
        used: dict[str, str] = {}
        seen_own: set[tuple[str, str, str]] = set()
        seen_res: set[tuple[str, str]] = set()
        for a, b in sentences(text):
            for claim in self._sentence(text, a, b, gaz, memory, published, publisher, language):
                if claim["claimant"] == publisher:  # the report restating itself adds no claim
                    own = (claim["subject"], claim["predicate"], str(claim.get("object")))
                    if own in seen_own:
                        continue
                    seen_own.add(own)
                claims.append(claim)
            res = self._resolution(text, a, b, gaz, published, claims, memory)
            if res and (res["subject"], res["due"]) not in seen_res:
                seen_res.add((res["subject"], res["due"]))
                resolutions.append(res)
        # entities: declare every one used, with its name and aliases
        for c in claims:
            for role in ("claimant", "subject"):
                used[c[role]] = ""
            if isinstance(c.get("object"), str):
                used[c["object"]] = ""
        entities = []
        for eid in used:
            entry = {"id": eid, "kind": eid.split(":")[0], "name": gaz.names.get(eid) or
                     (article.publisher if eid == publisher else eid.split(":")[1])}
            if gaz.aliases.get(eid):
                entry["aliases"] = list(gaz.aliases[eid])
            entities.append(entry)
        source = {"text": text, **article.meta(), "language": language}
        if article.published is None:
            source["published"] = published.isoformat()
        return {"source": source, "extractor": VERSION, "entities": entities, "claims": claims,
                "resolutions": resolutions}

    # -- one sentence ---------------------------------------------------------------
    def _sentence(self, text, a, b, gaz, memory, published, publisher, language) -> list[dict]:
        """Claims of one sentence, clause by clause ("X planned …, but it was delayed")."""
        toks = tokens(text, a, b)
        mentions = gaz.find(text, a, b, toks)
        memory.words = [t[0].lower() for t in toks]
        memory.mentions = mentions
        for m in OUTLET.finditer(text, a, b):  # "The Information reported …": a news outlet speaks
            name = m.group(1)
            if not any(x.start <= m.start(1) < x.end for x in mentions) and name.split()[-1] not in ("He", "She", "It"):
                eid = f"org:{slugify(name)}"
                gaz.names.setdefault(eid, name)
                mentions.append(Mention(eid, "org", m.start(1), m.end(1), name))
        mentions.sort(key=lambda m: m.start)
        self._learn_surnames(gaz, mentions)
        out = []
        cuts = [a] + [m.end() for m in CLAUSE_SPLIT.finditer(text, a, b)] + [b]
        for x, y in itertools.pairwise(cuts):
            part = [m for m in mentions if x <= m.start < y]
            words = [t[0].lower() for t in toks if x <= t[1] < y]
            out += self._clause(text, x, y, part, gaz, memory, published, publisher, language, a, b, words)
        for m in mentions:
            if m.kind in ("model", "product", "hardware") and m.kind != "hardware":
                memory.last_model = m.id
            if m.kind == "hardware":
                memory.last_hardware = m.id
            if m.kind == "org":
                memory.last_org = m.id
        return out

    @staticmethod
    def _learn_surnames(gaz, mentions) -> None:
        """After "Lisa Su" or "Arthur Mensch", "Su" and "Mensch" name that person."""
        for m in mentions:
            parts = m.text.split()
            if m.kind == "person" and len(parts) >= 2:
                gaz.keys.setdefault(alias_key(parts[-1]), m.id)
                gaz.aliases.setdefault(m.id, [])
                if parts[-1] not in gaz.aliases[m.id]:
                    gaz.aliases[m.id].append(parts[-1])

    def _clause(self, text, a, b, mentions, gaz, memory, published, publisher, language, sa, sb,
                words) -> list[dict]:
        hits = PREDICATE_LEXICON.first_hits(text, a, b, words)
        preds = [(name, hits[name]) for name in PREDICATE_LEXICON.names if name in hits]
        speech_lexicon = SPEECH_DE_LEXICON if language == "de" else SPEECH_EN_LEXICON
        speech = speech_lexicon.first_hits(text, a, b, words).get("speech")  # the leftmost reporting verb
        if not preds and speech is None:  # nothing said here; only who was named counts
            for m in mentions:
                if m.kind == "person":
                    memory.last_person = m.id
            return []
        channel_hits = CHANNEL_LEXICON.first_hits(text, a, b, words)
        channel = next((n for n in CHANNEL_LEXICON.names if n in channel_hits), None)
        claimant = self._speaker(text, a, b, mentions, speech, channel, memory)
        continued = False
        if claimant is None and language == "de" and KONJUNKTIV.search(text, a, b) and memory.last_speaker:
            claimant, continued = memory.last_speaker, True  # indirect speech goes on
        counterpart = None
        if channel:
            where = channel_hits[channel].start()
            others = [m for m in mentions if m.kind == "person" and m.id != claimant]
            if others:
                counterpart = min(others, key=lambda m: abs(m.start - where)).id
        for m in mentions:
            if m.kind == "person" and m.id not in (counterpart, claimant):
                memory.last_person = m.id
        if claimant and claimant.startswith("person:"):
            memory.last_person = claimant
        if not preds:
            # a direct quote continuing what the speaker said before
            if claimant and claimant in memory.last_claim and re.search(r"[„“\"«»]", text[a:b]) and speech:
                subject, predicate, ch, stated = memory.last_claim[claimant]
                return [self._claim(claimant, subject, predicate, None, None, None,
                                    self._modality(text, a, b, predicate, words), ch, stated, text, sa, sb, 0.5)]
            return []
        own = False
        if claimant is None:
            if publisher is None or not any(p in REPORT_PREDICATES for p, _ in preds):
                return []
            claimant, own = publisher, True
            preds = sorted(((p, m) for p, m in preds if p in REPORT_PREDICATES), key=lambda pm: pm[1].start())[:1]
            if preds and DEMONSTRATIVE.search(text[max(a, preds[0][1].start() - 12):preds[0][1].start()]):
                return []  # "this delay …" refers back to something already said
        memory.last_speaker = None if own else claimant
        has_dates = DATE_HINT.search(text, a, b) is not None
        points = [d for d in dates(text, a, b, published) if d.kind == "point"] if has_dates else []
        stated = points[0].value if points else None
        key = (channel, counterpart)
        if own:
            stated = published.isoformat()  # the report says it when it is published
        elif channel and stated:
            memory.events[key] = stated
        elif channel and key in memory.events:
            stated = memory.events[key]
        elif stated is None and claimant in memory.last_claim and (continued or not channel):
            _, _, channel, stated = memory.last_claim[claimant]  # the same speaker, the same occasion
        # "by the end of the year" is the year it was said in
        reference = dt.date.fromisoformat(stated.ljust(10, "-")[:7] + "-01") if stated and len(stated) >= 7 else \
            dt.date(int(stated), 12, 31) if stated else published
        dues = [d for d in dates(text, a, b, reference) if d.kind == "due"] if has_dates else []
        content_start = speech.end() if speech and not own else a
        content = [m for m in mentions if m.start >= content_start and m.id != claimant] or \
                  [m for m in mentions if m.id != claimant]
        out = []
        for predicate, trigger in self._choose_predicates(preds):
            modality = "asserted" if own else self._modality(text, a, b, predicate, words)
            due = dues[0].value if dues and predicate == "release" and modality in FORWARD else None
            claim_stated = stated
            if claim_stated is None:
                if due and int(due[:4]) < published.year:
                    claim_stated = due[:4]
                else:
                    claim_stated = published.isoformat()
            args = self._arguments(predicate, content, mentions, claimant, trigger, text, a, b, language, memory)
            for subject, obj, qty, unit in args:
                ch = "press_report" if own else (channel or "other")
                conf = 0.4 + 0.2 * bool(speech and not own) + 0.15 * bool(points) + 0.15 * bool(channel) + \
                    0.1 * bool(subject)
                out.append(self._claim(claimant, subject, predicate, obj, qty, unit, modality, ch, claim_stated,
                                       text, sa, sb, round(min(conf, 0.95), 2), due))
                memory.last_claim[claimant] = (subject, predicate, ch, claim_stated)
        return out

    def _speaker(self, text, a, b, mentions, speech, channel, memory) -> str | None:
        if speech is None:
            if channel in REPORT_CHANNELS:  # a company's website code or documents "show" something
                orgs = [m for m in mentions if m.kind == "org"]
                if orgs:
                    return orgs[0].id
            return None
        clause = CLAUSE.search(text, a, b)
        limit = clause.start() if clause and clause.start() < speech.start() else speech.start()

        def subject_like(m):  # "das Unternehmen von Elon Musk": Musk is an attribute, not the speaker
            return m.kind in ("person", "org") and not ATTRIBUTIVE.search(text[max(a, m.start - 6):m.start])
        before = [m for m in mentions if m.end <= limit and subject_like(m)]
        if not before:
            before = [m for m in mentions if m.end <= speech.start() and subject_like(m)]
        persons = [m for m in before if m.kind == "person"]
        if persons:
            return persons[-1].id if len(persons) == 1 else persons[0].id
        pronoun = PRONOUNS_PERSON.search(text, a, speech.end() + 12)
        if pronoun and memory.last_person and not before:
            return memory.last_person
        if before:
            return before[0].id
        after = [m for m in mentions if m.start >= speech.end() and m.kind in ("person", "org")]
        if after and (not clause or after[0].start < clause.start()):
            return after[0].id
        if SPOKESPERSON.search(text, a, speech.start() + 1):  # the company that was speaking
            if memory.last_speaker and memory.last_speaker.startswith("org:"):
                return memory.last_speaker
            if memory.last_org:
                return memory.last_org
        if DESCRIBED_PERSON.match(text[a:speech.start()]) and memory.last_person:
            return memory.last_person  # "Der Milliardär versprach …"
        if pronoun and memory.last_person:
            return memory.last_person
        return None

    @staticmethod
    def _choose_predicates(preds):
        names = [p for p, _ in preds]
        out = []
        for p, m in preds:
            if p == "release" and "delay" in names:
                continue  # "the release was delayed": the delay is the claim
            out.append((p, m))
        return out

    @staticmethod
    def _modality(text, a, b, predicate, words=None) -> str:
        hits = MODALITY_LEXICON.first_hits(text, a, b, words)
        for name in MODALITY_LEXICON.names:
            if name in hits:
                if name == "promised" and predicate not in ("release", "buys", "invests_in", "trained_on"):
                    continue
                return name
        return "asserted"

    def _arguments(self, predicate, content, mentions, claimant, trigger, text, a, b, language, memory):
        things = [m for m in content if m.kind in ("model", "product", "hardware")]
        models = [m for m in things if m.kind != "hardware"]
        orgs = [m for m in mentions if m.kind == "org"]  # the speaker's own company counts here
        hardware = [m for m in content if m.kind == "hardware"]
        qty, unit = None, None
        if predicate in ("trained_on", "buys", "invests_in", "team_size"):
            for m in NUMBER.finditer(text, a, b):
                if not m.group("num") or re.fullmatch(r"(?:19|20)\d\d", m.group("num")):
                    continue
                qty, unit = parse_number(m, language)
                break
        if predicate == "trained_on":
            subject = models[0].id if models else (orgs[0].id if orgs else memory.last_model)
            obj = hardware[0].id if hardware else memory.last_hardware
            return [(subject, obj, qty, None)] if subject and obj else []
        if predicate == "buys":
            buyer = orgs[0].id if orgs else (claimant if claimant and claimant.startswith("org:") else memory.last_org)
            return [(buyer, hardware[0].id, qty, None)] if buyer and hardware else []
        if predicate in ("outperforms", "competes_with"):
            head = [m for m in things if m.start < trigger.start()]
            subject = head[-1].id if head else memory.last_model
            others = [m for m in things if m.start > trigger.start() and m.id != subject]
            return [(subject, o.id, None, None) for o in others] if subject else []
        if predicate == "invests_in":
            investor = next((m.id for m in orgs if m.start < trigger.start()), None) or \
                (claimant if claimant and claimant.startswith("org:") else memory.last_org)
            targets = [m for m in mentions if m.start > trigger.start() - 40 and m.id != investor
                       and m.kind in ("org", "model", "product")]
            return [(investor, targets[0].id if targets else None, qty, unit)] if investor else []
        if predicate == "team_size":
            return [(o.id, None, qty, None) for o in orgs[:1]]
        if predicate == "delay":
            if things:
                return [(things[0].id, None, None, None)]
            subjects = [m for m in content if m.kind == "org"]
            if subjects:
                return [(o.id, None, None, None) for o in subjects]
            return [(memory.last_model, None, None, None)] if memory.last_model else []
        if things:
            return [(things[0].id, None, None, None)]
        if predicate == "release":
            org = next((m.id for m in content if m.kind == "org"), None) or \
                (claimant if claimant and claimant.startswith("org:") else None)
            if org and not re.search(r"\b(?:es|it|das Modell|the model|the new model|das neue Modell)\b",
                                     text[a:b], re.I):
                return [(org, None, None, None)]
        previous = memory.last_claim.get(claimant, (None,))[0]
        fallback = previous if previous and not previous.startswith(("org:", "person:")) else memory.last_model
        return [(fallback, None, None, None)] if fallback else []

    @staticmethod
    def _claim(claimant, subject, predicate, obj, qty, unit, modality, channel, stated, text, a, b, confidence,
               due=None) -> dict:
        claim = {"claimant": claimant, "stated": stated, "channel": channel, "subject": subject,
                 "predicate": predicate, "modality": modality, "quote": text[a:b], "confidence": confidence}
        if obj:
            claim["object"] = obj
        if qty is not None:
            claim["quantity"] = int(qty) if float(qty).is_integer() else qty
        if unit:
            claim["unit"] = unit
        if due:
            claim["due"] = due
        return claim

    def _resolution(self, text, a, b, gaz, published, claims, memory) -> dict | None:
        if not NOT_RELEASED_LEXICON.first_hits(text, a, b, memory.words):
            return None
        models = [m for m in memory.mentions if m.kind in ("model", "product")]
        if not models:
            return None
        subject = models[0].id
        points = [d for d in dates(text, a, b, published) if d.kind == "point" and len(d.value) == 10]
        known = points[0].value if points else published.isoformat()
        dues = {c["due"] for c in claims if c["subject"] == subject and c["predicate"] == "release"
                and c.get("due") and c["due"] < known}
        if len(dues) != 1:
            return None
        return {"subject": subject, "predicate": "release", "due": dues.pop(), "verdict": "broken",
                "known": known, "quote": text[a:b]}
