"""Extraction quality by k-fold cross-validation, the final test split, calibration and throughput.

Corpus: bench/extract_data/corpus/<lang>/<split>/ (articles .txt/.md/.html and their gold
claim files, annotated as bench/extract_data/GUIDE.md says). The dev split of each
language is cut into K folds by sorted file name (article i goes to fold i mod K; the
assignment is printed). For each fold the learned scorer (weights and emission threshold)
is trained on the other folds only and the held-out fold is scored; the headline is the
mean over folds. The seed article (the sample the project started from) is a training
document only: it joins every fold's training set and the shipped model's, and is never
held out, so the fold figures stay free of it. It is scored twice: by the shipped model
(which saw it: a regression check) and by a model trained on the dev folds alone (how the
rules do on it unseen). The test split is scored once with the shipped model and never
used for anything else.

Matching, one gold claim per prediction (predictions taken by confidence, best first):
- strict: claimant, subject and predicate equal (predicates compared after
  normalisation of open predicates onto the guide's vocabulary), ``stated`` agreeing at
  the gold's precision, quote spans overlapping;
- lenient: claimant equal and quote spans overlapping.
Entities are equal when their ids are, or when a name or alias of the predicted entity
is a name or alias of the gold one (gold files may spell ids differently: org:mistral vs
org:mistral-ai).

Throughput: each language's dev articles repeated to >= --mb MB, read from disk; the
floor is reading plus sentence splitting, the same run measures reading plus extraction;
per-article ratios compare the medians over an article's copies.

    python3 bench/extract.py [--folds 5] [--mb 1] [--no-test] [--quality-only] [--train]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claimgraph.api.cli import sample_dir
from claimgraph.ingest.extract.article import Article, read_article
from claimgraph.ingest.extract.predicates import normalize_predicate
from claimgraph.ingest.extract.rules import RuleExtractor
from claimgraph.ingest.extract.scorer import PRIOR, Model, best_threshold, train
from claimgraph.ingest.extract.text import sentences
from claimgraph.schema.dates import agrees, parse_partial_date
from claimgraph.schema.model import CORE_PREDICATES, slugify
from claimgraph.schema.text import QuoteLocator, alias_key

from common import table

CORPUS = Path(__file__).resolve().parent / "extract_data" / "corpus"
MODEL_PATH = Path(__file__).resolve().parents[1] / "ingest" / "extract" / "model.json"
LANGUAGES = ("de", "en")
SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass
class Doc:
    """An article with its gold claim file, loaded."""
    name: str
    language: str
    article: Article
    gold: dict


def article_path(gold_path: Path) -> Path:
    """The article a gold file describes (its ``source.path``, else the same stem)."""
    data = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    named = (data.get("source") or {}).get("path")
    if named and (gold_path.parent / named).is_file():
        return gold_path.parent / named
    return next(gold_path.with_suffix(s) for s in SUFFIXES if gold_path.with_suffix(s).is_file())


def pairs(split: str, language: str) -> list[tuple[Path, Path]]:
    """(article, gold) pairs of one split and language, sorted by file name."""
    return [(article_path(g), g) for g in sorted((CORPUS / language / split).glob("*.yaml"))]


def load(article: Path, gold_path: Path) -> tuple[Article, dict]:
    """The article (metadata from the gold file's source block) and the gold dict."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    src = gold["source"]
    published = parse_partial_date(src["published"]) if src.get("published") else None
    return read_article(article, publisher=src.get("publisher"), title=src.get("title"), published=published,
                        language=src.get("language")), gold


def docs(split: str, language: str) -> list[Doc]:
    return [Doc(g.stem, language, *load(a, g)) for a, g in pairs(split, language)]


# -- matching ------------------------------------------------------------------------------
def _keys(eid: str, declared: dict[str, set[str]]) -> set[str]:
    slug = eid.split(":", 1)[-1]
    return {eid, alias_key(slug)} | declared.get(eid, set())


def _declared(entities: Iterable[dict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in entities:
        names = [e.get("name")] + [a if isinstance(a, str) else a.get("name") for a in e.get("aliases", [])]
        out[e["id"]] = {alias_key(n) for n in names if n and alias_key(n)}
    return out


@dataclass
class Resolver:
    """Entity references of a claim file -> comparable key sets."""
    declared: dict[str, set[str]]
    by_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict) -> Resolver:
        declared = _declared(data.get("entities", []))
        by_name = {k: eid for eid, keys in declared.items() for k in keys}
        return cls(declared, by_name)

    def keys(self, ref: object) -> set[str]:
        if not isinstance(ref, str):
            return set()
        if ":" not in ref:  # a name or alias used as a reference
            ref = self.by_name.get(alias_key(ref), f"x:{slugify(ref)}")
        return _keys(ref, self.declared)


@dataclass
class Counts:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.predicted, self.gold = self.tp + other.tp, self.predicted + other.predicted, \
            self.gold + other.gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _spans(text: str, claims: list[dict]) -> list[tuple[int, int] | None]:
    locator = QuoteLocator(text)
    return [locator.locate(c["quote"]) for c in claims]


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def same_predicate(predicted: str, gold: str) -> bool:
    """A core predicate must be named exactly; an open one matches after normalisation."""
    if gold in CORE_PREDICATES:
        return predicted == gold
    return predicted not in CORE_PREDICATES and normalize_predicate(predicted) == normalize_predicate(gold)


def matches(p: dict, g: dict, pr: Resolver, gr: Resolver, strict: bool) -> bool:
    """Whether predicted claim ``p`` matches gold claim ``g`` (spans checked apart)."""
    if not pr.keys(p["claimant"]) & gr.keys(g["claimant"]):
        return False
    if not strict:
        return True
    if not pr.keys(p["subject"]) & gr.keys(g["subject"]):
        return False
    if not same_predicate(p["predicate"], g["predicate"]):
        return False
    return agrees(str(p["stated"]), parse_partial_date(g["stated"]))


def match(article: Article, gold: dict, predicted: dict, strict: bool) -> tuple[Counts, list[bool], list[bool]]:
    """Counts and, per prediction and per gold claim, whether it was matched."""
    g_claims, p_claims = gold.get("claims", []), predicted.get("claims", [])
    gs, ps = _spans(article.text, g_claims), _spans(article.text, p_claims)
    pr, gr = Resolver.of(predicted), Resolver.of(gold)
    order = sorted(range(len(p_claims)), key=lambda i: -float(p_claims[i].get("confidence") or 0))
    used: set[int] = set()
    p_hit = [False] * len(p_claims)
    for i in order:
        for j, g in enumerate(g_claims):
            if j not in used and _overlap(ps[i], gs[j]) and matches(p_claims[i], g, pr, gr, strict):
                used.add(j)
                p_hit[i] = True
                break
    g_hit = [j in used for j in range(len(g_claims))]
    return Counts(sum(p_hit), len(p_claims), len(g_claims)), p_hit, g_hit


# -- error analysis --------------------------------------------------------------------------
@dataclass
class Diagnosis:
    """Why one gold claim was missed, or why one emitted claim is wrong."""
    doc: str
    kind: str  # "miss" or "false"
    cause: str
    claim: dict
    near: dict | None = None


def _miss_cause(j: int, g: dict, doc: Doc, emitted: dict, everything: dict) -> tuple[str, dict | None]:
    """The first field the best candidate overlapping gold claim ``g`` gets wrong."""
    text = doc.article.text
    gs = _spans(text, [g])[0]
    cands = [(c, s) for c, s in zip(everything["claims"], _spans(text, everything["claims"])) if _overlap(s, gs)]
    pr, gr = Resolver.of(everything), Resolver.of(doc.gold)
    if any(matches(c, g, pr, gr, True) for c, _ in cands):
        spans = _spans(text, emitted["claims"])
        emitted_strict = [c for c, s in zip(emitted["claims"], spans) if _overlap(s, gs) and matches(c, g, pr, gr, True)]
        return ("taken by another gold claim" if emitted_strict else "below threshold"), None
    if not cands:
        return "statement not found", None
    right = [c for c, _ in cands if pr.keys(c["claimant"]) & gr.keys(g["claimant"])]
    if not right:
        return "claimant", cands[0][0]
    subj = [c for c in right if pr.keys(c["subject"]) & gr.keys(g["subject"])]
    pred = [c for c in right if same_predicate(c["predicate"], g["predicate"])]
    both = [c for c in subj if c in pred]
    if both:
        return "stated", both[0]
    if pred:
        return "subject", pred[0]
    if subj:
        return "predicate", subj[0]
    return "subject and predicate", right[0]


def _false_cause(c: dict, doc: Doc, everything: dict) -> str:
    text = doc.article.text
    cs = _spans(text, [c])[0]
    golds = [g for g, s in zip(doc.gold.get("claims", []), _spans(text, doc.gold.get("claims", [])))
             if _overlap(s, cs)]
    pr, gr = Resolver.of(everything), Resolver.of(doc.gold)
    if not golds:
        return "no gold claim there"
    right = [g for g in golds if pr.keys(c["claimant"]) & gr.keys(g["claimant"])]
    if not right:
        return "claimant"
    if any(matches(c, g, pr, gr, True) for g in right):
        return "duplicate"
    if any(pr.keys(c["subject"]) & gr.keys(g["subject"]) and same_predicate(c["predicate"], g["predicate"])
           for g in right):
        return "stated"
    if any(same_predicate(c["predicate"], g["predicate"]) for g in right):
        return "subject"
    if any(pr.keys(c["subject"]) & gr.keys(g["subject"]) for g in right):
        return "predicate"
    return "subject and predicate"


def diagnose(doc: Doc, emitted: dict, everything: dict) -> list[Diagnosis]:
    """A cause for every missed gold claim and every wrong emitted claim of one article."""
    _, p_hit, g_hit = match(doc.article, doc.gold, emitted, True)
    out = []
    for j, (g, hit) in enumerate(zip(doc.gold.get("claims", []), g_hit)):
        if not hit:
            cause, near = _miss_cause(j, g, doc, emitted, everything)
            out.append(Diagnosis(doc.name, "miss", cause, g, near))
    for c, hit in zip(emitted["claims"], p_hit):
        if not hit:
            out.append(Diagnosis(doc.name, "false", _false_cause(c, doc, everything), c))
    return out


def error_table(results: list[FoldResult]) -> str:
    rows = []
    for kind, label in (("miss", "missed gold claims"), ("false", "wrong emitted claims")):
        causes = sorted({d.cause for r in results for d in r.errors if d.kind == kind})
        for cause in causes:
            counts = [sum(1 for r in results if r.language == lang for d in r.errors
                          if d.kind == kind and d.cause == cause) for lang in LANGUAGES]
            rows.append([label, cause, *counts, sum(counts)])
    return table(["", "cause", *LANGUAGES, "all"], rows)


def _brief(c: dict | None) -> str:
    if c is None:
        return "-"
    obj = c.get("object")
    return f"{c['claimant']} | {c['stated']} | {c['subject']} {c['predicate']} {obj or ''} | {c['quote'][:90]!r}"


def error_list(results: list[FoldResult]) -> str:
    lines = []
    for r in results:
        for d in r.errors:
            lines.append(f"[{d.doc}] {d.kind} {d.cause}: {_brief(d.claim)}")
            if d.near:
                lines.append(f"      nearest: {_brief(d.near)}")
    return "\n".join(lines)


# -- k-fold -------------------------------------------------------------------------------------
def fold_of(index: int, k: int) -> int:
    return index % k


def candidates_with_labels(doc: Doc) -> tuple[list[tuple[dict[str, float], int]], int]:
    """Every candidate of an article as (features, strictly right?) and its gold count."""
    found = RuleExtractor(PRIOR, 0.0).run(doc.article)
    data = found.claim_file(0.0)
    _, hits, _ = match(doc.article, doc.gold, data, strict=True)
    return [(c.features, int(h)) for c, h in zip(found.kept(0.0), hits)], len(doc.gold.get("claims", []))


def fit(training: list[Doc], name: str) -> Model:
    """The scorer trained on ``training``: weights, then the F1-best threshold on them."""
    examples: list[tuple[dict[str, float], int]] = []
    gold = 0
    for doc in training:
        ex, n = candidates_with_labels(doc)
        examples += ex
        gold += n
    weights = train(examples)
    model = Model(weights, 0.5, name)
    threshold = best_threshold([(model.confidence(f), y) for f, y in examples], gold)
    return Model(weights, threshold, name)


def core_only(data: dict) -> dict:
    """The claims of a claim file whose predicate is a core one."""
    return {**data, "claims": [c for c in data.get("claims", []) if c["predicate"] in CORE_PREDICATES]}


@dataclass
class FoldResult:
    fold: int
    language: str
    articles: int
    strict: Counts
    lenient: Counts
    core: Counts
    reliability: list[tuple[float, int]]
    errors: list[Diagnosis] = field(default_factory=list)


def evaluate(model: Model, held_out: list[Doc], fold: int, language: str) -> FoldResult:
    strict, lenient, core, reliability, errors = Counts(), Counts(), Counts(), [], []
    extractor = RuleExtractor(model)
    for doc in held_out:
        found = extractor.run(doc.article)
        data = found.claim_file(model.threshold)
        strict.add(match(doc.article, doc.gold, data, True)[0])
        lenient.add(match(doc.article, doc.gold, data, False)[0])
        core.add(match(doc.article, core_only(doc.gold), core_only(data), True)[0])
        everything = found.claim_file(0.0)
        _, hits, _ = match(doc.article, doc.gold, everything, True)
        reliability += [(c["confidence"], int(h)) for c, h in zip(everything["claims"], hits)]
        errors += diagnose(doc, data, everything)
    return FoldResult(fold, language, len(held_out), strict, lenient, core, reliability, errors)


def kfold(k: int) -> list[FoldResult]:
    dev = {lang: docs("dev", lang) for lang in LANGUAGES}
    print("Fold assignment (dev articles sorted by name, article i -> fold i mod K):")
    for lang in LANGUAGES:
        for f in range(k):
            names = [d.name for i, d in enumerate(dev[lang]) if fold_of(i, k) == f]
            print(f"  {lang} fold {f}: {', '.join(names) or '-'}")
    results = []
    for f in range(k):
        training = [d for lang in LANGUAGES for i, d in enumerate(dev[lang]) if fold_of(i, k) != f]
        model = fit(training + seed_docs(), f"dev folds other than {f} and the seed")
        for lang in LANGUAGES:
            held = [d for i, d in enumerate(dev[lang]) if fold_of(i, k) == f]
            if held:
                results.append(evaluate(model, held, f, lang))
    return results


def _fmt(values: Iterable[float]) -> list[str]:
    return [f"{v:.2f}" for v in values]


def _mean_rows(results: list[FoldResult], which: str) -> list[list]:
    rows = []
    for r in results:
        counts = getattr(r, which)
        rows.append([f"{r.fold}", r.language, r.articles, counts.gold, counts.predicted, *_fmt(counts.prf())])
    for lang in LANGUAGES:
        mine = [getattr(r, which) for r in results if r.language == lang]
        if not mine:
            continue
        pooled = Counts()
        for c in mine:
            pooled.add(c)
        rows.append(["mean", lang, "", pooled.gold, pooled.predicted,
                     *_fmt(statistics.mean(c.prf()[i] for c in mine) for i in range(3))])
        rows.append(["pooled", lang, "", "", "", *_fmt(pooled.prf())])
    return rows


def fold_table(results: list[FoldResult]) -> str:
    """Strict and lenient P/R/F1 per fold and language, their mean over folds and pooled."""
    strict, lenient = _mean_rows(results, "strict"), _mean_rows(results, "lenient")
    rows = [s + le[5:] for s, le in zip(strict, lenient, strict=True)]
    return table(["fold", "lang", "articles", "gold", "predicted", "strict P", "strict R", "strict F1",
                  "lenient P", "lenient R", "lenient F1"], rows)


def core_table(results: list[FoldResult]) -> str:
    """Strict P/R/F1 on gold claims with a core predicate (and emitted claims with one)."""
    return table(["fold", "lang", "articles", "core gold", "core predicted", "strict P", "strict R", "strict F1"],
                 _mean_rows(results, "core"))


def predicate_shares(groups: dict[str, list[Doc]]) -> str:
    rows = []
    for name, group in groups.items():
        claims = [c for d in group for c in d.gold.get("claims", [])]
        core = sum(c["predicate"] in CORE_PREDICATES for c in claims)
        rows.append([name, len(claims), core, len(claims) - core,
                     f"{core / len(claims):.2f}" if claims else "-", f"{1 - core / len(claims):.2f}" if claims else "-"])
    return table(["gold set", "claims", "core", "open", "core share", "open share"], rows)


def reliability_table(results: list[FoldResult]) -> str:
    scored = [x for r in results for x in r.reliability]
    rows, ece = [], 0.0
    for lo in [x / 10 for x in range(10)]:
        hi = lo + 0.1
        inside = [(c, y) for c, y in scored if lo <= c < hi or (hi >= 1.0 and c == 1.0)]
        if not inside:
            continue
        mean_c = statistics.mean(c for c, _ in inside)
        precision = statistics.mean(y for _, y in inside)
        ece += len(inside) / len(scored) * abs(mean_c - precision)
        rows.append([f"{lo:.1f}–{hi:.1f}", len(inside), f"{mean_c:.2f}", f"{precision:.2f}"])
    return table(["confidence", "candidates", "mean confidence", "strictly right"], rows) + \
        f"\nexpected calibration error {ece:.3f} over {len(scored)} held-out candidates"


def split_table(model: Model, sets: dict[str, list[Doc]]) -> str:
    rows = []
    for name, group in sets.items():
        res = evaluate(model, group, 0, name)
        rows.append([name, res.articles, res.strict.gold, res.strict.predicted, *_fmt(res.strict.prf()),
                     *_fmt(res.lenient.prf()), *_fmt(res.core.prf())])
    return table(["set", "articles", "gold", "predicted", "strict P", "strict R", "strict F1", "lenient P",
                  "lenient R", "lenient F1", "core strict P", "core strict R", "core strict F1"], rows)


def seed_docs() -> list[Doc]:
    article, gold = load(sample_dir() / "grok3-delay.de.txt", sample_dir() / "grok3-delay.yaml")
    return [Doc("seed", "de", article, gold)]


def sample_docs(folder: Path | None = None) -> list[Doc]:
    """The second sample (English, on Grok 3's launch), an extra development check, when
    the samples folder holds it."""
    folder = folder or sample_dir()
    if not (folder / "grok3-launch.yaml").is_file():
        return []
    article, gold = load(folder / "grok3-launch.en.txt", folder / "grok3-launch.yaml")
    return [Doc("grok3-launch", "en", article, gold)]


# -- throughput -------------------------------------------------------------------------------
def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def throughput(mb: float, model: Model) -> list[list]:
    rows = []
    extractor = RuleExtractor(model)
    for lang in LANGUAGES:
        files = [(a, load(a, g)[0]) for a, g in pairs("dev", lang)]
        if not files:
            continue
        size = sum(len(art.text.encode()) for _, art in files)
        batch = files * max(1, int(mb * 1048576 / size) + 1)
        floors, extracts = [], []
        for path, art in batch:
            meta = {"publisher": art.publisher, "published": art.published, "language": art.language}
            floors.append(_time(lambda p=path, m=meta: sentences(read_article(p, **m).text)))
            extracts.append(_time(lambda p=path, m=meta: extractor.extract(read_article(p, **m))))
        tracemalloc.start()
        for _, art in files:
            extractor.extract(art)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        per_article: dict[Path, tuple[list[float], list[float]]] = {}
        for (path, _), f, e in zip(batch, floors, extracts):
            per_article.setdefault(path, ([], []))[0].append(f)
            per_article[path][1].append(e)
        ratios = [statistics.median(e) / statistics.median(f) for f, e in per_article.values()]
        words = sum(len(art.text.split()) for _, art in batch)
        rows.append([lang, len(batch), f"{size * len(batch) / len(files) / 1048576:.2f}",
                     f"{len(batch) / sum(extracts):,.0f}", f"{words / sum(extracts):,.0f}", f"{sum(floors):.3f}",
                     f"{sum(extracts):.3f}", f"{sum(extracts) / sum(floors):.1f}x",
                     f"{statistics.median(ratios):.1f}x", f"{max(ratios):.1f}x", f"{peak / 1048576:.1f}"])
    return rows


def hostile(model: Model) -> list[list]:
    """Extraction time and memory on inputs built to hurt, against sentence splitting."""
    extractor = RuleExtractor(model)
    cases = {
        "30,000 short sentences": "OpenAI said on Monday that GPT-5 will ship in 2025. " * 30000,
        "one 2 MB sentence": "Musk said that Grok 3 will beat GPT-4o and ship soon and " * 36000,
        "2 MB of one repeated word": "Nvidia " * 300000,
    }
    rows = []
    for name, text in cases.items():
        article = Article(text=text, language="en", published="2025-01-06", publisher="Example News")
        floor = _time(lambda t=text: sentences(t))
        taken = _time(lambda a=article: extractor.extract(a))
        tracemalloc.start()  # memory on a separate, untimed pass
        extractor.extract(article)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append([name, f"{len(text.encode()) / 1048576:.1f}", f"{floor:.3f}", f"{taken:.2f}",
                     f"{taken / floor:.0f}x", f"{peak / 1048576:.0f}"])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--quality-only", action="store_true")
    ap.add_argument("--no-test", action="store_true", help="do not score the final test split")
    ap.add_argument("--train", action="store_true", help="train the shipped model on all dev folds and save it")
    ap.add_argument("--samples", type=Path, default=None, help="folder with the sample articles (default: shipped)")
    ap.add_argument("--errors", action="store_true", help="list every held-out miss and wrong claim with its cause")
    args = ap.parse_args()
    dev = [d for lang in LANGUAGES for d in docs("dev", lang)]
    if args.train:
        model = fit(dev + seed_docs(), f"all {len(dev)} dev articles and the seed")
        MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {MODEL_PATH.name}: {len(model.weights)} weights, threshold {model.threshold}")
    results = kfold(args.folds)
    print(f"\nHeld-out quality by {args.folds}-fold cross-validation (scorer trained on the other folds)\n")
    print(fold_table(results))
    print("\nStrict on gold claims with a core predicate alone (emitted claims with a core predicate)\n")
    print(core_table(results))
    print("\nCore and open predicates among the gold claims\n")
    samples = {"seed (de)": seed_docs(), "grok3-launch (en)": sample_docs(args.samples)}
    samples = {k: v for k, v in samples.items() if v}
    print(predicate_shares({f"dev {lang}": docs("dev", lang) for lang in LANGUAGES} | samples))
    print("\nHeld-out errors by cause (the first field the nearest candidate gets wrong)\n")
    print(error_table(results))
    if args.errors:
        print("\n" + error_list(results))
    print("\nReliability of confidence on held-out folds (every candidate, strict match)\n")
    print(reliability_table(results))
    shipped = fit(dev + seed_docs(), "all dev and the seed")
    print("\nSeed article and the second sample, model trained on all dev folds and the seed (the shipped one)\n")
    print(split_table(shipped, samples))
    print("\nThe same, model trained on the dev folds alone (the seed unseen)\n")
    print(split_table(fit(dev, "all dev"), samples))
    if not args.no_test:
        test = {f"test {lang}": docs("test", lang) for lang in LANGUAGES}
        print("\nFinal test split (untouched; scored once per run with the model trained on all dev folds)\n")
        print(split_table(shipped, {k: v for k, v in test.items() if v}) if any(test.values()) else "(empty)")
    if args.quality_only:
        return
    print(f"\nThroughput: dev articles read from disk, repeated to >= {args.mb} MB per language\n")
    print(table(["lang", "articles", "MB", "articles/s", "words/s", "floor s (read+split)", "read+extract s",
                 "ratio (total)", "ratio (median article)", "ratio (max article)", "peak MiB (traced)"],
                throughput(args.mb, shipped)))
    print("\nHostile input (in memory; the floor is sentence splitting alone)\n")
    print(table(["input", "MB", "split s", "extract s", "ratio", "peak MiB (traced)"], hostile(shipped)))
    print(f"\nprocess peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
