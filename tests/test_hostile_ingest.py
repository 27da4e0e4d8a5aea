"""Hostile claim files and documents: each is refused with its file, line and reason,
nothing of it enters the log, and the log still verifies. Bombs run in a separate process
under memory and CPU limits (``resource``), so a regression fails the test instead of the
machine."""
from __future__ import annotations

import json
import re
import resource
import sqlite3
import subprocess
import sys

import pytest

from claimgraph.graph.eventlog import event_hash, utc_now
from claimgraph.graph.store import Store
from claimgraph.ingest.commands import ingest_text
from claimgraph.schema.errors import InputError

from helpers import ROOT, run_cli, write_claim_file

GOOD = """source: {path: article.txt}
claims:
  - {claimant: person:alice, stated: 2024, channel: blog, subject: model:foo-2, predicate: release,
     modality: promised, due: 2025, quote: "Foo 2 ships in 2025"}
"""
CLAIM = """source: {path: article.txt}
claims:
  - claimant: person:alice
    stated: 2024
    channel: blog
    subject: model:foo-2
    predicate: trained_on
    modality: asserted
    quote: "Foo 2 ships in 2025"
"""


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "h.db"
    run_cli("ingest", str(write_claim_file(tmp_path / "good", GOOD)), db=db)
    return db


def state(db) -> tuple[int, str]:
    with Store(str(db)) as store:
        return store.log.head_hash()


def refused(db, path, *needles: str) -> str:
    """Ingest ``path``: exit 1, every needle in the message, the log as it was, verify ok."""
    before = state(db)
    r = run_cli("ingest", str(path), db=db, check=False)
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr
    assert state(db) == before
    assert run_cli("verify", db=db).returncode == 0
    return r.stderr


@pytest.mark.parametrize("value, reason", [
    ("1" + "0" * 309, "number out of range"),
    ("1" + "0" * 5001, "cannot be read"),
    (".inf", "not a finite number"),
    ("-.Inf", "not a finite number"),
    (".nan", "not a finite number"),
    ("1e400", "not a finite number"),
    ("true", "not a number"),
])
def test_numbers_that_cannot_be_stored_are_refused_with_their_line(loaded, tmp_path, value, reason):
    path = write_claim_file(tmp_path / "n", CLAIM + f"    quantity: {value}\n")
    message = refused(loaded, path, reason)
    if "cannot be read" not in reason:
        assert f"{path}:10" in message and "quantity" in message


@pytest.mark.parametrize("value", ["1" + "0" * 5001, "1e400", "NaN", "Infinity", "[" * 100_000 + "]" * 100_000])
def test_json_numbers_and_nesting_that_cannot_be_stored_are_refused(loaded, tmp_path, value):
    doc = {"source": {"path": "article.txt"}, "claims": [{
        "claimant": "person:alice", "stated": "2024", "channel": "blog", "subject": "model:foo-2",
        "predicate": "trained_on", "modality": "asserted", "quote": "Foo 2 ships in 2025", "quantity": "@"}]}
    path = write_claim_file(tmp_path / "j", json.dumps(doc).replace('"@"', value), name="claims.json")
    refused(loaded, path, str(path))


def test_an_impossible_unquoted_date_is_reported_with_its_line(loaded, tmp_path):
    path = write_claim_file(tmp_path / "d", CLAIM.replace("stated: 2024", "stated: 2024-02-30"))
    refused(loaded, path, f"{path}:4", "day 30 does not exist")


def test_an_unpaired_surrogate_is_refused(loaded, tmp_path):
    doc = json.dumps({"source": {"text": "Foo 2 ships in 2025"}, "claims": [{
        "claimant": "person:alice", "stated": "2024", "channel": "blog", "subject": "model:foo-2",
        "predicate": "release", "modality": "promised", "quote": "Foo 2 ships in 2025",
        "unit": "x"}]}).replace('"x"', '"\\ud800"')
    path = write_claim_file(tmp_path / "s", doc, name="claims.json")
    refused(loaded, path, "not valid Unicode")


