"""Commands on the event log: ingest into it, print it, verify it, retract from it, replay it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from claimgraph.schema.errors import ClaimgraphError, InputError
from claimgraph.schema.formats import FORMATS

from .cli_common import (
    actor_option,
    clean_errors,
    db_option,
    json_option,
    local_actor,
    open_store,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Read every file as this format instead of guessing from the extension.")
@actor_option
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="RDF: a YAML file mapping other classes/properties (see README).")
@click.option("--unreferenced", type=click.Choice(["keep", "skip"]), default="keep", show_default=True,
              help="RDF: Wikidata statements without a reference (or only 'imported from' one) become claims "
                   "whose source is the entity document (keep), or are left out (skip).")
@db_option
@json_option
def ingest(paths, fmt, actor, mapping, unreferenced, db, as_json):
    """Ingest claim files (YAML/JSON) and RDF (.nq .nt .ttl .trig .jsonld .rdf).
    Folders are searched for them.

    Each file is appended whole or not at all; a bad file is reported with its line
    and reason, the others still go in, and the exit code is 1. Each RDF file gets a
    report: entities new/updated/merged, claims, sources, and what was skipped, by
    reason with examples (--json: as JSON).

    \b
    Example:
        claimgraph ingest grok3-delay.yaml
        claimgraph ingest --db research.db claims/ wikidata-export.ttl
    """
    from claimgraph.ingest.pipeline import ingest_path
    from claimgraph.ingest.rdf_import import Mapping, Options
    from claimgraph.schema.formats import is_document

    actor = actor or local_actor()
    rdf_options = Options(unreferenced=unreferenced)

    try:
        rdf_mapping = Mapping.load(mapping) if mapping else None
    except ClaimgraphError as e:
        raise click.ClickException(str(e)) from None
    files_ = []
    for p in map(Path, paths):
        if p.is_dir():
            files_.extend(sorted(f for f in p.rglob("*") if f.is_file() and is_document(f)))
        else:
            files_.append(p)
    failures = 0
    totals = [0, 0]
    with open_store(db) as store:
        show_bar = len(files_) > 1 and not as_json
        with click.progressbar(files_, label="ingesting", file=sys.stderr,
                               show_pos=True, item_show_func=lambda f: f.name if f else "") if show_bar \
                else _plain(files_) as items:
            for f in items:
                try:
                    r = ingest_path(store, f, fmt=fmt, actor=actor, mapping=rdf_mapping, rdf_options=rdf_options)
                except ClaimgraphError as e:
                    failures += 1
                    click.echo(f"error: {e}" if isinstance(e, InputError) else f"error: {f}: {e}", err=True)
                    continue
                totals[0] += r.appended
                totals[1] += r.duplicates
                report = getattr(r, "report", None)
                if as_json:
                    line = {"file": str(f), "appended": r.appended, "duplicates": r.duplicates}
                    if report is not None:
                        line["report"] = report.as_json()
                    click.echo(json.dumps(line, ensure_ascii=False))
                elif report is not None:
                    click.echo(report.text())
                elif not show_bar:
                    click.echo(f"{f}: {r.appended} events appended, {r.duplicates} duplicates skipped")
        if show_bar:
            click.echo(f"{len(files_) - failures} files: {totals[0]} events appended, "
                       f"{totals[1]} duplicates skipped")
    if failures:
        raise SystemExit(1)


class _plain:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


@click.command("log")
@click.option("--after", default=0, type=int, help="Only events after this position.")
@click.option("--limit", default=None, type=int, help="At most this many events.")
@db_option
@json_option
def log_(after, limit, db, as_json):
    """Print the event log, oldest first.

    \b
    Example:
        claimgraph log --after 10
        claimgraph log --json | jq .type
    """
    with open_store(db) as store:
        for i, e in enumerate(store.log.read(after=after)):
            if limit is not None and i >= limit:
                break
            if as_json:
                click.echo(json.dumps(e.as_json(), ensure_ascii=False))
            else:
                click.echo(f"{e.seq:>6}  {e.recorded_at}  {e.type:<22} {e.stream_id:<28} {e.actor}")


@click.command()
@click.option("--head", "print_head", is_flag=True,
              help="After verifying, print only the head as SEQ:HASH (publish it to detect later rewrites).")
@click.option("--expect-head", default=None, metavar="[SEQ:]HASH",
              help="Also check that a head published earlier is still in the chain.")
@db_option
@clean_errors
def verify(print_head, expect_head, db):
    """Check the log: its hash chain (with CLAIMGRAPH_LOG_KEY also its authentication
    codes), that every quote is where its offsets say in its stored source, and that the
    read model equals a fresh replay. Exits 1 on any failure, also when events exist that
    cannot be projected and have not been retracted.

    \b
    Example:
        claimgraph verify
        claimgraph verify --head > published-head.txt
        claimgraph verify --expect-head "$(cat published-head.txt)"
    """
    with open_store(db) as store:
        store.refresh()
        report = store.verify(expect_head=expect_head)
    for seq, type_, reason, by, why in report.faults:
        state = f"retracted by event {by}: {why}" if by else "NOT retracted"
        click.echo(f"event {seq} ({type_}) cannot be projected: {reason} [{state}]", err=True)
    if report.open_faults:
        first = report.open_faults[0][0]
        raise click.ClickException(
            f"{len(report.open_faults)} event(s) cannot be projected; the read model leaves them out. Retract "
            f"each once you have looked at it: claimgraph retract {first} --reason '…'")
    if print_head:
        click.echo(f"{report.events}:{report.head_hash}")
        return
    if report.authenticated:
        keyed = f", authenticated with the log key from event {report.keyed_from}"
    elif report.keyed_from is not None:
        keyed = f", keyed from event {report.keyed_from} (authentication codes not checked: no key given)"
    else:
        keyed = ""
    click.echo(f"ok: {report.events} events, hash chain intact{keyed}; {report.quotes} quotes where their offsets "
               f"say; read model at {report.checkpoint} (lag {report.lag}) matches a fresh replay "
               f"(digest {report.digest[:16]})")


@click.command()
@click.argument("seq", type=click.IntRange(min=1))
@click.option("--reason", required=True, help="Why the event is left out (kept in the log).")
@actor_option
@db_option
@clean_errors
def retract(seq, reason, actor, db):
    """Leave out an event that cannot be projected: appends a compensating
    event-retracted event (the log itself is never edited). `claimgraph verify` lists
    such events. Claims and resolutions recorded in error are withdrawn with the
    retractClaim / retractResolution mutations instead.

    \b
    Example:
        claimgraph verify
        claimgraph retract 1234 --reason "quantity out of range, written by an old version"
    """
    from claimgraph.ingest.commands import retract_event

    with open_store(db) as store:
        r = retract_event(store, seq, reason, actor=actor or local_actor())
    click.echo(f"event {seq} retracted (event {r.first_seq}); the read model leaves it out")


@click.command()
@db_option
@clean_errors
def rebuild(db):
    """Drop the read model and rebuild it from the event log.

    \b
    Example:
        claimgraph rebuild
    """
    with open_store(db) as store:
        total = store.head()
        with click.progressbar(length=total, label="replaying", file=sys.stderr, show_pos=True) as bar:
            count = store.rebuild(progress=bar.update)
        click.echo(f"rebuilt the read model from {count} events (digest {store.projection.digest()[:16]})")
