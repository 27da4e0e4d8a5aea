"""The ``claimgraph`` command line. It only wraps the library: every command calls
``graph``/``ingest`` functions and turns their errors into one clean message."""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import sys
from importlib.resources import files
from pathlib import Path

import click

from claimgraph.graph.db import default_path
from claimgraph.graph.queries import ClaimRow
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import DEFAULT_ACTOR, FORMATS, ingest_path
from claimgraph.schema.errors import ClaimgraphError, InputError

from . import __version__


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
@click.version_option(__version__, prog_name="claimgraph")
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
@click.option("--actor", default=DEFAULT_ACTOR, show_default=True, envvar="CLAIMGRAPH_ACTOR",
              help="Who records these events: a person or a pipeline name@version.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="RDF: a YAML file mapping other classes/properties (see README).")
@db_option
@json_option
def ingest(paths, fmt, actor, mapping, db, as_json):
    """Ingest claim files (YAML/JSON) and RDF (.nq .nt .ttl .trig .jsonld .rdf).
    Folders are searched for them.

    Each file is appended whole or not at all; a bad file is reported with its line
    and reason, the others still go in, and the exit code is 1.

    \b
    Example:
        claimgraph ingest grok3-delay.yaml
        claimgraph ingest --db research.db claims/ wikidata-export.ttl
    """
    from claimgraph.ingest.rdf_import import Mapping
    from claimgraph.ingest.rdf_parse import SUFFIXES

    try:
        rdf_mapping = Mapping.load(mapping) if mapping else None
    except ClaimgraphError as e:
        raise click.ClickException(str(e)) from None
    known_suffixes = (".yaml", ".yml", ".json", ".txt", ".md", ".html", ".htm", *SUFFIXES)
    files_ = []
    for p in map(Path, paths):
        if p.is_dir():
            files_.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in known_suffixes
                                 and not f.name.endswith(".meta.yaml")))
        else:
            files_.append(p)
    failures = 0
    totals = [0, 0]
    with Store(db) as store:
        show_bar = len(files_) > 1 and not as_json
        with click.progressbar(files_, label="ingesting", file=sys.stderr,
                               show_pos=True, item_show_func=lambda f: f.name if f else "") if show_bar \
                else _plain(files_) as items:
            for f in items:
                try:
                    r = ingest_path(store, f, fmt=fmt, actor=actor, mapping=rdf_mapping)
                except ClaimgraphError as e:
                    failures += 1
                    click.echo(f"error: {e}" if isinstance(e, InputError) else f"error: {f}: {e}", err=True)
                    continue
                totals[0] += r.appended
                totals[1] += r.duplicates
                if as_json:
                    click.echo(json.dumps({"file": str(f), "appended": r.appended, "duplicates": r.duplicates}))
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
    with Store(db) as store:
        for i, e in enumerate(store.log.read(after=after)):
            if limit is not None and i >= limit:
                break
            if as_json:
                click.echo(json.dumps(e.as_json(), ensure_ascii=False))
            else:
                click.echo(f"{e.seq:>6}  {e.recorded_at}  {e.type:<22} {e.stream_id:<28} {e.actor}")


@cli.command()
@db_option
@clean_errors
def verify(db):
    """Check the hash chain of the log and that the read model equals a fresh replay.

    \b
    Example:
        claimgraph verify
    """
    with Store(db) as store:
        report = store.verify()
    click.echo(f"ok: {report.events} events, hash chain intact; read model at {report.checkpoint} "
               f"(lag {report.lag}) matches a fresh replay (digest {report.digest[:16]})")


@cli.command()
@db_option
@clean_errors
def rebuild(db):
    """Drop the read model and rebuild it from the event log.

    \b
    Example:
        claimgraph rebuild
    """
    with Store(db) as store:
        total = store.head()
        with click.progressbar(length=total, label="replaying", file=sys.stderr, show_pos=True) as bar:
            count = store.rebuild(progress=bar.update)
        click.echo(f"rebuilt the read model from {count} events (digest {store.projection.digest()[:16]})")


def _status_word(c: ClaimRow) -> str:
    return c.status.replace("_", " ")


def _describe(c: ClaimRow) -> str:
    text = f"{c.subject} {c.predicate}"
    if c.object:
        value = c.object.get("entity") or c.object.get("date") or c.object.get("text")
        if value is None:
            value = f"{c.object.get('value')}{' ' + c.object['unit'] if c.object.get('unit') else ''}"
        text += f" {value}"
    if c.quantity is not None:
        text += f" ×{c.quantity}{' ' + c.unit if c.unit else ''}"
    if c.due:
        text += f" (due {c.due})"
    return text


