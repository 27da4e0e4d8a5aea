"""What a GraphQL operation may cost, computed from the validated document and its
variables before it runs (see ``Cost``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.utilities import value_from_ast_untyped

from .context import MAX_FIRST
from .graphql_limits import Limits, too_complex

# -- step 3: the cost ------------------------------------------------------------------

COST_CONNECTION = 10   # a list page: one query for the page, one for totalCount
COST_TERM = 5          # each filter term
COST_SCAN = 4000       # a `text` or `status` term of a claims list not narrowed by claimant/subject/mentions
COST_TEXT = 16         # Source.text and Event.data: up to a whole text slice each
COST_INTROSPECTION = 100
#: assumed sizes of plain lists of objects (connections use their `first`)
LIST_SIZES = {("TrackRecord", "claims"): 100, ("Claim", "history"): 10, ("Claim", "resolutions"): 5,
              ("Query", "leaderboard"): 20, ("Slippage", "revisions"): 20}
#: fields that read more than their selection shows: the leaderboard reads every promise,
#: a revision chain a subject's promises and their camp
FIXED_COSTS = {("Query", "leaderboard"): COST_SCAN, ("Query", "slippage"): 2 * COST_CONNECTION}
DEFAULT_LIST_SIZE = 10
LARGE_FIELDS = {("Source", "text"), ("Event", "data")}
SCOPED_LISTS = {"claimsMade", "claimsAbout", "timeline"}
NARROWING_TERMS = {"claimant", "subject", "mentions"}
EXPENSIVE_TERMS = {"text", "status"}


class Cost:
    """The cost of one operation of a validated document, for given raw variables:

    - every field selected costs 1 (``__schema``/``__type`` cost 100 in all);
    - a connection (and ``trackRecord``) adds 10, plus 5 per filter term; each ``text``
      or ``status`` term of a claims list not narrowed by ``claimant``, ``subject`` or
      ``mentions`` adds 4000 (it reads every claim);
    - what is selected under a connection's ``edges`` counts ``first`` times (default 20);
      under other lists of objects 10 times (``trackRecord.claims`` 100, ``history`` 10,
      ``resolutions`` 5);
    - ``Source.text`` and ``Event.data`` add 16 (up to a whole text slice);
    - ``leaderboard`` adds 4000 (it reads every promise), ``slippage`` 20.

    It also measures the depth with fragments expanded. Fragments are costed once per
    ``first`` they are used with, so nesting them cannot make this slow."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any], limits: Limits):
        self.schema, self.variables, self.limits = schema, dict(variables), limits
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[tuple[str, int | None], tuple[int, int]] = {}
        self.dynamic = False  # whether the cost depends on the variables

    def operation(self, op: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(op.operation)
        cost, depth = self.selections(op.selection_set, root, None)
        self._check(cost, depth)
        return cost

    def _check(self, cost: int, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise too_complex(f"selections are nested deeper than {self.limits.max_depth} (fragments expanded)")
        if cost > self.limits.max_cost:
            raise too_complex(f"the operation would cost {cost}, more than {self.limits.max_cost} "
                              "(fewer or smaller pages, or narrower filters, cost less)")

    def selections(self, node: SelectionSetNode | None, parent, first: int | None) -> tuple[int, int]:
        cost = depth = 0
        for sel in node.selections if node else ():
            if isinstance(sel, FieldNode):
                c, d = self.field(sel, parent, first)
            elif isinstance(sel, InlineFragmentNode):
                target = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                c, d = self.selections(sel.selection_set, target, first)
            elif isinstance(sel, FragmentSpreadNode):
                c, d = self.fragment(sel, first)
            else:
                continue
            cost, depth = cost + c, max(depth, d)
            self._check(cost, depth)
        return cost, depth

    def fragment(self, spread: FragmentSpreadNode, first: int | None) -> tuple[int, int]:
        key = (spread.name.value, first)
        if key not in self.memo:
            self.memo[key] = (0, 0)  # a cycle (refused by validation anyway) costs nothing more
            fragment = self.fragments.get(spread.name.value)
            if fragment is not None:
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.memo[key] = self.selections(fragment.selection_set, target, first)
        return self.memo[key]

    def field(self, node: FieldNode, parent, first: int | None) -> tuple[int, int]:
        name = node.name.value
        if name.startswith("__"):
            return (COST_INTROSPECTION if name in ("__schema", "__type") else 1), 0
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 1, 1
        named = get_named_type(definition.type)
        cost, times, child_first = 1, 1, None
        if name == "edges" and first is not None:
            times = first
        elif is_list_type(get_nullable_type(definition.type)) and is_composite_type(named):
            times = LIST_SIZES.get((parent.name, name), DEFAULT_LIST_SIZE)
        if named.name.endswith("Connection") or name == "trackRecord":
            child_first = self.first(node)
            cost += self.connection(node, name)
        if (parent.name, name) in LARGE_FIELDS:
            cost += COST_TEXT
        cost += FIXED_COSTS.get((parent.name, name), 0)
        if node.selection_set is None:
            return cost, 1
        child_cost, child_depth = self.selections(node.selection_set, named, child_first)
        return cost + times * child_cost, child_depth + 1

    def arguments(self, node: FieldNode) -> dict[str, Any]:
        """The field's arguments as plain data (variables filled in); notes whether any
        variable was read, since then the cost holds for these variables only."""
        args = {}
        for a in node.arguments or ():
            self.dynamic = self.dynamic or _has_variable(a.value)
            args[a.name.value] = value_from_ast_untyped(a.value, self.variables)
        return args

    def first(self, node: FieldNode) -> int:
        value = self.arguments(node).get("first")
        if value is None:
            return 20
        return value if isinstance(value, int) and 0 <= value <= MAX_FIRST else MAX_FIRST

    def connection(self, node: FieldNode, name: str) -> int:
        args = self.arguments(node)
        terms, expensive, narrowed = filter_terms(args.get("filter"), self.limits)
        if args.get("search") is not None:
            terms += 1
        scoped = narrowed or name in SCOPED_LISTS or name != "claims"
        return COST_CONNECTION + COST_TERM * terms + (COST_TERM if scoped else COST_SCAN) * expensive


def _has_variable(node: ValueNode) -> bool:
    todo = [node]
    while todo:
        value = todo.pop()
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            todo.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            todo.extend(f.value for f in value.fields)
    return False


def filter_terms(value: Any, limits: Limits) -> tuple[int, int, bool]:
    """(terms, expensive terms, narrowed by an indexed field at the top) of a claim
    filter given as plain data (literal and variables merged). Walks iteratively and
    refuses a filter over the breadth or depth limits before anything else reads it."""
    terms = expensive = visited = 0
    narrowed = isinstance(value, Mapping) and any(value.get(k) is not None for k in NARROWING_TERMS)
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        visited += 1
        if depth > limits.max_filter_depth:
            raise too_complex(f"a claim filter nests AND/OR deeper than {limits.max_filter_depth}")
        if isinstance(item, list):
            todo.extend((x, depth) for x in item)
        elif isinstance(item, Mapping):
            for key, x in item.items():
                if key in ("AND", "OR"):
                    todo.append((x, depth + 1))
                elif x is not None:
                    terms += 1
                    expensive += key in EXPENSIVE_TERMS
        if terms > limits.max_filter_terms or visited > 4 * limits.max_filter_terms + 16:
            raise too_complex(f"a claim filter has more than {limits.max_filter_terms} terms")
    return terms, expensive, narrowed


def nesting(value: Any, limit: int) -> bool:
    """Whether plain data nests deeper than ``limit`` (iteratively)."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if depth > limit:
            return True
        if isinstance(item, Mapping):
            todo.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, list):
            todo.extend((x, depth + 1) for x in item)
    return False
