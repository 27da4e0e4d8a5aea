"""The W3C RDF 1.1 syntax test suites, fetched from the package registry and cached.

rdflib's source distribution on PyPI ships the suites (``test/data/suites/w3c/``); the
first call downloads that sdist with pip, extracts the suites into the user's cache
folder (``$XDG_CACHE_HOME/claimgraph`` or ``~/.cache/claimgraph``) and later calls use
the cache. ``CLAIMGRAPH_W3C_SUITES`` points at an already extracted copy instead.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

RDFLIB_SDIST = "7.6.0"  # the release whose suites are used; pinned so the suite never moves
SUITES = ("ntriples", "nquads", "turtle", "trig", "rdf-xml")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimgraph" / f"w3c-rdflib-{RDFLIB_SDIST}"


def suites_dir() -> Path:
    """The folder holding one sub-folder per suite (with its manifest.ttl)."""
    given = os.environ.get("CLAIMGRAPH_W3C_SUITES")
    if given:
        return Path(given)
    target = cache_dir()
    if all((target / s / "manifest.ttl").exists() for s in SUITES):
        return target
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--no-binary", ":all:", "--dest", tmp, f"rdflib=={RDFLIB_SDIST}"],
                       check=True, timeout=300)
        sdist = next(Path(tmp).glob("rdflib-*.tar.gz"))
        prefix = f"rdflib-{RDFLIB_SDIST}/test/data/suites/w3c/"
        with tarfile.open(sdist) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith(prefix) and m.name[len(prefix):].split("/", 1)[0] in SUITES
                       and (m.isfile() or m.isdir())]
            for m in members:
                m.name = m.name[len(prefix):]
            target.mkdir(parents=True, exist_ok=True)
            tar.extractall(target, members=members, filter="data")
    return target
