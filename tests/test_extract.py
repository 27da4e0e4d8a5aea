"""Extraction from news articles: the corpus and its folds, exact spans, the claim file,
the command line, bad and hostile input."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimgraph.ingest.extract.article import Article, read_article
from claimgraph.ingest.extract.llm import OpenAICompatibleExtractor
from claimgraph.ingest.extract.rules import VERSION, RuleExtractor, UnsupportedLanguage
from claimgraph.ingest.pipeline import ingest_document, ingest_path
from claimgraph.schema.claimfile import ClaimFile
from claimgraph.schema.errors import InputError

from helpers import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from extract import Counts, docs, fold_of, match, pairs, seed_docs

DEV = [(lang, d) for lang in ("de", "en") for d in docs("dev", lang)]


def test_the_seed_article_keeps_most_of_its_claims():
    """The shipped model (trained with the seed among its documents) at its own threshold
    keeps the seed's floor: strict precision >= 0.8 and recall >= 0.7."""
    doc = seed_docs()[0]
    data = RuleExtractor().extract(doc.article)
    strict, _, _ = match(doc.article, doc.gold, data, strict=True)
    p, r, _ = strict.prf()
    assert p >= 0.8 and r >= 0.7, strict.prf()


def test_every_dev_article_is_in_exactly_one_fold_and_gold_files_ingest(tmp_path):
    for lang in ("de", "en"):
        names = [g.name for _, g in pairs("dev", lang)]
        assert names == sorted(names) and len(names) >= 5
        folds = [fold_of(i, 5) for i in range(len(names))]
        assert sorted(set(folds)) == list(range(min(5, len(names))))
    for _, gold in pairs("dev", "de")[:2] + pairs("dev", "en")[:2]:
        assert "events appended" in run_cli("ingest", str(gold), db=tmp_path / f"{gold.stem}.db").stdout


def test_matching_counts_one_gold_claim_per_prediction():
    doc = seed_docs()[0]
    twice = {**doc.gold, "claims": doc.gold["claims"] + doc.gold["claims"]}
    counts, hits, gold_hits = match(doc.article, doc.gold, twice, strict=True)
    assert counts.tp == len(doc.gold["claims"]) == sum(gold_hits)
    assert hits.count(False) == len(doc.gold["claims"])
    assert Counts(1, 2, 4).prf()[:2] == (0.5, 0.25)


@pytest.mark.parametrize("doc", [d for _, d in DEV] + seed_docs(), ids=lambda d: d.name)
def test_every_quote_is_an_exact_span_and_the_file_ingests(doc, store):
    data = RuleExtractor(min_confidence=0).extract(doc.article)
    for c in data["claims"] + data["resolutions"]:
        assert c["quote"] in doc.article.text
    assert all(0 <= c["confidence"] <= 1 for c in data["claims"])
    parsed = ClaimFile.model_validate(data)
    result = ingest_document(store, parsed, parsed.source.text, origin="t", actor=data["extractor"])
    assert result.appended >= len(parsed.claims)
    assert store.verify().lag == 0


def test_the_same_article_gives_the_same_claim_file():
    doc = DEV[0][1]
    first = RuleExtractor(min_confidence=0).extract(doc.article)
    assert all(RuleExtractor(min_confidence=0).extract(doc.article) == first for _ in range(3))


