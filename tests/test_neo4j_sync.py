"""The Neo4j projection: shape, idempotence, faults and crash recovery."""
import os
import signal
import subprocess
import sys
import time

import pytest

from claimgraph.graph.neo4j_projection import Neo4jProjection, Neo4jSettings, Neo4jUnavailable, connect
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path

from helpers import run_cli, write_claim_file


def counts(driver) -> dict:
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH labels(n) AS ls, count(*) AS c UNWIND ls AS l RETURN l, sum(c) AS c")
    nodes = {r["l"]: r["c"] for r in records}
    records, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")
    return {**nodes, **{r["t"]: r["c"] for r in records}}


def test_sync_projects_the_documented_shape(store, sample, neo4j_projection, neo4j_driver):
    ingest_path(store, sample)
    assert neo4j_projection.sync() == store.head()
    c = counts(neo4j_driver)
    n_claims = len(store.read.claims())
    assert c["Claim"] == c["CLAIMED"] == c["STATES"] == n_claims
    assert c["Resolution"] == c["RESOLVES"] == 2 and c["Source"] == 1
    assert c["Person"] == 2 and c["Model"] >= 6 and c["Hardware"] == 1 and c["Organization"] >= 5
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) WHERE (n:Entity OR n:Claim OR n:Proposition OR n:Source OR n:Resolution)"
        " AND (n.id IS NULL OR n.caption IS NULL) RETURN count(n) AS bad")
    assert records[0]["bad"] == 0, "every node has an id and a caption"
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:Entity {id: 'person:elon-musk'})-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)"
        "-[:SUBJECT]->(:Model {id: 'model:grok-3'}), (c)-[:REPORTED_IN]->(s:Source), (r:Resolution)-[:RESOLVES]->(p)"
        " WHERE c.stated = '2024-07' RETURN r.verdict AS verdict, s.id AS source")
    assert records[0]["verdict"] == "broken"


def test_sync_twice_changes_nothing(store, sample, neo4j_projection, neo4j_driver):
    ingest_path(store, sample)
    neo4j_projection.sync()
    before = counts(neo4j_driver)
    assert neo4j_projection.sync() == 0 and neo4j_projection.lag() == 0
    assert neo4j_projection.sync(rebuild=True) == store.head()
    assert counts(neo4j_driver) == before


def test_neo4j_down_ingest_succeeds_sync_fails_clearly_then_catches_up(tmp_path, sample, neo4j_driver):
    db = tmp_path / "f.db"
    down = {"NEO4J_URI": "bolt://127.0.0.1:1"}
    run_cli("ingest", str(sample), db=db, env=down)
    failed = run_cli("neo4j", "sync", db=db, env=down, check=False)
    assert failed.returncode == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in failed.stderr
    run_cli("neo4j", "sync", "--rebuild", db=db)
    more = write_claim_file(tmp_path / "more", """source: {path: article.txt}
claims:
  - {claimant: person:elon-musk, stated: 2025-02, channel: livestream, subject: model:grok-3, predicate: released,
     object: {date: 2025-02-17}, modality: asserted, quote: "Grok 3 is out"}
""", article="Musk said in a livestream: Grok 3 is out.\\n")
    run_cli("ingest", str(more), db=db, env=down)  # appended while Neo4j is "down"
    assert "lag 2" in run_cli("neo4j", "status", db=db).stdout  # the claim and its new source
    run_cli("neo4j", "sync", db=db)
    assert "lag 0" in run_cli("neo4j", "status", db=db).stdout
    c = counts(neo4j_driver)
    with Store(str(db)) as store:
        store.refresh()
        expected = len(store.read.claims())
    assert c["Claim"] == c["CLAIMED"] == expected


