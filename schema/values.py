"""Small pure helpers over the domain's values, free of pydantic so that reading the log
and the read model never builds a model class: ids derived from content, redirects,
numbers, object labels and the definition of a promise."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

#: an event's payload as stored: the JSON object of its fields
Payload = dict[str, Any]

#: modalities that look forward; such a claim counts as a promise in a track record
FORWARD_MODALITIES = frozenset({"promised", "planned", "predicted"})


def content_id(prefix: str, payload: Any) -> str:
    """``prefix:`` + 16 hex chars of the SHA-256 of the payload's canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{prefix}:{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


def source_id(text_nfc: str) -> str:
    return "source:" + hashlib.sha256(text_nfc.encode()).hexdigest()[:16]


def follow(redirects: Mapping[str, str], entity_id: str) -> str:
    """The id that ``entity_id`` leads to through merges (a cycle stops where it closes)."""
    seen: set[str] = set()
    while entity_id in redirects and entity_id not in seen:
        seen.add(entity_id)
        entity_id = redirects[entity_id]
    return entity_id


def is_promise(modality: str, due: str | None) -> bool:
    """Whether a claim counts as a promise in a track record: stated as promised, planned
    or predicted, or given a due date by anything but a denial."""
    return modality in FORWARD_MODALITIES or (due is not None and modality != "denied")


def object_label(obj: Mapping[str, Any] | None) -> str:
    """A proposition's object as a short text: the entity id, the date, the value with its
    unit, or the text in quotation marks; empty for no object."""
    if not obj:
        return ""
    if obj.get("entity"):
        return str(obj["entity"])
    if obj.get("date"):
        return str(obj["date"])
    if obj.get("value") is not None:
        unit = obj.get("unit")
        return f"{number(obj['value'])}{' ' + unit if unit else ''}"
    return f'"{obj.get("text", "")}"'


def number(value: float | int | None) -> float | int | None:
    """Integral floats become ints, so 100000 and 100000.0 name the same quantity."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if float(value).is_integer() else value
