"""`wirecheck serve` (the dashboard and JSON API) and `wirecheck report` (one HTML file)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from wirecheck.cli._app import DbOption, _open, app, err, out
from wirecheck.settings import Settings
from wirecheck.store import Store


def _ingest_with(settings: Settings) -> Any:
    """The ingest job the server runs on its writer thread: the whole pipeline, as `analyze`."""
    from wirecheck import pipeline

    def ingest(writer: Store, inputs: Sequence[str]) -> Mapping[str, Any]:
        return pipeline.analyze(list(inputs), settings=settings, store=writer).to_dict()

    return ingest


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="WIRECHECK_TOKEN",
            help="Enable POST /ingest for callers sending this bearer token (read-only without).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No access log.")] = False,
) -> None:
    """Serve the dashboard (HTML pages) and the JSON API (/api/..., schema at /openapi.json)."""
    from wirecheck.serve import ServeLimits, run_server

    # Without a token nothing writes, so the store is opened read-only and another process may
    # keep analysing into PostgreSQL meanwhile (DuckDB allows one writing process).
    settings, store = _open(db, read_only=token is None)
    with store:
        err.print(f"serving {store.location} on http://{host}:{port}/ (Ctrl-C stops)")
        run_server(
            store,
            host=host,
            port=port,
            token=token,
            ingest=_ingest_with(settings) if token else None,
            limits=ServeLimits(max_upload_bytes=settings.ingest.max_bytes),
            access_log=not quiet,
        )


@app.command()
def report(
    out_path: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    db: DbOption = None,
    title: Annotated[str, typer.Option(help="The report's title.")] = "wirecheck report",
) -> None:
    """Write one self-contained HTML report that works offline.

    Overview, stories with their independent sources, each article with its claims and signals,
    actor network, event timeline and map.
    """
    from wirecheck.report.html import write_report

    _, store = _open(db, read_only=True)
    with store:
        write_report(store, out_path, title=title)
    out.print(f"wrote {out_path.resolve()} ({os.path.getsize(out_path) / 1e6:.1f} MB)")
