"""Helpers shared by the tests (fixtures live in conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, db: Path | str, check: bool = True, env: dict[str, str] | None = None) -> CliResult:
    """Run ``claimgraph ARGS`` in this process (click's runner: the same code path as the
    installed command, without starting Python again). An unexpected exception is raised
    as itself, with its traceback."""
    from click.testing import CliRunner

    from claimgraph.api.cli import cli

    result = CliRunner().invoke(cli, list(args), env={"CLAIMGRAPH_DB": str(db), **(env or {})},
                                prog_name="claimgraph")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    out = CliResult(result.exit_code, result.stdout, result.stderr)
    if check and out.returncode != 0:
        raise AssertionError(f"claimgraph {' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out


def run_process(*args: str, db: Path | str, check: bool = True, env: dict[str, str] | None = None,
                **kw: object) -> subprocess.CompletedProcess[str]:
    """Run the real ``claimgraph`` command in a subprocess: for tests where the process
    boundary is the point (exit codes of a fresh interpreter, signals, start-up)."""
    full_env = {**os.environ, "CLAIMGRAPH_DB": str(db), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "claimgraph.api.cli", *args], capture_output=True,
                          text=True, env=full_env, **kw)  # type: ignore[call-overload]
    if check and proc.returncode != 0:
        raise AssertionError(f"claimgraph {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def sample_db(folder: Path) -> Path:
    """A database in ``folder`` holding the seed sample (the German report on Grok 3's delay)."""
    from claimgraph.api.cli_common import sample_dir
    from claimgraph.graph.store import Store
    from claimgraph.ingest.pipeline import ingest_path

    db = folder / "sample.db"
    with Store(str(db)) as store:
        ingest_path(store, sample_dir() / "grok3-delay.yaml")
    return db


def write_claim_file(folder: Path, body: str, article: str = "Alice said that Foo 2 ships in 2025.\n",
                     name: str = "claims.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(article, encoding="utf-8")
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
