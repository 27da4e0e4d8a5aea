"""Promises: resolution targeting, facts that settle promises (both clocks, overrides,
retractions, merges), revision chains, track records and the leaderboard."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from claimgraph.graph.promises import leaderboard, slippage, track_record
from claimgraph.ingest.commands import retract_claim
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.errors import InputError

from helpers import run_cli, write_claim_file

ARTICLE = ("Acme said Foo 2 ships by the end of 2024. Acme now says Foo 2 ships in March 2025. "
           "Acme says Foo 2 ships soon. Foo 2 came out on 10 March 2025. Bob predicts Foo 2 in 2026. "
           "Acme says Foo 2 is out. Acme says Foo 2 ships with 8 chips in 2024. Foo 2 is late. "
           "Alice leads Acme. Acme builds Foo 2.\n")
ENTITIES = """entities:
  - {id: org:acme, name: Acme}
  - {id: model:foo-2, name: Foo 2}
"""


def claim(claimant: str, stated: str, quote: str, predicate: str = "release", modality: str = "promised",
          due: str | None = None, extra: str = "") -> str:
    due_field = f", due: {due}" if due else ""
    return (f"  - {{claimant: {claimant}, stated: {stated}, channel: blog, subject: model:foo-2, "
            f"predicate: {predicate}, modality: {modality}{due_field}{extra}, quote: \"{quote}\"}}\n")


DATED = claim("org:acme", "2024-06", "Acme said Foo 2 ships by the end of 2024", due="2024-12-31") + \
    claim("org:acme", "2025-01-05", "Acme now says Foo 2 ships in March 2025", due="2025-03")
SOON = claim("org:acme", "2025-02", "Acme says Foo 2 ships soon")
RELEASED = claim("org:news", "2025-03-11", "Foo 2 came out on 10 March 2025", predicate="released",
                 modality="asserted", extra=", object: {date: 2025-03-10}")


def ingest(store, tmp_path, name: str, claims: str, resolutions: str = "") -> None:
    body = "source: {path: article.txt}\n" + ENTITIES + ("claims:\n" + claims if claims else "claims: []\n")
    if resolutions:
        body += "resolutions:\n" + resolutions
    ingest_path(store, write_claim_file(tmp_path / name, body, article=ARTICLE))


def statuses(store, at: str | None = None, asof: int | None = None) -> dict[str, str]:
    day = dt.date.fromisoformat(at) if at else None
    return {(c.due or "no due"): c.status for c in store.read.claims(asof=asof, at=day)
            if c.predicate == "release" and c.claimant == "org:acme"}


# -- targeting -------------------------------------------------------------------------

def test_a_resolution_without_due_names_the_proposition_without_one(store, tmp_path):
    ingest(store, tmp_path, "a", DATED)
    ingest(store, tmp_path, "b", SOON, "  - {subject: model:foo-2, predicate: release, verdict: kept, known: 2025-03,"
                                       " quote: \"Foo 2 came out on 10 March 2025\"}\n")
    assert statuses(store, "2025-04-01")["no due"] == "kept"
    assert statuses(store, "2025-02-01")["2024-12-31"] == "overdue"  # the dated ones are untouched


def test_due_names_one_and_scope_open_names_every_open_one(store, tmp_path):
    ingest(store, tmp_path, "a", DATED + SOON,
           "  - {subject: model:foo-2, predicate: release, due: 2024-12-31, verdict: broken, known: 2025-01,"
           " quote: \"Acme now says Foo 2 ships in March 2025\"}\n")
    ingest(store, tmp_path, "b", "", "  - {subject: model:foo-2, predicate: release, scope: open, verdict: withdrawn,"
                                     " known: 2025-02-15, quote: \"Acme says Foo 2 ships soon\"}\n")
    assert statuses(store, "2025-03-01") == {"2024-12-31": "broken", "2025-03": "withdrawn", "no due": "withdrawn"}


def test_due_and_scope_together_are_refused(store, tmp_path):
    with pytest.raises(InputError, match="either 'due'"):
        ingest(store, tmp_path, "a", DATED, "  - {subject: model:foo-2, predicate: release, scope: open, due: 2025,"
                                            " verdict: kept, known: 2025, quote: \"Foo 2 is late\"}\n")


def test_ambiguity_remains_only_between_objects_and_lists_the_fields_to_write(store, tmp_path):
    two = claim("org:acme", "2024", "Acme says Foo 2 ships with 8 chips in 2024", due="2024",
                extra=", quantity: 8") + claim("org:acme", "2024", "Acme said Foo 2 ships by the end of 2024", due="2024")
    with pytest.raises(InputError) as info:
        ingest(store, tmp_path, "a", two, "  - {subject: model:foo-2, predicate: release, due: 2024, verdict: broken,"
                                          " known: 2025, quote: \"Foo 2 is late\"}\n")
    assert "ambiguous: 2 propositions" in str(info.value) and "{due: 2024, quantity: 8}" in str(info.value)
    assert store.head() == 0


def test_a_missing_proposition_lists_what_is_claimed(store, tmp_path):
    with pytest.raises(InputError, match=r"no proposition model:foo-2 release due 2026; claimed are: due: 2024-12-31, "
                                         r"due: 2025-03 \(or write scope: open"):
        ingest(store, tmp_path, "a", DATED, "  - {subject: model:foo-2, predicate: release, due: 2026, verdict: kept,"
                                            " known: 2026, quote: \"Foo 2 is late\"}\n")


# -- facts settle promises -----------------------------------------------------------------

def test_a_release_fact_settles_every_open_release_promise(store, tmp_path):
    ingest(store, tmp_path, "a", DATED + SOON)
    before = store.head()
    ingest(store, tmp_path, "b", RELEASED)
    assert statuses(store) == {"2024-12-31": "broken", "2025-03": "kept", "no due": "kept"}
    # both clocks: not yet known at the earlier log position, not yet true before the day
    assert statuses(store, asof=before) == {"2024-12-31": "overdue", "2025-03": "overdue", "no due": "pending"}
    assert statuses(store, at="2025-03-09") == {"2024-12-31": "overdue", "2025-03": "pending", "no due": "pending"}
    record = track_record(store.read, "org:acme")
    assert (record.on_time, record.late, record.average_delay_days) == (2, 1, round((69 + 0 + 0) / 3, 1))


def test_a_manual_resolution_overrides_the_derived_one_from_its_known_date(store, tmp_path):
    ingest(store, tmp_path, "a", DATED + RELEASED,
           "  - {subject: model:foo-2, predicate: release, due: 2025-03, verdict: partly_kept, known: 2025-04,"
           " quote: \"Foo 2 is late\"}\n")
    assert statuses(store, at="2025-03-20")["2025-03"] == "kept"
    assert statuses(store, at="2025-04-02")["2025-03"] == "partly_kept"


def test_retracting_the_fact_reopens_the_promises(store, tmp_path):
    ingest(store, tmp_path, "a", DATED + RELEASED)
    fact = next(c for c in store.read.claims() if c.predicate == "released")
    retract_claim(store, fact.id, "recorded in error", actor="t")
    assert statuses(store) == {"2024-12-31": "overdue", "2025-03": "overdue"}


def test_a_kept_resolution_with_a_date_settles_the_other_promises(store, tmp_path):
    ingest(store, tmp_path, "a", DATED + SOON,
           "  - {subject: model:foo-2, predicate: release, verdict: kept, known: 2025-03-10,"
           " quote: \"Foo 2 came out on 10 March 2025\"}\n")
    assert statuses(store) == {"2024-12-31": "broken", "2025-03": "kept", "no due": "kept"}


def test_a_fact_about_a_merged_entity_settles_the_survivors_promises(store, tmp_path):
    ingest(store, tmp_path, "a", DATED)
    body = RELEASED.replace("subject: model:foo-2", "subject: model:foo2-beta")
    ingest(store, tmp_path, "b", body)
    assert statuses(store)["2025-03"] == "overdue"
    merge = write_claim_file(tmp_path / "m", "source: {path: article.txt}\nmerges:\n"
                                             "  - {from: model:foo2-beta, into: model:foo-2}\n", article=ARTICLE)
    ingest_path(store, merge)
    assert statuses(store)["2025-03"] == "kept"


@pytest.mark.parametrize("promise, fact", [("ship", "shipped"), ("ship", "released"), ("open_source", "open_sourced")])
def test_the_settlement_table_covers_other_families(store, tmp_path, promise, fact):
    body = claim("org:acme", "2024-06", "Acme said Foo 2 ships by the end of 2024", predicate=promise, due="2024-12-31") + \
        RELEASED.replace("predicate: released", f"predicate: {fact}")
    ingest(store, tmp_path, "a", body)
    (c,) = [c for c in store.read.claims() if c.predicate == promise]
    assert c.status == "broken"


# -- revision chains, records, leaderboard -----------------------------------------------------

def test_the_chain_counts_slips_and_the_delay_and_leaves_out_third_parties(store, tmp_path):
    bob = claim("person:bob", "2025-01", "Bob predicts Foo 2 in 2026", modality="predicted", due="2026")
    ingest(store, tmp_path, "a", DATED + SOON + bob + RELEASED)
    chain, rows = slippage(store.read, "model:foo-2")
    assert [r.due for r in chain.revisions] == ["2024-12-31", "2025-03", None]
    assert chain.slips == 1 and (chain.first_due, chain.last_due) == ("2024-12-31", "2025-03")
    assert chain.delivered.date == "2025-03-10" and chain.delay_days(dt.date(2030, 1, 1)) == 69
    assert all(r.claimant == "org:acme" for r in chain.revisions) and len(rows) == 3


def test_a_developers_people_belong_to_its_chain(store, tmp_path):
    alice = claim("person:alice", "2024-09", "Alice leads Acme", predicate="leads", modality="asserted",
                  extra=", object: org:acme").replace("subject: model:foo-2", "subject: person:alice")
    builds = claim("org:news", "2024", "Acme builds Foo 2", predicate="develops", modality="asserted",
                   extra=", object: model:foo-2").replace("subject: model:foo-2", "subject: org:acme")
    promise = claim("person:alice", "2024-10", "Foo 2 ships in March 2025", due="2025-03")
    ingest(store, tmp_path, "a", DATED + alice + builds + promise)
    chain, _ = slippage(store.read, "model:foo-2")
    assert {r.claimant for r in chain.revisions} == {"org:acme", "person:alice"}


def test_records_and_the_leaderboard(store, tmp_path):
    bob = claim("person:bob", "2024-01", "Bob predicts Foo 2 in 2026", modality="predicted", due="2024-06")
    ingest(store, tmp_path, "a", DATED + SOON + bob + RELEASED)
    acme = track_record(store.read, "org:acme")
    assert (acme.promises, acme.kept, acme.broken, acme.slips) == (3, 2, 1, 1)
    assert acme.slips_per_promise == pytest.approx(1 / 3)
    board = leaderboard(store.read, min_settled=1)
    assert [r.claimant for r in board] == ["org:acme", "person:bob"]
    assert [r.claimant for r in leaderboard(store.read, min_settled=2)] == ["org:acme"]


def test_the_command_line_shows_chains_slips_records_and_the_leaderboard(tmp_path, sample):
    db = tmp_path / "p.db"
    run_cli("ingest", str(sample), str(sample.parent / "grok3-launch.yaml"), db=db)
    data = json.loads(run_cli("slips", "Grok3", "--json", db=db).stdout)
    assert data["slips"] == 1 and data["firstDue"] == "2024-12-31" and data["delivered"] == "2025-02-17"
    assert data["delayDays"] == 48 and data["status"] == "kept"
    timeline = run_cli("timeline", "model:grok-3", db=db).stdout
    assert "promised by 2024-12-31 (2024) → broken; promised by 2025-02-27 (2025-02-13) → kept" in timeline
    assert "delivered 2025-02-17, 48 days after the first date" in timeline
    record = json.loads(run_cli("record", "Musk", "--json", db=db).stdout)
    assert record["late"] == 2 and record["on_time"] == 2 and record["slips_per_promise"] > 0
    board = run_cli("leaderboard", "--min-settled", "1", db=db).stdout
    assert "person:elon-musk" in board and "50%" in board


# -- GraphQL --------------------------------------------------------------------------------

def gql(store, query):
    from claimgraph.api.context import Context
    from claimgraph.api.graphql_engine import Engine
    from claimgraph.api.graphql_limits import Limits
    from claimgraph.api.graphql_schema import build_schema

    return Engine(build_schema(), Limits()).run(Context.for_store(store), query, {})


def test_graphql_answers_slippage_records_and_the_leaderboard(store, sample):
    ingest_path(store, sample)
    ingest_path(store, sample.parent / "grok3-launch.yaml")
    out = gql(store, """{ slippage(subject: "Grok3") { subject { id } slips firstDue lastDue delivered delayDays status
                           revisions { stated due claimant { id } claim { id status } } }
                         trackRecord(claimant: "Musk") { onTime late averageDelayDays slipsPerPromise settled keptRate }
                         leaderboard(minSettled: 1) { claimant { id } settled keptRate }
                         none: slippage(subject: "model:nothing") { slips } }""")
    s = out["data"]["slippage"]
    assert (s["subject"]["id"], s["slips"], s["firstDue"], s["delivered"], s["delayDays"], s["status"]) == \
        ("model:grok-3", 1, "2024-12-31", "2025-02-17", 48, "KEPT")
    assert [r["due"] for r in s["revisions"]][-2:] == ["2025-02-27", "2025-02-17"]
    assert out["data"]["trackRecord"]["late"] == 2 and out["data"]["trackRecord"]["onTime"] == 2
    assert out["data"]["leaderboard"][0]["claimant"]["id"] == "person:elon-musk"
    assert out["data"]["none"] is None and [e["extensions"]["code"] for e in out["errors"]] == ["NOT_FOUND"]


def test_graphql_shows_a_validity_interval_and_bounds_the_leaderboard(store, tmp_path):
    path = write_claim_file(tmp_path / "v", """source: {path: article.txt}
