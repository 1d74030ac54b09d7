"""`wirecheck analyze` (and its alias `ingest`): the main job."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wirecheck import pipeline
from wirecheck.cli._app import (
    EXIT_INPUT_FAILURES,
    STATE,
    DbOption,
    JsonOption,
    _open,
    app,
    err,
    out,
)


def _run(
    inputs: list[str],
    db: str | None,
    as_json: bool,
    fetch: bool | None,
    allow_private: bool | None,
    engine: RunEngine,
) -> None:
    pipe = STATE.overrides.setdefault("pipeline", {})
    if engine.engine is not None:
        pipe["engine"] = engine.engine
    if engine.ray_address is not None:
        pipe["ray_address"] = engine.ray_address
    if engine.ray_workers is not None:
        pipe["ray_workers"] = engine.ray_workers
    if fetch is not None:
        STATE.overrides.setdefault("fetch", {})["enabled"] = fetch
    if allow_private is not None:
        STATE.overrides.setdefault("fetch", {})["allow_private"] = allow_private
    settings, store = _open(db)
    with (
        store,
        Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("reading inputs", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total, description="cleaning and storing")

        summary = pipeline.analyze(
            inputs,
            settings=settings,
            store=store,
            progress=progress,
            ray_output=engine.ray_output,
        )
        if engine.report is not None:
            from wirecheck.report.html import write_report

            write_report(store, engine.report)
    if as_json:
        out.print_json(json.dumps(summary.to_dict()))
    else:
        table = Table(title="wirecheck run", show_header=False)
        table.add_row("documents read", str(summary.documents))
        table.add_row("new articles", str(summary.new_articles))
        table.add_row("already in the store", str(summary.already_stored))
        table.add_row("failed inputs (this run)", str(len(summary.failures)))
        for key, value in summary.totals.items():
            table.add_row(f"store: {key.replace('_', ' ')}", str(value))
        table.add_row("seconds", f"{summary.seconds:.2f}")
        out.print(table)
        for failure in summary.failures[:20]:
            err.print(
                f"[red]failed[/red] {failure.input}: {failure.message}",
                markup=True,
                highlight=False,
            )
        if len(summary.failures) > 20:
            err.print(f"... and {len(summary.failures) - 20} more: `wirecheck failures`")
        out.print(f"wrote {Path(summary.db).resolve() if '://' not in summary.db else summary.db}")
        if engine.report is not None:
            out.print(f"wrote {engine.report.resolve()}")
    if summary.failures:
        raise typer.Exit(EXIT_INPUT_FAILURES)


@dataclass(frozen=True)
class RunEngine:
    """Where the per-document stages run and what is written besides the store."""

    engine: str | None = None
    ray_address: str | None = None
    ray_workers: int | None = None
    ray_output: str | None = None
    report: Path | None = None


InputsArg = Annotated[
    list[str],
    typer.Argument(metavar="PATH_OR_URL", help="Files, directories (recursive) or URLs."),
]
FetchOption = Annotated[
    bool | None, typer.Option("--fetch/--no-fetch", help="Fetch the links of feed items.")
]
PrivateOption = Annotated[
    bool | None,
    typer.Option(
        "--allow-private/--no-allow-private", help="Allow fetching private/loopback addresses."
    ),
]


@app.command()
def analyze(
    inputs: InputsArg,
    db: DbOption = None,
    as_json: JsonOption = False,
    fetch: FetchOption = None,
    allow_private: PrivateOption = None,
    engine: Annotated[
        str | None,
        typer.Option(help="local (this machine's processes) or ray (Ray Data over shards)."),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join, e.g. ray://head:10001 or auto (default: start one)."
        ),
    ] = None,
    ray_workers: Annotated[
        int | None, typer.Option(min=1, help="Ray actors running the per-document stages.")
    ] = None,
    ray_output: Annotated[
        str | None,
        typer.Option(
            help="Folder or fsspec URL every Ray worker can write Parquet to "
            "(default: next to the store, removed after a successful run)."
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write the self-contained HTML report here.")
    ] = None,
) -> None:
    """Run the whole pipeline over INPUTS and store the results (the main job)."""
    _run(
        inputs,
        db,
        as_json,
        fetch,
        allow_private,
        RunEngine(engine, ray_address, ray_workers, ray_output, report),
    )


# Today the spine (ingest, clean, deduplicate, store) and the analysis run together; `ingest`
# is kept as its own name so scripts written for the spine keep working as stages are added.
app.command(
    "ingest", help="Ingest, clean, deduplicate and analyze INPUTS into the store (as analyze)."
)(analyze)


@app.command()
def optimize(db: DbOption = None) -> None:
    """Reorganise the store for fast reads after a large ingest (run before serving).

    DuckDB: rewrites the search index and the verification tables in key order; PostgreSQL:
    refreshes the planner's statistics. Safe at any time; rows written later are still found.
    """
    _, store = _open(db)
    with store:
        store.optimize()
    out.print(f"optimized {store.location}")
