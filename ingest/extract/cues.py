"""Cue words of German and English news reporting: reporting and stance verbs, sources,
pronouns and role nouns, modality, channel. Each table is ordered where order matters."""
from __future__ import annotations

import re

from .lexicon import Lexicon, rx

# -- who speaks ----------------------------------------------------------------------------
#: verbs of saying: their subject is the claimant, their complement the statement
SAY = {
    "de": rx(r"erwähnte|erwähnt|sagte|sagt|sagten|sagen|gesagt|erklärte|erklärt|erklärten|erläuterte|kündigte|"
             r"kündigt|kündigten|"
             r"angekündigt|ankündigte|verkündete|verkündet|teilte|teilt|mitgeteilt|mitteilte|betonte|betont|"
             r"unterstrich|schrieb|schreibt|geschrieben|postete|postet|twitterte|bemerkte|meinte|meint|bestätigte|"
             r"bestätigt|bestätigten|dementierte|dementiert|bestritt|bestreitet|wies|weist|prognostizierte|"
             r"prognostiziert|räumte|räumt|versprach|verspricht|versprachen|versprochen|behauptete|behauptet|"
             r"berichtete|berichtet|berichten|berichteten|warnte|warnt|fügte|ergänzte|ergänzt|stellte klar|"
             r"gab(?:\s+[\w.-]+){0,5}?\s+(?:bekannt|an)|gibt(?:\s+[\w.-]+){0,5}?\s+(?:bekannt|an)|gab zu|"
             r"gaben(?:\s+[\w.-]+){0,5}?\s+(?:bekannt|an)|sprach|spricht|zitiert|sagte voraus|verriet|verrät|"
             r"zeigte sich|zeigt sich|beteuerte|versicherte|versichert|argumentierte|kritisierte|lobte|"
             r"bekräftigte|bekräftigt|hieß es|heißt es|bemängeln|bemängelt|bemängelte|kritisieren|kritisiert|"
             r"monieren|moniert|bezweifeln|bezweifelt|glauben|glaubt|glaubte|schätzt|schätzen|schätzte|"
             r"nannte|nennt|bezeichnete|bezeichnet|räumten|teilten|gaben bekannt|fordert|forderte|fordern|"
             r"warnen|wiederholte|verwies|verweist|unterstrich|hob hervor|zitierte|erinnerte|skizzierte|"
             r"skizziert|umriss|stellte in Aussicht|in Aussicht gestellt|kündigte an|räumte ein|einräumen|"
             r"antwortete|antwortet|sagte zu|stellte klar|wies zurück|zurückgewiesen"),
    "en": rx(r"said|says|say|told|tells|announced|announces|announce|wrote|writes|posted|posts|tweeted|claimed|"
             r"claims|stated|states|revealed|reveals|confirmed|confirms|denied|denies|deny|predicted|predicts|"
             r"warned|warns|noted|notes|added|adds|adding|argued|argues|insisted|insists|explained|explains|"
             r"stressed|emphasized|emphasised|promised|promises|pledged|pledges|vowed|vows|boasted|teased|"
             r"reiterated|admitted|acknowledged|disclosed|reported|reports|estimated|estimates|suggested|"
             r"suggests|believes|forecast|forecasts|projected|projects|unveiled|touted|touts|described|"
             r"called|calls|rejected|dismissed|countered|replied|responded|conceded|recalled|declared|"
             r"declares|hinted|signaled|signalled|repeats|repeated|recounted|insisted|maintains|maintained|"
             r"cited|quoted|wrote in|posted on|highlighted|pointed out|points out|saying|telling|arguing|"
             r"noting|warning|insisting|claiming|stating|writing|explaining|announcing|confirming|denying|"
             r"outlined|laid out|detailed|answered|listed|acknowledging|admitting|replying|predicting|promising"),
}
#: verbs of expectation or hope: their subject is the claimant when no verb of saying is near
STANCE = {
    "de": rx(r"hofft|hoffen|hoffte|erwartet|erwarten|erwartete|rechnet|rechnen|rechnete|strebt|peilt|"
             r"setzt sich zum Ziel|geht davon aus|ging davon aus"),
    "en": rx(r"hopes|hoped|hope|expects|expected|expect|aims|aimed|seeks|sought|anticipates|anticipated|"
             r"is targeting|looks forward|believes"),
}
#: verbs of intention in the report's own voice ("Die Telekom will … bauen", "OpenAI had planned
#: to …"): the report states the plan, so the claim is the publication's
INTENT = {
    "de": rx(r"will|wollen|wollte|wollten|plant|plante|planen|planten|geplant|beabsichtigt|beabsichtigte|"
             r"soll|sollen|sollte|sollten|hat vor|haben vor|hatte vor|bereitet \w+ vor"),
    "en": rx(r"plans|planned|plan|intends|intended|is planning|are planning|was planning|wants to|wanted to|"
             r"is set to|are set to|was set to|is preparing|is poised to|is expected to|are expected to"),
}
#: documents that show something: the company they belong to is the claimant
SHOW = rx(r"zeigt|zeigte|zeigen|listet|listete|nennt|shows|showed|show|lists|listed|reveals|revealed|indicates|"
          r"indicated|suggests|suggested|mentions|mentioned")
