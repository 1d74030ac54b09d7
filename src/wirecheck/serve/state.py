"""What the request handlers share: the reader pool, the aggregate cache, the ingest runner and
the limits, kept on ``app.state.wirecheck``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from wirecheck.serve.digest import DigestKeeper
from wirecheck.serve.ingest import IngestRunner
from wirecheck.serve.readers import Cache, ReaderPool
from wirecheck.store import ActorCount, PlaceRow, SourceRow, Store


@dataclass(frozen=True)
class ServeLimits:
    """Request limits. Sizes in bytes, times in seconds."""

    max_body_bytes: int = 1_000_000  # any request body except an ingest upload
    max_upload_bytes: int = 20_000_000  # one POST /ingest body (default: ingest.max_bytes)
    max_upload_files: int = 50
    max_urls: int = 100
    request_timeout: float = 15.0  # after this a request is answered 504 (WC504)
    readers: int = 4  # database sessions for request threads
    reader_wait: float = 5.0  # wait this long for a free session, then answer 503 (WC505)
    cache_ttl: float = 30.0  # aggregates (counts, actor/source tables) are recomputed after this


@dataclass
class ServeState:
    store: Store
    pool: ReaderPool
    cache: Cache
    limits: ServeLimits
    token: str | None
    runner: IngestRunner | None
    digest: DigestKeeper

    @property
    def read_only(self) -> bool:
        return self.runner is None

    # Corpus-wide tables, cached (see readers.Cache).
    def counts(self) -> dict[str, int]:
        def compute() -> dict[str, int]:
            with self.pool.reader() as store:
                return store.counts()

        return self.cache.get("counts", compute)

    def actors(self) -> list[ActorCount]:
        def compute() -> list[ActorCount]:
            with self.pool.reader() as store:
                return store.actor_counts()

        return self.cache.get("actors", compute)

    def actor_index(self) -> dict[str, ActorCount]:
        return self.cache.get("actor_index", lambda: {a.id: a for a in self.actors()})

    def sources(self) -> list[SourceRow]:
        def compute() -> list[SourceRow]:
            with self.pool.reader() as store:
                return store.sources()

        return self.cache.get("sources", compute)

    def places(self) -> dict[str, PlaceRow]:
        def compute() -> dict[str, PlaceRow]:
            with self.pool.reader() as store:
                return store.places()

        return self.cache.get("places", compute)

    def cached(self, key: str, compute: Any) -> Any:
        return self.cache.get(key, compute)


def get_state(request: Request) -> ServeState:
    state: ServeState = request.app.state.wirecheck
    return state
