"""Opening the SQLite database that holds the event log and the read model."""
from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

DEFAULT_DB = "claimgraph.db"


def default_path() -> str:
    return os.environ.get("CLAIMGRAPH_DB") or DEFAULT_DB


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL journal.

    ``synchronous=NORMAL`` in WAL mode never corrupts the database and loses no
    committed transaction on a process crash; only a power cut may drop the last ones.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` when the block raises. IMMEDIATE takes
    the write lock at the start, so two processes never interleave their writes."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect_reader(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection that can only read: opened read-only (``mode=ro``) and with
    ``query_only`` on, so no statement sent through it can change the database. Usable
    from any thread (one thread at a time); in WAL mode it never blocks the writer."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


@contextlib.contextmanager
def deadline(conn: sqlite3.Connection, stop: Callable[[], bool], every: int = 100_000) -> Iterator[None]:
    """Interrupt any statement on ``conn`` once ``stop()`` is true (checked every ``every``
    virtual-machine steps, a few milliseconds of work: each check takes the GIL, so it
    should not come much more often): the statement then raises
    ``sqlite3.OperationalError`` ("interrupted") and its transaction is rolled back.
    Removed again on exit."""
    conn.set_progress_handler(lambda: 1 if stop() else 0, every)
    try:
        yield
    finally:
        conn.set_progress_handler(None, every)