def test_a_sync_killed_mid_batch_resumes_without_duplicates(tmp_path, neo4j_driver):
    article = "".join(f"Person {i} said that Model {i} ships in 2025.\n" for i in range(300))
    body = "source: {path: article.txt}\nclaims:\n" + "".join(
        f"""  - {{claimant: person:p-{j}, stated: 2024, channel: blog, subject: model:m-{j}, predicate: release,
     modality: promised, due: 2025, quote: "Person {j} said that Model {j} ships in 2025"}}
""" for j in range(300))
    db = tmp_path / "k.db"
    for i in range(8):  # 8 sources x 300 claims
        write_claim_file(tmp_path / f"f{i}", body, article=f"Edition {i}.\n" + article)
        run_cli("ingest", str(tmp_path / f"f{i}" / "claims.yaml"), db=db)
    with Store(str(db)) as store:
        Neo4jProjection(neo4j_driver, store.log).wipe()
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.api.cli", "neo4j", "sync", "--batch-size", "40",
                             "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    seq = 0
    while time.time() < deadline and proc.poll() is None:
        records, _, _ = neo4j_driver.execute_query("MATCH (k:ClaimgraphCheckpoint) RETURN k.seq AS seq")
        seq = records[0]["seq"] if records else 0
        if seq >= 400:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the sync finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = counts(neo4j_driver).get("Claim", 0)
    assert 0 < partial < 2400
    run_cli("neo4j", "sync", db=db)
    c = counts(neo4j_driver)
    assert c["Claim"] == c["CLAIMED"] == c["STATES"] == c["REPORTED_IN"] == 2400
    assert c["Proposition"] == 300 and c["Source"] == 8


def test_unreachable_neo4j_is_a_clear_error():
    with pytest.raises(Neo4jUnavailable, match="cannot reach Neo4j"):
        connect(Neo4jSettings(uri="bolt://127.0.0.1:1"))


def test_status_refuses_a_projection_of_another_or_a_longer_log(tmp_path, sample, neo4j_driver):
    synced = tmp_path / "synced.db"
    run_cli("ingest", str(sample), db=synced)
    run_cli("neo4j", "sync", "--rebuild", db=synced)
    empty = run_cli("neo4j", "status", db=tmp_path / "empty.db", check=False)
    assert empty.returncode == 1 and "beyond this log's head 0" in empty.stderr
    article = "".join(f"Person {i} said that Model {i} ships in 2025.\n" for i in range(40))
    other = write_claim_file(tmp_path / "other", "source: {path: article.txt}\nclaims:\n" + "".join(
        f"""  - {{claimant: person:p-{i}, stated: 2024, channel: blog, subject: model:m-{i}, predicate: release,
     modality: promised, due: 2025, quote: "Person {i} said that Model {i} ships in 2025"}}
""" for i in range(40)), article=article)
    run_cli("ingest", str(other), db=tmp_path / "other.db")  # a longer log, but another one
    foreign = run_cli("neo4j", "status", db=tmp_path / "other.db", check=False)
    assert foreign.returncode == 1 and "does not match this log" in foreign.stderr and "lag" not in foreign.stdout


def statements() -> dict[str, str]:
    """Every statement the projection runs, by name."""
    from claimgraph.graph.neo4j import statements as q
    found: dict[str, str] = {}
    for name, value in vars(q).items():
        if isinstance(value, str) and any(w in value for w in ("MATCH", "MERGE", "CREATE")) and name != "REDIRECTS":
            found[name] = value
        elif isinstance(value, dict):
            found.update({f"{name}[{k}]": v for k, v in value.items() if isinstance(v, str) and "UNWIND" in v})
        elif isinstance(value, list) and name == "MERGE_STEPS":
            found.update({f"{name}[{i}]": v for i, v in enumerate(value)})
    return {k: v for k, v in found.items() if "IN TRANSACTIONS" not in v}


def test_no_statement_planned_on_an_empty_database_scans_what_it_could_reach(neo4j_projection, neo4j_driver):
    """Statements are planned while the database is still empty and the plan is kept for a
    while: one that scans (all relationships, all nodes of a label) would repeat the scan
    for every row as the graph grows."""
    neo4j_projection.ensure_schema()

    def operators(plan) -> list[str]:
        return [plan["operatorType"].split("@")[0]] + [o for c in plan.get("children", []) for o in operators(c)]

    params = {"rows": [], "ids": [], "today": "2025-01-01", "name": "x", "seq": 1, "hash": "h", "log_id": "l",
              "limit": 1, "promises": [], "from": "a", "into": "b"}
    scans = {}
    once = {"DUE_FOR_RECHECK"}  # run once per sync (no rows): reading a range of its index is the point
    with neo4j_driver.session() as s:
        for name, statement in statements().items():
            if name in once:
                continue
            plan = s.run("EXPLAIN " + statement, params).consume().plan
            found = [o for o in operators(plan) if "Scan" in o or "HashJoin" in o and "Node" not in o]
            if found:
                scans[name] = found
    assert not scans
