"""Commands that answer from the read model: timelines, promise chains, track records."""
from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import click

from .cli_common import (
    clean_errors,
    clock_options,
    db_option,
    json_option,
    open_store,
    print_claims,
    promise_chains,
    resolve_clocks,
    resolve_entity,
)

if TYPE_CHECKING:
    pass



@click.command()
@click.argument("entity_id")
@db_option
@json_option
@clock_options
@clean_errors
def timeline(entity_id, db, as_json, as_of, at):
    """Claims by or about an entity, in the order they were stated, with status and quote.

    \b
    Example:
        claimgraph timeline model:grok-3
        claimgraph timeline Grok3 --at 2024-12-01 --as-of 5
    """
    with open_store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        target = resolve_entity(store, entity_id, seq)
        claims = store.read.timeline(target, asof=seq, at=day)
        if as_json:
            for c in claims:
                click.echo(json.dumps(c.as_json(), ensure_ascii=False))
            return
        ent = store.read.entity(target, seq)
        click.echo(f"Timeline of {target} ({ent.name if ent else target}): {len(claims)} claims")
        chains, shown = promise_chains(store, target, claims, seq, day or dt.date.today())
        for line in chains:
            click.echo(line)
        rest = [c for c in claims if c.id not in shown]
        if chains and rest:
            click.echo("\nOther claims")
        print_claims(rest)


@click.command()
@click.argument("entity_id")
@click.option("--predicate", default="release", show_default=True, help="The promise predicate to follow.")
@db_option
@json_option
@clock_options
@clean_errors
def slips(entity_id, predicate, db, as_json, as_of, at):
    """How a promise about an entity was revised: every restated promise of its camp
    (the claimant, the organizations it leads, owns or founded, the entity's developers)
    in the order stated, how often the due date moved later, and the delivery measured
    against the first date.

    \b
    Example:
        claimgraph slips model:grok-3
        claimgraph slips Grok3 --json --as-of 40
    """
    from claimgraph.graph.promises import slippage

    from .render import chain_json, chain_table

    with open_store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        target = resolve_entity(store, entity_id, seq)
        chain, rows = slippage(store.read, target, predicate, asof=seq, at=day)
    today = day or dt.date.today()
    if as_json:
        click.echo(json.dumps(chain_json(chain, rows, today), ensure_ascii=False))
        return
    for line in chain_table(chain, rows, today):
        click.echo(line)


@click.command()
@click.option("--min-settled", default=3, show_default=True, type=click.IntRange(min=1),
              help="Only claimants with at least this many settled promises.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@db_option
@json_option
@clock_options
@clean_errors
def leaderboard(min_settled, limit, db, as_json, as_of, at):
    """Who keeps their word: claimants ranked by the share of their settled promises
    that were kept (then by how many were settled, then by the average delay).

    \b
    Example:
        claimgraph leaderboard --min-settled 1
        claimgraph leaderboard --json --at 2025-01-01
    """
    from claimgraph.graph.promises import leaderboard as ranked

    from .render import record_counts

    with open_store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        records = ranked(store.read, min_settled, asof=seq, at=day, limit=limit)
    if as_json:
        click.echo(json.dumps([{"claimant": r.claimant, "settled": r.settled, "keptRate": r.kept_rate,
                                **record_counts(r)} for r in records], ensure_ascii=False))
        return
    click.echo(f"{'rank':<5} {'claimant':<30} {'settled':>7} {'kept':>5} {'broken':>6} {'kept %':>7} {'avg delay':>9}")
    for i, r in enumerate(records, 1):
        delay = "-" if r.average_delay_days is None else f"{r.average_delay_days:g} d"
        click.echo(f"{i:<5} {r.claimant:<30} {r.settled:>7} {r.kept:>5} {r.broken:>6} "
                   f"{(r.kept_rate or 0) * 100:>6.0f}% {delay:>9}")


@click.command()
@click.argument("claimant_id")
@db_option
@json_option
@clock_options
@clean_errors
def record(claimant_id, db, as_json, as_of, at):
    """A claimant's track record: promises kept, broken, partly kept, withdrawn,
    pending and overdue; kept on time, delivered late, the average delay of delivered
    promises, and how often due dates moved later per promise. A promise is a claim
    stated as promised, planned or predicted, or any claim with a due date that is not a
    denial; a delivery (a `released` fact) settles the open ones.

    \b
    Example:
        claimgraph record person:elon-musk
        claimgraph record Musk --at 2024-12-01
    """
    from claimgraph.graph.promises import track_record

    from .render import record_counts, record_line

    with open_store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        target = resolve_entity(store, claimant_id, seq)
        r = track_record(store.read, target, asof=seq, at=day)
        if as_json:
            click.echo(json.dumps({"claimant": r.claimant, **record_counts(r),
                                   "claims": [c.as_json() for c in r.claims]}, ensure_ascii=False))
            return
        click.echo(f"Track record of {r.claimant}: {record_line(r)}")
        print_claims(r.claims)