#: "according to X", "laut X", "X zufolge", "nach Angaben von X", "wie X mitteilte"
ACCORDING_BEFORE = re.compile(r"\b(?:according to|laut|gemäß|nach Angaben (?:von|des|der)|nach Informationen "
                              r"(?:von|des|der)|nach (?:einem|einer) (?:Bericht|Meldung) (?:des|der|von|im)|"
                              r"nach Berichten (?:des|der|von)|unter Berufung auf|as reported by|reported by|citing|"
                              r"a report (?:by|in|from)|per(?! ?cent))\s+", re.IGNORECASE)
#: sources a report cites: secondary when a verb of saying names who reports ("TechCrunch reported,
#: citing a person familiar with the matter, that …")
SECONDARY_SOURCE = re.compile(r"\b(?:citing|unter Berufung auf|per)\s+", re.IGNORECASE)
#: ids of news outlets (they report, they do not act)
NEWS_OUTLETS = frozenset({
    "org:reuters", "org:bloomberg", "org:the-information", "org:financial-times", "org:wall-street-journal",
    "org:new-york-times", "org:cnbc", "org:the-verge", "org:techcrunch", "org:axios", "org:semafor",
    "org:handelsblatt", "org:heise", "org:spiegel", "org:faz", "org:sueddeutsche-zeitung", "org:dpa",
    "org:associated-press", "org:afp"})
#: "dem Bericht zufolge", "the report said", "demnach": the source cited last
SOURCE_REFERENCE = rx(r"dem Bericht|der Bericht|des Berichts|Bericht|the report|report|demnach|the outlet|the paper|"
                      r"die Zeitung|das Blatt|die Agentur|the newspaper|the agency")
#: "laut der Mitteilung", "according to the post": a document of whoever spoke last
DOCUMENT_REFERENCE = rx(r"der Mitteilung|die Mitteilung|dem Beitrag|der Beitrag|dem Blogbeitrag|der Stellungnahme|"
                        r"dem Schreiben|dem Dokument|dem Memo|the post|the blog post|the statement|the memo|"
                        r"the filing|the letter|the announcement")
ACCORDING_AFTER = re.compile(r"\s*(?:zufolge|gegenüber zufolge)\b", re.IGNORECASE)
OWN_ACCOUNT = rx(r"nach eigenen Angaben|eigenen Angaben zufolge|nach eigener Aussage|by its own account|"
                 r"it said|the company said|according to the company")
#: unnamed sources: their statements count as the publication's
UNNAMED = rx(r"people familiar with|person familiar with|sources? (?:familiar|close|with knowledge|said|say)|"
             r"sources|insiders?|Insidern?|informierte[nr]? Kreise|Kreisen|Unternehmenskreisen|"
             r"mit der Sache vertraute|mit den Plänen vertraute|vertrauten Personen|Beobachter|observers|"
             r"analysts?|Analysten?|Experten|experts|Kritiker|critics|people briefed|anonymous|anonym|"
             r"a user|users|developers|ein Nutzer|Nutzer|vertraut\w*|beteiligte[n]? Personen|"
             r"Personen|Quellen|Quelle|a person|people|media reports|Medienberichte\w*|Berichten zufolge")
