"""Entities the gazetteer does not know, found by their type cues.

"the chip X", "X-Chips", "Modell X", "X model", a model family with a version ("Claude
Opus 4.1", "Qwen3-Coder"), "CEO X Y", "Chef von X", "X-Chef", "das Start-up X",
"X Inc.", a common given name followed by a capitalised surname, "Rechenzentrum X".
Each cue gives the kind; the id is ``kind:slug`` of the name.
"""
from __future__ import annotations

import re

from .gazetteer import Gazetteer, Mention, entity_slug

_NAME = r"[A-ZÄÖÜ][\w&.'’+-]*[\w+]|[A-ZÄÖÜ]"
_NAMES = rf"(?:{_NAME})(?:\s+(?:{_NAME}|\d[\w.]*))" + r"{0,2}"
_LOWER = "a-zäöüéèáíóúçñ'’"
_PART = rf"(?:Mc|Mac|De|Le|La|Di|O')?[A-ZÄÖÜ][{_LOWER}]+(?:-[A-ZÄÖÜ]?[{_LOWER}]+)*"
_PERSON = rf"{_PART}(?:\s+(?:von der|van der|de|van|von|bin|al|le|del|da)?\s*{_PART}){{1,2}}"

_PERSON_RX = re.compile(_PERSON)

#: model families with a version ("GPT-4.1 mini", "Llama 4 Maverick", "Claude Opus 4.1")
_VARIANT = r"(?:[- ](?:Pro|Ultra|Flash|Flash-Lite|Opus|Sonnet|Haiku|mini|Mini|nano|Nano|Turbo|Large|Small|Medium|" \
           r"Maverick|Scout|Behemoth|Max|Plus|Heavy|Coder|Instruct|Thinking|Reasoning|Lite|Preview|Omni|Vision|" \
           r"Next|Fast|High|Deep Research|Experimental|Exp|Codex|Image|Edit))*"
MODEL_FAMILY = re.compile(
    r"\b(?:(?:GPT|Grok|Llama|LLaMA|Gemini|Gemma|Qwen|DeepSeek|Mistral|Mixtral|Magistral|Codestral|Phi|Kimi|Ernie|"
    r"ERNIE|Falcon|Yi|GLM|Hunyuan|Doubao|Nova|Titan|Sora|Veo|Imagen|Midjourney|Stable Diffusion|DALL-E|Pixtral|"
    r"Granite|Jamba|Olmo|OLMo|Command|Aya|Luminous|Pharia|Teuken|Devstral)[- ]?(?:[RVK]?\d+(?:\.\d+)?[a-z]?|"
    r"R\d|V\d(?:\.\d)?)(?:-[A-Za-z0-9.]+)*|Claude(?: (?:Opus|Sonnet|Haiku))? \d(?:\.\d)?(?: (?:Opus|Sonnet|Haiku))?|"
    r"o[1-9](?:-(?:mini|pro|preview))?)" + _VARIANT + r"(?![\w-])")
#: generic nouns a model name is compounded with ("Llama-4-Familie"): not part of the name
_COMPOUND_TAIL = re.compile(r"-(?:Familie|Reihe|Serie|Modell\w*|Chips?|Generation|Nachfolger|Version\w*|Variante\w*|"
                            r"Release|Start|Launch|Update|Vorstellung)$")
#: hardware named like chips are named ("GB300", "MI450", "Maia 200", "Ascend 910C")
HARDWARE_NAME = re.compile(r"\b(?:[A-Z]{1,3}\d{2,4}[A-Z]{0,2}|(?:Maia|Ascend|Gaudi|Trainium|Inferentia|Axion|"
                           r"Cobalt|Graviton|Instinct|Rubin|Feynman)\s?\d[\w.]*)\b")
_HARDWARE_CUE = re.compile(r"^[- ]?(?:chips?|Chips?|GPUs?|Grafikkarten?|Grafikprozessoren|Beschleuniger|"
                           r"accelerators?|processors?|Prozessoren|Prozessor|superchips?|systems?|Systeme|servers?|"
                           r"Server|racks?|cards?)\b")
_HARDWARE_BEFORE = re.compile(r"\b(?:chips?|Chips?|GPUs?|Grafikkarten?|Prozessor|processor|accelerator|"
                              r"Beschleuniger|Chip-Generation|chip generation|Nvidia|AMD|Intel|Huawei|Google|AWS|"
                              r"Amazon|Microsoft)\s+$")
