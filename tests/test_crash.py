"""kill -9 in the middle of an ingest leaves log and read model consistent."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from claimgraph.graph.store import Store

from helpers import write_claim_file

ARTICLE = "".join(f"Person {i} said that Model {i} ships in 2025.\n" for i in range(400))


def claim_file(i: int) -> str:
    return """source: {path: article.txt}
claims:
""" + "".join(f"""  - {{claimant: person:p-{i}-{j}, stated: 2024, channel: blog, subject: model:m-{j},
     predicate: release, modality: promised, due: 2025, quote: "Person {j} said that Model {j} ships in 2025"}}
""" for j in range(i, 400, 7))


def test_kill_during_ingest_leaves_everything_consistent(tmp_path):
    folder = tmp_path / "files"
    for i in range(60):
        write_claim_file(folder, claim_file(i), article=ARTICLE, name=f"c{i:03}.yaml")
    db = tmp_path / "crash.db"
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.api.cli", "ingest", "--db", str(db), str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    seen = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            seen = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]
        except sqlite3.Error:
            seen = 0
        if seen > 500:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(str(db)) as store:
        report = store.verify()
        assert report.events >= seen
        # whole files only: each file's claims are all there or none is
        store.refresh()
        complete = 0
        for i in range(60):
            n = store.conn.execute("SELECT COUNT(*) FROM rm_claims WHERE claimant LIKE ?",
                                   (f"person:p-{i}-%",)).fetchone()[0]
            assert n in (0, len(range(i, 400, 7))), f"file {i} was half-applied: {n} claims"
            complete += n > 0
        assert 0 < complete < 60
        assert store.verify().lag == 0
    # a second run completes the job without duplicates
    subprocess.run([sys.executable, "-m", "claimgraph.api.cli", "ingest", "--db", str(db), str(folder)],
                   check=True, capture_output=True)
    with Store(str(db)) as store:
        store.refresh()
        expected = sum(len(range(i, 400, 7)) for i in range(60))
        assert store.conn.execute("SELECT COUNT(*) FROM rm_claims").fetchone()[0] == expected
        store.verify()
