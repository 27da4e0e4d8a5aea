"""Extraction quality (precision, recall, F1 against gold claim files) and throughput.

Quality: a predicted claim matches a gold one when claimant, subject and predicate are
the same, `stated` agrees at the gold's precision, and the quotes' spans overlap (one
gold claim per prediction). Gold sets: the curated sample of the seed article, and the
development set in bench/extract_data/dev (3 German, 3 English articles). Two more
articles in bench/extract_data/heldout were written after the rules and never used to
change them: their figures show how the rules carry over to unseen text. Articles get
their metadata (publisher, published, title) from the gold file's source block; the
language is detected.

Throughput: the development set repeated to >= 1 MB of text, per language: articles/s,
words/s and peak memory of extraction, against the floor (reading and sentence-splitting
the same text) in the same run.

    python3 bench/extract.py [--mb 1]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claimgraph.api.cli import sample_dir  # noqa: E402
from claimgraph.ingest.extract.article import Article, read_article  # noqa: E402
from claimgraph.ingest.extract.rules import RuleExtractor  # noqa: E402
from claimgraph.ingest.extract.text import sentences  # noqa: E402
from claimgraph.schema.dates import agrees, parse_partial_date  # noqa: E402
from claimgraph.schema.text import QuoteLocator  # noqa: E402

from common import table  # noqa: E402

DEV = Path(__file__).resolve().parent / "extract_data" / "dev"


def gold_sets() -> dict[str, list[tuple[Path, Path]]]:
    seed = [(sample_dir() / "grok3-delay.de.txt", sample_dir() / "grok3-delay.yaml")]
    dev = sorted((p.with_suffix(".txt"), p) for p in DEV.glob("*.yaml"))
    heldout = sorted((p.with_suffix(".txt"), p) for p in (DEV.parent / "heldout").glob("*.yaml"))
    return {"seed (de)": seed, "dev de": [d for d in dev if d[1].name.startswith("de-")],
            "dev en": [d for d in dev if d[1].name.startswith("en-")], "dev all": dev,
            "held-out (not used for rules)": heldout}


def load(article_path: Path, gold_path: Path) -> tuple[Article, dict]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    src = gold["source"]
    published = parse_partial_date(src["published"]) if src.get("published") else None
    article = read_article(article_path, publisher=src.get("publisher"), title=src.get("title"), published=published)
    return article, gold


def spans(text: str, claims: list[dict]) -> list[tuple[int, int] | None]:
    locator = QuoteLocator(text)
    return [locator.locate(c["quote"]) for c in claims]


def score(article: Article, gold: dict, predicted: dict) -> tuple[int, int, int]:
    g_claims, p_claims = gold.get("claims", []), predicted.get("claims", [])
    g_spans, p_spans = spans(article.text, g_claims), spans(article.text, p_claims)
    used, tp = set(), 0
    for p, ps in zip(p_claims, p_spans):
        for i, (g, gs) in enumerate(zip(g_claims, g_spans)):
            if i in used or ps is None or gs is None:
                continue
            if (p["claimant"], p["subject"], p["predicate"]) != (g["claimant"], g["subject"], g["predicate"]):
                continue
            if not agrees(str(p["stated"]), parse_partial_date(g["stated"])):
                continue
            if ps[0] < gs[1] and gs[0] < ps[1]:
                used.add(i)
                tp += 1
                break
    return tp, len(p_claims), len(g_claims)


def quality() -> list[list]:
    rows = []
    extractor = RuleExtractor()
    for name, pairs in gold_sets().items():
        tp = npred = ngold = 0
        for article_path, gold_path in pairs:
            article, gold = load(article_path, gold_path)
            t, p, g = score(article, gold, extractor.extract(article))
            tp, npred, ngold = tp + t, npred + p, ngold + g
        precision = tp / npred if npred else 0.0
        recall = tp / ngold if ngold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append([name, len(pairs), ngold, npred, tp, f"{precision:.2f}", f"{recall:.2f}", f"{f1:.2f}"])
    return rows


def throughput(mb: float) -> list[list]:
    rows = []
    extractor = RuleExtractor()
    for lang in ("de", "en"):
        articles = [load(a, g)[0] for a, g in gold_sets()["dev all"] if g.name.startswith(lang + "-")]
        size = sum(len(a.text.encode()) for a in articles)
        copies = max(1, int(mb * 1024 * 1024 / size) + 1)
        batch = articles * copies
        words = sum(len(a.text.split()) for a in batch)
        total_bytes = size * copies

        def floor():
            for a in batch:
                sentences(a.text)

        def extract():
            for a in batch:
                extractor.extract(a)

        floor_t = statistics.median(_time(floor) for _ in range(3))
        extract_t = statistics.median(_time(extract) for _ in range(3))
        tracemalloc.start()  # memory on a separate, untimed pass (tracing slows Python down)
        for a in articles:
            extractor.extract(a)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append([lang, len(batch), f"{total_bytes / 1048576:.2f}", f"{len(batch) / extract_t:,.0f}",
                     f"{words / extract_t:,.0f}", f"{floor_t:.3f}", f"{extract_t:.3f}",
                     f"{extract_t / floor_t:.1f}x", f"{peak / 1048576:.1f}"])
    return rows


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--quality-only", action="store_true")
    args = ap.parse_args()
    print("Extraction quality (rule-based extractor)\n")
    print(table(["gold set", "articles", "gold", "predicted", "matched", "precision", "recall", "F1"], quality()))
    if args.quality_only:
        return
    print(f"\nThroughput on the development set repeated to >= {args.mb} MB, median of 3 runs\n")
    print(table(["language", "articles", "MB", "articles/s", "words/s", "floor s (read+split)", "extract s",
                 "extract vs floor", "peak MiB (traced)"], throughput(args.mb)))
    print(f"\nprocess peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
