"""Database sessions for request handlers, and a small cache for corpus-wide aggregates.

Concurrency model (see also serve/ingest.py):

- The server is given one open :class:`~wirecheck.store.Store`. Request handlers run in worker
  threads and never touch it directly: each borrows a *session* (``Store.session()``: a DuckDB
  cursor on the same open database, or a new PostgreSQL connection) from :class:`ReaderPool` for
  the length of one request. DuckDB gives every cursor its own MVCC snapshot, so readers see
  whole committed batches while the ingest thread writes, and never wait for it.
- The pool holds at most ``size`` sessions; a request that cannot get one within ``wait``
  seconds is answered 503 (WC505) rather than queued without bound.
- A session that raised a store error other than "not found"/"bad request" is closed and
  replaced, so a dropped PostgreSQL connection costs one failed request, not a dead reader.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from wirecheck.errors import NotFound, StoreError, UsageError
from wirecheck.serve.errors import ServerBusy
from wirecheck.store import Store

T = TypeVar("T")


class ReaderPool:
    """At most ``size`` store sessions, opened on first need and reused."""

    def __init__(self, store: Store, *, size: int = 4, wait: float = 5.0) -> None:
        if size < 1:
            raise ValueError("a reader pool needs at least one session")
        self._store = store
        self._size = size
        self._wait = wait
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened = 0
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._opened < self._size:
                self._opened += 1
                try:
                    return self._store.session()
                except BaseException:
                    self._opened -= 1
                    raise
        try:
            return self._idle.get(timeout=self._wait)
        except queue.Empty:
            raise ServerBusy(f"no database reader became free within {self._wait:g} s") from None

    def _discard(self, session: Store) -> None:
        with self._lock:
            self._opened -= 1
        with contextlib.suppress(StoreError):  # already broken: that is why it is discarded
            session.close()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A session for this thread until the block ends."""
        session = self._take()
        try:
            yield session
        except (NotFound, UsageError):
            self._idle.put(session)
            raise
        except StoreError:
            self._discard(session)
            raise
        except BaseException:
            self._idle.put(session)
            raise
        else:
            if self._closed:
                self._discard(session)
            else:
                self._idle.put(session)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                session = self._idle.get_nowait()
            except queue.Empty:
                return
            self._discard(session)


class Cache:
    """Corpus-wide aggregates (counts, actor and source tables, places), kept until the data
    changes: :meth:`bump` (called when an ingest job ends) drops everything, and entries older
    than ``ttl`` seconds are recomputed so writers in other processes (PostgreSQL) show up too."""

    def __init__(self, ttl: float = 30.0) -> None:
        self._ttl = ttl
        self._values: dict[str, tuple[float, int, Any]] = {}
        self._generation = 0
        self._lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}

    def bump(self) -> None:
        with self._lock:
            self._generation += 1
            self._values.clear()

    def get(self, key: str, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
            generation = self._generation
        if hit is not None and now - hit[0] < self._ttl and hit[1] == generation:
            value: T = hit[2]
            return value
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        # One computation per key at a time: when an entry expires under load, the other
        # requests wait for it instead of all running the same query at once.
        with computing:
            with self._lock:
                hit = self._values.get(key)
            if hit is not None and time.monotonic() - hit[0] < self._ttl and hit[1] == generation:
                cached: T = hit[2]
                return cached
            return self._compute(key, compute, now, generation)

    def _compute(self, key: str, compute: Callable[[], T], now: float, generation: int) -> T:
        fresh = compute()
        with self._lock:
            if self._generation == generation:
                self._values[key] = (now, generation, fresh)
        return fresh
