"""The Ray engine: the same store as the local engine, and a killed worker loses nothing.

One local Ray instance (2 CPUs, no dashboard, no usage report, bound to 127.0.0.1) is started
for the module and shut down after it.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")

import ray
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from helpers import DEMO_CORPUS, write_corpus
from wirecheck.errors import WirecheckError
from wirecheck.pipeline import RunSummary, analyze, ray_engine
from wirecheck.pipeline._shards import (
    ShardItem,
    decode_rows,
    encode_row,
    list_inputs,
    plan_shards,
)
from wirecheck.settings import Settings
from wirecheck.store import open_store

# Starting Ray's workers (a Python process each, importing every stage) takes minutes on a loaded
# 2-CPU machine: the suite's 300 s per test is too tight there.
pytestmark = pytest.mark.timeout(600)

# Columns that hold the wall-clock time of a run, not a result.
VOLATILE = {"ingested_at", "first_seen", "last_seen", "applied_at"}


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        object_store_memory=200 << 20,
        _node_ip_address="127.0.0.1",
    )
    try:
        yield
    finally:
        ray.shutdown()


def dump(db: Path, *, drop: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Every table's rows, sorted, without the run-time columns (and ``drop``)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_name <> 'schema_migrations' ORDER BY 1"
            ).fetchall()
        ]
        out: dict[str, list[str]] = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if r[0] not in VOLATILE | drop
            ]
            rows = con.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall()
            out[table] = sorted(repr(r) for r in rows)
        return out
    finally:
        con.close()


def run(
    inputs: list[str], db: Path, settings: Settings, engine: str, **pipeline: Any
) -> RunSummary:
    settings = settings.replace({"pipeline": {"engine": engine, **pipeline}})
    with open_store(db) as store:
        return analyze(inputs, settings=settings, store=store, ray_output=None)


def _warc(pages: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body.encode()), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


def write_extra(root: Path) -> None:
    """Inputs of every kind, failures included: the helpers' corpus (text, HTML, JSONL with a
    bad line, binary, empty), a WARC.gz and a truncated gzip."""
    write_corpus(root)
    paragraphs = [
        "The port authority of Gdansk approved a plan for a new ferry terminal on Monday, "
        "officials said, after two years of talks with the city council.",
        "The terminal will cost 40 million euros and open in 2028, according to a statement.",
    ]
    pages = [
        (
            f"https://ledger{i}.example/ferry",
            f"<html><head><title>Ferry terminal {i}</title></head><body><article>"
            f"<h1>Ferry terminal {i}</h1>{''.join(f'<p>{p}</p>' for p in paragraphs)}"
            "</article></body></html>",
        )
        for i in range(3)
    ]
    blob = _warc(pages)
    (root / "crawl.warc.gz").write_bytes(blob)
    (root / "cut.warc.gz").write_bytes(blob[: len(blob) - 100])  # inside the last record


def test_ray_engine_gives_the_same_store_as_the_local_engine(
    ray_cluster: None, tmp_path: Path, settings: Settings
) -> None:
    write_extra(tmp_path / "extra")
    inputs = [str(DEMO_CORPUS), str(tmp_path / "extra")]
    local = run(inputs, tmp_path / "local.duckdb", settings, "local")
    remote = run(inputs, tmp_path / "ray.duckdb", settings, "ray")
    assert remote.engine == "ray"
    for key in ("documents", "new_articles", "already_stored"):
        assert getattr(remote, key) == getattr(local, key), key
    assert sorted(f.__dict__.items() for f in remote.failures) == sorted(
        f.__dict__.items() for f in local.failures
    )
    assert local.new_articles >= 25 and len(local.failures) >= 4
    expected, got = dump(tmp_path / "local.duckdb"), dump(tmp_path / "ray.duckdb")
    assert sorted(got) == sorted(expected)
    for table in ("articles", "mentions", "events", "sightings", "failures", "dedup_signatures"):
        assert expected[table], f"{table} is empty: the comparison would prove nothing"
    for table in expected:
        assert got[table] == expected[table], table
    # the default output folder next to the store is scratch space, removed after the run
    assert not Path(str(tmp_path / "ray.duckdb") + ".ray").exists()


def _spine(settings: Settings) -> Settings:
    return settings.replace({"analyze": {"enabled": False}, "verify": {"enabled": False}})


def write_documents(root: Path, count: int) -> None:
    root.mkdir(parents=True)
    for i in range(count):
        place = ["Klaipeda", "Gdansk", "Riga", "Tallinn", "Turku"][i % 5]
        (root / f"doc{i:05d}.txt").write_text(
            f"Headline {i}: {place} council approves plan {i}\n"
            f"{place.upper()}, Oct {1 + i % 28} - The council of {place} approved plan number {i} "
            f"on Monday, officials said, after {i * 7 % 97} days of talks.\n"
            f"The decision covers {i % 13 + 2} projects and {i * 3} jobs, according to a "
            "statement issued late in the evening, and takes effect next month.\n"
        )
    (root / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)


def _busy_shard_workers() -> list[int]:
    """Shard workers running a task now (Ray titles the process ``ray::ACTOR.submit``)."""
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [
        int(line.split()[0])
        for line in out.splitlines()
        if "ray::MapWorker(MapBatches(ShardWorker)).submit" in line
    ]


def _run_and_kill(
    settings: Settings, inputs: list[str], db: Path, output: Path
) -> tuple[RunSummary | None, BaseException | None, int]:
    """Run the Ray engine in a thread; kill -9 one shard worker once a shard is done."""
    result: dict[str, Any] = {}

    def job() -> None:
        try:
            with open_store(db) as store:
                result["summary"] = analyze(
                    inputs, settings=settings, store=store, ray_output=str(output)
                )
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=job)
    thread.start()
    killed = 0
    deadline = time.monotonic() + 240
    while thread.is_alive() and not killed and time.monotonic() < deadline:
        if any(output.glob("run-*/shards/*/_DONE")):
            workers = _busy_shard_workers()
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed += 1
        time.sleep(0.05)
    thread.join(600)
    return result.get("summary"), result.get("error"), killed


def _check_whole(db: Path, count: int) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (
            count,
            count,
        )
        assert con.execute("SELECT count(*) FROM sightings").fetchone() == (count,)
        orphans = con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN dedup_signatures s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL OR a.syndication_group IS NULL"
        ).fetchone()
        assert orphans == (0,)
        failures = con.execute("SELECT input, code FROM failures").fetchall()
        assert [(Path(i).name, c) for i, c in failures] == [("bad.bin", "WC105")]
    finally:
        con.close()


def test_a_killed_worker_is_restarted_and_the_job_finishes(
    ray_cluster: None, tmp_path: Path, settings: Settings
) -> None:
    count = 240
    write_documents(tmp_path / "docs", count)
    settings = _spine(settings).replace({"pipeline": {"engine": "ray", "batch_size": 7}})
    db = tmp_path / "w.duckdb"
    summary, error, killed = _run_and_kill(settings, [str(tmp_path / "docs")], db, tmp_path / "out")
    assert killed == 1, "no worker was killed mid-run"
    assert error is None, error
    assert summary is not None and summary.new_articles == count
    _check_whole(db, count)


def test_a_job_that_fails_raises_a_coded_error_and_a_rerun_completes_it(
    ray_cluster: None,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    count = 240
    write_documents(tmp_path / "docs", count)
    settings = _spine(settings).replace({"pipeline": {"engine": "ray", "batch_size": 7}})
    db = tmp_path / "w.duckdb"
    monkeypatch.setattr(ray_engine, "_RETRIES", 0)  # no restart: the kill fails the job
    summary, error, killed = _run_and_kill(settings, [str(tmp_path / "docs")], db, tmp_path / "out")
    assert killed == 1
    assert summary is None
    assert isinstance(error, WirecheckError) and error.code == "WC500", error
    assert "re-run" in str(error)
    monkeypatch.setattr(ray_engine, "_RETRIES", 3)
    with (
        caplog.at_level(logging.INFO, logger="wirecheck.pipeline.ray_engine"),
        open_store(db) as store,
    ):
        again = analyze(
            [str(tmp_path / "docs")],
            settings=settings,
            store=store,
            ray_output=str(tmp_path / "out"),
        )
    _check_whole(db, count)
    assert again.new_articles + again.already_stored == count
    # shards finished before the failure were not computed again
    planned = [r.getMessage() for r in caplog.records if "shards," in r.getMessage()]
    assert planned, caplog.records
    shards, todo = (int(w) for w in planned[-1].split(":")[1].split()[0:3:2])
    assert todo < shards


def test_fsspec_urls_and_reruns(ray_cluster: None, tmp_path: Path, settings: Settings) -> None:
    write_extra(tmp_path / "extra")
    settings = _spine(settings)
    local = run([str(tmp_path / "extra")], tmp_path / "local.duckdb", settings, "local")
    url = (tmp_path / "extra").as_uri()  # file:///...: read through fsspec, like s3://
    first = run([url], tmp_path / "ray.duckdb", settings, "ray")
    assert first.new_articles == local.new_articles > 0
    assert len(first.failures) == len(local.failures) > 0
    assert all(f.input.startswith("file://") for f in first.failures)
    # the same articles; only the locators differ (file:// URLs instead of paths)
    drop = frozenset({"input"})
    expected, got = (
        dump(tmp_path / "local.duckdb", drop=drop),
        dump(tmp_path / "ray.duckdb", drop=drop),
    )
    for table in ("articles", "dedup_signatures"):
        assert got[table] == expected[table], table
    counters = frozenset({"attempts"})  # a failure seen again counts one more attempt
    before = dump(tmp_path / "ray.duckdb", drop=counters)
    again = run([url], tmp_path / "ray.duckdb", settings, "ray")
    assert again.new_articles == 0 and again.already_stored == first.documents
    assert dump(tmp_path / "ray.duckdb", drop=counters) == before


# -- no Ray needed ------------------------------------------------------------------------------
def test_shards_keep_the_walk_order_and_group_small_files(tmp_path: Path) -> None:
    write_documents(tmp_path / "docs", 30)
    (tmp_path / "docs" / "README.md").write_text("about this corpus")
    (tmp_path / "docs" / ".hidden.txt").write_text("skipped")
    items = list(list_inputs([str(tmp_path / "docs"), str(tmp_path / "missing")]))
    names = [Path(i.locator).name for i in items]
    assert names == ["bad.bin", *(f"doc{i:05d}.txt" for i in range(30)), "missing"]
    assert items[-1].kind == "error" and items[-1].code == "WC101"
    shards = plan_shards(items, workers=2)
    assert [i for s in shards for i in s] == items
    assert len(shards) == 8  # 32 items, 4 shards per worker
    assert plan_shards(items[:3], workers=2) == [[items[0]], [items[1]], [items[2]]]
    assert ShardItem.from_list(items[0].to_list()) == items[0]


def test_output_rows_round_trip(settings: Settings) -> None:
    import pyarrow as pa

    from wirecheck.models import Document, DocumentKind, Failure
    from wirecheck.pipeline import clean_and_sign
    from wirecheck.pipeline._common import Processed
    from wirecheck.pipeline._shards import SCHEMA

    body = "RIGA, Oct 3 - The council of Riga approved a new budget on Monday, officials said."
    doc = Document("a" * 16, "in.txt", DocumentKind.TEXT, f"Budget\n{body}\n".encode())
    spine = _spine(settings)
    article, member = clean_and_sign((doc, frozenset()), settings=spine, ingested_at="2026-11-22")
    bad = Failure("x.bin", "ingest", "WC105", "[WC105] binary")
    failed = Failure("in.txt", "clean", "WC301", "[WC301] no text")
    rows = [
        encode_row(0, bad, None, None),
        encode_row(1, doc, article, member),
        encode_row(2, doc, failed, None),
        encode_row(3, doc, None, None),
    ]
    table = pa.Table.from_pylist(list(reversed(rows)), schema=SCHEMA)
    assert list(decode_rows(table)) == [
        bad,
        Processed(doc.id, "in.txt", article, member),
        Processed(doc.id, "in.txt", failed),
        Processed(doc.id, "in.txt", None),
    ]
    assert json.loads(rows[1]["article"])["body"] == body
