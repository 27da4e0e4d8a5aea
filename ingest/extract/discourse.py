"""What the extractor knows while it reads an article: the article-wide context, each
sentence with its mentions, and the memory that lets later sentences refer back
("he", "the company", "das Modell", the same interview)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Mention

_WORD = re.compile(r"[^\W_]+")


@dataclass
class Sentence:
    """One sentence (or window of an overlong one) with what was found in it."""
    text: str
    start: int
    end: int
    words: list[str]
    mentions: list[Mention]
    quotes: list[tuple[int, int]]
    index: int

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions starting inside [start, end)."""
        return [m for m in self.mentions if start <= m.start < end]

    def words_in(self, start: int, end: int) -> list[str]:
        """Lower-cased words of text[start:end] without punctuation, split at hyphens
        (for the keyword index)."""
        return _WORD.findall(self.text[start:end].lower())

    def quoted(self, pos: int) -> bool:
        """True when ``pos`` lies inside quotation marks."""
        return any(a <= pos < b for a, b in self.quotes)


@dataclass
class Said:
    """When and where a claimant last spoke, to carry over to statements that follow."""
    stated: str
    channel: str | None
    sentence: int = -10


@dataclass
class Memory:
    """Discourse state: the last entities of each kind, the last speaker and the
    occasions speakers were quoted on."""
    last_person: str | None = None
    last_org: str | None = None
    last_thing: str | None = None
    last_speaker: str | None = None
    salient_person: str | None = None
    topic: str | None = None
    topic_fresh: bool = False
    speaker_sentence: int = -10
    persons: list[str] = field(default_factory=list)
    said: dict[str, Said] = field(default_factory=dict)
    affiliation: dict[str, str] = field(default_factory=dict)
    last_source: str | None = None
    subjects: dict[str, str] = field(default_factory=dict)
    last_claims: dict[str, tuple[int, dict]] = field(default_factory=dict)
    last_date: dt.date | None = None
    mentioned: dict[str, int] = field(default_factory=dict)
    first_org: str | None = None  # the first organisation named in the sentence before

    def saw(self, mentions: list[Mention]) -> None:
        """Remember the mentions of a sentence, in text order; the first person named
        in it becomes the one "er"/"she" refers to next."""
        persons = [m.id for m in mentions if m.kind == "person"]
        if persons:
            self.salient_person = persons[0]
        self.first_org = next((m.id for m in mentions if m.kind == "org"), None)
        things = [m.id for m in mentions if m.kind in ("model", "product")]
        if things and not self.topic_fresh:
            self.topic = things[0]
        self.topic_fresh = False
        for m in mentions:
            self.mentioned[m.id] = self.mentioned.get(m.id, 0) + 1
            if m.kind == "person":
                self.last_person = m.id
                if m.id not in self.persons:
                    self.persons.append(m.id)
            elif m.kind == "org":
                self.last_org = m.id
            else:
                self.last_thing = m.id

    def affiliate(self, mentions: list[Mention]) -> None:
        """Remember the organisation named next to a person ("OpenAI chief executive Sam
        Altman", "Kevin Scott, Microsoft's CTO") as the one "we" means in their words."""
        for m in mentions:
            if m.kind != "person" or m.id in self.affiliation:
                continue
            near = [o for o in mentions
                    if o.kind == "org" and (0 <= m.start - o.end <= 40 or 0 <= o.start - m.end <= 40)]
            if near:
                self.affiliation[m.id] = min(near, key=lambda o: min(abs(m.start - o.end), abs(o.start - m.end))).id

    def about(self, subject: str, obj: object = None) -> None:
        """Remember the model or product a claim was about (its subject, else its
        object: "Meta develops Behemoth"): "it" refers to it next."""
        for eid in (subject, obj):
            if isinstance(eid, str) and eid.split(":")[0] in ("model", "product", "hardware"):
                self.topic, self.topic_fresh = eid, True
                return

    def spoke(self, claimant: str, sentence: int) -> None:
        """Remember who spoke last (for indirect speech that goes on)."""
        self.last_speaker, self.speaker_sentence = claimant, sentence
        if claimant.startswith("person:"):
            self.last_person = claimant


@dataclass
class Context:
    """Article-wide facts: text, language, publication date, publisher id, the names."""
    text: str
    language: str
    published: dt.date
    publisher: str | None
    gazetteer: Gazetteer
    memory: Memory = field(default_factory=Memory)
    #: the sentence at an index ahead of the one being read (None past the end or too far ahead)
    sentence_at: Callable[[int], Sentence | None] = lambda index: None
