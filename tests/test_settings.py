from __future__ import annotations

from pathlib import Path

import pytest

from wirecheck.errors import SettingsError
from wirecheck.settings import load_settings


def test_layers_apply_in_order(tmp_path: Path) -> None:
    user = tmp_path / "wc.toml"
    user.write_text("[fetch]\nread_timeout = 3.5\nmax_bytes = 1000\n[store]\ndb = 'a.duckdb'\n")
    settings = load_settings(
        user,
        environ={"WIRECHECK_FETCH__MAX_BYTES": "2_000", "WIRECHECK_FETCH__ALLOW_PRIVATE": "yes"},
        overrides={"store": {"db": "flag.duckdb"}},
    )
    assert settings.fetch.read_timeout == 3.5  # file over default
    assert settings.fetch.max_bytes == 2000  # env over file
    assert settings.fetch.allow_private is True
    assert settings.store.db == "flag.duckdb"  # flag over file
    assert settings.dedup.threshold == 0.5  # packaged default


def test_packaged_defaults_match_dataclass_types() -> None:
    settings = load_settings(search_user_files=False, environ={})
    assert settings.ingest.max_bytes == 20_000_000
    assert isinstance(settings.fetch.connect_timeout, float)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[nosuch]\na = 1\n", "unknown section"),
        ("[fetch]\nnosuch = 1\n", "unknown setting fetch.nosuch"),
        ("[fetch]\nmax_bytes = 'many'\n", "expected int"),
        ("[fetch\n", "not valid TOML"),
    ],
)
def test_bad_settings_file_is_a_settings_error(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=fragment) as info:
        load_settings(path, environ={})
    assert info.value.code == "WC002"


def test_bad_environment_value() -> None:
    with pytest.raises(SettingsError, match=r"dedup\.threshold"):
        load_settings(search_user_files=False, environ={"WIRECHECK_DEDUP__THRESHOLD": "high"})


def test_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "absent.toml", environ={})
