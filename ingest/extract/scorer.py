"""The learned part of the extractor: a logistic regression over candidate features
that gives each candidate its confidence, and the threshold below which candidates are
not emitted.

Training is deterministic (Newton's method with L2 regularisation on sparse features,
a fixed number of steps, features in sorted order) and needs no library. The shipped
weights (``model.json``) are trained on every development article by
``python bench/extract.py --train``; the bench's k-fold evaluation trains one model per
fold on the other folds only.
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files

Example = tuple[dict[str, float], int]


@dataclass(frozen=True)
class Model:
    """Feature weights, the emission threshold and where they came from."""
    weights: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5
    trained_on: str = "untrained"

    def confidence(self, features: dict[str, float]) -> float:
        """The probability that a candidate with these features is right, rounded to 0.01."""
        z = sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 2)

    def to_json(self) -> str:
        """The model as JSON (weights rounded to 6 decimals, sorted)."""
        return json.dumps({"trained_on": self.trained_on, "threshold": self.threshold,
                           "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())}}, indent=1) + "\n"


#: used when no trained model is shipped: a prior that trusts named speakers and subjects
PRIOR = Model({"bias": -0.4, "via=name": 0.8, "rule=say": 0.6, "rule=according": 0.6, "subject_via=named": 0.8,
               "stated=explicit": 0.3, "predicate=open": -1.0, "rule=own": -0.3}, 0.4, "prior")


@functools.lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model shipped with the package, or the prior when there is none."""
    resource = files("claimgraph.ingest.extract") / "model.json"
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return PRIOR
    return Model(dict(data["weights"]), float(data["threshold"]), str(data.get("trained_on", "")))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is positive definite)."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][c] * out[c] for c in range(r + 1, n))) / a[r][r]
    return out


def _newton_step(rows: list[list[tuple[int, float]]], labels: list[int], w: list[float], l2: float) -> list[float]:
    d = len(w)
    grad = [l2 * x for x in w]
    hess = [[l2 if i == j else 0.0 for j in range(d)] for i in range(d)]
    for row, y in zip(rows, labels, strict=True):
        z = max(-30.0, min(30.0, sum(w[i] * v for i, v in row)))
        p = 1.0 / (1.0 + math.exp(-z))
        weight = max(p * (1 - p), 1e-6)
        for i, v in row:
            grad[i] += (p - y) * v
            hess_i = hess[i]
            for j, u in row:
                hess_i[j] += weight * v * u
    step = _solve(hess, grad)
    return [x - s for x, s in zip(w, step, strict=True)]


def train(examples: Sequence[Example], l2: float = 1.0, steps: int = 12) -> dict[str, float]:
    """Logistic-regression weights for (features, label) examples."""
    names = sorted({k for features, _ in examples for k in features})
    index = {k: i for i, k in enumerate(names)}
    rows = [sorted((index[k], v) for k, v in features.items() if v) for features, _ in examples]
    labels = [y for _, y in examples]
    w = [0.0] * len(names)
    for _ in range(steps):
        w = _newton_step(rows, labels, w, l2)
    return {k: w[i] for k, i in index.items() if abs(w[i]) > 1e-9}


def best_threshold(scored: Sequence[tuple[float, int]], gold: int) -> float:
    """The confidence threshold that maximises F1 (``gold``: the number of gold claims)."""
    best, best_f1 = 0.5, -1.0
    for t in [x / 100 for x in range(5, 96, 5)]:
        kept = [y for c, y in scored if c >= t]
        tp = sum(kept)
        f1 = 2 * tp / (len(kept) + gold) if kept or gold else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best