SPOKESPERSON = rx(r"spokesperson|spokeswoman|spokesman|representative|Sprecher|Sprecherin|Unternehmenssprecher|"
                  r"Unternehmenssprecherin|Konzernsprecher|Sprecherin des Unternehmens")
#: pronouns and descriptions that refer back to the last person named
PERSON_REFERENCE = rx(r"he|she|er|sie|him|ihm|der Manager|die Managerin|der Milliardär|the billionaire|"
                      r"der Unternehmer|the entrepreneur|the executive|der Chef|die Chefin|der Konzernchef|"
                      r"die Konzernchefin|der Vorstandschef|der CEO|die CEO|the CEO|the chief executive|"
                      r"der Gründer|die Gründerin|the founder|the co-founder|der Mitgründer|the researcher|"
                      r"der Forscher|die Forscherin|the scientist|der Wissenschaftler|der Investor|the investor|"
                      r"the \d+-year-old|der \d+-Jährige|die \d+-Jährige|the tech mogul|der Tech-Milliardär|"
                      r"the boss|der Firmenchef|die Firmenchefin|der Techmilliardär")
#: descriptions that refer back to the last organisation named
ORG_REFERENCE = rx(r"the company|the firm|the startup|the start-up|the group|the lab|the chipmaker|"
                   r"the chip maker|the chip giant|the tech giant|the AI lab|the AI company|the developer|"
                   r"the maker|das Unternehmen|die Firma|der Konzern|das Start-up|das Startup|der Chipkonzern|"
                   r"der Chiphersteller|der Hersteller|der Techkonzern|der Tech-Konzern|das KI-Unternehmen|"
                   r"das Labor|die Gruppe|der Entwickler|die Entwickler|the developers|the makers|"
                   r"it|es|man|wir|we|our|unser|"
                   r"the (?:[A-Z][\w-]*\s+){1,3}(?:company|firm|startup|start-up|chipmaker|lab|group)|"
                   r"(?:das|der) (?:[\w-]+\s+){1,3}(?:Unternehmen|Start-up|Konzern|Chipkonzern)")
#: role nouns: "OpenAI-Chef", "CEO of Nvidia", "Nvidia chief executive"
ROLE = rx(r"Chef|Chefin|Konzernchef|Konzernchefin|Vorstandschef|Vorstandschefin|CEO|Gründer|Gründerin|"
          r"Mitgründer|Mitgründerin|Mitbegründer|chief executive|chief executive officer|founder|co-founder|"
          r"cofounder|president|Präsident|Präsidentin|chairman|Chairman|Vorsitzender|Vorstandsvorsitzender|"
          r"head|boss|chief|leader|Leiter|Leiterin|Chefentwickler|chief scientist|chief technology officer|CTO|"
          r"chief financial officer|CFO|Finanzchef|Finanzchefin|Technikchef|chief operating officer|COO")

#: roles that name the one person heading an organisation ("der OpenAI-Chef")
LEADER = rx(r"Chef|Chefin|Konzernchef|Konzernchefin|Vorstandschef|Vorstandschefin|CEO|chief executive|"
            r"chief executive officer|Firmenchef|Firmenchefin|boss|Gründer|founder")

# -- structure ----------------------------------------------------------------------------
#: German Konjunktiv I/II forms that mark reported speech
KONJUNKTIV = rx(r"sei|seien|habe|haben werde|werde|werden würden|könne|könnten|wolle|wollen würde|solle|"
                r"müsse|dürfe|übertreffe|investiere|plane|biete|verfüge|liege|gebe|arbeite|komme|stehe|brauche|"
                r"erreiche|bringe|entwickle|liefere|nutze|setze|gehe|wachse|bleibe|halte|wisse")
#: Konjunktiv I beside its pronoun subject ("Man rechne damit", "Derzeit sehe man sich"): a
#: verb in -e (not the past tense in -te) right after or before man/er/sie/es
KONJUNKTIV_FORM = re.compile(r"\b(?:man|er|sie|es)\s+(?!(?:die|eine|keine|seine|ihre|diese|jede|alle|viele|beide|"
                             r"deine|meine|unsere|solche|welche|Ende)\b)[a-zäöüß]*[^\Wt]e\b|"
                             r"\b[a-zäöüß]*[^\Wt]e\s+(?:man|er|es)\b")
