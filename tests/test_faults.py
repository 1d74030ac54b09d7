"""kill -9 in the middle of `wirecheck analyze`, then a re-run: nothing lost, nothing doubled.

The 10k-document version with several trials is benchmarks/bench_faults.py (figures in
benchmarks/RESULTS-scale.md). A PostgreSQL server restarted (or stopped) in the middle of an
ingest: the cut batch is written again whole, or the run stops with a coded error and a re-run
completes it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

import pg
from wirecheck.errors import StoreError
from wirecheck.pipeline import analyze
from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store, open_store

PLACES = ["Klaipeda", "Gdansk", "Riga", "Tallinn", "Turku", "Rostock", "Kiel", "Liepaja"]
SUBJECTS = ["port authority", "city council", "fisheries agency", "coast guard", "rail operator"]


def _write_documents(root: Path, count: int) -> None:
    rng = random.Random(11)
    root.mkdir()
    for i in range(count):
        place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
        words = " ".join(
            rng.choice(["harbour", "budget", "ferry", "storm", "repairs", "tender"])
            for _ in range(12)
        )
        body = (
            f"{place.upper()}, Oct {1 + i % 28} - The {subject} of {place} approved plan number {i} "
            f"on Monday, officials said, after {i * 7 % 97} days of talks about {words}.\n"
            f"The decision covers {i % 13 + 2} projects and {i * 3} jobs, according to a statement "
            f"issued by the {subject} late in the evening, and takes effect next month."
        )
        (root / f"doc{i:05d}.txt").write_text(
            f"Headline {i}: {place} {subject} approves plan\n{body}\n"
        )
    (root / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)
    (root / "empty.txt").write_bytes(b"")


def _run(root: Path, db: Path, **settings: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    env.update(HOME=str(root), WIRECHECK_PIPELINE__BATCH_SIZE="7", **settings)
    return subprocess.Popen(
        [sys.executable, "-m", "wirecheck", "--db", str(db), "analyze", str(root / "docs")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wal_writes(db: Path) -> tuple[int, int]:
    """A stamp of the store's write-ahead log: it changes with every committed transaction."""
    try:
        st = os.stat(f"{db}.wal")
    except FileNotFoundError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def _kill_after_commits(proc: subprocess.Popen[bytes], db: Path, commits: int) -> bool:
    """SIGKILL ``proc`` once ``commits`` more transactions have landed in the store, so that the
    kill falls in the middle of the batches, not while the command is still importing."""
    stamp, seen = _wal_writes(db), 0
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        now = _wal_writes(db)
        if now != stamp:
            stamp, seen = now, seen + 1
            if seen >= commits:
                os.kill(proc.pid, signal.SIGKILL)
                return True
        time.sleep(0.01)
    return False


def test_kill_9_mid_run_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    count = 250
    _write_documents(tmp_path / "docs", count)
    db = tmp_path / "w.duckdb"
    rng = random.Random(3)
    # The corpus stage is recomputed whole at the end of every run and is not what this tests;
    # leaving it out keeps the test inside CI time. Analysis stays on: a batch holds articles,
    # mentions, events and claims, so "whole" means more than one table.
    no_verify = {"WIRECHECK_VERIFY__ENABLED": "false"}
    killed = 0
    for _ in range(3):
        proc = _run(tmp_path, db, **no_verify)
        # 2-8 commits of 7 documents: the kill lands at a random batch of the run.
        killed += _kill_after_commits(proc, db, rng.randint(2, 8))
        proc.wait()
        if db.exists():
            _whole_batches_only(db, analysed=True)
    assert killed >= 2, "the runs ended before they could be killed"
    final = _run(tmp_path, db, **no_verify)
    assert final.wait(timeout=900) == 1  # the two bad inputs are reported
    _whole_batches_only(db, analysed=True)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (
        count,
        count,
    )
    assert con.execute("SELECT count(*) FROM sightings").fetchone() == (count,)
    failures = con.execute("SELECT input, code FROM failures ORDER BY input").fetchall()
    con.close()
    assert [(Path(i).name, c) for i, c in failures] == [
        ("bad.bin", "WC105"),
        ("empty.txt", "WC104"),
    ]


WHOLE = (
    "SELECT count(*) FROM articles a LEFT JOIN dedup_signatures s ON s.article_id = a.id "
    "WHERE s.article_id IS NULL OR a.syndication_group IS NULL "
    "OR NOT EXISTS (SELECT 1 FROM sightings g WHERE g.article_id = a.id)"
)


