"""What a statement says: predicates found by their trigger words, with the argument
rule of each (which kinds of entity may be its subject and object).

The vocabulary is the core predicates plus the annotation guide's wider list
(raises_funding, partners_with, …). A statement whose verb is outside it keeps an open
predicate: the verb's snake_case base form, mapped onto the vocabulary where a synonym is
known (``normalize_predicate``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, rx

THINGS = ("model", "product", "hardware")
AGENTS = ("org", "person")


@dataclass(frozen=True)
class ArgRule:
    """Who may be subject and object of a predicate.

    ``subject``/``object``: entity kinds in order of preference; ``quantity``: a number
    in the clause is the claim's quantity; ``fallback``: what a clause naming no
    subject refers back to ("thing": the last model/product/hardware, "org": the last
    organisation or an organisation claimant, "none"); ``head_first``: the subject
    stands before the trigger (comparisons); ``many``: one claim per object named."""
    subject: tuple[str, ...]
    object: tuple[str, ...] = ()
    quantity: bool = False
    fallback: str = "thing"
    head_first: bool = False
    many: bool = False


RULES: dict[str, ArgRule] = {
    "release": ArgRule(THINGS + ("org",), fallback="thing"),
    "released": ArgRule(THINGS + ("org",), fallback="thing"),
    "delay": ArgRule(THINGS + ("org",), fallback="thing"),
    "remove_from_roadmap": ArgRule(THINGS, fallback="thing"),
    "open_source": ArgRule(("model", "product"), fallback="thing"),
    "most_capable": ArgRule(THINGS, fallback="thing"),
    "trained_on": ArgRule(("model", "org"), ("hardware",), quantity=True, fallback="thing"),
    "develops": ArgRule(("org", "person"), THINGS, fallback="org"),
    "builds": ArgRule(("org",), ("product", "hardware"), quantity=True, fallback="org"),
    "leads": ArgRule(("person", "org"), ("org",), fallback="none"),
    "owns": ArgRule(("org", "person"), ("org", "product"), fallback="none"),
    "founded": ArgRule(("person", "org"), ("org",), fallback="none"),
    "competes_with": ArgRule(THINGS + ("org",), THINGS + ("org",), head_first=True, many=True),
    "successor_of": ArgRule(THINGS, THINGS, head_first=True),
    "outperforms": ArgRule(THINGS + ("org",), THINGS + ("org",), head_first=True, many=True),
    "team_size": ArgRule(("org",), quantity=True, fallback="org"),
    "invests_in": ArgRule(("org", "person"), ("org", "product"), quantity=True, fallback="org"),
    "buys": ArgRule(("org",), ("hardware",), quantity=True, fallback="org"),
    "raises_funding": ArgRule(("org",), quantity=True, fallback="org"),
    "valued_at": ArgRule(("org",), quantity=True, fallback="org"),
    "revenue": ArgRule(("org",), quantity=True, fallback="org"),
    "acquires": ArgRule(("org",), ("org", "product"), quantity=True, fallback="org"),
    "partners_with": ArgRule(("org",), ("org",), fallback="org", many=True),
    "joins": ArgRule(("person",), ("org",), fallback="none"),
    "leaves": ArgRule(("person",), ("org",), fallback="none"),
    "uses": ArgRule(("org", "model", "product"), ("hardware", "model", "product"), quantity=True, fallback="org"),
    "sues": ArgRule(AGENTS, AGENTS, fallback="org"),
    "bans": ArgRule(("org",), THINGS + ("org",), fallback="org"),
    "restricts": ArgRule(("org",), THINGS + ("org",), fallback="org"),
    "supplies": ArgRule(("org",), ("org",) + THINGS, quantity=True, fallback="org"),
    "described_as": ArgRule(THINGS + AGENTS, fallback="thing"),
    "has_parameters": ArgRule(("model",), quantity=True, fallback="thing"),
    "signs": ArgRule(("org", "person"), ("product", "org"), fallback="org"),
}
OPEN_RULE = ArgRule(AGENTS + THINGS, AGENTS + THINGS, fallback="none")

_TRIGGERS: list[tuple[str, str, str]] = [
    # name, German triggers, English triggers
    ("remove_from_roadmap",
     r"entfernt|gestrichen|abgesagt|eingestellt|aufgegeben|auf Eis gelegt|nicht mehr aufgeführt",
     r"removed from|dropped from|scrapped|shelved|cancell?ed|abandoned|no longer listed|pulled from|axed"),
    ("trained_on",
     r"Training mit|Training auf|trainiert\w*|Training des|auf \S+ trainiert",
     (r"trained|training on|training with|train on|train its|trains|training run|training runs|training took|"
      r"GPU hours|for training")),
    ("open_source",
     r"Open[- ]Source|quelloffen\w*|offene[nms]? Gewichte\w*|offenes Modell|offene[ns]? Modell\w*|frei verfügbar",
     r"open[- ]source[ds]?|open[- ]weights?|openly available|open model|freely available"),
    ("delay",
     (r"verzögert\w*|Verzögerung\w*|verschiebt|verschoben|verschob|Verschiebung|verspätet\w*|Verspätung|"
      r"später als geplant|nicht rechtzeitig|hinter dem Zeitplan"),
     (r"delay|delays|delayed|postpone[sd]?|pushed back|pushes back|push back|behind schedule|slipped|slips|"
      r"later than planned|missed (?:its|the|a) (?:deadline|target|date)|won't ship until|held back")),
    ("buys",
     (r"kauf\w*|gekauft|bestell\w*|erwirbt|erwarb|erwerben|Kauf|Einkauf|Bestellung\w*|Abnahme|geordert|"
      r"ordert|orderte|sichert sich|sicherte sich"),
     (r"buy|buys|bought|buying|purchase[sd]?|purchasing|order|orders|ordered|acquire[sd]?|acquiring|"
      r"secured|secures|snapped up|takeover|acquisition")),
    ("invests_in",
     (r"investier\w*|Investition\w*|beteiligt\w*|Beteiligung|steckt|steckte|Investment|Finanzspritze|pumpt|"
      r"pumpte|unterstützt \w+ mit"),
     (r"invest|invests|invested|investing|investment|took a stake|takes a stake|stake in|poured|pours|"
      r"backed|backs|backing|led the round|participated in")),
    ("raises_funding",
     (r"Finanzierungsrunde|sammelt\w*|eingesammelt|Kapital eingeworben|Kapitalspritze|Geld eingesammelt|"
      r"Finanzierung|nimmt \w+ ein|Millionen ein|Milliarden ein"),
     r"raise[sd]?|raising|funding round|fundraise|fundraising|funding|financing round|Series [A-H]"),
    ("valued_at",
     r"Bewertung|bewertet|wert",
     r"valued at|valuation|values the company|worth"),
    ("revenue",
     r"Umsatz|Umsätze|Erlös\w*|Einnahmen|erlöst|setzte \w+ um|setzt \w+ um",
     r"revenue|revenues|sales|annualized|annualised|run rate|run-rate"),
    ("acquires",
     r"übernimmt|übernahm|übernehmen|Übernahme|übernommen|schluckt",
     r"takes over|took over|merge[sd]?|merger|buyout"),
    ("partners_with",
     (r"Partnerschaft|Kooperation|kooperier\w*|zusammenarbeit\w*|Zusammenarbeit|gemeinsam mit|zusammen mit|"
      r"Partner|Allianz|Bündnis|Vereinbarung|Deal mit|Vertrag mit"),
     (r"partner|partners|partnered|partnering|partnership|teams? up|teamed up|collaborat\w*|alliance|"
      r"deal with|agreement with|joint venture|together with|signed a deal|contract with")),
    ("outperforms",
     (r"übertr(?:ifft|af|effe|effen|äfe|offen)|besser als|schlägt|schlug|schlage|überlegen|überholt|hängt \w+ ab|"
      r"abgehängt|vor \w+ liegt|liege vor|schneller als|mal so (?:schnell|leistungsfähig|viel)|"
      r"mal schneller|mal mehr|übertreffen|hinter sich"),
     (r"outperform|outperforms|outperformed|outperforming|beats|beat|beating|surpass|surpasses|surpassed|"
      r"better than|ahead of|tops|topped|outscored|outscores|exceeds|exceeded|leapfrogs|faster than|"
      r"times (?:the|faster|more|better)|more capable than|stronger than|smarter than|edge over|lead over")),
    ("competes_with",
     (r"als Reaktion auf|als Antwort auf|Konkurrenz zu|Konkurrenz für|konkurriert\w*|Konkurrent\w*|"
      r"Rivale\w*|mithalten|gleichziehen|auf Augenhöhe|Wettbewerb mit|im Wettbewerb|herausfordern|"
      r"Herausforderer|Kampf um|Rennen um"),
     (r"in response to|compete|competes|competing|competitor|competitors|rival|rivals|rivaling|rivalling|"
      r"answer to|challenge|challenges|challenger|take on|takes on|on par with|matches|match|catch up|"
      r"race against|versus|vs\.?")),
    ("successor_of",
     r"Nachfolger|Nachfolgemodell|Nachfolgerin|löst \w+ ab",
     r"successor|succeeds|replaces|follow-up to|follow-on to"),
    ("most_capable",
     (r"fortschrittlichste\w*|leistungsfähigste\w*|leistungsstärkste\w*|stärkste\w*|beste[nsm]? KI|"
      r"bestes? Modell|klügste\w*|schnellste\w*|mächtigste\w*|intelligenteste\w*|Spitzenmodell|führende\w* Modell|"
      r"weltbeste\w*"),
     (r"most advanced|most capable|most powerful|best model|best AI|smartest|strongest|most intelligent|"
      r"state[- ]of[- ]the[- ]art|world's best|best in the world|leading model|frontier model|fastest|"
      r"most sophisticated|top model|best-performing")),
    ("team_size",
     (r"Teamgröße|Team ist kleiner|Mitarbeiterzahl|Mitarbeitende\w*|Beschäftigte\w*|Angestellte\w*|"
      r"Mitarbeiter\w*|Belegschaft"),
     r"team size|headcount|employees|staff|staffers|workforce|people on its team"),
    ("joins",
     (r"wechselt zu|wechselte zu|wechsel\w* zu|heuert \w* an|heuerte|kommt zu|stößt zu|stieß zu|tritt \w+ bei|"
      r"anheuern|abgeworben|angeheuert"),
     r"joins|joined|joining|hired|hires|hiring|poached|recruited|moves to|moved to|appointed|named"),
    ("leaves",
     (r"verlässt|verließ|verlassen|Abschied|zurückgetreten|tritt zurück|trat zurück|Rücktritt|Abgang|"
      r"ausgeschieden|scheidet aus|schied aus|gekündigt"),
     (r"leaves|left|leaving|departs|departed|departure|quit|quits|resigned|resigns|resignation|steps down|"
      r"stepped down|stepping down|exit|exits|exited|ousted|fired")),
    ("founded",
     r"gründete|gegründet|gründen|Gründung|mitgegründet|Mitgründer",
     r"founded|co-founded|cofounded|founding|launched the company|set up"),
    ("leads",
     (r"leitet|leitete|führt|führte|an der Spitze|Spitze von|übernimmt die Leitung|Chefposten|neuer Chef|"
      r"neue Chefin|wird Chef"),
     (r"leads|led by|will lead|to lead|heads|headed|runs|at the helm|takes the helm|new CEO|named CEO|"
      r"as chief executive|became CEO")),
    ("owns",
     r"besitzt|gehört|Eigentümer|Mehrheit an|hält \w+ Prozent",
     r"owns|owned|owner|majority stake|controls"),
    ("sues",
     r"verklagt\w*|Klage|klagt|klagte|Rechtsstreit|Urheberrechtsklage",
     r"sue|sues|sued|suing|lawsuit|lawsuits|filed suit|litigation"),
    ("bans",
     r"verbiet\w*|verbot|verboten|Verbot|sperrt|sperrte|gesperrt|untersagt\w*",
     r"ban|bans|banned|banning|prohibit\w*|blocks|blocked|bars|barred"),
    ("restricts",
     (r"beschränk\w*|Beschränkung\w*|Exportkontrolle\w*|Exportbeschränkung\w*|Exportverbot\w*|einschränk\w*|"
      r"Einschränkung\w*|Auflagen|reguliert|Regulierung|Obergrenze"),
     (r"restrict\w*|export controls?|export curbs|curbs|limits|limited|caps|capped|regulate[sd]?|"
      r"licen[cs]e requirement")),
    ("supplies",
     r"liefer\w*|geliefert|Lieferung\w*|abgegeben|bereitstellen|stellt \w+ bereit|versorgt",
     r"supply|supplies|supplied|supplier|deliver|delivers|delivered|delivering|provide[sd]?|providing"),
    ("has_parameters",
     r"Parameter\w*",
     r"parameters?"),
    ("signs",
     r"unterzeichn\w*|unterschreib\w*|unterschrieb\w*|Unterschrift|beitreten|beigetreten",
     r"sign|signs|signed|signing|signatory|signatories|sign on to|signed on"),
    ("described_as",
     (r"nannte|nennt|bezeichnete|bezeichnet|lobte|lobt|kritisierte|kritisiert|beschrieb|beschreibt|"
      r"als \w+ bezeichnet|sprach von|spricht von|Meilenstein|Durchbruch|bahnbrechend"),
     (r"called|calls|described|describes|hailed|praised|praises|criticized|criticised|termed|dubbed|"
      r"labeled|labelled|milestone|breakthrough|game[- ]changer|impressive|excellent")),
    ("builds",
     (r"baut|bauen|baute|gebaut|Bau|errichte\w*|ausbauen|ausgebaut|baut \w+ aus|in Betrieb genommen|"
      r"in Betrieb nehmen|in Betrieb gehen|hochfahren|Rechenzentrum|Rechenzentren|Gigafabrik"),
     (r"build|builds|building|built|construct\w*|expand|expands|expanding|brought online|bring online|"
      r"data cent(?:er|re)s?|supercomputer|cluster|campus|gigawatt")),
    ("develops",
     r"entwickel\w*|entwickelt|Entwicklung|arbeitet an|arbeiten an|arbeite an|forscht an|trainieren",
     (r"develop|develops|developed|developing|development|working on|works on|work on|is building|"
      r"are building|designing|designs|designed")),
    ("uses",
     (r"nutz\w*|genutzt|setzt \w* ?auf|setzt \w+ ein|eingesetzt|einsetzen|verwende\w*|Einsatz|integrier\w*|"
      r"greift auf|basiert auf|läuft auf|laufen auf|betreibt|betrieben"),
     (r"use|uses|used|using|relies on|rely on|relying on|deploys|deployed|deploying|runs on|powered by|"
      r"integrates|integrated|based on|built on|adopts|adopted|taps")),
    ("release",
     (r"auf den Markt\w*|herausbring\w*|herauszubringen|herausgebracht|bringt \w+ heraus|brachte \w+ heraus|"
      r"veröffentlich\w*|Veröffentlichung|erschein\w*|erschien\w*|erscheint|starten|startet|startete|"
      r"gestartet|Start|Marktstart|vorstell\w*|vorgestellt|stellte \w+ vor|stellt \w+ vor|präsentier\w*|"
      r"verfügbar|Verfügbarkeit|einführ\w*|eingeführt|Einführung|Markteinführung|ausrollen|ausgerollt|rollt|"
      r"freigeschaltet|freigegeben|Launch|launcht|ausliefern|Auslieferung|kommen|kommt|geplant für|"
      r"vorgesehen für|Serienproduktion|Massenproduktion|Produktionsstart|im Zeitplan|ausgeliefert|"
      r"erhältlich|marktreif"),
     (r"release|released|releases|releasing|launch|launches|launched|launching|ship|ships|shipped|"
      r"shipping|roll out|rolls out|rolled out|rolling out|rollout|available|availability|debut|debuts|"
      r"debuted|unveil|unveils|unveiled|introduce[sd]?|introducing|arrive|arrives|arrived|come out|"
      r"comes out|came out|go live|goes live|went live|made available|make available|hit the market|"
      r"planned for|scheduled for|slated for|due (?:in|for|out)|on track for|shipments|in production|"
      r"volume production|mass production|general availability|generally available|goes on sale|on sale")),
]

LEXICON = {
    "de": Lexicon([(name, rx(de)) for name, de, _ in _TRIGGERS]),
    "en": Lexicon([(name, rx(en)) for name, _, en in _TRIGGERS]),
}
#: which of two predicates triggered in one clause says more ("the launch slipped": delay)
OVERRIDES = {
    "release": {"delay", "remove_from_roadmap", "open_source", "buys", "acquires", "raises_funding",
                "valued_at", "revenue", "most_capable", "outperforms", "partners_with", "invests_in", "bans",
                "restricts", "sues"},
    "released": {"delay", "remove_from_roadmap", "open_source"},
    "builds": {"buys", "trained_on", "invests_in", "develops", "partners_with", "raises_funding", "revenue",
               "valued_at", "uses"},
    "develops": {"trained_on", "release", "open_source", "buys", "partners_with", "invests_in", "raises_funding",
                 "sues", "acquires"},
    "uses": {"trained_on", "buys", "partners_with", "invests_in", "develops", "release", "supplies"},
    "supplies": {"buys", "partners_with", "invests_in"},
    "competes_with": {"outperforms", "most_capable"},
    "team_size": {"joins", "leaves"},
    "joins": {"leads"},
    "leads": {"leaves", "founded"},
    "most_capable": {"outperforms"},
    "buys": {"acquires"},
}

_SYNONYMS = {
    "raise_funds": "raises_funding", "raises_funds": "raises_funding", "raise_funding": "raises_funding",
    "raise": "raises_funding", "raises": "raises_funding", "funding": "raises_funding",
    "acquire": "acquires", "acquired": "acquires", "buy_company": "acquires", "takeover": "acquires",
    "partner": "partners_with", "partners": "partners_with", "partner_with": "partners_with",
    "collaborates_with": "partners_with", "join": "joins", "leave": "leaves", "quits": "leaves",
    "build": "builds", "use": "uses", "sue": "sues", "ban": "bans", "restrict": "restricts",
    "invest_in": "invests_in", "invests": "invests_in", "buy": "buys", "purchases": "buys",
    "develop": "develops", "compete_with": "competes_with", "competes": "competes_with",
    "outperform": "outperforms", "beats": "outperforms", "train_on": "trained_on",
    "release_date": "release", "launch": "release", "launches": "release", "launched": "released",
    "delays": "delay", "delayed": "delay", "postpones": "delay", "open_sources": "open_source",
    "open_sourced": "open_source", "valuation": "valued_at", "is_valued_at": "valued_at",
    "revenues": "revenue", "has_revenue": "revenue", "supply": "supplies", "delivers": "supplies",
    "deliver": "supplies", "provides": "supplies", "founds": "founded", "found": "founded",
    "lead": "leads", "heads": "leads", "own": "owns", "employees": "team_size", "headcount": "team_size",
}
_AUXILIARIES = {"has": "have", "had": "have", "is": "be", "are": "be", "was": "be", "does": "do", "did": "do"}


def _base(predicate: str) -> str:
    head, _, rest = predicate.partition("_")
    head = _AUXILIARIES.get(head, head)
    if head.endswith("ies"):
        head = head[:-3] + "y"
    elif head.endswith(("sses", "ches", "shes", "xes")):
        head = head[:-2]
    elif head.endswith("s") and not head.endswith("ss"):
        head = head[:-1]
    return head + ("_" + rest if rest else "")


_BASE_TO_RULE = {_base(name): name for name in RULES}


def normalize_predicate(predicate: str) -> str:
    """A predicate mapped onto the vocabulary: known synonyms and inflected forms of the
    vocabulary's predicates become those; other open predicates keep their snake_case
    with the first word in its base form ("praises_model" -> "praise_model")."""
    p = re.sub(r"[^a-z0-9]+", "_", predicate.lower()).strip("_")
    if p in RULES:
        return p
    if p in _SYNONYMS:
        return _SYNONYMS[p]
    base = _base(p)
    return _BASE_TO_RULE.get(base) or _SYNONYMS.get(base, base)