@pytest.mark.parametrize("field, value, reason", [
    ("quote", "x" * 10_001, "at most 10000 characters"),
    ("predicate", "p" * 81, "at most 80"),
    ("subject", "model:" + "a" * 300, "at most 300 characters"),
])
def test_overlong_values_are_refused_with_their_line(loaded, tmp_path, field, value, reason):
    body = re.sub(rf"(?m)^    {field}: .*$", f"    {field}: {value}", CLAIM)
    path = write_claim_file(tmp_path / "l", body)
    refused(loaded, path, str(path), reason)


def limited(code: str, memory_mb: int = 1024, cpu_s: int = 30) -> subprocess.CompletedProcess[str]:
    """Run Python code in a child process that may use at most this much memory and CPU."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=limits,
                          cwd=ROOT, timeout=cpu_s * 4)


BOMB = "".join([f"l{i}: &l{i} [{', '.join(['*l' + str(i - 1)] * 9)}]\n" for i in range(1, 10)])
BOMB = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB


@pytest.mark.parametrize("document", [
    BOMB,                                               # 9 levels of 9 aliases: 387 million values
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",      # crashes the C composer without the depth check
    "a: &a [*a]\n",                                      # an alias to itself
])
def test_yaml_bombs_are_refused_in_bounded_memory_and_time(tmp_path, document):
    path = tmp_path / "bomb.yaml"
    path.write_text(document)
    r = limited(f"""
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.commands import ingest_text
from claimgraph.schema.errors import InputError
store = Store({str(tmp_path / 'b.db')!r})
for attempt in (lambda: ingest_path(store, {str(path)!r}), lambda: ingest_text(store, open({str(path)!r}).read())):
    try:
        attempt()
        print("accepted")
    except InputError as e:
        print("refused:", e)
print("events:", store.head())
""")
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.count("refused:") == 2 and "events: 0" in r.stdout
    assert any(w in r.stdout for w in ("aliases", "deeper than", "expands to more", "recursive or unknown alias"))


def test_a_document_sent_to_the_server_has_the_file_size_limit(store, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_MAX_FILE_MB", "1")
    with pytest.raises(InputError, match="the source text is 1.5 MiB, over the limit of 1 MiB"):
        ingest_text(store, "source: {}\nclaims: []\n", source_text="x" * (3 << 19), actor="api:alice")
    assert store.head() == 0


def test_a_document_cannot_name_its_actor(store):
    doc = GOOD.replace("source: {path: article.txt}", 'source: {text: "Foo 2 ships in 2025"}') + \
        'extractor: "api:bob"\n'
    ingest_text(store, doc, actor="api:alice")
    events = list(store.log.read())
    assert events and {e.actor for e in events} == {"api:alice"}
    (claim,) = store.read.claims()
    assert claim.actor == "api:alice" and claim.extractor == "api:bob"


@pytest.mark.parametrize("quote, bound", [
    ('\\"Grok\\"', 4.0),            # text Python keeps at one byte per character
    ("\\u201eGrok\\u201c", 8.0),    # „…“: two bytes per character, so 4x its size in memory
])
def test_linear_quote_location_keeps_memory_near_the_source_size(tmp_path, quote, bound):
    """2,000 quotes near the end of a 15 MiB source: all found, with a traced peak within
    the bound (in a child process with a memory limit)."""
    r = limited(f"""
