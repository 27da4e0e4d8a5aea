"""How long a CLI command takes to start, against a bare Python interpreter in the same run.

Each row is a fresh process (the way a user or a shell script runs it); the rows are run
interleaved, round after round, so a slow moment of the machine hits all of them alike.
The peer is ``python3 -c pass``; the targets are ``claimgraph --help`` within 3x and
``claimgraph timeline`` (a read of the sample database) within 6x of it.

    python3 bench/cli_start.py [--rounds 15] [--python OTHER_VENV/bin/python]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import table  # noqa: E402

SAMPLES = "from importlib.resources import files; print(files('claimgraph.ingest') / 'samples')"


def _run(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15, help="processes started per row (default 15)")
    ap.add_argument("--python", default=sys.executable,
                    help="the interpreter whose claimgraph is measured (default: this one); "
                         "another checkout's venv gives a before/after on the same machine")
    args = ap.parse_args()
    py = args.python
    cli = [py, "-m", "claimgraph.api.cli"]
    samples = subprocess.run([py, "-c", SAMPLES], check=True, capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "sample.db")
        subprocess.run(cli + ["ingest", "--db", db, samples], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = {
            "python3 -c pass": [py, "-c", "pass"],
            "claimgraph --help": cli + ["--help"],
            "claimgraph timeline model:grok-3": cli + ["timeline", "model:grok-3", "--db", db],
        }
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(args.rounds):
            for name, argv in rows.items():
                times[name].append(_run(argv))
    floor = statistics.median(times["python3 -c pass"])
    targets = {"claimgraph --help": 3.0, "claimgraph timeline model:grok-3": 6.0}
    out = []
    for name, ts in times.items():
        med = statistics.median(ts)
        target = targets.get(name)
        out.append([name, f"{med * 1000:.0f}", f"{min(ts) * 1000:.0f}–{max(ts) * 1000:.0f}",
                    f"{med / floor:.2f}x", f"<= {target:g}x" if target else "(peer)",
                    ("met" if med / floor <= target else "NOT met") if target else ""])
    print(f"CLI start, fresh process each time, medians of {args.rounds} interleaved rounds\n")
    print(table(["command", "median ms", "range ms", "vs bare python", "target", ""], out))


if __name__ == "__main__":
    main()
