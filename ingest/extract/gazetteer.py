"""Entity names: the shipped gazetteer, the database's entities and names learned while
reading (a surname after the full name), matched over windows of word tokens.

The key of a token window is the concatenation of its tokens' alias keys, so "Grok 3",
"Grok-3" and "Grok3" all match. A one-word name written in lower case in the text
("meta", "apple") matches only if the gazetteer spells it that way.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files

import yaml

from claimgraph.schema.text import alias_key

from .text import tokens

Token = tuple[str, int, int]
MAX_WINDOW = 4


@dataclass
class Mention:
    """An entity named in the text: its id and kind, span and how it was found
    (gazetteer, database, cue, learned)."""
    id: str
    kind: str
    start: int
    end: int
    text: str
    found_by: str = "gazetteer"


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def entity_slug(name: str) -> str:
    """A lower-case ASCII slug for an entity id ("Tim Höttges" -> tim-hoettges)."""
    folded = name.translate(_UMLAUTS)
    ascii_ = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Shipped:
    """The shipped gazetteer, indexed."""
    keys: dict[str, str]
    names: dict[str, str]
    aliases: dict[str, tuple[tuple[str, str | None], ...]]
    wikidata: dict[str, str]
    leaders: dict[str, tuple[str, ...]]


def _entries(data: dict) -> list[tuple[str, dict]]:
    return [(f"{kind}:{slug}", entry) for kind, entries in data.items() for slug, entry in entries.items()]


@functools.lru_cache(maxsize=1)
def shipped() -> Shipped:
    """The gazetteer shipped with the package (``gazetteer.yaml``)."""
    data = yaml.safe_load((files("claimgraph.ingest.extract") / "gazetteer.yaml").read_text(encoding="utf-8"))
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    aliases: dict[str, tuple[tuple[str, str | None], ...]] = {}
    wikidata: dict[str, str] = {}
    leaders: dict[str, list[str]] = {}
    for eid, entry in _entries(data):
        forms = [(n, None) for n in entry["names"]] + [(n, lang) for lang in ("de", "en") for n in entry.get(lang, ())]
        names[eid] = forms[0][0]
        aliases[eid] = tuple(forms[1:])
        for form, _ in forms:
            keys.setdefault(alias_key(form), eid)
        if entry.get("wikidata"):
            wikidata[eid] = entry["wikidata"]
        for org in entry.get("leads", ()):
            leaders.setdefault(f"org:{org}", []).append(eid)
    return Shipped(keys, names, aliases, wikidata, {k: tuple(v) for k, v in leaders.items()})


@functools.lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return alias_key(token)


@dataclass
class Gazetteer:
    """Names of one extraction run: shipped, from the database, and learned as it reads."""
    known: dict[str, str] | None = None
    keys: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    forms: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        base = shipped()
        self.keys = dict(base.keys)
        self.names = dict(base.names)
        self.aliases = {k: [a for a, _ in v] for k, v in base.aliases.items()}
        for eid, name in base.names.items():
            self.forms.add(name)
            self.forms.update(self.aliases[eid])
        for name, eid in (self.known or {}).items():
            if alias_key(name):
                self.keys.setdefault(alias_key(name), eid)
                self.names.setdefault(eid, name)
                self.forms.add(name)

    def add(self, eid: str, name: str, alias: str | None = None) -> None:
        """Declare a name found in the text (and optionally a shorter alias of it)."""
        self.names.setdefault(eid, name)
        for form in (name, alias):
            if form and alias_key(form):
                self.keys.setdefault(alias_key(form), eid)
                self.forms.add(form)
                if form != self.names[eid] and form not in self.aliases.setdefault(eid, []):
                    self.aliases[eid].append(form)

    def _accepts(self, span: str, key: str, eid: str, single: bool) -> bool:
        if span in self.forms:
            return True
        if len(key) <= 2:
            return False
        name = self.names.get(eid, "")
        return not single or not name or span[:1].isupper() == name[:1].isupper()

    def find(self, text: str, start: int, end: int, toks: list[Token] | None = None) -> list[Mention]:
        """Mentions in text[start:end], longest window first, left to right."""
        toks = tokens(text, start, end) if toks is None else toks
        tkeys = [_token_key(t[0]) for t in toks]
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            for n in range(min(MAX_WINDOW, len(toks) - i), 0, -1):
                key = "".join(tkeys[i:i + n])
                eid = self.keys.get(key)
                if eid is None:
                    continue
                a, b = toks[i][1], toks[i + n - 1][2]
                if self._accepts(text[a:b], key, eid, n == 1):
                    out.append(Mention(eid, eid.split(":")[0], a, b, text[a:b]))
                    i += n
                    break
            else:
                i += 1
        return out

    def learn_surname(self, mention: Mention) -> None:
        """After "Lisa Su" or "Tim Höttges", the surname alone names that person."""
        parts = mention.text.split()
        if mention.kind == "person" and len(parts) >= 2 and len(parts[-1]) > 1:
            self.add(mention.id, self.names.get(mention.id, mention.text), parts[-1])

    def leader_of(self, org: str, mentioned: list[str]) -> str | None:
        """The person heading ``org``: one named in the article so far, else the only
        leader the gazetteer knows."""
        leaders = shipped().leaders.get(org, ())
        named = [p for p in mentioned if p in leaders]
        if named:
            return named[-1]
        return leaders[0] if len(leaders) == 1 else None

    def entity(self, eid: str, fallback_name: str | None = None) -> dict:
        """The claim-file declaration of an entity: id, kind, name, aliases, Wikidata id."""
        entry: dict = {"id": eid, "kind": eid.split(":")[0],
                       "name": self.names.get(eid) or fallback_name or eid.split(":")[1]}
        aliases = [a for a in self.aliases.get(eid, ()) if a != entry["name"]]
        if aliases:
            entry["aliases"] = aliases
        qid = shipped().wikidata.get(eid)
        if qid:
            entry["external_ids"] = {"wikidata": qid}
        return entry