import resource, tracemalloc
from pathlib import Path
folder = Path({str(tmp_path)!r})
words = ["Modell", "Chip", "Rechenzentrum", "Ankuendigung", "verspaetet", "{quote}", "Zahl"]
text = " ".join(words[i % 7] + str(i % 97) for i in range(1_420_000))
tail = "".join(f"Person {{i}} sagte, Modell {{i}} erscheine {{2025 + i % 3}}.  " for i in range(2000))
(folder / "big.txt").write_text(text + tail, encoding="utf-8")
claims = "".join(f'''  - {{{{claimant: person:p-{{i}}, stated: 2024, channel: blog, subject: model:m-{{i}}, predicate: release,
     modality: promised, quote: "Modell {{i}} erscheine {{2025 + i % 3}}"}}}}
''' for i in range(2000))
(folder / "big.yaml").write_text("source: {{path: big.txt}}\\nclaims:\\n" + claims, encoding="utf-8")
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
store = Store(str(folder / "big.db"))
size = (folder / "big.txt").stat().st_size
tracemalloc.start()
r = ingest_path(store, folder / "big.yaml")
peak = tracemalloc.get_traced_memory()[1]
print("claims", len(r.claim_ids), "ratio", round(peak / size, 2))
""", memory_mb=1536)
    assert r.returncode == 0, r.stderr[-2000:]
    claims, ratio = r.stdout.split()[1], float(r.stdout.split()[3])
    assert claims == "2000" and ratio <= bound, r.stdout


# -- tamper evidence ------------------------------------------------------------------

def rewrite(db, seq: int, old: str, new: str) -> None:
    """What an attacker with write access does: edit an event, recompute every hash."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET data = replace(data, ?, ?) WHERE seq = ?", (old, new, seq))
    prev = "0" * 64
    for row in conn.execute("SELECT seq, event_id, stream_id, stream_version, type, version, data, actor, reason,"
                            " recorded_at FROM events ORDER BY seq").fetchall():
        h = event_hash(prev, *row)
        conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, row[0]))
        prev = h
    conn.commit()
    conn.close()


def claim_seq(db) -> int:
    conn = sqlite3.connect(db)
    (seq,) = conn.execute("SELECT seq FROM events WHERE type = 'claim-recorded'").fetchone()
    conn.close()
    return seq


def test_a_rewritten_quote_with_recomputed_hashes_fails_verify(loaded):
    rewrite(loaded, claim_seq(loaded), "Foo 2 ships in 2025", "Foo 2 ships in 2023")
    r = run_cli("verify", db=loaded, check=False)
    assert r.returncode == 1 and "the quote of event" in r.stderr and "is not at" in r.stderr