#: verbs of saying with no speaker of their own: the source cited last speaks ("hieß es")
IMPERSONAL = re.compile(r"(?:hieß|heißt|hiess|heisst) es|it was (?:reported|said)|wurde berichtet|wird berichtet",
                        re.IGNORECASE)
#: places where one statement ends and another begins inside a sentence
CLAUSE_SPLIT = re.compile(r",\s+(?:but|aber|doch|jedoch|while|whereas|während|although|obwohl|und zugleich)\s+|"
                          r";\s+|\s+[–—]\s+|,\s+(?:and|und)\s+(?=(?:the|die|der|das|it|es|er|sie|he|she)\b)",
                          re.IGNORECASE)
#: an "of"/"von" before a name makes it an attribute, not a speaker or agent
ATTRIBUTIVE = re.compile(r"\b(?:von|vom|of|at|bei|des|der Firma|des Konzerns|for|für|with|mit|an|to|zu|in)\s+"
                         r"(?:the\s+|dem\s+|der\s+|die\s+|den\s+)?$", re.IGNORECASE)
PASSIVE_AGENT = re.compile(r"\b(?:by|von|durch)\s+(?:the\s+|dem\s+|der\s+)?$", re.IGNORECASE)
DEMONSTRATIVE = re.compile(r"\b(?:diese|dieser|dieses|diesen|this|these|those|solche|such|the same)\s+(?:\w+\s+)?$",
                           re.IGNORECASE)
FIRST_PERSON = rx(r"I|I'm|I've|I'll|ich|mein|meine|my")
#: "we", "wir", "man": the speaker's organisation
FIRST_PLURAL = rx(r"we|we're|we've|we'll|our|us|wir|unser|unsere|uns|man")
THING_REFERENCE = rx(r"it|es|the model|the new model|das Modell|das neue Modell|the chip|the chips|der Chip|"
                     r"das Projekt|the project|the cluster|der Supercomputer|the supercomputer|das Rechenzentrum|"
                     r"the data cent(?:er|re)|die Zwischenmodelle|the models|die Modelle|"
                     r"die Chips|the system|das System|the product|das Produkt|the app|die App|the successor|"
                     r"der Nachfolger|the next version|die nächste Version|the service|der Dienst")

