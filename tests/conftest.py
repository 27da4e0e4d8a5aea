from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimgraph.api.cli import sample_dir
from claimgraph.graph.store import Store



@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def sample(tmp_path) -> Path:
    """A private copy of the sample claim file and its article."""
    target = tmp_path / "sample"
    shutil.copytree(sample_dir(), target)
    return target / "grok3-delay.yaml"
