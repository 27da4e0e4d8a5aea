"""Shared helpers for the benchmarks: synthetic events, timing, tables."""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claimgraph.schema.events import ClaimRecorded, EntityRegistered, SourceRegistered  # noqa: E402
from claimgraph.schema.model import Proposition, content_id  # noqa: E402

PREDICATES = ["release", "trained_on", "outperforms", "buys", "delay", "most_capable"]
CHANNELS = ["x_post", "interview", "blog", "keynote", "press_release"]
MODALITIES = ["promised", "asserted", "planned", "hedged", "predicted"]


def claim_payload(i: int, people: int = 500, models: int = 2000, sources: int = 1000) -> dict:
    """A realistic ClaimRecorded payload, different for every i."""
    pred = PREDICATES[i % len(PREDICATES)]
    subject = f"model:m-{i % models}"
    obj = {"entity": f"hardware:h-{i % 50}"} if pred in ("trained_on", "buys") else None
    due = f"{2024 + i % 3}-{1 + i % 12:02d}-28" if pred == "release" else None
    prop = Proposition.make(subject, pred, None, (i % 7) * 10000 or None, None, due)
    if obj:
        prop = Proposition.make(subject, pred, __import__("claimgraph.schema.model", fromlist=["x"]).ObjectValue(**obj),
                                (i % 7) * 10000 or None, None, due)
    quote = f"Model M{i % models} will ship with {i} improvements, said Person {i % people}"
    return {
        "claim_id": content_id("claim", i),
        "claimant": f"person:p-{i % people}",
        "proposition": prop.model_dump(),
        "stated": f"{2023 + i % 3}-{1 + i % 12:02d}",
        "channel": CHANNELS[i % len(CHANNELS)],
        "modality": MODALITIES[i % len(MODALITIES)],
        "evidence": {"source_id": f"source:{i % sources:016x}", "quote": quote, "start": 10 * (i % 100),
                     "end": 10 * (i % 100) + len(quote), "language": "en", "verified": True},
        "confidence": None,
        "extractor": None,
    }


def entity_events(people: int = 500, models: int = 2000, hardware: int = 50):
    for i in range(people):
        yield EntityRegistered(entity_id=f"person:p-{i}", kind="person", name=f"Person {i}")
    for i in range(models):
        yield EntityRegistered(entity_id=f"model:m-{i}", kind="model", name=f"M{i}",
                               aliases=({"name": f"Model M{i}"},))
    for i in range(hardware):
        yield EntityRegistered(entity_id=f"hardware:h-{i}", kind="hardware", name=f"H{i}")


def source_events(sources: int = 1000):
    for i in range(sources):
        yield SourceRegistered(source_id=f"source:{i:016x}", text=f"Synthetic article {i}. " * 40,
                               title=f"Article {i}", language="en", published="2024-06-01")


def claim_events(start: int, count: int):
    for i in range(start, start + count):
        yield ClaimRecorded.model_validate(claim_payload(i))


def cache_dir() -> Path:
    """Where benchmark databases are kept between runs, outside the work tree:
    ``CLAIMGRAPH_BENCH_CACHE``, or ``claimgraph/bench`` in the user's cache folder.
    ``python3 bench/common.py --clean`` deletes it."""
    given = os.environ.get("CLAIMGRAPH_BENCH_CACHE")
    if given:
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimgraph" / "bench"


OUT = cache_dir()


def cached_db(name: str, build, *args) -> Path:
    """<cache>/<name>, built once by ``build(path, *args)`` and reused by later runs.

    The database is built under a temporary name and renamed when complete, so an
    interrupted build is never mistaken for a finished one."""
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / name
    if not db.exists():
        tmp = db.with_suffix(".tmp")
        leftovers = [tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")]
        for p in leftovers:
            p.unlink(missing_ok=True)
        build(tmp, *args)
        tmp.rename(db)
        for p in leftovers[1:]:
            p.unlink(missing_ok=True)
    return db


def timed(fn, repeat: int = 3) -> tuple[float, list[float]]:
    """Median wall time of ``repeat`` runs of ``fn()`` and all the times."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in r] for r in [headers] + rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    import shutil
    import sys

    if sys.argv[1:] != ["--clean"]:
        sys.exit("usage: python3 bench/common.py --clean   (deletes the cached benchmark databases)")
    shutil.rmtree(OUT, ignore_errors=True)
    print(f"deleted {OUT}")