_CUES: list[tuple[str, re.Pattern]] = [
    ("model", re.compile(r"\b(?:model|Modell|Modells|Sprachmodell|KI-Modell|KI-Modells|language model|LLM|"
                         r"reasoning model|Reasoning-Modell|Videomodell|video model|chatbot|Chatbot)\s+"
                         r"[„“\"']?(" + _NAMES + ")")),
    ("model", re.compile(r"([A-Z][\w.]*\d[\w.]*|[A-Z][a-z]+[A-Z][\w]*)[- ](?:model|Modell|Modells|LLM)\b")),
    ("person", re.compile(r"\b(?:\w*(?:chef|chefin|leiter|leiterin|präsident|präsidentin)|"
                          r"CEO|Chief Executive|chief executive|founder|co-founder|cofounder|president|"
                          r"President|chairman|Chef|Chefin|Gründer|Gründerin|Mitgründer|Mitgründerin|Vorstandschef|"
                          r"Vorstandschefin|Konzernchef|Konzernchefin|Firmenchef|Firmenchefin|analyst|Analyst|"
                          r"Analystin|researcher|Forscher|Forscherin|minister|Minister|Ministerin|Senator|senator|"
                          r"professor|Professor|Professorin|CTO|CFO|COO|officer|Leiter|Leiterin|head|executive|"
                          r"Manager|Managerin|investor|Investor|Investorin|Dr\.)\s+(" + _PERSON + ")")),
    ("person", re.compile(r"(" + _PERSON + r"),\s+(?:the|der|die|a|an|ein|eine|[A-Z][\w.-]*['’]s)\s+(?:\w+\s+){0,3}?"
                          r"(?:vice president|CEO|chief|"
                          r"head|founder|co-founder|president|Chef|Chefin|Gründer|Gründerin|Mitgründer|"
                          r"Vorsitzende|analyst|Analyst|Analystin|researcher|Forscher|Forscherin|professor|"
                          r"Professor|Professorin|Leiter|Leiterin|Managerin|Manager|executive|partner)")),
    ("org", re.compile(r"\b(?:startup|start-up|Start-up|Startup|company|Unternehmen|Konzern|chipmaker|"
                       r"Chiphersteller|Chipkonzern|firm|Firma|lab|Labor|rival|Konkurrenten|Konkurrent|Rivale|"
                       r"investor|Investor|Finanzinvestor|KI-Firma|KI-Start-up|KI-Startup|KI-Unternehmen|"
                       r"AI startup|AI company|AI lab|cloud provider|Cloud-Anbieter|Cloudanbieter|Softwarekonzern|"
                       r"software maker|Halbleiterkonzern|Technologiekonzern|tech company|Tochter|subsidiary|"
                       r"venture firm|Wagniskapitalgeber|Risikokapitalgeber)\s+(" + _NAMES + ")")),
    ("org", re.compile(r"\b(?:CEO|chief executive|founder|co-founder|head|president|Chef|Chefin|Gründer|"
                       r"Gründerin|Mitgründer|Sprecher|Sprecherin|spokesperson|spokesman|spokeswoman)\s+"
                       r"(?:of|von|des|der|at|bei|for)\s+(" + _NAMES + ")")),
    ("org", re.compile(r"(" + _NAME + r")-(?:Chef|Chefin|Gründer|Gründerin|Mitgründer|Sprecher|Sprecherin|"
                       r"Manager|Managerin|CEO|Konzern|Mutter|Tochter)\b")),
    ("org", re.compile(r"(" + _NAMES + r")\s+(?:Inc\.?|Corp\.?|Corporation|Ltd\.?|AG|GmbH|SE|Labs|Technologies|"
                       r"Holdings|Ventures|Capital|Partners|Systems|Robotics|Semiconductor)\b")),
    ("product", re.compile(r"\b(?:data cent(?:er|re)|Rechenzentrum|Rechenzentrums|supercomputer|Supercomputer|"
                           r"Supercomputers|cluster|Cluster|app|App|platform|Plattform|project|Projekt|"
                           r"Projekts|chatbot|Chatbot|assistant|Assistent|Assistenten|browser|Browser|campus|"
                           r"Campus|service|Dienst)\s+[„“\"']?(" + _NAMES + ")")),
]
STOPWORDS = {"The", "A", "An", "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "In", "Im", "Am",
         "On", "At", "Mit", "With", "Von", "Of", "For", "Für", "Und", "And", "Auch", "Also", "It", "Es", "Er",
         "Sie", "He", "She", "They", "We", "Wir", "This", "That", "Dies", "Diese", "Dieser", "Nach", "After",
         "Bei", "Zu", "To", "Ende", "Anfang", "Mitte", "Januar", "Februar", "März", "April", "Mai", "Juni",
         "Juli", "August", "September", "Oktober", "November", "Dezember", "January", "February", "March",
         "May", "June", "July", "October", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
         "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "KI", "AI", "US", "USA", "EU", "CEO",
         "Chef", "Milliarden", "Millionen", "Dollar", "Euro", "Prozent", "Nun", "Now", "Doch", "But", "Laut",
         "According", "So", "Wie", "As", "Its", "Seine", "Sein", "Seinen", "Ihre", "Ihr", "Their", "His", "Her"}
