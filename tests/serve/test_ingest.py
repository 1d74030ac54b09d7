"""Ingest while serving: a live server with a token takes an upload, runs the pipeline on its
background thread, and keeps answering reads the whole time; readers see each committed batch."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from serve.servekit import (
    TOKEN,
    BuiltStore,
    LiveServer,
    copy_store,
    serve_settings,
    start_server,
    stop_server,
)
from wirecheck.pipeline import analyze
from wirecheck.store import Store, open_store

NEW_ARTICLES = 24
BATCH = 4  # small batches so that readers can see the job progress


def batched_ingest(writer: Store, inputs: Sequence[str]) -> Mapping[str, Any]:
    settings = serve_settings().replace({"pipeline": {"batch_size": BATCH}})
    return analyze(list(inputs), settings=settings, store=writer).to_dict()


def new_records() -> bytes:
    places = ("Vilnius", "Riga", "Tallinn", "Warsaw", "Helsinki", "Gdańsk")
    lines = []
    for i in range(NEW_ARTICLES):
        place = places[i % len(places)]
        lines.append(
            json.dumps(
                {
                    "title": f"Coast guard patrol {i} reported near {place}",
                    "maintext": (
                        f"{place.upper()}, Oct {10 + i % 18} - A coast guard vessel numbered {i} "
                        f"reported {i + 3} unidentified boats near {place} on Monday, officials "
                        f"said. Poland's navy said it had sent {i % 5 + 1} ships to the area "
                        f"and that Russia had been informed. Report number {i * 7919}."
                    ),
                    "url": f"https://coastwatch.example/patrol-{i}",
                    "date_publish": f"2026-10-{10 + i % 18:02d} 08:00:00",
                    "source_domain": "coastwatch.example",
                },
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def writable_server(built_store: BuiltStore, tmp_path: Path) -> Iterator[LiveServer]:
    path = copy_store(built_store, tmp_path / "ingest.duckdb")
    store = open_store(path)
    live, server, thread = start_server(store, token=TOKEN, ingest=batched_ingest)
    yield live
    stop_server(server, thread)
    store.close()


def test_ingest_while_serving(writable_server: LiveServer) -> None:
    base = writable_server.url
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = httpx.get(f"{base}/api/stats").json()["counts"]["articles"]
    reads: list[tuple[str, int, float, int | None]] = []
    stop = threading.Event()

    def reader() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                for path in ("/api/articles?limit=200", "/api/events?limit=20", "/"):
                    started = time.perf_counter()
                    response = client.get(path)
                    seen = len(response.json()["items"]) if path.startswith("/api/art") else None
                    reads.append((path, response.status_code, time.perf_counter() - started, seen))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        response = httpx.post(
            f"{base}/ingest",
            headers=auth,
            files={"files": ("patrols.jsonl", new_records(), "application/x-ndjson")},
            data={"site": "coastwatch"},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["status"] in {"queued", "running"}
        deadline = time.monotonic() + 240
        while job["status"] in {"queued", "running"}:
            assert time.monotonic() < deadline, "the ingest job did not finish"
            time.sleep(0.2)
            job = httpx.get(f"{base}/ingest/{job['id']}", headers=auth).json()
    finally:
        stop.set()
        thread.join()
    assert job["status"] == "done", job
    assert job["summary"]["new_articles"] == NEW_ARTICLES
    assert all(status == 200 for _, status, _, _ in reads), reads
    # Reads went on during the job and were never held up by the writer for long.
    assert len(reads) >= 10
    slowest = max(seconds for _, _, seconds, _ in reads)
    assert slowest < 5.0, f"a read waited {slowest:.1f} s"
    # Readers saw the batches land one by one, never a partial batch, never going back.
    seen = [n for path, _, _, n in reads if n is not None]
    assert seen == sorted(seen)
    assert all((n - before) % BATCH == 0 or n == before + NEW_ARTICLES for n in seen)
    after = httpx.get(f"{base}/api/stats").json()["counts"]["articles"]
    assert after == before + NEW_ARTICLES  # the count cache was dropped when the job ended
    hits = httpx.get(f"{base}/api/search", params={"q": "coast guard patrol"}).json()["items"]
    assert hits and all(h["title"].startswith("Coast guard patrol") for h in hits)


def test_url_ingest_refuses_private_addresses(writable_server: LiveServer) -> None:
    """The server fetches only public addresses: a loopback URL fails as WC202, logged."""
    base = writable_server.url
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = httpx.post(f"{base}/ingest", headers=auth, data={"urls": f"{base}/api/stats"})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    deadline = time.monotonic() + 60
    while (job := httpx.get(f"{base}/ingest/{job_id}", headers=auth).json())["status"] in {
        "queued",
        "running",
    }:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "done" and job["summary"]["failures"] == 1
    jobs = httpx.get(f"{base}/ingest", headers=auth).json()
    assert next(j["id"] for j in jobs) == job_id
