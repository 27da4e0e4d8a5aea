"""The ``claimgraph`` command line. It only wraps the library: every command calls
``graph``/``ingest`` functions and turns their errors into one clean message."""
from __future__ import annotations

import datetime as dt
import functools
import getpass
import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimgraph.graph.db import default_path
from claimgraph.schema.errors import ClaimgraphError, InputError
from claimgraph.schema.formats import FORMATS

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimgraph", prog_name="claimgraph")
def cli():
    """claimgraph: who in the AI industry promised what, when, where it was reported,
    and how it turned out — every answer traceable to a verbatim quote.

    \b
    Example:
        claimgraph ingest claims/*.yaml
        claimgraph timeline model:grok-3
    """


@cli.command()
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


@cli.command("log")
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


def _print_claims(claims: list[ClaimRow]) -> None:
    from .render import claim_lines

    for line in claim_lines(claims):
        click.echo(line)


def _promise_chains(store: Store, subject: str, claims: list[ClaimRow], asof: int | None,
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


@cli.command()
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
        chains, shown = _promise_chains(store, target, claims, seq, day or dt.date.today())
        for line in chains:
            click.echo(line)
        rest = [c for c in claims if c.id not in shown]
        if chains and rest:
            click.echo("\nOther claims")
        _print_claims(rest)


@cli.command()
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


@cli.command()
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


@cli.command()
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
        _print_claims(r.claims)


@cli.command()
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve GraphQL afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@db_option
@clean_errors
def demo(serve, host, port, db):
    """Load the sample data (a German report on Grok 3's delay and an English one on its
    release), show the promise chain and what else it says, and serve it over GraphQL.

    \b
    Example:
        claimgraph demo --db demo.db --port 8001
    """
    from claimgraph.graph.promises import track_record
    from claimgraph.ingest.pipeline import ingest_path

    from .render import record_line

    with open_store(db) as store:
        appended = duplicates = 0
        for name in SAMPLES:
            r = ingest_path(store, sample_dir() / name, actor=local_actor())
            appended, duplicates = appended + r.appended, duplicates + r.duplicates
        click.echo(f"sample: {appended} events appended, {duplicates} duplicates skipped (database {db})\n")
        claims = store.read.timeline("model:grok-3")
        click.echo(f"Timeline of model:grok-3 (Grok 3): {len(claims)} claims")
        chains, shown = _promise_chains(store, "model:grok-3", claims, None, dt.date.today())
        for line in chains:
            click.echo(line)
        click.echo("\nOther claims")
        _print_claims([c for c in claims if c.id not in shown])
        click.echo(f"\nTrack record of person:elon-musk: {record_line(track_record(store.read, 'person:elon-musk'))}")
    if serve:
        click.echo('\nTry: { timeline(entity: "Grok3") { edges { node { stated status evidence { quote } } } } }')
        _serve(db, host, port)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld"]), default="trig",
              show_default=True, help="TriG, N-Quads and JSON-LD are lossless; Turtle has no named graphs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here (default stdout).")
@click.option("--as-of", "as_of", default=None, metavar="SEQ|TIME", help="Export an earlier state of knowledge.")
@db_option
@clean_errors
def export(fmt, output, as_of, db):
    """Export the graph as RDF, with provenance (PROV-O) and one named graph per claim.

    \b
    Example:
        claimgraph export --format trig -o claims.trig
        claimgraph export --format nquads --as-of 2025-01-02T00:00:00Z > then.nq
    """
    from claimgraph.graph.rdf_export import write

    with open_store(db) as store:
        store.refresh()
        seq, _ = resolve_clocks(store, as_of, None)
        if output:
            with open(output, "w", encoding="utf-8") as out, \
                    click.progressbar(length=1, label=f"exporting {fmt}", file=sys.stderr) as bar:
                count = write(store.read, fmt, out, asof=seq)
                bar.update(1)
            click.echo(f"exported {count} quads to {output}", err=True)
        else:
            write(store.read, fmt, click.get_text_stream("stdout"), asof=seq)


@cli.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the claim file here.")
@click.option("--url", default=None)
@click.option("--title", default=None)
@click.option("--publisher", default=None)
@click.option("--published", default=None, help="Publication date (relative dates are resolved against it).")
@click.option("--language", default=None, help="de or en (detected when not given).")
@click.option("--extractor", "engine", default="rules", show_default=True,
              type=click.Choice(["rules", "openai"]), help="openai: an OpenAI-compatible endpoint (CLAIMGRAPH_LLM_URL).")