def _whole_batches_only(db: Path, *, analysed: bool = False) -> None:
    """Every stored article has its signature, dedup verdict, sighting and (``analysed``) its
    analysis: a batch is all there or not at all."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        orphans = con.execute(
            WHOLE + (" OR a.analysis_version IS NULL" if analysed else "")
        ).fetchone()
        assert orphans == (0,)
    finally:
        con.close()


def test_kill_9_of_a_ray_engine_run_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    count = 240
    _write_documents(tmp_path / "docs", count)
    db = tmp_path / "w.duckdb"
    ray = {
        "WIRECHECK_PIPELINE__ENGINE": "ray",
        "WIRECHECK_ANALYZE__ENABLED": "false",
        "WIRECHECK_VERIFY__ENABLED": "false",
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "disabled",
    }
    output = Path(f"{db}.ray")  # the default output folder, next to the store
    proc = _run(tmp_path, db, **ray)
    deadline = time.monotonic() + 300
    # Killed once the workers have finished a shard: mid-way through the Ray job.
    while proc.poll() is None and time.monotonic() < deadline:
        if any(output.glob("run-*/shards/*/_DONE")):
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    assert proc.wait() == -signal.SIGKILL, "the run ended before it could be killed"
    if db.exists():
        _whole_batches_only(db)
    final = _run(tmp_path, db, **ray)
    assert final.wait(timeout=600) == 1  # the two bad inputs are reported
    _whole_batches_only(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (
        count,
        count,
    )
    assert con.execute("SELECT count(*) FROM sightings").fetchone() == (count,)
    failures = con.execute("SELECT input, code FROM failures ORDER BY input").fetchall()
    con.close()
    assert [(Path(i).name, c) for i, c in failures] == [
        ("bad.bin", "WC105"),
        ("empty.txt", "WC104"),
    ]
    assert not output.exists()  # scratch output is removed once the store holds everything


# -- PostgreSQL restarted in the middle of an ingest ------------------------------------------------
@pytest.fixture
def restartable(pg_server: pg.PgServer) -> Iterator[pg.PgServer]:
    yield pg_server
    if not pg_server.running():  # the session's server stays up for the tests after this one
        pg_server.start()


def _spine() -> Settings:
    return load_settings(search_user_files=False, environ={}).replace(
        {
            "analyze": {"enabled": False},
            "verify": {"enabled": False},
            "pipeline": {"batch_size": 7, "workers": 1},
        }
    )


def _pg_state(url: str) -> dict[str, object]:
    with psycopg.connect(url) as con:
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM articles"
        ).fetchone()  # type: ignore[misc]
        half = con.execute(WHOLE).fetchone()[0]  # type: ignore[index]
        sightings = con.execute("SELECT count(*) FROM sightings").fetchone()[0]  # type: ignore[index]
        failures = con.execute("SELECT input, code, attempts FROM failures ORDER BY 1").fetchall()
    return {
        "articles": total,
        "distinct": distinct,
        "half_written": half,
        "sightings": sightings,
        "failures": [(Path(i).name, c, a) for i, c, a in failures],
    }


def _cut_during_batch(store: Store, at_batch: int, action: Callable[[], None]) -> list[int]:
    """Run ``action`` (restart or stop the server) inside batch ``at_batch``'s transaction, after
    its articles are written and before its sightings: the transaction is cut in the middle."""
    bulk = store._db.bulk  # the fault is injected at the driver boundary
    seen: list[int] = []

    def bulk_and_cut(table: str, *args: Any, **kw: Any) -> None:
        if table == "sightings":
            seen.append(1)
            if len(seen) == at_batch:
                action()
        bulk(table, *args, **kw)

    store._db.bulk = bulk_and_cut  # type: ignore[method-assign]
    return seen


def test_postgresql_restart_mid_ingest_retries_the_batch_whole(
    restartable: pg.PgServer, pg_url: str, tmp_path: Path
) -> None:
    count = 60
    _write_documents(tmp_path / "docs", count)
    with open_store(pg_url) as store:
        seen = _cut_during_batch(store, 3, restartable.restart)
        summary = analyze([str(tmp_path / "docs")], settings=_spine(), store=store)
    assert len(seen) > 3  # the cut batch was written again, and the ingest went on
    assert summary.new_articles == count
    assert _pg_state(pg_url) == {
        "articles": count,
        "distinct": count,
        "half_written": 0,
        "sightings": count,
        # one attempt each: the batch cut by the restart left no failure row behind
        "failures": [("bad.bin", "WC105", 1), ("empty.txt", "WC104", 1)],
    }


def test_postgresql_down_mid_ingest_is_reported_and_a_rerun_completes(
    restartable: pg.PgServer, pg_url: str, tmp_path: Path
) -> None:
    count = 60
    _write_documents(tmp_path / "docs", count)
    store = open_store(pg_url)
    store.write_reconnect_timeout = 1.0
    store._db.reconnect_timeout = 1.0
    _cut_during_batch(store, 4, lambda: restartable.stop("fast"))
    with pytest.raises(StoreError) as raised:
        analyze([str(tmp_path / "docs")], settings=_spine(), store=store)
    store.close()
    assert "none of it was applied" in raised.value.message and "re-run" in str(raised.value)
    restartable.start()
    partial = _pg_state(pg_url)
    # three whole batches of 7 inputs (bad.bin is the first, empty.txt the last), the fourth
    # not at all
    assert partial["half_written"] == 0 and partial["articles"] == 3 * 7 - 1
    assert partial["failures"] == [("bad.bin", "WC105", 1)]
    with open_store(pg_url) as store:
        again = analyze([str(tmp_path / "docs")], settings=_spine(), store=store)
    assert again.new_articles == count - partial["articles"]
    final = _pg_state(pg_url)
    assert (final["articles"], final["distinct"], final["sightings"]) == (count, count, count)
    assert final["half_written"] == 0
    assert [f[:2] for f in final["failures"]] == [("bad.bin", "WC105"), ("empty.txt", "WC104")]  # type: ignore[attr-defined]
