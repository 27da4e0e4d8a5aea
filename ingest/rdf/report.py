"""The report every RDF import prints: what was new, updated and merged, how many
claims and sources, and everything skipped counted by reason with examples."""
from __future__ import annotations

from dataclasses import dataclass, field

EXAMPLES = 3


@dataclass
class ImportReport:
    file: str
    format: str
    entities_new: int = 0
    entities_updated: int = 0
    entities_unchanged: int = 0
    entities_merged: int = 0
    claims: dict[str, int] = field(default_factory=dict)
    resolutions: int = 0
    sources: int = 0
    ids_recomputed: int = 0
    events_appended: int = 0
    duplicates: int = 0
    #: reason -> (count, first examples)
    skipped: dict[str, tuple[int, list[str]]] = field(default_factory=dict)

    def add_skips(self, reasons: dict[str, list[str]]) -> None:
        for reason, examples in reasons.items():
            count, shown = self.skipped.get(reason, (0, []))
            unique = list(dict.fromkeys(shown + examples))
            self.skipped[reason] = (count + len(examples), unique[:EXAMPLES])

    def as_json(self) -> dict:
        return {"file": self.file, "format": self.format,
                "entities": {"new": self.entities_new, "updated": self.entities_updated,
                             "unchanged": self.entities_unchanged, "merged": self.entities_merged},
                "claims": dict(sorted(self.claims.items())), "claimsTotal": sum(self.claims.values()),
                "resolutions": self.resolutions, "sources": self.sources, "idsRecomputed": self.ids_recomputed,
                "eventsAppended": self.events_appended, "duplicates": self.duplicates,
                "skipped": {reason: {"count": count, "examples": examples}
                            for reason, (count, examples) in sorted(self.skipped.items(), key=lambda kv: -kv[1][0])}}

    def text(self) -> str:
        claims = ", ".join(f"{n} {kind}" for kind, n in sorted(self.claims.items())) or "0"
        lines = [f"{self.file} ({self.format}): {self.events_appended} events appended, {self.duplicates} duplicates "
                 "skipped",
                 f"  entities: {self.entities_new} new, {self.entities_updated} updated, "
                 f"{self.entities_unchanged} unchanged, {self.entities_merged} merged",
                 f"  claims: {sum(self.claims.values())} ({claims}); resolutions: {self.resolutions}; "
                 f"sources: {self.sources}"]
        if self.ids_recomputed:
            lines.append(f"  ids recomputed from content (the document's differed): {self.ids_recomputed}")
        if self.skipped:
            lines.append(f"  skipped: {sum(c for c, _ in self.skipped.values())}")
            for reason, (count, examples) in sorted(self.skipped.items(), key=lambda kv: (-kv[1][0], kv[0])):
                lines.append(f"    {count:>5}  {reason}: {'; '.join(examples)}")
        return "\n".join(lines)
