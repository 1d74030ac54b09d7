"""`wirecheck train ...`: rebuild the learned artifacts wirecheck ships, from a data path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wirecheck.cli._app import STATE, app, err, out
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


def _need(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"no such data path: {path}")
    return path


OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Where to write the model (default: the packaged artifact)."),
]


@train_app.command("checkworthy")
def train_checkworthy_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="The credibility data folder holding claimbuster_cfs_ncs and "
            "clef2019_checkthat_task1_debates, e.g. ../shared/data/credibility."
        ),
    ],
    out_dir: OutOption = None,
) -> None:
    """Train the check-worthiness model on ClaimBuster and the CLEF-2019 training debates."""
    from wirecheck.analyze.checkworthy import DEFAULT_DIR, train_checkworthy

    clef = data / "clef2019_checkthat_task1_debates"
    figures = train_checkworthy(
        _need(data / "claimbuster_cfs_ncs"),
        clef if clef.exists() else None,
        out_dir or DEFAULT_DIR,
    )
    out.print_json(json.dumps(figures))
    err.print(f"wrote the check-worthiness model to {out_dir or DEFAULT_DIR}")


@train_app.command("stance")
def train_stance_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="The credibility data folder holding emergent_ferreira_vlachos_2016, "
            "e.g. ../shared/data/credibility."
        ),
    ],
    out_dir: OutOption = None,
) -> None:
    """Train the claim-stance classifier on Emergent (claim-grouped folds for its figures)."""
    from wirecheck.verify.stance import DATA_DIR as DEFAULT_DIR
    from wirecheck.verify.stance import train_stance

    figures = train_stance(_need(data / "emergent_ferreira_vlachos_2016"), out_dir or DEFAULT_DIR)
    out.print_json(json.dumps(figures))
    err.print(f"wrote the stance model to {out_dir or DEFAULT_DIR}")


@train_app.command("credibility")
def train_credibility_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="The credibility data folder (perez_rosas_2018_fakenewsamt, buzzfeed_webis_2016, "
            "horne2017_fakenewsdata1, fakenewsnet_v1_buzzfeed_politifact, ...), e.g. "
            "../shared/data/credibility."
        ),
    ],
    out_dir: OutOption = None,
) -> None:
    """Train the credibility model (learned signal weights and word profile)."""
    from wirecheck.cli._enrich import enrich_for_training
    from wirecheck.verify.credibility import DEFAULT_DIR, train_credibility

    settings = STATE.settings()
    figures = train_credibility(
        _need(data),
        out_dir or DEFAULT_DIR,
        enrich=enrich_for_training(settings),
        progress=lambda message: err.print(message, markup=False, highlight=False),
    )
    out.print_json(json.dumps(figures))
    err.print(f"wrote the credibility model to {out_dir or DEFAULT_DIR}")
