"""Reading claim files (YAML or JSON) with line numbers for errors.

YAML is loaded with the safe loader only. The node tree is kept so that a validation
error deep in the document can name the line of the claim it concerns.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from claimgraph.schema.claimfile import ClaimFile
from claimgraph.schema.errors import InputError

from .safeyaml import Lines, load


def max_bytes() -> int:
    """The largest claim file or source text accepted (CLAIMGRAPH_MAX_FILE_MB, default 16)."""
    return int(float(os.environ.get("CLAIMGRAPH_MAX_FILE_MB", "16")) * 1024 * 1024)


@dataclass
class LoadedClaimFile:
    path: str
    doc: ClaimFile
    source_text: str
    line_of: Callable[[tuple], "int | None"]


def read_text(path: Path, what: str) -> str:
    """A file's UTF-8 text, refusing oversized and binary files clearly."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read {what}: {e.strerror}", file=str(path)) from None
    if size > max_bytes():
        raise InputError(f"{what} is {size / 1048576:.1f} MiB, over the limit of "
                         f"{max_bytes() / 1048576:.0f} MiB (set CLAIMGRAPH_MAX_FILE_MB)", file=str(path))
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(f"{what} is binary, not text", file=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} is not UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})",
                         file=str(path)) from None


def _parse(text: str, file: str, is_json: bool) -> tuple[Any, Lines]:
    data, lines = load(text, file, is_json)
    try:  # text that cannot be written as UTF-8 (an unpaired surrogate from a JSON escape)
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("the document holds text that is not valid Unicode (an unpaired surrogate)",
                         file=file) from None
    return data, lines


def _nearest_line(lines: dict, path: tuple) -> int | None:
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def _pydantic_error(e: ValidationError, file: str, lines: dict) -> InputError:
    # an unknown field is usually a misspelt known one: report it before "missing"
    errors = sorted(e.errors(), key=lambda err: err["type"] != "extra_forbidden")
    first = errors[0]
    loc = tuple(first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        reason = f"unknown field {loc[-1]!r}"
    elif kind == "missing":
        reason = f"required field {loc[-1]!r} is missing"
    else:
        reason = first["msg"].removeprefix("Value error, ")
        if "input" in first and kind not in ("value_error",) and not isinstance(first["input"], (dict, list)):
            reason += f" (got {first['input']!r})"
    more = len(errors) - 1
    if more:
        reason += f" (and {more} more problem{'s' if more > 1 else ''})"
    field = ".".join(str(p) for p in loc) or None
    return InputError(reason, file=file, line=_nearest_line(lines, loc), field=field)


def load_claim_file(path: str | Path, text: str | None = None) -> LoadedClaimFile:
    """Parse and validate a claim file and read its source text; raises InputError."""
    path = Path(path)
    file = str(path)
    if text is None:
        text = read_text(path, "claim file")
    is_json = path.suffix.lower() == ".json"
    data, lines = _parse(text, file, is_json)
    if not isinstance(data, dict):
        raise InputError("a claim file is a mapping with 'source' and 'claims'", file=file, line=1)
    try:
        doc = ClaimFile.model_validate(data)
    except ValidationError as e:
        raise _pydantic_error(e, file, lines) from None
    if doc.source.path is None:
        source_text = doc.source.text or ""
    else:
        base = path.parent.resolve()
        target = (base / doc.source.path).resolve()
        if not target.is_relative_to(base):
            raise InputError(f"source path {doc.source.path!r} leaves the claim file's folder",
                             file=file, line=_nearest_line(lines, ("source", "path")), field="source.path")
        if not target.is_file():
            raise InputError(f"source file {doc.source.path!r} does not exist", file=file,
                             line=_nearest_line(lines, ("source", "path")), field="source.path")
        source_text = read_text(target, "source text")
    if not source_text or source_text.isspace():
        raise InputError("the source text is empty", file=file, field="source")
    return LoadedClaimFile(file, doc, source_text, lambda p: _nearest_line(lines, p))
