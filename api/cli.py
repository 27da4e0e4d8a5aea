"""The ``claimgraph`` command line. It only wraps the library: every command calls
``graph``/``ingest`` functions and turns their errors into one clean message. The
commands live beside this file by topic (``cli_log``, ``cli_promises``, ``cli_files``,
``cli_neo4j``, ``cli_serve``); the modules they need are imported when they run, so
``claimgraph --help`` starts fast."""
from __future__ import annotations

import click

from .cli_common import sample_dir
from .cli_files import export, extract, schema_
from .cli_log import ingest, log_, rebuild, retract, verify
from .cli_neo4j import neo4j
from .cli_promises import leaderboard, record, slips, timeline
from .cli_serve import demo, query, serve

__all__ = ["cli", "main", "sample_dir"]


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


for command in (ingest, log_, verify, retract, rebuild, timeline, slips, leaderboard, record, demo, export,
                extract, schema_, neo4j, query, serve):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="claimgraph")


if __name__ == "__main__":
    main()
