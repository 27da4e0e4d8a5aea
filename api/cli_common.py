"""What the ``claimgraph`` commands share: the common options, opening the store, turning
errors into one clean message, and the two clocks (``--as-of``, ``--at``)."""
from __future__ import annotations

import datetime as dt
import functools
import getpass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimgraph.graph.db import default_path
from claimgraph.schema.errors import ClaimgraphError, InputError

if TYPE_CHECKING:  # the heavy modules are imported by the commands that use them
    from claimgraph.graph.readmodel import ClaimRow
    from claimgraph.graph.store import Store


def local_actor() -> str:
    """Who runs this command: ``cli:`` and the local user's name."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "local"
    return f"cli:{user}"[:200]


def actor_option(f):
    return click.option("--actor", default=None, envvar="CLAIMGRAPH_ACTOR", show_default="cli:<your user name>",
                        help="Who records these events (env CLAIMGRAPH_ACTOR).")(f)


def open_store(db: str) -> Store:
    from claimgraph.graph.store import Store
    return Store(db)


#: the sample documents, in the order they were published
SAMPLES = ("grok3-delay.yaml", "grok3-launch.yaml")


def sample_dir() -> Path:
    return Path(str(files("claimgraph.ingest") / "samples"))


def db_option(f):
    return click.option("--db", "db", default=default_path, show_default="claimgraph.db",
                        envvar="CLAIMGRAPH_DB", type=click.Path(dir_okay=False),
                        help="SQLite database file (env CLAIMGRAPH_DB).")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def clock_options(f):
    f = click.option("--as-of", "as_of", default=None, metavar="SEQ|TIME",
                     help="Answer from what was known at this log position or recorded time (ISO 8601).")(f)
    return click.option("--at", "at", default=None, metavar="DATE",
                        help="Statuses as of this date (valid time; default today).")(f)


def clean_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ClaimgraphError as e:
            raise click.ClickException(str(e)) from None
    return wrapper


def resolve_clocks(store: Store, as_of: str | None, at: str | None) -> tuple[int | None, dt.date | None]:
    seq = None
    if as_of is not None:
        if as_of.strip().isdigit():
            seq = int(as_of)
        else:
            try:
                seq = store.log.seq_at(as_of)
            except ValueError as e:
                raise InputError(str(e), field="--as-of") from None
    day = None
    if at is not None:
        try:
            day = dt.date.fromisoformat(at)
        except ValueError:
            raise InputError(f"not a date: {at!r} (use YYYY-MM-DD)", field="--at") from None
    return seq, day


def resolve_entity(store: Store, ref: str, asof: int | None) -> str:
    found = store.read.resolve(ref, asof)
    if not found:
        raise InputError(f"no entity {ref!r} (give an id such as model:grok-3, or a name or alias)")
    return found


def print_claims(claims: list[ClaimRow]) -> None:
    from .render import claim_lines

    for line in claim_lines(claims):
        click.echo(line)


def promise_chains(store: Store, subject: str, claims: list[ClaimRow], asof: int | None,
                    day: dt.date) -> tuple[list[str], set[str]]:
    """Lines for each chain of restated promises about ``subject`` (two or more promises,
    or one that a delivery settled), and the ids of the claims they show."""
    from claimgraph.graph.promises import slippage

    from .render import chain_summary, claim_lines

    lines: list[str] = []
    shown: set[str] = set()
    predicates = sorted({c.predicate for c in claims if c.subject == subject and c.is_promise})
    for predicate in predicates:
        chain, rows = slippage(store.read, subject, predicate, asof=asof, at=day)
        if len(chain.revisions) < 2 and chain.delivered is None:
            continue
        lines.append(f"\n{subject} {predicate}: {chain_summary(chain, rows, day)}")
        lines += claim_lines(rows, indent="  ")
        shown |= {c.id for c in rows}
    return lines, shown