@db_option
@clean_errors
def extract(article, output, url, title, publisher, published, language, engine, db):
    """Write a claim file of candidate claims found in a news article (.txt .md .html).

    Review and edit it, then `claimgraph ingest` it; or ingest the article directly,
    which marks its claims as machine-extracted. Metadata comes from YAML front matter,
    a sidecar ARTICLE.meta.yaml, or these options.

    \b
    Example:
        claimgraph extract grok3.txt --published 2025-01-02 -o grok3.yaml
        claimgraph ingest grok3.yaml
    """
    import yaml

    from claimgraph.ingest.pipeline import extract_article

    path = Path(article)
    store = open_store(db) if Path(db).exists() else None
    try:
        data, _ = extract_article(store, path, engine, url=url, title=title, publisher=publisher,
                                  published=published, language=language)
    finally:
        if store is not None:
            store.close()
    if output:
        out = Path(output)
        try:  # refer to the article by path when it sits beside the claim file
            relative = path.resolve().relative_to(out.resolve().parent)
            data["source"] = {"path": str(relative), **{k: v for k, v in data["source"].items() if k != "text"}}
        except ValueError:
            pass
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        out.write_text(f"# candidate claims extracted by {data['extractor']} from {path.name}: review before ingesting\n"
                       + text, encoding="utf-8")
        click.echo(f"{len(data['claims'])} candidate claims, {len(data['resolutions'])} resolutions -> {output}",
                   err=True)
    else:
        click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), nl=False)


@cli.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
def schema_(output):
    """Print the GraphQL schema (SDL); the repository keeps it in schema/schema.graphql.

    \b
    Example:
        claimgraph schema -o schema/schema.graphql
    """
    from .graphql_schema import build_schema

    sdl = str(build_schema()) + "\n"
    if output:
        Path(output).write_text(sdl, encoding="utf-8")
    else:
        click.echo(sdl, nl=False)


def neo4j_options(f):
    f = click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database (default neo4j).")(f)
    f = click.option("--password", envvar="NEO4J_PASSWORD", default=None,
                     help="Neo4j password (env NEO4J_PASSWORD; default that of deploy/neo4j/neo4j.sh).")(f)
    f = click.option("--user", envvar="NEO4J_USER", default=None, help="Neo4j user (env NEO4J_USER; default neo4j).")(f)
    return click.option("--uri", envvar="NEO4J_URI", default=None,
                        help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687).")(f)


@cli.group()
def neo4j():
    """Mirror the claim graph into Neo4j (for Neo4j Browser and Cypher).

    \b
    Example:
        deploy/neo4j/neo4j.sh start
        claimgraph neo4j sync
        claimgraph neo4j status
    """


def _neo4j_projection(store, uri, user, password, database):
    from claimgraph.graph.neo4j import Neo4jProjection, Neo4jSettings, connect

    settings = Neo4jSettings.from_env(uri=uri, user=user, password=password, database=database)
    driver = connect(settings)
    return driver, Neo4jProjection(driver, store.log, settings.database), settings


@neo4j.command("sync")
@click.option("--rebuild", is_flag=True, help="Wipe claimgraph's nodes in Neo4j and replay the whole log.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 100000),
              help="Events per Neo4j transaction (each commits its checkpoint).")
@neo4j_options
@db_option
@clean_errors
def neo4j_sync(rebuild, batch_size, uri, user, password, database, db):
    """Bring Neo4j up to date with the event log (from its checkpoint on), and the
    statuses of promises up to today (run it also when the log has not moved: a promise
    turns overdue on its own).

    \b
    Example:
        claimgraph neo4j sync
        NEO4J_URI=bolt://graph.example:7687 claimgraph neo4j sync --rebuild
    """
    with open_store(db) as store:
        driver, projection, settings = _neo4j_projection(store, uri, user, password, database)
        try:
            start = 0 if rebuild else projection.checkpoint()["seq"]
            todo = max(0, store.head() - start)
            with click.progressbar(length=todo, label="syncing to Neo4j", file=sys.stderr, show_pos=True) as bar:
                applied = projection.sync(batch_size=batch_size, rebuild=rebuild, progress=bar.update)
            cp = projection.checkpoint()
            click.echo(f"neo4j: applied {applied} events; checkpoint {cp['seq']} of {store.head()}, statuses as of "
                       f"{cp['statusAt']} ({settings.uri}, database {settings.database})")
        finally:
            driver.close()


