"""Turning news articles into candidate claims (a claim file for review or ingest).

``Extractor`` is the interface: an article in, a claim-file dict out. The rule-based
extractor for German and English is the default and needs no network; an extractor
backed by an OpenAI-compatible HTTP endpoint is available when one is configured.
"""
from __future__ import annotations

from typing import Protocol

from .article import Article


class Extractor(Protocol):
    name: str  # "name@version": becomes the actor of the events of extracted claims

    def extract(self, article: Article, known: dict[str, str] | None = None) -> dict:
        """A claim file (as a dict) of candidate claims found in ``article``.

        ``known`` maps names/aliases of entities already in the database to their ids."""


def get_extractor(name: str = "rules") -> Extractor:
    if name == "rules":
        from .rules import RuleExtractor
        return RuleExtractor()
    if name == "openai":
        from .llm import OpenAICompatibleExtractor
        return OpenAICompatibleExtractor.from_env()
    raise ValueError(f"unknown extractor {name!r} (rules, openai)")
