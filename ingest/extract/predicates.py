"""What a statement says: predicates found by their trigger words, with the argument
rule of each (which kinds of entity may be its subject and object).

The vocabulary is the core predicates plus the annotation guide's wider list
(raises_funding, partners_with, loses, focuses_on, …). Triggers are the words German and
English reporting uses for each proposition, inflected forms included. A statement whose
verb is outside the vocabulary keeps an open predicate: the verb's snake_case form,
mapped onto the vocabulary where a synonym is known (``normalize_predicate``).
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
    "trained_on": ArgRule(("model", "org"), ("hardware", "product"), quantity=True, fallback="thing"),
    "develops": ArgRule(("org", "person"), THINGS, fallback="org"),
    "builds": ArgRule(("org",), ("product", "hardware"), quantity=True, fallback="org"),
    "leads": ArgRule(("person", "org"), ("org", "product"), fallback="none"),
    "owns": ArgRule(("org", "person"), ("org", "product"), quantity=True, fallback="none"),
    "founded": ArgRule(("person", "org"), ("org",), fallback="none"),
    "competes_with": ArgRule(THINGS + ("org",), THINGS + ("org",), head_first=True, many=True),
    "successor_of": ArgRule(THINGS, THINGS, head_first=True, fallback="none"),
    "outperforms": ArgRule(THINGS + ("org",), THINGS + ("org",), head_first=True, many=True),
    "team_size": ArgRule(("org",), quantity=True, fallback="org"),
    "invests_in": ArgRule(("org", "person"), ("org", "product"), quantity=True, fallback="org"),
    "buys": ArgRule(("org",), ("hardware", "product"), quantity=True, fallback="org"),
    "raises_funding": ArgRule(("org",), quantity=True, fallback="org"),
    "valued_at": ArgRule(("org",), quantity=True, fallback="org"),
    "revenue": ArgRule(("org",), quantity=True, fallback="org"),
    "acquires": ArgRule(("org", "person"), ("org", "product"), quantity=True, fallback="org"),
    "partners_with": ArgRule(("org",), ("org",), fallback="org", many=True),
    "joins": ArgRule(("person",), ("org",), fallback="none"),
    "leaves": ArgRule(("person",), ("org",), fallback="none"),
    "uses": ArgRule(("org", "model", "product"), ("hardware", "model", "product"), quantity=True, fallback="org"),
    "sues": ArgRule(AGENTS, AGENTS, fallback="org"),
    "bans": ArgRule(("org",), THINGS + ("org",), fallback="org"),
    "restricts": ArgRule(("org",), ("hardware", "product", "model", "org"), fallback="org"),
    "ships": ArgRule(("org",), ("hardware", "product", "model"), quantity=True, fallback="org"),
    "described_as": ArgRule(THINGS + AGENTS, fallback="thing"),
    "has_parameters": ArgRule(("model",), quantity=True, fallback="thing"),
    "signs": ArgRule(("org", "person"), ("product", "org"), fallback="org"),
    "pays": ArgRule(("org",), ("org",), quantity=True, fallback="org"),
    "loses": ArgRule(("org",), quantity=True, fallback="org"),
    "spends": ArgRule(("org",), quantity=True, fallback="org"),
    "costs": ArgRule(("model", "product", "hardware"), quantity=True, fallback="thing"),
    "scores": ArgRule(("model", "product", "org"), quantity=True, fallback="thing"),
    "has_spec": ArgRule(("hardware", "model", "product"), quantity=True, fallback="thing"),
    "has_users": ArgRule(("product", "model"), quantity=True, fallback="thing"),
    "fixes": ArgRule(("org",), THINGS, fallback="org"),
    "pauses": ArgRule(("org",), ("product", "model"), fallback="org"),
    "publishes": ArgRule(("org",), fallback="org"),
    "expands": ArgRule(("org",), fallback="org"),
    "restructures": ArgRule(("org",), ("product",), fallback="org"),
    "focuses_on": ArgRule(("org", "person"), fallback="org"),
    "reaches": ArgRule(("model", "org"), fallback="org"),
    "capable_of": ArgRule(("model", "product", "org"), fallback="thing"),
    "predicts": ArgRule(THINGS + ("org",), quantity=True, fallback="thing"),
    "reports_to": ArgRule(("person",), ("person",), fallback="none"),
    "is_for_sale": ArgRule(("org",), fallback="org"),
    "goes_public": ArgRule(("org",), fallback="org"),
    "loses_confidence_in": ArgRule(("person",), ("person",), fallback="none"),
    "disagrees_with": ArgRule(("person", "org"), ("org", "person"), fallback="none"),
    "discourages_investment_in": ArgRule(("org",), ("org",), fallback="org", many=True),
}
OPEN_RULE = ArgRule(AGENTS + THINGS, AGENTS + THINGS, fallback="none")

_TRIGGERS: list[tuple[str, str, str]] = [
    # name, German triggers, English triggers (each an alternation of words or phrases)
    ("remove_from_roadmap",
     (r"entfernt|gestrichen|abgesagt|eingestellt|aufgegeben|auf Eis gelegt|nicht mehr aufgeführt|"
      r"nicht mehr (?:\w+ )?(?:ausliefern|veröffentlichen|anbieten|bringen)|streicht|strich"),
     (r"removed from|dropped from|scrapped|shelved|cancell?ed|abandoned|no longer listed|pulled from|axed|"
      r"no longer (?:\w+ )?(?:ship|release|offer|launch)|will not ship|won't ship")),
    ("trained_on",
     r"Training mit|Training auf|trainiert\w*|trainier\w*|auf \S+ trainiert|Trainingsdaten|Testdaten",
     (r"trained|training on|training with|train on|train its|trains|training run|training runs|training took|"
      r"GPU hours|for training|to train|trained on|training data|test sets?")),
    ("open_source",
     (r"Open[- ]Source[-\w]*|quelloffen\w*|offene[nms]? Gewichte\w*|offenen Gewichten|offenes Modell|"
      r"offene[ns]? Modell\w*|frei verfügbar|freien \S+-Lizenz|Apache[-\w.]*|MIT-Lizenz|zum Herunterladen"),
     (r"open[- ]source[ds]?|open[- ]weights?|openly available|open model|freely available|the weights|"
      r"Apache[- ]2\.0|downloadable|permissive licen[cs]e|publish(?:es|ed)? the weights")),
    ("delay",
     (r"verzögert\w*|Verzögerung\w*|verzögere|verschiebt|verschoben|verschob|Verschiebung|verspätet\w*|"
      r"Verspätung|später als geplant|nicht rechtzeitig|nicht,?(?:\s+[\w„“.-]+){1,10}?\s+rechtzeitig|"
      r"hinter dem Zeitplan|Verzug|lässt auf sich warten|ließ auf sich warten|"
      r"verpasst\w*|länger dauer\w*|länger als gedacht|nicht so voran|kommt nicht voran|"
      r"später|frühestens"),
     (r"delay|delays|delayed|postpone[sd]?|pushed back|pushes back|push back|behind schedule|slipped|slips|"
      r"later than planned|missed (?:its|the|a) (?:deadline|target|date)|won't ship until|held back|"
      r"failed to(?:\s+[\w'-]+){1,8}?\s+on time|not on time|behind its|"
      r"past (?:the|its) (?:deadline|date)|after (?:the|its) (?:\S+ )?deadline|slipping|slip|take longer|"
      r"takes longer|took longer|further away|much longer|not before")),
    ("buys",
     (r"kauf\w*|gekauft|bestell\w*|erwirbt|erwarb|erwerben|Kauf|Einkauf|Bestellung\w*|Abnahme|geordert|"
      r"ordert|orderte|sichert sich|sicherte sich|Abnahmevertrag|Stromabnahme\w*"),
     (r"buy|buys|bought|buying|purchase[sd]?|purchasing|order|orders|ordered|acquire[sd]?|acquiring|"
      r"secured|secures|snapped up|takeover|acquisition|add(?:s|ed|ing)? (?:\S+ ){0,4}GPUs")),
    ("invests_in",
     (r"investier\w*|Investition\w*|beteiligt\w*|Beteiligung|steckt|steckte|Investment|Finanzspritze|pumpt|"
      r"pumpte|unterstützt \w+ mit|Investor\w*|Geldgeber\w*|Anteilseigner\w*|angeführt|unter Führung|"
      r"führte die Runde|Löwenanteil|darunter|stehe[n]? (?:\w+ )?hinter|Kapitalgeber\w*"),
     (r"invest|invests|invested|investing|investment|took a stake|takes a stake|stake in|poured|pours|"
      r"backed|backs|backing|led the round|led by|participated in|investors?|backer|backers|"
      r"take part|took part|put (?:\S+ ){0,3}into|among the investors|co-led|led a")),
    ("raises_funding",
     (r"Finanzierungsrunde|sammelt\w*|eingesammelt|Kapital eingeworben|Kapitalspritze|Geld eingesammelt|"
      r"Finanzierung|nimmt \w+ ein|Millionen ein|Milliarden ein|Seed-Runde|Runde|Kreditlinie\w*|"
      r"Kredit\w*|frisches Geld|frisches Kapital"),
     (r"raise[sd]?|raising|funding round|fundraise|fundraising|funding|financing round|Series [A-H]|"
      r"round|credit facility|credit line|secured (?:\S+ ){0,3}(?:in|of) (?:new )?(?:funding|capital)|"
      r"seed round|fresh capital")),
    ("valued_at",
     r"Bewertung|bewertet|bewerten|wert",
     r"valued at|valuation|values the company|worth|valuing"),
    ("revenue",
     (r"Umsatz|Umsätze|Erlös\w*|Einnahmen|erlöst|setzte \w+ um|setzt \w+ um|Jahresumsatz|Umsatzprognose|"
      r"Umsatzerwartung"),
     r"revenue|revenues|sales|annualized|annualised|run rate|run-rate"),
    ("acquires",
     r"übernimmt|übernahm|übernehmen|Übernahme\w*|übernommen|schluckt|Kaufangebot|Übernahmeangebot|Gebot",
     (r"takes over|took over|merge[sd]?|merger|buyout|bid|offered (?:\S+ ){0,3}for|offer(?:s|ed)? to buy|"
      r"agreed to pay (?:\S+ ){0,3}for|to acquire|acquires|acquired|acquisition of")),
    ("partners_with",
     (r"Partnerschaft|Kooperation|kooperier\w*|zusammenarbeit\w*|Zusammenarbeit|gemeinsam mit|zusammen mit|"
      r"Partner|Allianz|Bündnis|Vereinbarung|Deal mit|Vertrag mit|vereinbart\w*|Abkommen"),
     (r"partner|partners|partnered|partnering|partnership|teams? up|teamed up|collaborat\w*|alliance|"
      r"deal with|agreement with|joint venture|together with|signed a deal|contract with|agreement|"
      r"power purchase agreement")),
    ("outperforms",
     (r"übertr(?:ifft|af|effe|effen|äfe|offen)|besser als|schlägt|schlug|schlage|überlegen|überholt|hängt \w+ ab|"
      r"abgehängt|vor \w+ liegt|liege vor|schneller als|mal so (?:schnell|leistungsfähig|viel)|"
      r"mal schneller|mal mehr|übertreffen|hinter sich|seltener \w* ?Fehler als|weniger Fehler als|"
      r"leistungsfähiger als|stärker als|klüger als|vor(?:n)? (?:\w+ )?liegen"),
     (r"outperform|outperforms|outperformed|outperforming|beats|beat|beating|surpass|surpasses|surpassed|"
      r"better than|ahead of|tops|topped|outscored|outscores|exceeds|exceeded|leapfrogs|faster than|"
      r"times (?:the|faster|more|better)|more capable than|stronger than|smarter than|edge over|lead over|"
      r"overtaken|overtook|overtakes|order of magnitude|against (?:\S+ ){0,2}percent for|fewer \w+ than|"
      r"outpaces|outpaced|superior to")),
    ("competes_with",
     (r"als Reaktion auf|als Antwort auf|Konkurrenz zu|Konkurrenz für|konkurriert\w*|Konkurrent\w*|"
      r"Rivale\w*|mithalten|gleichziehen|auf Augenhöhe|Wettbewerb mit|im Wettbewerb|herausfordern|"
      r"Herausforderer|Kampf um|Rennen um|vergleichbar|aufholen|ebenbürtig"),
     (r"in response to|compete|competes|competing|competitor|competitors|rival|rivals|rivaling|rivalling|"
      r"answer to|challenge|challenges|challenger|take on|takes on|on par with|matches|match|catch up|"
      r"race against|versus|vs\.?|comparabl[ey]|comparable to|aimed at|countering|counter|biggest competitor")),
    ("successor_of",
     r"Nachfolger|Nachfolgemodell|Nachfolgerin|löst \w+ ab",
     r"successor|succeeds|replaces|follow-up to|follow-on to|bump to|version number"),
    ("most_capable",
     (r"fortschrittlichste\w*|leistungsfähigste\w*|leistungsstärkste\w*|stärkste\w*|beste[nsm]? KI|"
      r"bestes? Modell|klügste\w*|mächtigste\w*|intelligenteste\w*|Spitzenmodell|führende\w* Modell|"
      r"weltbeste\w*|Weltspitze|an der Spitze|Spitzenreiter"),
     (r"most advanced|most capable|most powerful|best model|best AI|smartest|strongest|most intelligent|"
      r"state[- ]of[- ]the[- ]art|world's best|best in the world|leading model|frontier model|"
      r"most sophisticated|top model|best-performing|outperforming anything|crush benchmarks|"
      r"ahead of rival|ahead of all|best on")),
    ("team_size",
     (r"Teamgröße|Team ist kleiner|Mitarbeiterzahl|Mitarbeitende\w*|Beschäftigte\w*|Angestellte\w*|"
      r"Mitarbeiter\w*|Belegschaft"),
     r"team size|headcount|employees|staff|staffers|workforce|people on its team"),
    ("joins",
     (r"wechselt zu|wechselte zu|wechsel\w* zu|heuert \w* an|heuerte|kommt zu|stößt zu|stieß zu|tritt \w+ bei|"
      r"anheuern|abgeworben|angeheuert|einziehen|einzieht|zog in|eingestellt|holt|holte|geholt|"
      r"neuer \w+chef|neue \w+chefin|wird \w*[Cc]hef"),
     (r"joins|joined|joining|hired|hires|hiring|poached|recruited|moves to|moved to|appointed|named|"
      r"brought (?:\S+ ){0,5}to|will serve as|to serve as|becomes|became")),
    ("leaves",
     (r"verlässt|verließ|verlassen|Abschied|zurückgetreten|tritt zurück|trat zurück|Rücktritt|Abgang|"
      r"Abgänge|ausgeschieden|scheidet aus|schied aus|gekündigt|Kündigung\w*|getrennte Wege|geht|"
      r"außerhalb von|Auszeit|Pause|ausgestiegen|steigt aus"),
     (r"leaves|left|leaving|departs|departed|departure|quit|quits|resigned|resigns|resignation|steps down|"
      r"stepped down|stepping down|exit|exits|exited|ousted|fired|parting ways|part ways|outside of")),
    ("founded",
     r"gründete|gegründet|gründen|Gründung|mitgegründet|Mitgründer|ins Leben gerufen|rief \w+ ins Leben",
     r"founded|co-founded|cofounded|founding|launched the company|set up|formed|established|created"),
    ("leads",
     (r"leitet|leitete|leiten|führt|führte|an der Spitze|Spitze von|übernimmt die Leitung|Chefposten|"
      r"verantwortet|verantworten|zuständig|Verantwortung für|Leitung"),
     (r"leads|led by|will lead|to lead|heads|headed|runs|will run|to run|at the helm|takes the helm|"
      r"new CEO|named CEO|as chief executive|became CEO|in charge of|responsible for|oversee|oversees")),
    ("owns",
     r"besitzt|gehört|Eigentümer|Mehrheit an|hält \w+ Prozent|hält \S+ \S+ Prozent|Anteilseigner|Anteile",
     r"owns|owned|owner|majority stake|controls|stake|shares|equity"),
    ("sues",
     r"verklagt\w*|Klage|klagt|klagte|Rechtsstreit|Urheberrechtsklage",
     r"sue|sues|sued|suing|lawsuit|lawsuits|filed suit|litigation"),
    ("bans",
     r"verbiet\w*|verbot|verboten|Verbot|sperrt|sperrte|gesperrt|untersagt\w*",
     r"ban|bans|banned|banning|prohibit\w*|blocks|blocked|bars|barred"),
    ("restricts",
     (r"beschränk\w*|Beschränkung\w*|Exportkontrolle\w*|Exportbeschränkung\w*|Exportverbot\w*|einschränk\w*|"
      r"Einschränkung\w*|Auflagen|reguliert|Regulierung|Obergrenze|Lizenz\w*|Genehmigung\w*|Regeln|"
      r"Vorschriften|gelten"),
     (r"restrict\w*|export controls?|export curbs|curbs|limits|caps|capped|regulate[sd]?|"
      r"licen[cs]e requirement|licen[cs]es?|licensing|rules|require a licen[cs]e|permits?|approval")),
    ("ships",
     (r"liefer\w*|geliefert|Lieferung\w*|abgegeben|ausgeliefert|Auslieferung\w*|verschickt|versandt|"
      r"verkauf\w*|Verkauf\w*|vertreibt|vertreiben"),
     (r"supply|supplies|supplied|supplier|deliver|delivers|delivered|delivering|deliveries|sell|sells|"
      r"selling|sold|sales of|ship the|shipped the|shipping the|ship \$|provide[sd]? (?:\S+ ){0,3}chips")),
    ("has_parameters",
     r"Parameter\w*",
     r"parameters?"),
    ("signs",
     r"unterzeichn\w*|unterschreib\w*|unterschrieb\w*|Unterschrift|beitreten|beigetreten",
     r"sign|signs|signed|signing|signatory|signatories|sign on to|signed on"),
    ("pays",
     (r"zahlt|zahlte|zahlen|bezahlt|Zahlung\w*|Bonus\w*|Boni|Gehalt|Gehälter|Vergütung\w*|abgeben|abtreten|"
      r"Umsatzbeteiligung|Angebote"),
     (r"pay|pays|paid|paying|payment|payments|bonus|bonuses|sign-on|signing bonus|compensation|"
      r"packages|offers|hand (?:\S+ ){0,4}(?:per ?cent|percent)|revenue share|revenue-sharing|salary|salaries")),
    ("loses",
     (r"verlor|verliert|verloren|Verlust\w*|Abschreibung\w*|Belastung\w*|Einbußen|Börsenwert|Marktwert|"
      r"eingebrochen|brach \w+ ein"),
     (r"lost|loses|losing|loss|losses|charges?|write-?downs?|market value|wiped|shed|effectively closed|"
      r"hit to")),
    ("spends",
     (r"Ausgaben|Investitionen|ausgeben|gibt \w+ aus|steckt \S+ in|Investitionsbudget|Capex|"
      r"Rechenkapazität\w*|Rechenleistung"),
     (r"spend|spends|spending|spent|capex|capital expenditures?|dedicate|dedicated|compute capacity|"
      r"computing power|double down|invested (?:\S+ ){0,4}in data cent")),
    ("costs",
     r"kostet|kosteten|Kosten|kostete|Preis\w*|teurer|günstiger|Dollar pro|Euro pro",
     (r"cost|costs|costing|price|prices|priced|pricing|per million|GPU hours|per hour|cheaper|more expensive|"
      r"expensive")),
    ("scores",
     (r"erreicht \S+ Punkte|Punkte|Prozent der Aufgaben|löst|löse|gelöst|Benchmark\w*|Bestenliste|"
      r"Rangliste|Platz \w+|Test\w*"),
     (r"scored|scores|score|percent of (?:questions|tasks|problems)|solved|solves|benchmark|leaderboard|"
      r"ranked|placing it|hallucinated|Elo|second place|first place")),
    ("has_spec",
     (r"Speicher\w*|Bandbreite|Kontextfenster|Megawatt|Gigawatt|Watt|Leistungsaufnahme|Rechenleistung|"
      r"Petaflops|Token-Kontext"),
     (r"memory|bandwidth|context window|megawatts?|gigawatts?|watts|power draw|petaflops|exaflops|"
      r"teraflops|HBM\w*|TB/s|GB of")),
    ("has_users",
     r"Nutzer\w*|Nutzende|Anwender|Kunden nutzen|aktive",
     r"users|people use|weekly active|monthly active|daily active|subscribers"),
    ("fixes",
     (r"Fehlerbehebung\w*|behebt|beheben|behoben|repariert|nachbessern|verbesser\w*|überarbeit\w*|"
      r"Korrektur\w*|abgestimmt|testet|testen|Tests"),
     (r"fix|fixes|fixed|fixing|working on the problems?|tuned|tuning|testing|improve|improving|improved|"
      r"address(?:es|ed|ing)? (?:the )?(?:issues?|problems?)|updating|updated|patch\w*|work on the issues")),
    ("pauses",
     r"pausiert\w*|Pause|aussetzen|ausgesetzt|setzt \w+ aus|stoppt\w*|gestoppt|Stopp|eingefroren|Anhalten",
     r"pause|pauses|paused|pausing|suspend\w*|halt|halts|halted|switched off|took (?:\S+ )?offline"),
    ("publishes",
     r"veröffentlicht \w* ?(?:Details|Studie|Bericht|Empfehlungen|Papier|Forschung)|Details|Empfehlungen",
     (r"publish(?:es|ed)? (?:\S+ ){0,2}(?:research|paper|details|findings|report)|share its recommendations|"
      r"recommendations|disclose[sd]? details|made public")),
    ("expands",
     r"expandier\w*|Expansion|Büro\w*|Standort\w*|baut \w+ \w* ?aus|ausbauen|eröffne\w*|neue Märkte",
     r"expand|expands|expanding|expansion|new office|offices?|new markets?|open(?:s|ed|ing)? (?:an? )?office"),
    ("restructures",
     (r"stellt sich neu auf|neu aufgestellt|Umbau|umbauen|umgebaut|Umstrukturierung|umstruktur\w*|"
      r"ordnet \w+ \w* ?neu|neu geordnet|Neuordnung|aufgelöst|auflösen|Gesellschaft mit Gemeinwohlbindung|"
      r"gewinnorientiert\w*"),
     (r"restructur\w*|reorgani[sz]\w*|structural changes|conversion|convert(?:s|ed|ing)? (?:\S+ ){0,3}into|"
      r"for-profit|disband\w*|dissolved|reshuffle\w*|overhaul\w*")),
    ("focuses_on",
     (r"konzentrier\w*|Fokus|fokussier\w*|Schwerpunkt\w*|kümmern|kümmert|widmen|widmet|setzt auf|"
      r"Lebensthema|Erkundungen|konzentriere"),
     (r"focus|focuses|focused|focusing|concentrate\w*|prioriti[sz]\w*|priority|priorities|target(?:s|ed|ing)?|"
      r"work on|works on|devote\w*|committed to")),
    ("reaches",
     r"erreich\w*|Stufe|Niveau|Level|Schwelle|ASL-\d",
     r"reach|reaches|reached|reaching|level|levels|milestone|threshold|ASL-\d|PhD-level|achieve[sd]?"),
    ("capable_of",
     r"kann|können|in der Lage|fähig\w*|Fähigkeit\w*|beherrscht|vorausplanen|selbstständig",
     (r"can|could now|is able to|are able to|able to|capable of|capability|capabilities|know how to|"
      r"on its own|autonomously")),
    ("predicts",
     (r"Prognose|prognostizier\w*|wachsen|wächst|steigen|sinken|abwürgen|ausgebremst|bremsen|"
      r"Nachfrage|Markt"),
     (r"grow to|grow|grows|market to|increase demand|demand|slow|forecast|will create|jobs|market size|"
      r"effect on|impact on")),
    ("reports_to",
     r"berichten an|berichtet an|unterstellt|berichtete an",
     r"report to|reports to|reporting to|reported to"),
    ("is_for_sale",
     r"zum Verkauf|verkaufen sich selbst|Verkauf des Unternehmens",
     r"for sale|sell itself|sale of the company"),
    ("goes_public",
     r"Börsengang|an die Börse|IPO",
     r"IPO|go public|goes public|going public|initial public offering|listing"),
    ("loses_confidence_in",
     r"Vertrauen (?:in \w+ )?verloren|kein Vertrauen",
     r"lost confidence|loses confidence|no confidence|lost trust"),
    ("disagrees_with",
     r"uneinig|Meinungsverschiedenheit\w*|Streit mit|widersprach",
     r"disagree\w*|at odds with|clashed with"),
    ("discourages_investment_in",
     r"nicht zu investieren|nicht (?:in \w+ )?zu finanzieren",
     r"not to fund|not to invest|discourag\w*"),
    ("described_as",
     (r"nannte|nennt|bezeichnete|bezeichnet|lobte|lobt|kritisierte|kritisiert|beschrieb|beschreibt|"
      r"als \w+ bezeichnet|sprach von|spricht von|Meilenstein|Durchbruch|bahnbrechend|"
      r"(?:ein|eine|einen)?\s*„[^“”]{1,60}[“”]\s+(?:sein|sei|werde|würde|ist|wäre|bleibe)|"
      r"(?:ist|sei|war|wäre|werde|bleibt|bleibe)\s+(?:\w+\s+){0,2}„[^“”]{1,60}[“”]"),
     (r"called|calls|described|describes|describing|hailed|praised|praises|criticized|criticised|termed|"
      r"dubbed|labeled|labelled|milestone|breakthrough|game[- ]changer|impressive|excellent|"
      r"(?:is|was|be|are|were|being|remains)\s+(?:\w+\s+){0,2}[\"“][^\"“”]{1,60}[\"”]")),
    ("builds",
     (r"baut|bauen|baute|gebaut|Bau|errichte\w*|ausbauen|ausgebaut|baut \w+ aus|in Betrieb genommen|"
      r"in Betrieb nehmen|Rechenzentrum|Rechenzentren|Gigafabrik|Supercomputer\w*"),
     (r"build|builds|building|built|construct\w*|brought online|bring online|"
      r"data cent(?:er|re)s?|supercomputer|cluster|campus|gigawatt")),
    ("develops",
     (r"entwickel\w*|entwickelt|Entwicklung|arbeitet an|arbeiten an|arbeite an|forscht an|trainieren|"
      r"im Training|Training|Forschungsprojekt\w*|Projekt\w*"),
     (r"develop|develops|developed|developing|development|working on|works on|work on|is building|"
      r"are building|designing|designs|designed|in training|begun training|began training|to build|"
      r"research project")),
    ("uses",
     (r"nutz\w*|genutzt|setzt \w* ?auf|setzt \w+ ein|eingesetzt|einsetzen|verwende\w*|Einsatz|integrier\w*|"
      r"greift auf|basiert auf|läuft auf|laufen auf|betreibt|betrieben|Zugriff auf|verfügt über|"
      r"auf Basis"),
     (r"use|uses|used|using|relies on|rely on|relying on|deploys|deployed|deploying|runs on|powered by|"
      r"integrates|integrated|based on|built on|adopt|adopts|adopted|taps|combine|combines|access to|"
      r"has about|has roughly|brings in")),
    ("release",
     (r"auf den Markt\w*|herausbring\w*|herauszubringen|herausgebracht|bringt \w+ heraus|brachte \w+ heraus|"
      r"kam(?:en)? (?:[\w.-]+ ){0,5}?heraus|zur Verfügung|veröffentlich\w*|Veröffentlichung|erschein\w*|"
      r"erschien\w*|erscheint|starten|"
      r"startet|startete|gestartet|Start|Marktstart|vorstell\w*|vorgestellt|stellte (?:[\w.-]+ ){1,6}?vor|"
      r"stellt (?:[\w.-]+ ){1,6}?vor|stellten (?:[\w.-]+ ){1,6}?vor|"
      r"präsentier\w*|verfügbar|Verfügbarkeit|einführ\w*|eingeführt|Einführung|Markteinführung|ausrollen|"
      r"ausgerollt|rollt|auszurollen|freigeschaltet|freigegeben|Launch|launcht|geplant für|"
      r"vorgesehen für|Serienproduktion|Massenproduktion|Produktionsstart|im Zeitplan|erhältlich|marktreif|"
      r"in Betrieb gehen|in Betrieb|ans Netz|Zugang zu|nachgereicht|bereitstellen|bereitgestellt|"
      r"hochgefahren|zeigen|bekommt|bekommen|kommen|kommt|komme"),
     (r"release|released|releases|releasing|launch|launches|launched|launching|ship|ships|shipped|"
      r"shipping|roll out|rolls out|rolled out|rolling out|rollout|available|availability|debut|debuts|"
      r"debuted|unveil|unveils|unveiled|introduce[sd]?|introducing|arrive|arrives|arrived|arrival|"
      r"come out|comes out|came out|go live|goes live|went live|made available|make available|"
      r"hit the market|planned for|scheduled for|slated for|due (?:in|for|out)|on track for|shipments|"
      r"in production|volume production|mass production|general availability|generally available|"
      r"goes on sale|on sale|back online|online|come|comes|coming|be shown|get it|gets it|follow|"
      r"following|be out|out by")),
]

#: whole words only, and not the first part of a hyphenated compound ("Start-up")
LEXICON = {
    "de": Lexicon([(name, rx(de)) for name, de, _ in _TRIGGERS], whole_compounds=True),
    "en": Lexicon([(name, rx(en)) for name, _, en in _TRIGGERS], whole_compounds=True),
}
#: which of two predicates triggered in one clause says more ("the launch slipped": delay)
OVERRIDES = {
    "release": {"delay", "remove_from_roadmap", "open_source", "buys", "acquires", "raises_funding",
                "valued_at", "revenue", "most_capable", "outperforms", "partners_with", "invests_in", "bans",
                "restricts", "sues", "pauses", "fixes", "ships", "scores", "costs", "reaches", "joins", "leaves",
                "loses", "pays"},
    "released": {"delay", "remove_from_roadmap", "open_source"},
    "builds": {"buys", "trained_on", "invests_in", "develops", "partners_with", "raises_funding", "revenue",
               "valued_at", "uses", "spends", "release"},
    "develops": {"trained_on", "release", "open_source", "buys", "partners_with", "invests_in", "raises_funding",
                 "sues", "acquires", "remove_from_roadmap", "delay"},
    "uses": {"trained_on", "buys", "partners_with", "invests_in", "develops", "release", "ships"},
    "ships": {"buys", "partners_with", "invests_in", "restricts", "pays"},
    "competes_with": {"outperforms", "most_capable", "discourages_investment_in"},
    "team_size": {"joins", "leaves"},
    "joins": {"leads", "reports_to"},
    "leads": {"leaves", "founded", "restructures", "joins"},
    "most_capable": {"outperforms"},
    "buys": {"acquires", "ships", "pays"},
    "invests_in": {"raises_funding", "owns", "spends", "discourages_investment_in", "valued_at"},
    "raises_funding": {"valued_at"},
    "owns": {"invests_in"},
    "delay": {"remove_from_roadmap"},
    "described_as": {"most_capable"},
    "predicts": {"revenue", "loses", "spends", "release", "delay", "outperforms", "reaches", "restricts", "costs",
                 "has_users", "scores", "ships", "buys", "develops", "fixes"},
    "capable_of": {"reaches", "outperforms", "most_capable", "release", "uses", "scores", "develops"},
    "focuses_on": {"develops", "restructures", "fixes", "release"},
    "scores": {"outperforms"},
    "fixes": {"pauses", "restructures"},
    "pays": {"revenue", "restricts"},
    "leaves": {"joins"},
    "restricts": {"bans", "signs"},
    "costs": {"trained_on", "spends"},
    "has_spec": {"outperforms"},
    "spends": {"buys"},
    "partners_with": {"buys", "signs"},
    "reaches": {"release"},
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
    "revenues": "revenue", "has_revenue": "revenue", "supply": "ships", "supplies": "ships", "delivers": "ships",
    "deliver": "ships", "provides": "ships", "sells": "ships", "founds": "founded", "found": "founded",
    "lead": "leads", "heads": "leads", "own": "owns", "employees": "team_size", "headcount": "team_size",
    "lost": "loses", "lose": "loses", "spent": "spends", "paid": "pays", "cost": "costs", "scored": "scores",
    "focus_on": "focuses_on", "focuses": "focuses_on", "reached": "reaches", "fixed": "fixes",
    "paused": "pauses", "published": "publishes", "expanded": "expands", "restructured": "restructures",
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
