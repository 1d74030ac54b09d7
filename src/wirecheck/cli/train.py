"""`wirecheck train ...`: rebuild the learned artifacts wirecheck ships, from a data path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wirecheck.cli._app import app, err, out
from wirecheck.errors import UsageError

train_app = typer.Typer(
    help="Rebuild the learned artifacts wirecheck ships, from a data path.", no_args_is_help=True
)
app.add_typer(train_app, name="train")


@train_app.command("events")
def train_events(
    data: Annotated[
        Path,
        typer.Argument(
            help="The PLV event-coding folder (gold.jsonl with train/test splits), e.g. "
            "../shared/data/events/plv_event_coding."
        ),
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the model (default: the packaged artifact)."),
    ] = None,
) -> None:
    """Train the sentence-level event-type classifier on the train split only."""
    from wirecheck.analyze.eventtrain import train
    from wirecheck.analyze.eventtype import DEFAULT_DIR

    if not data.exists():
        raise UsageError(f"no such data path: {data}")
    figures = train(data, out_dir or DEFAULT_DIR)
    out.print_json(json.dumps(figures))
    err.print(f"wrote the event-type model to {out_dir or DEFAULT_DIR}")
