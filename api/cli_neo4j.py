"""The ``claimgraph neo4j`` commands: mirror the log into Neo4j and report how far it lags."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .cli_common import (
    clean_errors,
    db_option,
    json_option,
    open_store,
)

if TYPE_CHECKING:
    pass


def neo4j_options(f):
    f = click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database (default neo4j).")(f)
    f = click.option("--password", envvar="NEO4J_PASSWORD", default=None,
                     help="Neo4j password (env NEO4J_PASSWORD; default that of deploy/neo4j/neo4j.sh).")(f)
    f = click.option("--user", envvar="NEO4J_USER", default=None, help="Neo4j user (env NEO4J_USER; default neo4j).")(f)
    return click.option("--uri", envvar="NEO4J_URI", default=None,
                        help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687).")(f)


@click.group()
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
