"""Shared fixtures. Tests never read ../shared: every input is written here or under fixtures/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
