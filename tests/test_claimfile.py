"""Bad claim files are rejected with file, line and reason; nothing of them is appended."""
import json

import pytest

from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.errors import InputError

from helpers import write_claim_file

GOOD = """source:
  path: article.txt
  published: 2025-01-02
entities:
  - {id: person:alice, name: Alice, aliases: [Al]}
claims:
  - claimant: Al
    stated: 2024-07
    channel: blog
    subject: model:foo-2
    predicate: release
    modality: promised
    due: 2025
    quote: "Foo 2 ships in 2025"
"""


def test_a_good_file_goes_in_and_twice_appends_nothing(store, tmp_path):
    path = write_claim_file(tmp_path, GOOD)
    first = ingest_path(store, path)
    assert first.appended == 4  # source, alice, foo-2 (created from its id), the claim
    assert ingest_path(store, path).appended == 0
    (claim,) = store.read.claims()
    assert claim.claimant == "person:alice" and claim.subject == "model:foo-2"
    assert store.read.entity("model:foo-2").name == "Foo 2"


def test_json_claim_files_work_too(store, tmp_path):
    import yaml
    data = yaml.safe_load(GOOD)
    data["source"]["published"] = "2025-01-02"
    path = write_claim_file(tmp_path, json.dumps(data, indent=2), name="claims.json")
    assert ingest_path(store, path).appended == 4


def reject(store, tmp_path, body, match, line=None, **kw):
    path = write_claim_file(tmp_path, body, **kw)
    head = store.head()
    with pytest.raises(InputError, match=match) as info:
        ingest_path(store, path)
    assert store.head() == head, "nothing of a rejected file may be appended"
    assert str(path) in str(info.value)
    if line is not None:
        assert info.value.line == line, str(info.value)
    return info.value


def test_malformed_yaml(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("    channel: blog", "    channel: [blog"), "malformed YAML")


def test_unknown_field_names_its_line(store, tmp_path):
    e = reject(store, tmp_path, GOOD.replace("    channel: blog", "    chanel: blog"), "unknown field 'chanel'", line=9)
    assert e.field == "claims.0.chanel"


def test_quote_not_in_source_names_the_claim_line(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("Foo 2 ships in 2025", "Foo 3 ships in 2025"),
           "quote not found", line=14)


def test_bad_date(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("stated: 2024-07", "stated: 2024-13"), "not a date", line=8)


def test_bad_predicate_form(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("predicate: release", "predicate: Release-Date"), "snake_case", line=11)


def test_bad_channel_and_modality(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("channel: blog", "channel: telepathy"), "channel")
    reject(store, tmp_path, GOOD.replace("modality: promised", "modality: sworn"), "modality")


def test_unknown_alias(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("claimant: Al", "claimant: Bob"), "unknown entity 'Bob'", line=7)


def test_path_escaping_the_folder(store, tmp_path):
    (tmp_path / "secret.txt").write_text("Foo 2 ships in 2025")
    reject(store, tmp_path / "inner", GOOD.replace("path: article.txt", "path: ../secret.txt"),
           "leaves the claim file's folder", line=2)


def test_oversized_file(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_MAX_FILE_MB", "0.001")
    reject(store, tmp_path, GOOD + "#" * 2000 + "\n", "over the limit")


def test_duplicate_keys_are_an_error(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("    channel: blog", "    channel: blog\n    channel: docs"),
           "duplicate key 'channel'", line=10)


def test_a_bad_claim_after_good_ones_appends_nothing(store, tmp_path):
    body = GOOD + """  - claimant: Al
    stated: 2024-08
    channel: blog
    subject: model:foo-2
    predicate: release
    modality: promised
    quote: "this is not in the article"
"""
    reject(store, tmp_path, body, "quote not found", line=21)
    assert store.read.claims() == []


def test_yaml_is_loaded_safely(store, tmp_path):
    reject(store, tmp_path, "source: !!python/object/apply:os.system ['echo pwned']\n", "malformed YAML")


def test_resolution_must_name_a_claimed_proposition(store, tmp_path):
    body = GOOD + """resolutions:
  - {subject: model:foo-2, predicate: release, due: 2026, verdict: kept, known: 2026-01, quote: "Foo 2"}
"""
    reject(store, tmp_path, body, "no proposition model:foo-2 release due 2026; claimed are: due: 2025", line=16)


def test_kind_must_match_the_id(store, tmp_path):
    reject(store, tmp_path, GOOD.replace("{id: person:alice,", "{id: person:alice, kind: org,"), "does not match")
