"""Commands that run GraphQL: the demo, one query without a server, and the server."""
from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import click

from claimgraph.schema.errors import ClaimgraphError

from .cli_common import (
    SAMPLES,
    clean_errors,
    db_option,
    local_actor,
    open_store,
    print_claims,
    promise_chains,
    sample_dir,
)

if TYPE_CHECKING:
    pass



@click.command()
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
        chains, shown = promise_chains(store, "model:grok-3", claims, None, dt.date.today())
        for line in chains:
            click.echo(line)
        click.echo("\nOther claims")
        print_claims([c for c in claims if c.id not in shown])
        click.echo(f"\nTrack record of person:elon-musk: {record_line(track_record(store.read, 'person:elon-musk'))}")
    if serve:
        click.echo('\nTry: { timeline(entity: "Grok3") { edges { node { stated status evidence { quote } } } } }')
        _serve(db, host, port)




def _var(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--var")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


@click.command()
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


@click.command()
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