@neo4j.command("status")
@neo4j_options
@db_option
@json_option
@clean_errors
def neo4j_status(uri, user, password, database, db, as_json):
    """The Neo4j projection's checkpoint, how far it lags behind the log, and the day its
    statuses are of. Exits 1 when Neo4j holds the projection of another log (or one ahead
    of this log).

    \b
    Example:
        claimgraph neo4j status --json
    """
    with open_store(db) as store:
        driver, projection, settings = _neo4j_projection(store, uri, user, password, database)
        try:
            cp = projection.checked_checkpoint()
            head = store.head()
        finally:
            driver.close()
    report = {"uri": settings.uri, "database": settings.database, "checkpoint": cp["seq"], "head": head,
              "lag": head - cp["seq"], "statusAt": cp["statusAt"]}
    if as_json:
        click.echo(json.dumps(report))
    else:
        click.echo(f"neo4j {settings.uri} ({settings.database}): checkpoint {cp['seq']}, log head {head}, "
                   f"lag {head - cp['seq']}, statuses as of {cp['statusAt'] or '-'}")


def _var(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--var")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


@cli.command()
@click.argument("document")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="A variable (JSON values are parsed: --var first=5, --var id=model:grok-3).")
@click.option("--operation", default=None, help="Operation name, if the document has several.")
@click.option("--token", envvar="CLAIMGRAPH_TOKEN", default=None,
              help="Bearer token for mutations (env CLAIMGRAPH_TOKEN).")
@db_option
def query(document, variables, operation, token, db):
    """Run one GraphQL operation against the local database, without a server; print JSON.

    The document limits of `serve` apply (CLAIMGRAPH_MAX_* settings). Exit code 1
    when the result has errors.

    \b
    Example:
        claimgraph query '{ entity(id: "Grok3") { id name claimsAbout { totalCount } } }'
        claimgraph query 'query($id: ID!) { trackRecord(claimant: $id) { broken } }' --var id=person:elon-musk
    """
    from .auth import Tokens
    from .context import Context
    from .graphql_engine import Engine
    from .graphql_limits import Limits
    from .graphql_schema import build_schema

    values = dict(_var(v) for v in variables)
    try:
        limits = Limits.from_env()
        tokens = Tokens.from_env()
    except (ValueError, ClaimgraphError) as e:
        raise click.ClickException(str(e)) from None
    found = tokens.actor(f"Bearer {token}") if token else None
    if token and not isinstance(found, str):
        raise click.ClickException("the token is not one of the configured tokens (CLAIMGRAPH_TOKENS)")
    actor = found if isinstance(found, str) else None
    with open_store(db) as store:
        ctx = Context.for_store(store, actor=actor, max_text=limits.max_text_slice)
        out = Engine(build_schema(), limits).run(ctx, document, values, operation)
    click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    if out.get("errors"):
        raise SystemExit(1)


def limit_options(f):
    """One ``serve`` option per limit (``--max-body-bytes``…), each also ``CLAIMGRAPH_<NAME>``."""
    import dataclasses

    from .graphql_limits import Limits, env_name

    for spec in reversed(dataclasses.fields(Limits)):
        kind = float if isinstance(spec.default, float) else int
        f = click.option(f"--{spec.name.replace('_', '-')}", spec.name, type=kind, default=None,
                         help=f"{spec.metadata['help'][0].upper()}{spec.metadata['help'][1:]} (env {env_name(spec.name)}; "
                              f"default {spec.default}).")(f)
    return f


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="CLAIMGRAPH_HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="CLAIMGRAPH_PORT")
@click.option("--tokens-file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Bearer tokens, one name:token per line (also CLAIMGRAPH_TOKENS).")
@click.option("--cors-origin", "cors", multiple=True, help="Allow browser requests from this origin.")
@limit_options
@db_option
def serve(host, port, tokens_file, cors, db, **limits):
    """Serve GraphQL (and the GraphiQL page) at /graphql, and /health.

    Requests are bounded by the limits below; a malformed token configuration stops
    the server at start.

    \b
    Example:
        CLAIMGRAPH_TOKENS=alice:s3cret-token-of-16+chars claimgraph serve --port 8000
        curl -s localhost:8000/graphql -H 'content-type: application/json' \\
             -d '{"query": "{ head }"}'
    """
    _serve(db, host, port, tokens_file, list(cors), **limits)


def _serve(db: str, host: str, port: int, tokens_file: str | None = None, cors: list[str] | None = None,
           **limits) -> None:
    import uvicorn

    from .app import Settings, create_app

    try:
        settings = Settings.from_env(db, tokens_file, cors, **limits)
    except (ValueError, ClaimgraphError) as e:
        raise click.ClickException(str(e)) from None
    app = create_app(settings)
    click.echo(f"claimgraph: GraphQL and GraphiQL at http://{host}:{port}/graphql (database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", ws_max_size=settings.limits.max_body_bytes,
                h11_max_incomplete_event_size=64 * 1024)


def main() -> None:
    cli(prog_name="claimgraph")


if __name__ == "__main__":
    main()