_NOUNISH = re.compile(r"(?:ung|heit|keit|schaft|tion|tät|ismus|ment|nis|ungen|ieren|ierte|lich|isch|ische|"
                      r"ischen|chen|sten|ern|eln)$")
GIVEN_NAMES = frozenset(
    [
        "Adam", "Alex", "Alexander", "Alexandr", "Alice", "Amy", "Andrea", "Andreas", "Andrew", "Andy", "Angela",
        "Anna", "Anne", "Arthur", "Barbara", "Ben", "Benjamin", "Bernd", "Bill", "Bob", "Brad", "Brian", "Carl",
        "Carlos", "Catherine", "Charles", "Chris", "Christian", "Christina", "Christoph", "Claire", "Clara",
        "Daniel", "Daniela", "Dario", "David", "Demis", "Dennis", "Dieter", "Dirk", "Dmitri", "Elena", "Elizabeth",
        "Elon", "Emily", "Emma", "Eric", "Erik", "Eva", "Felix", "Florian", "Frank", "Friedrich", "Gary", "Georg",
        "George", "Gina", "Greg", "Gregor", "Hannah", "Hans", "Harald", "Heike", "Helen", "Henrik", "Igor", "Ilya",
        "Isabel", "Jack", "Jakob", "Jakub", "James", "Jan", "Jane", "Jason", "Jeff", "Jennifer", "Jens", "Jensen",
        "Jessica", "Joe", "Johannes", "John", "Jonas", "Jonathan", "Jörg", "Josef", "Joseph", "Julia", "Julian",
        "Jürgen", "Karl", "Karin", "Katharina", "Kate", "Katrin", "Kevin", "Klaus", "Lars", "Laura", "Lena", "Lisa",
        "Luca", "Lukas", "Marc", "Marcus", "Maria", "Marie", "Mark", "Markus", "Martin", "Mary", "Matt", "Matthew",
        "Matthias", "Max", "Michael", "Michelle", "Mike", "Mira", "Mustafa", "Nadine", "Nick", "Nicole", "Niklas",
        "Noam", "Oliver", "Olaf", "Pat", "Patrick", "Paul", "Peter", "Philipp", "Rachel", "Ralf", "Richard",
        "Robert", "Robin", "Roland", "Ruth", "Sam", "Samuel", "Sandra", "Sarah", "Sascha", "Satya", "Scott",
        "Sebastian", "Sergey", "Simon", "Sophie", "Stefan", "Stefanie", "Stephan", "Steve", "Steven", "Susan",
        "Sundar", "Sven", "Thomas", "Tim", "Timo", "Tobias", "Tom", "Torsten", "Ulrich", "Ursula", "Volker",
        "Walter", "Werner", "William", "Wolfgang", "Yann", "Yuki", "Zoe", "Aidan", "Aravind", "Arvind", "Clement",
        "Clément", "Fidji", "Jared", "Jakub", "Koray", "Larry", "Masayoshi", "Safra", "Sébastien", "Lip-Bu",
        "Liang", "Ren", "Robin", "Xi", "Jay", "Kai", "Leon", "Moritz", "Nils", "Ole", "Paula", "Rolf", "Sabine",
        "Silke", "Svenja", "Uwe", "Yoshua", "Geoffrey", "Fei-Fei", "Andrej", "Emad", "Mikhail", "Pieter", "Ruslan",
        "Ahmad", "Ali", "Bob", "Barret", "Joel", "Lucas", "Joe", "Nat", "Daniel", "Alexandr", "Chris", "Kevin",
        "Mike", "Nick", "Brad", "Ben", "Amy", "Ashley", "Ryan", "Jacob", "Ethan", "Noah", "Liam", "Olivia", "Ava",
        "Mia", "Hiroshi", "Kenji", "Wei", "Li", "Ming", "Jun", "Hao", "Yan", "Raj", "Priya", "Arjun", "Vikram",
        "Omar", "Hassan", "Fatima", "Mohammed", "Muhammad", "Ahmed", "Carlos", "Diego", "Juan", "Pablo", "Luis",
        "Pierre", "Jean", "Louis", "François", "Antoine", "Marco", "Giorgio", "Giulia", "Sofia", "Elena", "Dmitry",
        "Olga", "Ivan", "Anders", "Lars", "Erik", "Sven", "Johan", "Mats", "Aleksander", "Tomasz", "Piotr",
        "Joanna", "Jakob", "Lena", "Leonie", "Mira", "Tanja", "Judith", "Birgit", "Petra", "Heinz", "Horst",
        "Günter", "Reinhard", "Hubertus", "Ola", "Ina", "Christiane", "Harry", "Henry", "Oscar"
    ])


