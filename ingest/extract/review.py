"""Writing a claim file for review: YAML with a ``# check:`` comment above each claim
naming the fields the extractor was unsure of (a speaker found through a pronoun, a
subject taken from an earlier sentence, a date that was not stated, an open predicate)."""
from __future__ import annotations

import yaml


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=120)


def claim_file_yaml(data: dict, checks: list[list[str]], header: str = "") -> str:
    """The claim file ``data`` as YAML; ``checks[i]`` are the notes for ``data["claims"][i]``."""
    head = {k: v for k, v in data.items() if k not in ("claims", "resolutions")}
    out = [f"# {header}\n" if header else "", _dump(head), "claims:\n" if data["claims"] else "claims: []\n"]
    for claim, notes in zip(data["claims"], checks, strict=True):
        for note in notes:
            out.append(f"  # check: {note}\n")
        item = _dump([claim])
        out.append("".join("  " + line + "\n" for line in item.rstrip("\n").split("\n")))
    out.append(_dump({"resolutions": data.get("resolutions", [])}))
    return "".join(out)
