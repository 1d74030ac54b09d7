"""The Typer app, the settings state and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store, open_store

EXIT_OK, EXIT_INPUT_FAILURES, EXIT_USAGE, EXIT_FATAL = 0, 1, 2, 3

app = typer.Typer(
    name="wirecheck",
    help="Read news like a careful analyst: clean and deduplicate articles, code who did what "
    "to whom, attribute claims, find independent sources and assess credibility. Runs offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)


class _State:
    def __init__(self) -> None:
        self.config: Path | None = None
        self.db: str | None = None
        self.overrides: dict[str, dict[str, Any]] = {}

    def settings(self) -> Settings:
        overrides = {k: dict(v) for k, v in self.overrides.items()}
        if self.db:
            overrides.setdefault("store", {})["db"] = self.db
        return load_settings(self.config, overrides=overrides)


STATE = _State()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The store: a DuckDB file, or postgresql://USER@HOST:PORT/DB "
        "(default: the store.db setting, ./wirecheck.duckdb).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (one record per line).")]


@app.callback()
def _main(
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Settings file (TOML) to read over the defaults."),
    ] = None,
    db: DbOption = None,
) -> None:
    STATE.config = config
    STATE.db = db


def _open(db: str | None, *, read_only: bool = False) -> tuple[Settings, Store]:
    if db:
        STATE.db = db
    settings = STATE.settings()
    return settings, open_store(settings.store.db, read_only=read_only)