_YEAR = re.compile(r"(?:19|20)\d\d$")


def _clean(name: str) -> str:
    """A name without leading function words, cut before the first stop word or year."""
    words = name.split()
    while words and words[0] in STOPWORDS:
        words.pop(0)
    for i, w in enumerate(words):
        if i and (w in STOPWORDS or _YEAR.match(w)):
            words = words[:i]
            break
    while words and words[-1].endswith((".", ",")):
        words.pop()
    return " ".join(words).strip(".,'’")


def _plausible(name: str, kind: str, language: str) -> bool:
    if not name or len(name) < 2 or name in STOPWORDS:
        return False
    if kind in ("model", "hardware"):
        return True
    head = name.split()[0]
    return not (language == "de" and kind != "person" and " " not in name and _NOUNISH.search(head)
                and not any(c.isupper() for c in head[1:]))


def _mention(kind: str, name: str, start: int, language: str) -> Mention | None:
    cleaned = _clean(name)
    if not _plausible(cleaned, kind, language):
        return None
    offset = name.find(cleaned)
    return Mention(f"{kind}:{entity_slug(cleaned)}", kind, start + offset, start + offset + len(cleaned), cleaned,
                   "cue")


def _cue_mentions(text: str, start: int, end: int, language: str) -> list[Mention]:
    out: list[Mention] = []
    for m in MODEL_FAMILY.finditer(text, start, end):
        name, b = m.group(), m.end()
        tail = _COMPOUND_TAIL.search(name)
        if tail:
            name, b = name[:tail.start()], m.start() + tail.start()
        out.append(Mention(f"model:{entity_slug(name)}", "model", m.start(), b, name, "family"))
    for m in HARDWARE_NAME.finditer(text, start, end):
        if _HARDWARE_CUE.match(text, m.end()) or _HARDWARE_BEFORE.search(text[max(start, m.start() - 30):m.start()]):
            out.append(Mention(f"hardware:{entity_slug(m.group())}", "hardware", m.start(), m.end(), m.group(), "cue"))
    for kind, pattern in _CUES:
        for m in pattern.finditer(text, start, end):
            found = _mention(kind, m.group(1), m.start(1), language)
            if found:
                out.append(found)
    return out


def _given_name_persons(text: str, start: int, end: int) -> list[Mention]:
    out = []
    for m in _PERSON_RX.finditer(text[start:end]):
        first = m.group().split()[0]
        if first in GIVEN_NAMES:
            name = _clean(m.group())
            if " " in name:
                a = start + m.start()
                out.append(Mention(f"person:{entity_slug(name)}", "person", a, a + len(name), name, "cue"))
    return out


def find_unknown(text: str, span: tuple[int, int], known: list[Mention], *, gazetteer: Gazetteer,
                 language: str) -> list[Mention]:
    """Mentions of entities the gazetteer lacks in text[start:end], not overlapping
    ``known``; each is added to ``gazetteer`` so later sentences find it by name."""
    start, end = span
    out: list[Mention] = []
    cues = sorted(_cue_mentions(text, start, end, language) + _given_name_persons(text, start, end),
                  key=lambda m: (m.start, -(m.end - m.start)))
    for m in cues:  # "Llama 4 Maverick" is more than the "Llama 4" the gazetteer knows; "Joel Kaplan" is not
        inside = [k for k in known if m.start <= k.start and k.end <= m.end and (k.start, k.end) != (m.start, m.end)
                  and ((m.found_by == "family" and k.kind == "model") or
                       (m.kind == "person" and k.kind == "person" and " " not in k.text))]  # "Jared Kaplan"
        for k in inside:
            known.remove(k)
    taken = [(m.start, m.end) for m in known]
    for m in cues:
        if any(m.start < b and a < m.end for a, b in taken):
            continue
        taken.append((m.start, m.end))
        last = m.text.split()[-1]
        variant = last if m.kind == "model" and " " in m.text and last.isalpha() and len(last) > 3 and \
            last[0].isupper() else None
        gazetteer.add(m.id, m.text, variant)
        out.append(m)
    return out