claims:
  - {claimant: org:acme, stated: 2024, channel: docs, subject: person:alice, predicate: leads, object: org:acme,
     valid_from: 2019-03, valid_to: 2023-11, modality: asserted, quote: "Alice said"}
""")
    ingest_path(store, path)
    out = gql(store, "{ claims { edges { node { validFrom validTo } } } }")
    assert out["data"]["claims"]["edges"][0]["node"] == {"validFrom": "2019-03", "validTo": "2023-11"}
    too_many = gql(store, "{ leaderboard(first: 101) { settled } }")
    assert [e["extensions"]["code"] for e in too_many["errors"]] == ["FIRST_OUT_OF_RANGE"]


def test_rdf_exports_settlements_and_revisions_and_a_round_trip_recomputes_them(store, sample, tmp_path):
    import io

    from rdflib import Dataset, Namespace
    from rdflib.compare import isomorphic

    from claimgraph.graph.rdf_export import write
    from claimgraph.graph.store import Store

    ingest_path(store, sample)
    ingest_path(store, sample.parent / "grok3-launch.yaml")
    first = io.StringIO()
    write(store.read, "nquads", first)
    cg = Namespace("https://w3id.org/claimgraph/vocab#")
    graph = Dataset(default_union=True)
    graph.parse(data=first.getvalue(), format="nquads")
    late = {int(o) for o in graph.objects(None, cg.daysLate)}
    # the four end-2024 promises state one proposition; two revisions follow it
    due = {p: str(d) for p, d in graph.subject_objects(cg.due)}
    chain = {due[a]: due[b] for a, b in graph.subject_objects(cg.revisedBy)}
    assert late == {0, 48} and chain == {"2024-12-31": "2025-02-27", "2025-02-27": "2025-02-17"}
    assert len(set(graph.subjects(cg.settledBy))) == 3
    path = tmp_path / "export.nq"
    path.write_text(first.getvalue(), encoding="utf-8")
    with Store(str(tmp_path / "again.db")) as again:
        ingest_path(again, path)
        second = io.StringIO()
        write(again.read, "nquads", second)
    other = Dataset(default_union=True)
    other.parse(data=second.getvalue(), format="nquads")
    assert isomorphic(_union(graph), _union(other))


def _union(dataset):
    """Every statement of an RDF dataset, whichever graph it is in, as one graph."""
    from rdflib import Graph

    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union
