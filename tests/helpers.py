"""Helpers shared by the tests (fixtures live in conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, db: Path | str, check: bool = True, env: dict | None = None,
            **kw) -> subprocess.CompletedProcess:
    """Run the real ``claimgraph`` command in a subprocess."""
    full_env = {**os.environ, "CLAIMGRAPH_DB": str(db), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "claimgraph.api.cli", *args], capture_output=True,
                          text=True, env=full_env, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"claimgraph {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def write_claim_file(folder: Path, body: str, article: str = "Alice said that Foo 2 ships in 2025.\n",
                     name: str = "claims.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(article, encoding="utf-8")
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
