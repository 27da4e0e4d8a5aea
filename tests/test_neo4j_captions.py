"""Captions for Neo4j Browser: who, what and when in at most 48 characters, shortened by
whole words; the one-hop relationship types cover every modality."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.graph.neo4j import ONE_HOP
from claimgraph.graph.neo4j import captions as c
from claimgraph.graph.neo4j.rows import texts
from claimgraph.schema.model import Modality


def test_a_claim_says_who_what_and_when():
    t = texts("person:elon-musk", "Elon Musk", "model:grok-3", "Grok 3", "release", None, None, None, None,
              "2024-12-31", "promised", "2024-07")
    assert t.claim == "Musk · Grok 3 release by 2024-12 · Jul 2024"
    assert t.proposition == "Grok 3 release by 2024-12"  # the subject is named
    assert t.what == "release by 2024-12"


def test_long_statements_lose_detail_before_words_are_cut():
    t = texts("org:grok3-report-publisher", "Grok3 Report Publisher", "model:grok-3", "Grok 3", "trained_on",
              {"entity": "hardware:nvidia-h100"}, "NVIDIA H100", 100000, None, None, "asserted", "2025-01-02")
    assert t.claim == "Grok3 Report · Grok 3 trained on H100 · Jan 2025"
    assert t.proposition == "Grok 3 trained on 100k NVIDIA H100"
    t = texts("org:anthropic", "Anthropic", "model:claude-3-5-opus", "Claude 3.5 Opus", "release", None, None,
              None, None, "2024-12-31", "planned", "2024")
    assert t.claim == "Anthropic · Claude 3.5 Opus release · 2024"


def test_a_denial_says_not():
    t = texts("person:sam-altman", "Sam Altman", "model:gpt-5", "GPT-5", "release", None, None, None, None,
              "2025-06", "denied", "2025-02-14")
    assert t.claim == "Altman · GPT-5 not release by 2025-06 · Feb 2025"


def test_resolutions_and_sources():
    assert c.resolution_caption("partly_kept", "2025-01-02") == "partly kept · 2 Jan 2025"
    assert c.source_caption("source:1", "Grok3 Report Publisher", "2025-01-02") == "Grok3 Report Publisher · 2 Jan 2025"
    assert c.source_caption("source:1", url="https://www.example.org/a/b") == "example.org"
    assert c.source_caption("source:1") == "source:1"


def test_shortening_keeps_whole_words_and_closes_nothing_it_cannot():
    assert c.shorten("described as \"ein großer Sprung\" nach vorn", 28) == "described as"
    assert c.shorten("release by 2024-12", 12) == "release"
    assert c.shorten("Supercalifragilistic", 5) == "Super"  # one word longer than the limit: cut hard


def test_every_modality_has_its_one_hop_type():
    assert set(ONE_HOP) == {m.value for m in Modality}
    assert all(re.fullmatch(r"[A-Z]+", t) for t in ONE_HOP.values())


words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=14)
names = st.lists(words, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(claimant=names, subject=names, object_name=st.none() | names, predicate=st.sampled_from(
    ["release", "trained_on", "remove_from_roadmap", "competes_with", "most_capable", "team_size"]),
       due=st.none() | st.sampled_from(["2025", "2024-12", "2024-12-31", "2025-02-17"]),
       stated=st.sampled_from(["2024", "2024-07", "2025-01-02"]), modality=st.sampled_from(sorted(ONE_HOP)),
       quantity=st.none() | st.integers(1, 10**9))
def test_any_claim_caption_fits_and_is_made_of_whole_words(claimant, subject, object_name, predicate, due, stated,
                                                            modality, quantity):
    obj = {"entity": "model:x"} if object_name else None
    t = texts("person:x", claimant, "model:y", subject, predicate, obj, object_name, quantity, None, due,
              modality, stated)
    assert len(t.claim) <= c.CLAIM_MAX and "…" not in t.claim
    full = " ".join([claimant, subject, object_name or "", predicate.replace("_", " "), "by", "not", "off",
                     "roadmap", c.quantity_text(quantity), due or "", c.due_text(due) if due else "",
                     (due or "")[:4], c.when(stated[:7]), "·"])
    for word in t.claim.split():
        assert word in full.split(), f"{word!r} of {t.claim!r} is not a whole word of what was said"