def test_with_a_log_key_a_recomputed_chain_fails_verify(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_LOG_KEY", "correct horse battery staple")
    db = tmp_path / "k.db"
    run_cli("ingest", str(write_claim_file(tmp_path / "good", GOOD)), db=db)
    assert "authenticated with the log key from event 1" in run_cli("verify", db=db).stdout
    rewrite(db, claim_seq(db), '"modality":"promised"', '"modality":"denied"')
    r = run_cli("verify", db=db, check=False)
    assert r.returncode == 1 and "authentication code does not match" in r.stderr
    wrong = run_cli("verify", db=db, check=False, env={"CLAIMGRAPH_LOG_KEY": "another key, long enough"})
    assert wrong.returncode == 1 and "not the one this log was signed with" in wrong.stderr
    monkeypatch.delenv("CLAIMGRAPH_LOG_KEY")
    refused_append = run_cli("ingest", str(write_claim_file(tmp_path / "more", CLAIM)), db=db, check=False)
    assert refused_append.returncode == 1 and "signed with a key" in refused_append.stderr


def test_a_published_head_shows_a_cut_or_rewritten_log(loaded, tmp_path):
    head = run_cli("verify", "--head", db=loaded).stdout.strip()
    seq, digest = head.split(":")
    assert int(seq) == state(loaded)[0] and digest == state(loaded)[1]
    run_cli("ingest", str(write_claim_file(tmp_path / "more", CLAIM)), db=loaded)
    assert run_cli("verify", "--expect-head", head, db=loaded).returncode == 0  # the log grew: fine
    rewrite(loaded, claim_seq(loaded), "2025", "2026")
    r = run_cli("verify", "--expect-head", head, db=loaded, check=False)
    assert r.returncode == 1 and "does not contain the published head" in r.stderr


# -- a log poisoned by an older version ---------------------------------------------------

def poison(db, payload: str) -> int:
    """Append an event as an older, less strict version could have (chain intact)."""
    conn = sqlite3.connect(db)
    seq, prev, _ = conn.execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    row = (seq + 1, "f" * 32, "claim:poisoned", 1, "claim-recorded", 2, payload, "old-version@0", None, utc_now())
    conn.execute("INSERT INTO events (seq, event_id, stream_id, stream_version, type, version, data, actor, reason,"
                 " recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                 (*row, prev, event_hash(prev, *row)))
    conn.commit()
    conn.close()
    return seq + 1


@pytest.mark.parametrize("payload", [
    '{"claim_id": "claim:poisoned", "quantity": 1' + "0" * 309 + "}",  # does not read back
    '{"claim_id": "claim:poisoned"}',                                   # reads, cannot be projected
])
def test_a_poisoned_log_is_survived_reported_and_recovered(loaded, tmp_path, payload):
    bad = poison(loaded, payload)
    # every reader goes on
    assert run_cli("timeline", "model:foo-2", db=loaded).returncode == 0
    run_cli("ingest", str(write_claim_file(tmp_path / "more", CLAIM)), db=loaded)
    assert run_cli("rebuild", db=loaded).returncode == 0
    assert run_cli("export", "--format", "nquads", db=loaded).returncode == 0
    assert json.loads(run_cli("query", "{ claims { totalCount } }", db=loaded).stdout)["data"]["claims"]["totalCount"] == 2
    assert str(bad) in run_cli("log", db=loaded).stdout
    # verify reports it until it is retracted
    r = run_cli("verify", db=loaded, check=False)
    assert r.returncode == 1 and f"event {bad} (claim-recorded) cannot be projected" in r.stderr
    assert f"claimgraph retract {bad}" in r.stderr
    not_faulty = run_cli("retract", "1", "--reason", "x", db=loaded, check=False)
    assert not_faulty.returncode == 1 and "is projected as it should be" in not_faulty.stderr
    run_cli("retract", str(bad), "--reason", "written by an old version", db=loaded)
    ok = run_cli("verify", db=loaded)
    assert ok.returncode == 0 and "retracted by event" in ok.stderr


def test_a_poisoned_log_does_not_stop_the_server(loaded):
    from starlette.testclient import TestClient

    from claimgraph.api.app import Settings, create_app

    poison(loaded, '{"claim_id": "claim:poisoned", "quantity": 1' + "0" * 309 + "}")
    with TestClient(create_app(Settings(db=str(loaded)))) as client:
        assert client.get("/health").status_code == 200
        r = client.post("/graphql", json={"query": "{ claims { totalCount } }"})
        assert r.json()["data"]["claims"]["totalCount"] == 1


# -- RDF -------------------------------------------------------------------------------------

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="https://schema.org/">
  <s:Organization rdf:about="http://example.org/&lol4;"><s:name>&lol4;</s:name></s:Organization>
</rdf:RDF>
"""


@pytest.mark.parametrize("document, line", [
    (LAUGHS, 2),
    ('<?xml version="1.0"?>\n<!-- fine -->\n<!doctype x SYSTEM "file:///etc/passwd">\n<rdf:RDF/>\n', 3),
])
def test_rdf_xml_with_declarations_is_refused_before_parsing(loaded, tmp_path, document, line):
    path = tmp_path / "bomb.rdf"
    path.write_text(document)
    refused(loaded, path, f"{path}:{line}", "declaration")


def test_overlong_literals_and_iris_are_refused(loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_MAX_FILE_MB", "1")
    literal = tmp_path / "long.nt"
    literal.write_text(f'<http://example.org/a> <https://schema.org/name> "{"x" * 1_200_000}" .\n')
    refused(loaded, literal, str(literal), "a literal of 1,200,000 characters")
    iri = tmp_path / "iri.nt"
    iri.write_text(f'<http://example.org/{"a" * 5000}> <https://schema.org/name> "x" .\n')
    refused(loaded, iri, str(iri), "an IRI of 5,019 characters")


def test_a_million_blank_nodes_are_refused_in_bounded_memory_and_time(tmp_path):
    path = tmp_path / "blank.ttl"
    with open(path, "w") as f:
        f.write("@prefix s: <https://schema.org/> .\n")
        for i in range(1_000_000):
            f.write(f'_:b{i} s:name "n" .\n')
    r = limited(f"""
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.errors import InputError
store = Store({str(tmp_path / 'b.db')!r})
try:
    ingest_path(store, {str(path)!r})
except InputError as e:
    print("refused:", e)
print("events:", store.head())
""", memory_mb=1024, cpu_s=20)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "more than 100,000 blank nodes" in r.stdout and "events: 0" in r.stdout