def test_min_confidence_filters_and_every_emitted_claim_reaches_it():
    doc = seed_docs()[0]
    everything = RuleExtractor(min_confidence=0).extract(doc.article)["claims"]
    confidences = sorted({c["confidence"] for c in everything})
    middle = confidences[len(confidences) // 2]
    kept = RuleExtractor(min_confidence=middle).extract(doc.article)["claims"]
    assert kept and all(c["confidence"] >= middle for c in kept)
    assert len(kept) == sum(c["confidence"] >= middle for c in everything) < len(everything)


def test_extract_cli_writes_a_reviewable_claim_file_that_ingests_as_is(tmp_path):
    from claimgraph.api.cli import sample_dir
    article = tmp_path / "grok.txt"
    article.write_text((sample_dir() / "grok3-delay.de.txt").read_text())
    out = tmp_path / "grok.yaml"
    run_cli("extract", str(article), "--published", "2025-01-02", "--min-confidence", "0", "-o", str(out),
            db=tmp_path / "x.db")
    text = out.read_text()
    data = yaml.safe_load(text)
    assert data["source"]["path"] == "grok.txt" and len(data["claims"]) >= 8
    assert "# check:" in text and all(0 <= c["confidence"] <= 1 for c in data["claims"])
    july = [c for c in data["claims"] if c["stated"] == "2024-07" and c["predicate"] == "release"]
    assert july and july[0]["claimant"] == "person:elon-musk" and july[0]["channel"] == "x_post"
    assert "events appended" in run_cli("ingest", str(out), db=tmp_path / "x.db").stdout
    strict = tmp_path / "strict.yaml"
    run_cli("extract", str(article), "--published", "2025-01-02", "--min-confidence", "1", "-o", str(strict),
            db=tmp_path / "y.db")
    assert len(yaml.safe_load(strict.read_text())["claims"]) < len(data["claims"])


def test_ingesting_an_article_marks_claims_as_machine_extracted(store, tmp_path):
    from claimgraph.api.cli import sample_dir
    article = tmp_path / "grok.md"
    article.write_text("---\npublished: 2025-01-02\npublisher: Grok3 Report Publisher\n---\n"
                       + (sample_dir() / "grok3-delay.de.txt").read_text())
    r = ingest_path(store, article)
    assert r.appended > 0
    from claimgraph.graph.readmodel import ClaimFilter
    claims = store.read.claims(ClaimFilter(extracted=True))
    # the extractor is kept on each claim; the actor is who ingested, never the extractor
    assert claims and all(c.actor == "claimgraph-ingest@1" and c.extractor == VERSION for c in claims)
    assert all(c.confidence is not None for c in claims)
    assert ingest_path(store, article).appended == 0


def test_sidecar_metadata_and_html(tmp_path):
    html = tmp_path / "page.html"
    html.write_text("<html><head><title>Grok</title><script>var x = 'Musk said Grok 9 ships';</script></head>"
                    "<body><nav>Home | About</nav><article><p>Elon Musk said in July that Grok 3 will be released "
                    "by the end of the year. The company plans a bigger model next year.</p><p>xAI did not comment "
                    "on the report, which was published on Monday by several outlets in the United States.</p>"
                    "</article></body></html>")
    (tmp_path / "page.html.meta.yaml").write_text("published: 2024-09-01\nlanguage: en\n")
    article = read_article(html)
    assert "var x" not in article.text and "Grok 9" not in article.text
    assert article.published == "2024-09-01" and article.language == "en"
    claims = RuleExtractor(min_confidence=0).extract(article)["claims"]
    assert any(c["claimant"] == "person:elon-musk" and c["stated"] == "2024-07" for c in claims)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00data" * 50, "binary"),
])
def test_bad_articles_are_refused(tmp_path, content, reason):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_article(path)


# nine levels of nine aliases: a few hundred bytes standing for 9**9 values
BOMB = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))


@pytest.mark.parametrize("where", ["front matter", "sidecar"])
def test_metadata_cannot_carry_a_yaml_bomb_or_duplicate_keys(tmp_path, where):
    body = "Elon Musk sagte im Juli, dass Grok 3 Ende des Jahres erscheinen werde.\n"
    path = tmp_path / "a.md"
    for meta, reason in ((BOMB, "expands to more than"), ("published: 2024-01-01\npublished: 2025-01-01\n", "duplicate key")):
        if where == "front matter":
            path.write_text(f"---\n{meta}---\n{body}")
        else:
            path.write_text(body)
            (tmp_path / "a.md.meta.yaml").write_text(meta)
        with pytest.raises(InputError, match=reason) as e:
            read_article(path)
        assert e.value.file and e.value.file.endswith(("a.md", "a.md.meta.yaml"))


