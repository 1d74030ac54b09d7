"""Fixtures for the server tests: a store built by the pipeline from a small corpus (part of the
demo corpus plus an article whose title is a script tag), and a live uvicorn server over it.

The store is built once per test session (the analyze stage loads spaCy) into a DuckDB file that
tests open read-only; tests that write (ingest) work on their own copy.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from serve.servekit import (
    BuiltStore,
    LiveServer,
    add_stand_in_verification,
    serve_settings,
    start_server,
    stop_server,
    write_serve_corpus,
)
from wirecheck.pipeline import analyze
from wirecheck.store import Store, open_store


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> BuiltStore:
    root = tmp_path_factory.mktemp("serve")
    corpus = write_serve_corpus(root / "corpus")
    path = root / "serve.duckdb"
    with open_store(path) as store:
        analyze([str(corpus)], settings=serve_settings(), store=store)
        add_stand_in_verification(store)
    return BuiltStore(path, corpus)


@pytest.fixture(scope="session")
def read_store(built_store: BuiltStore) -> Iterator[Store]:
    store = open_store(built_store.path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def live_server(read_store: Store) -> Iterator[LiveServer]:
    """A read-only server over the built store, on a free loopback port."""
    live, server, thread = start_server(read_store)
    yield live
    stop_server(server, thread)
