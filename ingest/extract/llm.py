"""An extractor backed by an OpenAI-compatible chat-completions endpoint (optional).

Configured by CLAIMGRAPH_LLM_URL (e.g. http://localhost:8080/v1), CLAIMGRAPH_LLM_MODEL
and CLAIMGRAPH_LLM_KEY. It asks for the same claim-file structure as the rule-based
extractor, then keeps only claims whose quote is an exact span of the article — a model
may paraphrase, and a paraphrase is no evidence.
"""
from __future__ import annotations

import json
import os
import urllib.request

from claimgraph.schema.errors import ClaimgraphError
from claimgraph.schema.model import CORE_PREDICATES, Channel, Modality

from .article import Article

PROMPT = """Extract every claim reported in the news article below as JSON with the keys
"entities" (list of {{id, kind, name, aliases}}, ids like person:elon-musk, org:xai, model:grok-3,
hardware:nvidia-h100, product:chatgpt) and "claims" (list of {{claimant, stated, channel, subject,
predicate, object, quantity, unit, modality, due, quote, confidence}}).
stated/due are dates like 2024, 2024-07 or 2024-07-22 resolved against the publication date {published}.
channel is one of {channels}; modality one of {modalities}; predicate preferably one of {predicates}.
quote MUST be copied verbatim from the article. Reply with JSON only.

ARTICLE ({language}):
{text}"""


class OpenAICompatibleExtractor:
    def __init__(self, url: str, model: str, key: str | None = None, timeout: float = 120):
        self.url, self.model, self.key, self.timeout = url.rstrip("/"), model, key, timeout
        self.name = f"llm:{model}@1"

    @classmethod
    def from_env(cls) -> OpenAICompatibleExtractor:
        url = os.environ.get("CLAIMGRAPH_LLM_URL")
        if not url:
            raise ClaimgraphError("set CLAIMGRAPH_LLM_URL (an OpenAI-compatible endpoint) to use --extractor openai")
        return cls(url, os.environ.get("CLAIMGRAPH_LLM_MODEL", "default"), os.environ.get("CLAIMGRAPH_LLM_KEY"))

    def extract(self, article: Article, known: dict[str, str] | None = None) -> dict:
        prompt = PROMPT.format(published=article.published or "unknown", language=article.language or "unknown",
                               channels=", ".join(c.value for c in Channel),
                               modalities=", ".join(m.value for m in Modality),
                               predicates=", ".join(CORE_PREDICATES), text=article.text)
        body = json.dumps({"model": self.model, "temperature": 0,
                           "messages": [{"role": "user", "content": prompt}]}).encode()
        request = urllib.request.Request(self.url + "/chat/completions", data=body, method="POST",
                                         headers={"content-type": "application/json",
                                                  **({"authorization": f"Bearer {self.key}"} if self.key else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.load(response)
            content = reply["choices"][0]["message"]["content"]
            data = json.loads(content[content.find("{"):content.rfind("}") + 1])
        except (OSError, ValueError, KeyError, IndexError) as e:
            raise ClaimgraphError(f"the extractor endpoint {self.url} failed: {e}") from None
        claims = [c for c in data.get("claims", []) if isinstance(c, dict) and c.get("quote")
                  and c["quote"] in article.text]
        return {"source": {"text": article.text, **article.meta()}, "extractor": self.name,
                "entities": data.get("entities", []), "claims": claims, "resolutions": []}
