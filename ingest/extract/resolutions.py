"""Resolutions the text states: a release promised for a date that has passed, and the
article says the model is still not out ("Grok 3 ist immer noch nicht erschienen")."""
from __future__ import annotations

from .cues import NOT_RELEASED
from .dates import dates
from .discourse import Context, Sentence


def not_released(ctx: Context, s: Sentence, claims: list[dict]) -> dict | None:
    """A ``broken`` resolution of the one earlier release promise for the model this
    sentence says is not released, when that promise's due date has passed."""
    if not NOT_RELEASED.hits(ctx.text, s.start, s.end, s.words):
        return None
    models = [m for m in s.mentions if m.kind in ("model", "product")]
    if not models:
        return None
    subject = models[0].id
    days = [d for d in dates(ctx.text, s.start, s.end, ctx.published, ("point",)) if len(d.value) == 10]
    known = days[0].value if days else ctx.published.isoformat()
    dues = {c["due"] for c in claims if c["subject"] == subject and c["predicate"] == "release"
            and c.get("due") and c["due"] < known}
    if len(dues) != 1:
        return None
    return {"subject": subject, "predicate": "release", "due": dues.pop(), "verdict": "broken", "known": known,
            "quote": ctx.text[s.start:s.end]}