def _print_claims(claims: list[ClaimRow]) -> None:
    for c in claims:
        click.echo(f"{c.stated:<11} {c.claimant:<26} {c.modality:<9} {_describe(c)}  [{_status_word(c)}]")
        click.echo(f"{'':<11} „{c.quote}“  ({c.channel}; {c.source_id} {c.start}–{c.end})")


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
    with Store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        target = resolve_entity(store, entity_id, seq)
        claims = store.read.timeline(target, asof=seq, at=day)
        if as_json:
            for c in claims:
                click.echo(json.dumps(c.as_json(), ensure_ascii=False))
            return
        ent = store.read.entity(target, seq)
        click.echo(f"Timeline of {target} ({ent.name}): {len(claims)} claims")
        _print_claims(claims)


@cli.command()
@click.argument("claimant_id")
@db_option
@json_option
@clock_options
@clean_errors
def record(claimant_id, db, as_json, as_of, at):
    """A claimant's track record: promises kept, broken, partly kept, withdrawn,
    pending and overdue. A promise is a claim stated as promised, planned or predicted,
    or any claim with a due date that is not a denial.

    \b
    Example:
        claimgraph record person:elon-musk
        claimgraph record Musk --at 2024-12-01
    """
    with Store(db) as store:
        store.refresh()
        seq, day = resolve_clocks(store, as_of, at)
        target = resolve_entity(store, claimant_id, seq)
        r = store.read.track_record(target, asof=seq, at=day)
        counts = {k: getattr(r, k) for k in ("promises", "kept", "broken", "partly_kept", "withdrawn",
                                            "unresolvable", "pending", "overdue")}
        if as_json:
            click.echo(json.dumps({"claimant": r.claimant, **counts,
                                   "claims": [c.as_json() for c in r.claims]}, ensure_ascii=False))
            return
        click.echo(f"Track record of {r.claimant}: " + ", ".join(
            f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
        _print_claims(r.claims)


@cli.command()
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve GraphQL afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@db_option
@clean_errors
def demo(serve, host, port, db):
    """Load the sample data (a German report on Grok 3's delay), show what it says, and
    serve it over GraphQL.

    \b
    Example:
        claimgraph demo --db demo.db --port 8001
    """
    with Store(db) as store:
        r = ingest_path(store, sample_dir() / "grok3-delay.yaml")
        click.echo(f"sample: {r.appended} events appended, {r.duplicates} duplicates skipped "
                   f"(database {db})\n")
        claims = store.read.timeline("model:grok-3")
        click.echo(f"Timeline of model:grok-3 (Grok 3): {len(claims)} claims")
        _print_claims(claims)
        rec = store.read.track_record("person:elon-musk")
        click.echo(f"\nTrack record of person:elon-musk: {rec.promises} promises, {rec.kept} kept, "
                   f"{rec.broken} broken, {rec.pending} pending, {rec.overdue} overdue")
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

    with Store(db) as store:
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
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Keep candidates with at least this confidence (default: the shipped model's threshold; "
                   "0 keeps every candidate).")
@db_option
@clean_errors
def extract(article, output, url, title, publisher, published, language, engine, min_confidence, db):
    """Write a claim file of candidate claims found in a news article (.txt .md .html).

    Each claim has its confidence; fields the extractor was unsure of carry a
    `# check:` comment. Review and edit it, then `claimgraph ingest` it; or ingest the
    article directly, which marks its claims as machine-extracted. Metadata comes from
    YAML front matter, a sidecar ARTICLE.meta.yaml, or these options.

    \b
    Example:
        claimgraph extract grok3.txt --published 2025-01-02 -o grok3.yaml
        claimgraph extract grok3.txt --min-confidence 0 -o all-candidates.yaml
        claimgraph ingest grok3.yaml
    """
    from claimgraph.ingest.extract.review import claim_file_yaml
    from claimgraph.ingest.pipeline import extract_article

    path = Path(article)
    store = Store(db) if Path(db).exists() else None
    try:
        data, _, checks = extract_article(store, path, engine, min_confidence, url=url, title=title,
                                          publisher=publisher, published=published, language=language)
    finally:
        if store is not None:
            store.close()
    header = f"candidate claims extracted by {data['extractor']} from {path.name}: review before ingesting"
    if output:
        out = Path(output)
        try:  # refer to the article by path when it sits beside the claim file
            relative = path.resolve().relative_to(out.resolve().parent)
            data["source"] = {"path": str(relative), **{k: v for k, v in data["source"].items() if k != "text"}}
        except ValueError:
            pass
        out.write_text(claim_file_yaml(data, checks, header), encoding="utf-8")
        click.echo(f"{len(data['claims'])} candidate claims, {len(data['resolutions'])} resolutions -> {output}",
                   err=True)
    else:
        click.echo(claim_file_yaml(data, checks, header), nl=False)


@cli.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
def schema_(output):
    """Print the GraphQL schema (SDL); the repository keeps it in schema/schema.graphql.

    \b
    Example:
        claimgraph schema -o schema/schema.graphql
    """
    from .schema import build_schema

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
    from claimgraph.graph.neo4j_projection import Neo4jProjection, Neo4jSettings, connect

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
    """Bring Neo4j up to date with the event log (from its checkpoint on).

    \b
    Example:
        claimgraph neo4j sync
        NEO4J_URI=bolt://graph.example:7687 claimgraph neo4j sync --rebuild
    """
    with Store(db) as store:
        driver, projection, settings = _neo4j_projection(store, uri, user, password, database)
        try:
            start = 0 if rebuild else projection.checkpoint()["seq"]
            todo = max(0, store.head() - start)
            with click.progressbar(length=todo, label="syncing to Neo4j", file=sys.stderr, show_pos=True) as bar:
                applied = projection.sync(batch_size=batch_size, rebuild=rebuild, progress=bar.update)
            click.echo(f"neo4j: applied {applied} events; checkpoint {projection.checkpoint()['seq']} "
                       f"of {store.head()} ({settings.uri}, database {settings.database})")
        finally:
            driver.close()


@neo4j.command("status")
@neo4j_options
@db_option
@json_option
@clean_errors
def neo4j_status(uri, user, password, database, db, as_json):
    """The Neo4j projection's checkpoint and how far it lags behind the log.

    \b
    Example:
        claimgraph neo4j status --json
    """
    with Store(db) as store:
        driver, projection, settings = _neo4j_projection(store, uri, user, password, database)
        try:
            cp = projection.checkpoint()
            head = store.head()
        finally:
            driver.close()
    report = {"uri": settings.uri, "database": settings.database, "checkpoint": cp["seq"], "head": head,
              "lag": head - cp["seq"]}
    if as_json:
        click.echo(json.dumps(report))
    else:
        click.echo(f"neo4j {settings.uri} ({settings.database}): checkpoint {cp['seq']}, log head {head}, "
                   f"lag {head - cp['seq']}")


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

    Exit code 1 when the result has errors.

    \b
    Example:
        claimgraph query '{ entity(id: "Grok3") { id name claimsAbout { totalCount } } }'
        claimgraph query 'query($id: ID!) { trackRecord(claimant: $id) { broken } }' --var id=person:elon-musk
    """
    from .auth import Tokens
    from .context import Context
    from .errors import format_result
    from .schema import build_schema

    values = dict(_var(v) for v in variables)
    with Store(db) as store:
        tokens = Tokens.from_env()
        actor = tokens.actor(f"Bearer {token}") if token else None
        result = asyncio.run(build_schema().execute(document, variable_values=values, operation_name=operation,
                                                    context_value=Context(store, actor=actor)))
        out = format_result(result)
    click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    if out.get("errors"):
        raise SystemExit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="CLAIMGRAPH_HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="CLAIMGRAPH_PORT")
@click.option("--tokens-file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Bearer tokens for mutations, one name:token per line (also CLAIMGRAPH_TOKENS).")
@click.option("--cors-origin", "cors", multiple=True, help="Allow browser requests from this origin.")
@db_option
def serve(host, port, tokens_file, cors, db):
    """Serve GraphQL (and the GraphiQL page) at /graphql, and /health.

    \b
    Example:
        CLAIMGRAPH_TOKENS=alice:s3cret claimgraph serve --port 8000
        curl -s localhost:8000/graphql -H 'content-type: application/json' \\
             -d '{"query": "{ head }"}'
    """
    _serve(db, host, port, tokens_file, list(cors))


def _serve(db: str, host: str, port: int, tokens_file: str | None = None, cors: list[str] | None = None) -> None:
    import uvicorn

    from .app import Settings, create_app

    app = create_app(Settings.from_env(db, tokens_file, cors))
    click.echo(f"claimgraph: GraphQL and GraphiQL at http://{host}:{port}/graphql (database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main() -> None:
    cli(prog_name="claimgraph")


if __name__ == "__main__":
    main()