# -- how it is said -------------------------------------------------------------------------
#: modality cues by language, in priority order (the first that occurs in the clause wins)
MODALITY = {
    "de": Lexicon([
        ("denied", rx(r"dementierte|dementiert|dementieren|bestritt|bestreitet|bestreiten|wies \w+ zurück|"
                      r"weist \w+ zurück|wies zurück|weist zurück|zurückgewiesen|keine Pläne|nicht geplant|"
                      r"nicht(?! nur| zuletzt| so\b| mehr als)|kein|keine|keinen|keiner|nie|niemals|nicht mehr")),
        ("hedged", rx(r"mit etwas Glück|möglicherweise|vielleicht|eventuell|könnte|könnten|unter Umständen|"
                      r"womöglich|erwägt|erwäge|erwog|denkbar|nicht ausgeschlossen|angeblich|gegebenenfalls")),
        ("predicted", rx(r"wahrscheinlich|voraussichtlich|dürfte|dürften|rechnet damit|rechnet mit|rechne|"
                         r"erwartet|erwartete|erwarte|erwarten|prognostiziert|prognostizierte|Prognose|"
                         r"geht davon aus|ging davon aus|schätzt|glaubt|frühestens|wohl")),
        ("aspired", rx(r"hoffen|hofft|hoffe|hoffte|Anspruch|Ziel|zum Ziel|anstreben|strebt|strebe|Ehrgeiz|"
                       r"Mission|Vision|fordert|forderte|fordern|verlangt|verlangte")),
        ("planned", rx(r"plant|plante|planen|plane|geplant|geplanten|beabsichtigt|beabsichtige|vorgesehen|will|"
                       r"wollen|wolle|wollte|soll|sollen|sollte|sollten|Plan|Pläne|vorhaben|versucht|"
                       r"versuchte")),
        ("promised", rx(r"verspricht|versprach|versprochen|versprechen|zugesagt|sagte zu|sagt zu|solle|sollen "
                        r"würden|wird|werde|werden|würde|würden|im Zeitplan")),
    ]),
    "en": Lexicon([
        ("denied", rx(r"denied|denies|deny|denying|rejected|rejects|refuted|dismissed|no plans to|has no plans|"
                      r"had no plans|will not|won't|would not|wouldn't|does not|doesn't|did not|didn't|is not|"
                      r"isn't|was not|wasn't|are not|aren't|has not|hasn't|had not|never|no longer|not(?! only)|"
                      r"cannot|can't|unable to|false|fake")),
        ("hedged", rx(r"may|might|could|possibly|perhaps|with (?:some|a bit of) luck|potentially|considering|"
                      r"considers|considered|weighing|would not be surprised|plausible|as early as|exploring")),
        ("predicted", rx(r"probably|likely|expects|expected|expect|expecting|predict|predicts|predicted|forecast|"
                         r"forecasts|anticipates|anticipate|anticipated|projected|projects|estimates|believes|"
                         r"believe|thinks|think|not before|at the earliest|should")),
        ("aspired", rx(r"hope|hopes|hoped|hoping|hopefully|aim|aims|aimed|aiming|aspire|aspires|ambition|"
                       r"goal|mission|vision|wants to|want to|wanted to|looks forward|look forward|demand|"
                       r"demands|demanded|called for|calls for|strives|seeks|sought")),
        ("planned", rx(r"plans|plan|planned|planning|intends|intend|intended|roadmap|is set to|are set to|"
                       r"was set to|scheduled|slated|tried to|trying to|attempt|offered|bid")),
        ("promised", rx(r"promise|promised|promises|vowed|vows|pledged|pledges|guaranteed|committed|commits|"
                        r"will|would|shall|is going to|are going to|on track|coming|due")),
    ]),
}
#: modalities that look forward (a due date belongs to them)
FORWARD = frozenset({"promised", "planned", "predicted", "hedged", "aspired"})

CHANNEL = Lexicon([
    ("x_post", rx(r"Plattform X|auf X|bei X|über X|auf Twitter|on X|on Twitter|tweet|tweeted|Tweet|X-Post|"
                  r"post on X|posted on X|in a post on X|X post|Beitrag auf X")),
    ("podcast", rx(r"Podcast|podcast")),
    ("interview", rx(r"Interview|interview|im Gespräch mit|told|sagte der|sagte dem|told the|said in an interview|"
                     r"Gespräch")),
    ("keynote", rx(r"Keynote|keynote|Konferenz|conference|Entwicklerkonferenz|developer conference|on stage|"
                   r"auf der Bühne|event|Event|Messe|summit|Gipfel|Rede|speech")),
    ("blog", rx(r"Blogbeitrag|Blog-Beitrag|Blogpost|Blog|blog post|blog")),
    ("press_release", rx(r"Pressemitteilung|press release|Mitteilung|statement|Erklärung|Stellungnahme|"
                         r"mitgeteilt|mitteilte|teilte mit")),
    ("website_code", rx(r"Code auf der|Website-Code|Quellcode der Website|website code|code on (?:the|its) website|"
                        r"source code of")),
    ("docs", rx(r"Dokumentation|Entwicklungsdokumenten|Dokumenten|documentation|docs|developer documents|"
                r"technical report|technischen Bericht|paper|filing|Börsenpflichtmitteilung|Geschäftsbericht|"
                r"annual report|earnings call|Quartalszahlen|Bilanzpressekonferenz")),
    ("livestream", rx(r"Livestream|livestream|live stream")),
])
REPORT_CHANNELS = frozenset({"website_code", "docs"})
NOT_RELEASED = Lexicon([("not_released", rx(
    r"noch nicht erschienen|immer noch nicht erschienen|noch nicht veröffentlicht|nicht veröffentlicht|"
    r"still not released|not yet released|has not been released|hasn't been released|has yet to be released|"
    r"still hasn't shipped|has not shipped|noch nicht auf den Markt"))])
