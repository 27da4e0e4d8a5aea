"""Ingest of a large source: 2,000 claims whose quotes sit near the end of a 15 MiB
article, against the floor of parsing that claim file (YAML, checks, reading the
source), in the same run. Two articles: plain ASCII, and the same with German
typographic quotation marks („…“), which Python stores at two bytes per character.

Reports the median of 3 runs of each, the ingest/parse ratio (target: within 5x), and
the peak of memory traced during one ingest as a multiple of the source's size on disk
(target: at most 4x). Beside it, the floor in the same run: the peak of reading and
decoding the source file alone (for text Python keeps at 2 bytes a character, decoding
already needs about 4x: the bytes, and the text at twice their size while it is built).

    python3 bench/ingest.py [--mib 15] [--claims 2000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claimgraph.graph.store import Store  # noqa: E402
from claimgraph.ingest.claimfile import load_claim_file, read_text  # noqa: E402
from claimgraph.ingest.pipeline import ingest_path  # noqa: E402

from common import table, timed  # noqa: E402


def write_inputs(folder: Path, mib: float, claims: int, quote: str) -> Path:
    words = ["Modell", "Chip", "Rechenzentrum", "Ankuendigung", "verspaetet", quote, "Zahl"]
    body, size, i = [], 0, 0
    while size < mib * 1048576:
        word = f"{words[i % 7]}{i % 97}"
        body.append(word + ("\n" if i % 40 == 39 else " "))
        size += len(word) + 1
        i += 1
    tail = "".join(f"Person {j} sagte, Modell {j} erscheine {2025 + j % 3}.  " for j in range(claims))
    (folder / "article.txt").write_text("".join(body) + tail, encoding="utf-8")
    lines = "".join(f"""  - {{claimant: person:p-{j}, stated: 2024, channel: blog, subject: model:m-{j}, predicate: release,
     modality: promised, quote: "Modell {j} erscheine {2025 + j % 3}"}}
""" for j in range(claims))
    path = folder / "claims.yaml"
    path.write_text("source: {path: article.txt}\nclaims:\n" + lines, encoding="utf-8")
    return path


def traced_peak(fn) -> int:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(folder: Path, path: Path) -> tuple[float, float, float, float, int]:
    counter = iter(range(100))

    def ingest() -> None:
        with Store(str(folder / f"run{next(counter)}.db")) as store:
            result = ingest_path(store, path)
            assert len(result.claim_ids) > 0

    parse, _ = timed(lambda: load_claim_file(path))
    whole, _ = timed(ingest)
    decode = traced_peak(lambda: read_text(folder / "article.txt", "source"))
    return parse, whole, traced_peak(ingest), decode, (folder / "article.txt").stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mib", type=float, default=15)
    ap.add_argument("--claims", type=int, default=2000)
    args = ap.parse_args()
    rows = []
    for label, quote in (("ASCII", '"Grok"'), ("with „…“ (2 bytes/char in Python)", "\u201eGrok\u201c")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            path = write_inputs(folder, args.mib, args.claims, quote)
            parse, whole, peak, decode, size = measure(folder, path)
        ratio, memory = whole / parse, peak / size
        rows.append([label, f"{size / 1048576:.1f}", args.claims, f"{parse:.3f}", f"{whole:.3f}", f"{ratio:.1f}x",
                     "met" if ratio <= 5 else "NOT met", f"{decode / size:.2f}x", f"{memory:.2f}x",
                     "met" if memory <= 4 else "NOT met"])
    print(f"Ingest of {args.claims:,} claims quoted near the end of a {args.mib:g} MiB source, median of 3\n")
    print(table(["source", "MiB", "claims", "parse s (floor)", "ingest s", "ingest/parse", "<= 5x",
                 "decode peak / source (floor)", "ingest peak / source", "<= 4x"], rows))


if __name__ == "__main__":
    main()
