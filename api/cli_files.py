"""Commands that write documents: RDF exports, candidate claim files from articles, the GraphQL SDL."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_common import (
    clean_errors,
    db_option,
    open_store,
    resolve_clocks,
)

if TYPE_CHECKING:
    pass



@click.command()
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


@click.command()
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
    store = open_store(db) if Path(db).exists() else None
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


@click.command("schema")
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
