"""Event types by name with their current payload version, and the upcasters that bring
an older payload to the current version. Pure data and functions (no pydantic), so that
reading the log never builds the event classes; ``events.EVENT_TYPES`` holds the classes
and a test keeps the two in step."""
from __future__ import annotations

from collections.abc import Callable

from .values import Payload

#: event type -> the version its payloads are written in now
EVENT_VERSIONS: dict[str, int] = {
    "entity-registered": 1,
    "entity-aliased": 1,
    "external-id-added": 1,
    "entities-merged": 1,
    "source-registered": 1,
    "claim-recorded": 2,
    "claim-retracted": 1,
    "proposition-resolved": 1,
    "resolution-retracted": 1,
    "event-retracted": 1,
}


def _claim_recorded_v1_to_v2(data: Payload) -> Payload:
    """v1 kept source_id/quote/start/end/language flat on the claim."""
    data = dict(data)
    data["evidence"] = {k: data.pop(k) for k in ("source_id", "quote", "start", "end")}
    data["evidence"]["language"] = data.pop("language", None)
    data["evidence"]["verified"] = True
    return data


#: (type, from_version) -> function taking a payload of that version to the next
UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {
    ("claim-recorded", 1): _claim_recorded_v1_to_v2,
}


def upcast(type_: str, version: int, data: Payload) -> Payload:
    """The payload in the current version of its type."""
    current = EVENT_VERSIONS.get(type_)
    if current is None:
        raise ValueError(f"unknown event type {type_!r}")
    while version < current:
        data = UPCASTERS[(type_, version)](data)
        version += 1
    return data
