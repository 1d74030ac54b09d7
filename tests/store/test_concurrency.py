"""Kills, locks, concurrent readers and a PostgreSQL restart in the middle of an ingest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pg
from store._corpus import article, claim, corpus, verification
from wirecheck.errors import StoreError, StoreLocked
from wirecheck.models import Article, Failure
from wirecheck.store import Store, open_store

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _batch(n: int, size: int) -> list[Article]:
    out = []
    for i in range(size):
        aid = f"{n:08x}{i:08x}"
        out.append(
            article(aid, f"Batch {n} item {i}", f"Body of {n}/{i}: ships sailed.",
                    claims=(claim(aid, 0, "Ships sailed."), claim(aid, 1, "Two ships sailed.")))
        )  # fmt: skip
    return out


# The child imports wirecheck.store without running wirecheck/__init__.py (which loads every stage,
# spaCy included: ~6 s) by registering the package as a bare module first.
_PRELUDE = f"""
import sys, types
package = types.ModuleType("wirecheck")
package.__path__ = [{SRC!r} + "/wirecheck"]
sys.modules["wirecheck"] = package
"""


def _child(script: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_killed_verification_write_leaves_old_or_new_rows(store_url: str) -> None:
    with open_store(store_url) as s:
        s.write_batch(articles=corpus(), analysis_version=1)
        s.write_verification(**verification())  # type: ignore[arg-type]
        before = (s.stories(), s.counts()["links"])
    # A child replaces the results with a big set and is SIGKILLed while writing it.
    child = _child(f"""
        import time
        from wirecheck.models import ClaimLink, Story
        from wirecheck.store import open_store
        store = open_store({store_url!r})
        stories = [Story(f"s{{i:016x}}", "big", None, None, (f"{{i:016x}}",), 1) for i in range(50000)]
        links = [ClaimLink(f"{{i}}:0", f"{{i}}:1", "supports", 0.5) for i in range(400000)]
        print("writing", flush=True)
        started = time.monotonic()
        store.write_verification(stories=stories, story_of={{}}, links=links, support=[], assessments=[])
        print("done", time.monotonic() - started, flush=True)
    """)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing", child.stderr.read() if child.stderr else ""
    time.sleep(0.3)
    child.kill()
    child.wait()
    with open_store(store_url) as s:
        after = (s.stories(), s.counts()["links"])
        if after != before:  # the write committed before the kill landed: all of it, then
            assert after[1] == 400000 and s.counts()["stories"] == 50000


def test_read_only_open_fails_fast_while_a_writer_holds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    open_store(path).close()
    child = _child(f"""
        import time
        from wirecheck.store import open_store
        store = open_store({str(path)!r})
        print("holding", flush=True)
        time.sleep(60)
    """)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(StoreLocked):
            open_store(path, read_only=True)
        with pytest.raises(StoreLocked):
            open_store(path)
        assert time.monotonic() - started < 2.0
    finally:
        child.kill()
        child.wait()
    with open_store(path, read_only=True) as s:  # free again once the writer is gone
        assert s.counts()["articles"] == 0


def _ingest_while_reading(writer: Store, reader: Store, batches: int, size: int) -> set[int]:
    """Write ``batches`` batches with one store while a thread reads counts with another;
    return the article counts the reader saw (each must be a whole number of batches)."""
    seen: set[int] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                counts = reader.counts()
                assert counts["articles"] % size == 0, counts
                assert counts["claims"] == 2 * counts["articles"], counts
                seen.add(counts["articles"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for n in range(batches):
            writer.write_batch(articles=_batch(n, size), analysis_version=1)
            time.sleep(0.02)
    finally:
        done.set()
        thread.join()
    assert not errors, errors[0]
    return seen


def test_postgresql_serves_reads_during_ingest(pg_url: str) -> None:
    with open_store(pg_url) as writer, open_store(pg_url, read_only=True) as reader:
        seen = _ingest_while_reading(writer, reader, batches=15, size=10)
        assert reader.counts()["articles"] == 150
    assert len(seen) >= 3  # the reader really ran while batches landed


def test_duckdb_sessions_read_during_ingest_in_one_process(tmp_path: Path) -> None:
    with open_store(tmp_path / "shared.duckdb") as writer, writer.session() as reader:
        seen = _ingest_while_reading(writer, reader, batches=15, size=10)
        assert reader.counts()["articles"] == 150
    assert len(seen) >= 3


@pytest.fixture
def restartable(pg_server: pg.PgServer) -> Iterator[pg.PgServer]:
    yield pg_server
    if not pg_server.running():  # leave the shared server running for the tests after this one
        pg_server.start()


def test_postgresql_restart_mid_batch_is_retried_whole(
    restartable: pg.PgServer, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(pg_url)
    store.write_batch(articles=_batch(0, 20), analysis_version=1)
    bulk = store._db.bulk
    restarts: list[str] = []

    def bulk_restarting_once(table: str, *args: Any, **kw: Any) -> None:
        if table == "claims" and not restarts:
            restarts.append(table)  # articles and mentions are written; claims are next
            restartable.restart()
        bulk(table, *args, **kw)

    monkeypatch.setattr(store._db, "bulk", bulk_restarting_once)
    store.write_batch(
        articles=_batch(1, 20),
        analysis_version=1,
        failures=[Failure("x.bin", "ingest", "WC105", "m")],
    )
    monkeypatch.undo()
    assert restarts == ["claims"]
    for n in range(2, 5):  # and the ingest carries on on the new connection
        store.write_batch(articles=_batch(n, 20), analysis_version=1)
    counts = store.counts()
    assert (counts["articles"], counts["claims"]) == (100, 200)
    assert [f.attempts for f in store.failures()] == [1]  # the lost attempt left nothing
    store.close()


def test_postgresql_down_for_good_reports_and_applies_nothing(
    restartable: pg.PgServer, pg_url: str
) -> None:
    store = open_store(pg_url)
    store.write_reconnect_timeout = 1.0
    store._db.reconnect_timeout = 1.0
    store.write_batch(articles=_batch(0, 5), analysis_version=1)
    restartable.stop()
    with pytest.raises(StoreError) as raised:
        store.write_batch(articles=_batch(1, 5), analysis_version=1)
    assert "none of it was applied" in raised.value.message
    assert "re-run" in str(raised.value)
    restartable.start()
    with open_store(pg_url) as fresh:
        assert fresh.counts()["articles"] == 5
    # the old store reconnects by itself for reads and writes
    assert store.counts()["articles"] == 5
    store.write_batch(articles=_batch(1, 5), analysis_version=1)
    assert store.counts()["claims"] == 20
    store.close()
