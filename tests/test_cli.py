"""The command line as users run it: every command through click's runner in this
process, and the installed entry point in a real process where start-up is the point."""
import json
import re
import sqlite3

import httpx
import pytest

from claimgraph.api.cli import cli

from helpers import ROOT, run_cli, run_process, write_claim_file
from servers import free_port, running

JULY_QUOTE = "Grok 3 nach dem Training mit 100.000 H100-Grafikkarten Ende des Jahres auf den Markt kommen"


def test_ingest_sample_then_timeline_shows_the_july_promise_broken(tmp_path, sample):
    db = tmp_path / "c.db"
    out = run_cli("ingest", str(sample), db=db).stdout
    appended = int(re.search(r"(\d+) events appended", out).group(1))
    assert appended > 20
    lines = run_cli("timeline", "model:grok-3", db=db).stdout.splitlines()
    i = next(i for i, line in enumerate(lines) if line.lstrip().startswith("2024-07") and "release" in line)
    assert "person:elon-musk" in lines[i] and "promised" in lines[i] and "[broken]" in lines[i]
    assert JULY_QUOTE in lines[i + 1]
    # ingesting the same file again appends nothing
    again = run_cli("ingest", str(sample), db=db).stdout
    assert "0 events appended" in again
    assert len(run_cli("log", "--json", db=db).stdout.splitlines()) == appended


def test_timeline_json_and_clocks(tmp_path, sample):
    db = tmp_path / "c.db"
    run_cli("ingest", str(sample), db=db)
    rows = [json.loads(x) for x in run_cli("timeline", "Grok3", "--json", "--at", "2024-12-01", db=db).stdout.splitlines()]
    july = next(r for r in rows if r["stated"] == "2024-07" and r["predicate"] == "release")
    assert july["status"] == "pending" and july["quote"] == JULY_QUOTE
    early = run_cli("timeline", "model:grok-3", "--as-of", "0", db=db, check=False)
    assert early.returncode == 1 and "no entity" in early.stderr  # not known yet at position 0
    partial = run_cli("timeline", "model:grok-3", "--json", "--as-of", "20", db=db).stdout.splitlines()
    assert 0 < len(partial) < len(rows)
    bad = run_cli("timeline", "model:grok-3", "--at", "someday", db=db, check=False)
    assert bad.returncode != 0 and "not a date" in bad.stderr


def test_record(tmp_path, sample):
    db = tmp_path / "c.db"
    run_cli("ingest", str(sample), db=db)
    data = json.loads(run_cli("record", "person:elon-musk", "--json", db=db).stdout)
    assert data["broken"] == 2 and data["promises"] >= 2
    text = run_cli("record", "Musk", db=db).stdout
    assert "2 broken" in text
    missing = run_cli("record", "person:nobody", db=db, check=False)
    assert missing.returncode == 1 and "no entity 'person:nobody'" in missing.stderr


def test_log_json_prints_one_object_per_event(tmp_path, sample):
    db = tmp_path / "c.db"
    run_cli("ingest", str(sample), db=db)
    lines = run_cli("log", "--json", db=db).stdout.splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert {"seq", "type", "recordedAt", "actor", "hash", "prevHash", "data"} <= set(events[0])
    after = run_cli("log", "--after", "5", "--json", db=db).stdout.splitlines()
    assert json.loads(after[0])["seq"] == 6


def test_verify_passes_then_detects_an_edited_event(tmp_path, sample):
    db = tmp_path / "c.db"
    run_cli("ingest", str(sample), db=db)
    assert "hash chain intact" in run_cli("verify", db=db).stdout
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET data = replace(data, 'broken', 'kept') WHERE type = 'proposition-resolved'")
    conn.commit()
    conn.close()
    bad = run_cli("verify", db=db, check=False)
    assert bad.returncode == 1 and "was altered" in bad.stderr


def test_verify_detects_a_tampered_read_model_and_rebuild_mends_it(tmp_path, sample):
    db = tmp_path / "c.db"
    run_cli("ingest", str(sample), db=db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE rm_resolutions SET verdict = 'kept'")
    conn.commit()
    conn.close()
    bad = run_cli("verify", db=db, check=False)
    assert bad.returncode == 1 and "differs from a fresh replay" in bad.stderr
    assert "rebuilt the read model" in run_cli("rebuild", db=db).stdout
    assert run_cli("verify", db=db).returncode == 0


def test_bad_file_among_good_ones(tmp_path, sample):
    db = tmp_path / "c.db"
    bad = write_claim_file(tmp_path / "bad", "source: {path: article.txt}\nclaims:\n  - claimant: [\n")
    proc = run_cli("ingest", str(sample), str(bad), db=db, check=False)
    assert proc.returncode == 1
    assert f"{bad}:" in proc.stderr and "malformed YAML" in proc.stderr
    assert "files:" in proc.stdout  # the good file still went in
    assert run_cli("verify", db=db).returncode == 0


def test_demo_loads_the_sample_and_serves_it(tmp_path):
    port = free_port()
    with running(["demo", "--db", str(tmp_path / "d.db"), "--port", str(port)], port) as (url, proc):
        r = httpx.post(url + "/graphql", json={"query": '{ entity(id: "Grok3") { name } }'})
        assert r.json() == {"data": {"entity": {"name": "Grok 3"}}}
    out = proc.stdout.read()
    assert "Timeline of model:grok-3" in out and JULY_QUOTE in out


def commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name, tmp_path):
    out = run_cli(name, "--help", db=tmp_path / "x.db").stdout
    assert "Example:" in out and f"claimgraph {name}" in out


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [n for n in commands() if f"claimgraph {n}" not in readme]
    assert not missing, f"README does not document: {missing}"


def test_the_installed_command_starts_and_reports_errors_by_exit_code(tmp_path):
    assert "Usage: claimgraph" in run_process("--help", db=tmp_path / "x.db").stdout
    missing = run_process("timeline", "model:nothing", db=tmp_path / "x.db", check=False)
    assert missing.returncode == 1 and "Error: no entity 'model:nothing'" in missing.stderr
