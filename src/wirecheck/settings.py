"""Settings: packaged defaults <- user file <- environment <- flags, built once and passed down.

Nothing in wirecheck reads the environment or a config file except :func:`load_settings`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wirecheck.errors import SettingsError

ENV_PREFIX = "WIRECHECK_"


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int = 20_000_000
    max_records: int = 0


@dataclass(frozen=True)
class FetchSettings:
    enabled: bool = False
    allow_private: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = "wirecheck/0.1"
    respect_robots: bool = True


@dataclass(frozen=True)
class CleanSettings:
    html_extractor: str = "auto"
    site_line_min_docs: int = 3
    site_line_min_share: float = 0.5


@dataclass(frozen=True)
class AnalyzeSettings:
    enabled: bool = True
    actor_files: str = ""
    max_chars: int = 100_000


@dataclass(frozen=True)
class DedupSettings:
    num_perm: int = 128
    shingle_words: int = 5
    threshold: float = 0.5


@dataclass(frozen=True)
class StoreSettings:
    db: str = "wirecheck.duckdb"


@dataclass(frozen=True)
class PipelineSettings:
    batch_size: int = 200
    workers: int = 0
    parallel_min_documents: int = 100
    engine: str = "local"
    ray_address: str = ""
    ray_workers: int = 2


@dataclass(frozen=True)
class VerifySettings:
    enabled: bool = True
    story_window_days: int = 14
    source_ratings: str = ""


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    analyze: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, overrides: Mapping[str, Mapping[str, Any]]) -> Settings:
        """A copy with ``{"section": {"key": value}}`` applied and type-checked."""
        return _apply(self, overrides, "overrides")


def _coerce(value: Any, target: type, where: str) -> Any:
    if target is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        }:
            return value.lower() in {"1", "true", "yes", "on"}
    elif target is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value.replace("_", ""))
            except ValueError:
                pass
    elif target is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif target is str and isinstance(value, str):
        return value
    raise SettingsError(f"{where}: expected {target.__name__}, got {value!r}")


def _apply(base: Settings, overrides: Mapping[str, Any], origin: str) -> Settings:
    sections: dict[str, Any] = {}
    for section_name, values in overrides.items():
        if section_name not in {f.name for f in dataclasses.fields(base)}:
            raise SettingsError(f"{origin}: unknown section [{section_name}]")
        if not isinstance(values, Mapping):
            raise SettingsError(f"{origin}: [{section_name}] must be a table")
        section = getattr(base, section_name)
        types = {f.name: f.type for f in dataclasses.fields(section)}
        changes = {}
        for key, value in values.items():
            if key not in types:
                raise SettingsError(f"{origin}: unknown setting {section_name}.{key}")
            target = {"int": int, "float": float, "bool": bool, "str": str}[str(types[key])]
            changes[key] = _coerce(value, target, f"{origin}: {section_name}.{key}")
        sections[section_name] = dataclasses.replace(section, **changes)
    return dataclasses.replace(base, **sections)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc


def _env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        out.setdefault(section, {})[key] = value
    return out


def default_user_files() -> list[Path]:
    """Where a user settings file is looked for when none is named, first match wins."""
    return [Path("wirecheck.toml"), Path.home() / ".config" / "wirecheck" / "config.toml"]


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    search_user_files: bool = True,
) -> Settings:
    """Build the one settings object: packaged defaults <- user file <- environment <- overrides."""
    packaged = resources.files("wirecheck").joinpath("defaults.toml").read_text("utf-8")
    settings = _apply(Settings(), tomllib.loads(packaged), "packaged defaults")
    if config_file is not None:
        settings = _apply(settings, _read_toml(Path(config_file)), str(config_file))
    elif search_user_files:
        for candidate in default_user_files():
            if candidate.is_file():
                settings = _apply(settings, _read_toml(candidate), str(candidate))
                break
    env = _env_overrides(os.environ if environ is None else environ)
    if env:
        settings = _apply(settings, env, "environment")
    if overrides:
        settings = _apply(settings, overrides, "flags")
    return settings
