"""The aggregate cache: one computation per key at a time, and bump() drops entries."""

from __future__ import annotations

import threading
import time

from wirecheck.serve.readers import Cache


def test_concurrent_misses_compute_once() -> None:
    cache = Cache(ttl=60)
    calls: list[int] = []
    start = threading.Barrier(8)

    def compute() -> list[str]:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive while it runs
        return ["a", "b"]

    results: list[list[str]] = []

    def worker() -> None:
        start.wait()
        results.append(cache.get("order", compute))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [["a", "b"]] * 8
    assert len(calls) == 1


def test_bump_and_expiry_recompute() -> None:
    cache = Cache(ttl=0.05)
    values = iter(range(10))
    assert cache.get("k", lambda: next(values)) == 0
    assert cache.get("k", lambda: next(values)) == 0
    cache.bump()
    assert cache.get("k", lambda: next(values)) == 1
    time.sleep(0.06)
    assert cache.get("k", lambda: next(values)) == 2
