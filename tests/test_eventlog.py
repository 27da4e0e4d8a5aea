import sqlite3

import pytest

from claimgraph.graph.db import connect
from claimgraph.graph.eventlog import EventLog
from claimgraph.schema.errors import ConcurrencyError, IntegrityError
from claimgraph.schema.events import ClaimRecorded, EntityAliased, EntityRegistered, upcast
from claimgraph.schema.model import Proposition


def entity(i: int) -> EntityRegistered:
    return EntityRegistered(entity_id=f"model:m-{i}", kind="model", name=f"M {i}")


@pytest.fixture
def log(tmp_path):
    return EventLog(connect(tmp_path / "log.db"))


def test_append_assigns_positions_versions_and_chain(log):
    r = log.append([entity(1), EntityAliased(entity_id="model:m-1", alias="M1"), entity(2)], actor="t@1")
    assert r.appended == [1, 2, 3]
    events = list(log.read())
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.stream_version for e in events] == [1, 2, 1]
    assert events[1].prev_hash == events[0].hash
    assert all(e.actor == "t@1" and e.recorded_at.endswith("Z") for e in events)
    assert log.verify_chain().events == 3 and log.verify_chain().head_hash == events[-1].hash


def test_appending_a_known_event_adds_no_row_and_returns_its_position(log):
    log.append([entity(1), entity(2)], actor="t")
    r = log.append([entity(2), entity(3)], actor="t")
    assert r.duplicates == [2] and r.appended == [3]
    assert log.head() == 3


def test_expected_version_conflict_is_a_clear_error_and_appends_nothing(log):
    log.append([entity(1)], actor="t")
    with pytest.raises(ConcurrencyError, match="model:m-1 is at version 1, expected 0"):
        log.append([EntityAliased(entity_id="model:m-1", alias="x")], actor="t", expected={"model:m-1": 0})
    assert log.head() == 1
    log.append([EntityAliased(entity_id="model:m-1", alias="x")], actor="t", expected={"model:m-1": 1})
    assert log.head() == 2


def test_the_log_refuses_updates_and_deletes(log):
    log.append([entity(1)], actor="t")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("UPDATE events SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("DELETE FROM events")


def test_verify_detects_an_edited_row(log):
    log.append([entity(i) for i in range(5)], actor="t")
    log.conn.execute("DROP TRIGGER events_no_update")
    log.conn.execute("UPDATE events SET data = replace(data, 'M 3', 'M 33') WHERE seq = 4")
    with pytest.raises(IntegrityError, match="event 4 was altered"):
        log.verify_chain()


def test_reading_after_a_position_streams_in_batches(log):
    log.append([entity(i) for i in range(25)], actor="t")
    assert [e.seq for e in log.read(after=20, batch=2)] == [21, 22, 23, 24, 25]
    assert [e.seq for e in log.read(after=3, upto=6, batch=2)] == [4, 5, 6]


def test_recorded_time_is_monotonic_and_maps_to_positions(log):
    log.append([entity(1)], actor="t")
    log.append([entity(2)], actor="t")
    first, second = list(log.read())
    assert first.recorded_at <= second.recorded_at
    assert log.seq_at(second.recorded_at) == 2
    assert log.seq_at("2000-01-01T00:00:00Z") == 0


def test_old_event_versions_are_upcast_on_read(log):
    prop = Proposition.make("model:grok-3", "release", due="2024-12-31")
    v1 = {"claim_id": "claim:1", "claimant": "person:elon-musk", "proposition": prop.model_dump(),
          "stated": "2024-07", "channel": "x_post", "modality": "promised", "source_id": "source:0000000000000001",
          "quote": "Grok 3", "start": 0, "end": 6, "language": "de"}
    import json
    log.append_raw([("legacy-1", "claim:1", "claim-recorded", 1, json.dumps(v1))], actor="t")
    (stored,) = list(log.read())
    assert stored.version == ClaimRecorded.VERSION
    event = stored.event()
    assert event.evidence.quote == "Grok 3" and event.evidence.language == "de"
    assert upcast("claim-recorded", 2, {"x": 1}) == {"x": 1}