def test_a_sidecar_that_is_not_utf8_is_refused_naming_it(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Elon Musk sagte im Juli, Grok 3 erscheine Ende des Jahres.\n")
    (tmp_path / "a.txt.meta.yaml").write_bytes(b"publisher: Gr\xfcnder Zeitung\n")
    with pytest.raises(InputError, match="not UTF-8") as e:
        read_article(path)
    assert e.value.file.endswith("a.txt.meta.yaml")


def test_a_nul_after_the_first_block_is_refused_with_its_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Elon Musk sagte im Juli, Grok 3 erscheine Ende des Jahres.\n" * 200 + "Grok\x00 4\n")
    with pytest.raises(InputError, match="NUL") as e:
        read_article(path)
    assert e.value.line == 201


def test_other_encodings_are_detected(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Elon Musk sagte im Juli, dass Grok 3 Ende des Jahres erscheinen werde. Das Modell sei "
                     "größer und schöner als alle anderen Modelle, die es bisher gegeben hat.".encode("latin-1"))
    assert "größer" in read_article(path).text


def test_an_oversized_article_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Musk sagte etwas. " * 600000)
    with pytest.raises(InputError, match="over the limit"):
        read_article(path)


def test_other_languages_get_a_clear_message_and_no_claims(tmp_path, store):
    path = tmp_path / "fr.txt"
    path.write_text("Elon Musk a déclaré en juillet que Grok 3 sera disponible à la fin de l'année. "
                    "Le modèle est le plus puissant du monde selon la société, qui ne donne pas de date.")
    with pytest.raises(UnsupportedLanguage, match="'fr'"):
        RuleExtractor().extract(read_article(path))
    head = store.head()
    with pytest.raises(InputError, match="no claims extracted"):
        ingest_path(store, path)
    assert store.head() == head


WORDS = ["Musk", "sagte", "said", "Grok 3", "xAI", "OpenAI", "GPT-5", "H100", "im Juli", "in July", "will",
         "werde", "veröffentlicht", "released", "nicht", "dass", "that", "100.000", "$5 billion", ",", ".", "„",
         "“", "\"", "er", "he", "Ende 2024", "am 2. Januar", "buys", "kauft", "übertrifft", "outperforms", "Altman",
         "verzögert", "delayed", "Anthropic", "Claude 3.5 Opus", "plant", "plans", "Interview", "on X", "laut",
         "according to", "zufolge", "people familiar with the matter", "Sprecher von", "the company", "CEO",
         "Chef", "on Monday", "am Dienstag", "Modell", "chip", "GB300", "Qwen3-Coder", ";", " – ", "\n\n"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=3, max_size=80), st.sampled_from(["de", "en"]),
       st.sampled_from([None, "Example News"]))
def test_any_text_gives_a_valid_claim_file_with_exact_spans(words, language, publisher):
    text = " ".join(words)
    data = RuleExtractor(min_confidence=0).extract(Article(text=text, language=language, published="2025-01-02",
                                                           publisher=publisher))
    doc = ClaimFile.model_validate(data)
    for c in doc.claims:
        assert c.quote in text and c.confidence is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400))
def test_arbitrary_unicode_never_breaks_the_extractor(text):
    assume("\x00" not in text)  # read_article refuses it (test_a_nul_after_the_first_block_is_refused)
    data = RuleExtractor(min_confidence=0).extract(Article(text=text, language="en", published="2024-05-06",
                                                           publisher="Example News"))
    ClaimFile.model_validate(data)
    assert all(c["quote"] in text for c in data["claims"])


def test_an_openai_compatible_endpoint_can_extract(tmp_path):
    text = "Sam Altman said GPT-5 ships this summer. Nobody believed it."
    reply = {"entities": [], "claims": [
        {"claimant": "person:sam-altman", "stated": "2025-03", "channel": "other", "subject": "model:gpt-5",
         "predicate": "release", "modality": "promised", "quote": "Sam Altman said GPT-5 ships this summer."},
        {"claimant": "person:sam-altman", "stated": "2025-03", "channel": "other", "subject": "model:gpt-5",
         "predicate": "release", "modality": "promised", "quote": "a paraphrase that is not in the text"}]}
    seen = {}

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            seen["body"] = json.loads(self.rfile.read(int(self.headers["content-length"])))
            out = json.dumps({"choices": [{"message": {"content": json.dumps(reply)}}]}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        extractor = OpenAICompatibleExtractor(f"http://127.0.0.1:{server.server_port}/v1", "test-model")
        data = extractor.extract(Article(text=text, published="2025-03-10", language="en"))
    finally:
        server.shutdown()
    assert seen["body"]["model"] == "test-model" and text in seen["body"]["messages"][0]["content"]
    assert [c["quote"] for c in data["claims"]] == ["Sam Altman said GPT-5 ships this summer."]
    ClaimFile.model_validate(data)
