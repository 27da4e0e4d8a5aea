"""YAML and JSON from untrusted documents, bounded before anything is built.

YAML aliases let a few hundred bytes stand for gigabytes of nodes, and deep nesting
crashes the C composer outright. So a document is first read as a stream of parser
events (libyaml's parser keeps its own stack: safe at any depth) and refused, with its
line, when it nests deeper than ``MAX_DEPTH``, uses more than ``MAX_ALIASES`` aliases, or
would expand to more than ``MAX_NODES`` nodes. Only then is it composed (keeping line
numbers for error messages) and constructed with the safe loader.

Dates stay text (``2024-02-30`` is then reported by the claim-file model with its line,
instead of failing inside the YAML library), and numbers too large to build are refused.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from claimgraph.schema.errors import InputError

MAX_DEPTH = 32
MAX_ALIASES = 1_000
MAX_NODES = 1_000_000

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc]
    """The safe loader without the implicit timestamp type: dates are read as text."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()}


#: document path ("claims", 3, "quote") -> line number (1-based)
Lines = dict[tuple[str | int, ...], int]


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def check_structure(text: str, file: str) -> None:
    """Refuse a YAML (or JSON) document that nests too deeply or expands too far."""
    depth = aliases = nodes = 0
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    open_: list[tuple[str | None, int]] = []  # (anchor, nodes before) per open collection
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if event.anchor not in sizes:
                    raise InputError(f"alias *{event.anchor} refers to an anchor that is not complete "
                                     "(a recursive or unknown alias)", file=file, line=_line(event))
                if aliases > MAX_ALIASES:
                    raise InputError(f"the document uses more than {MAX_ALIASES} aliases", file=file,
                                     line=_line(event))
                nodes += sizes[event.anchor]
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(f"the document nests deeper than {MAX_DEPTH} levels", file=file,
                                     line=_line(event))
                open_.append((event.anchor, nodes))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                anchor, before = open_.pop()
                if anchor:
                    sizes[anchor] = nodes - before + 1
            if nodes > MAX_NODES:
                raise InputError(f"the document expands to more than {MAX_NODES:,} values (through YAML "
                                 "aliases or sheer size)", file=file, line=_line(event))
    except yaml.YAMLError as e:
        raise _yaml_error(e, file) from None


def _yaml_error(e: yaml.YAMLError, file: str) -> InputError:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    return InputError(f"malformed YAML: {problem}", file=file, line=mark.line + 1 if mark else None)


def _index_lines(node: yaml.Node, path: tuple[str | int, ...], out: Lines, file: str) -> None:
    """Line of every value by its path; duplicate keys are an error (bounded: the
    structure was checked first)."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key, str):
                raise InputError("a key is not a plain value", file=file, line=key_node.start_mark.line + 1)
            if key in seen:
                raise InputError(f"duplicate key {key!r}", file=file, line=key_node.start_mark.line + 1,
                                 field=".".join(map(str, path + (key,))))
            seen.add(key)
            _index_lines(value_node, path + (key,), out, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), out, file)


def load_yaml(text: str, file: str) -> tuple[Any, Lines]:
    """The document's data and the line of every value; InputError for anything wrong."""
    check_structure(text, file)
    lines: Lines = {}
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InputError("the file is empty", file=file)
            _index_lines(node, (), lines, file)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(e, file) from None
    except (ValueError, OverflowError, RecursionError) as e:  # e.g. an integer of 5,000 digits
        raise InputError(f"a value cannot be read: {str(e)[:200]}", file=file) from None
    return data, lines


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number claimgraph stores")


def load_json(text: str, file: str) -> tuple[Any, Lines]:
    """The document's data, with lines when it is also valid YAML (almost all JSON is)."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg} (column {e.colno})", file=file, line=e.lineno) from None
    except RecursionError:
        raise InputError(f"the document nests deeper than {MAX_DEPTH} levels", file=file) from None
    except ValueError as e:  # NaN/Infinity, integers of thousands of digits
        raise InputError(f"a value cannot be read: {str(e)[:200]}", file=file) from None
    _check_depth(data, file)
    lines: Lines = {}
    try:  # JSON nested at most MAX_DEPTH deep is safe to compose
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:  # valid JSON that is not YAML: no line numbers then
        return data, lines
    if node is not None:
        _index_lines(node, (), lines, file)
    return data, lines


def _check_depth(data: Any, file: str) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise InputError(f"the document nests deeper than {MAX_DEPTH} levels", file=file)
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))


def load(text: str, file: str, is_json: bool) -> tuple[Any, Lines]:
    loader: Callable[[str, str], tuple[Any, Lines]] = load_json if is_json else load_yaml
    return loader(text, file)
