"""Shared fixtures. Tests never read ../shared: every input is written here or under fixtures/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import pg
from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store, open_store


@pytest.fixture
def settings() -> Settings:
    """Packaged defaults only: no user file, no environment."""
    return load_settings(search_user_files=False, environ={})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "test.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.PgServer]:
    """A throwaway PostgreSQL 15 server for the whole session (see tests/pg.py)."""
    if pg.find_tool("initdb") is None or pg.find_tool("pg_ctl") is None:
        skip_or_fail("PostgreSQL's initdb/pg_ctl are not installed (looked in PATH and "
                    + ", ".join(pg.SEARCH_DIRS) + ")")  # fmt: skip
    server = pg.start_server()
    try:
        yield server
    finally:
        pg.stop_server(server)


@pytest.fixture
def pg_url(pg_server: pg.PgServer) -> str:
    """The URL of a fresh, empty PostgreSQL database."""
    return pg_server.new_database()


@pytest.fixture(params=["duckdb", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh store lives, once per backend: a DuckDB path or a PostgreSQL URL."""
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def any_store(store_url: str) -> Iterator[Store]:
    """A fresh store on each backend (the store tests run against both)."""
    with open_store(store_url) as s:
        yield s


def skip_or_fail(reason: str) -> None:
    """Skip a test whose system component is missing, unless the test script installed the
    components and asked for them to be required (then a missing one is a failure)."""
    if os.environ.get("WIRECHECK_REQUIRE_SYSTEM") == "1":
        pytest.fail(f"required system component missing: {reason}")
    pytest.skip(reason)
