"""The `wirecheck` command line. The only place where a WirecheckError becomes an exit code.

Exit codes: 0 all good; 1 some inputs failed (the rest went in; see `wirecheck failures`);
2 usage or settings error; 3 the run could not proceed (store or internal error).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wirecheck import pipeline
from wirecheck.errors import SettingsError, UsageError, WirecheckError
from wirecheck.report import exports
from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store, open_store

EXIT_OK, EXIT_INPUT_FAILURES, EXIT_USAGE, EXIT_FATAL = 0, 1, 2, 3

app = typer.Typer(
    name="wirecheck",
    help="Read news like a careful analyst: clean, deduplicate and store articles (and, as "
    "stages land, code events, attribute claims and assess credibility). Runs offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


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
        "--db", help="DuckDB file to use (default: store.db setting, ./wirecheck.duckdb)."
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


def _run(
    inputs: list[str], db: str | None, as_json: bool, fetch: bool | None, allow_private: bool | None
) -> None:
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

        summary = pipeline.analyze(inputs, settings=settings, store=store, progress=progress)
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
        out.print(f"wrote {Path(summary.db).resolve()}")
    if summary.failures:
        raise typer.Exit(EXIT_INPUT_FAILURES)


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
) -> None:
    """Run the whole pipeline over INPUTS and store the results (the main job)."""
    _run(inputs, db, as_json, fetch, allow_private)


# Today the spine (ingest, clean, deduplicate, store) and the analysis run together; `ingest`
# is kept as its own name so scripts written for the spine keep working as stages are added.
app.command(
    "ingest", help="Ingest, clean, deduplicate and analyze INPUTS into the store (as analyze)."
)(analyze)


@app.command()
def articles(
    db: DbOption = None,
    as_json: JsonOption = False,
    site: Annotated[str | None, typer.Option(help="Only articles from this site.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this syndication group.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
) -> None:
    """List stored articles (with --json: one full article record per line)."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.articles(site=site, group=group, limit=limit)
        if as_json:
            for article in rows:
                sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            return
        table = Table("id", "published", "site", "syndication group", "title")
        for article in rows:
            title = article.title or ""
            if article.duplicate_of:
                title += f" [duplicate of {article.duplicate_of[:12]}]"
            table.add_row(
                article.id[:12],
                (article.published or "")[:10],
                article.site or "",
                article.syndication_group or "",
                title,
            )
        out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, body, notices and what was cut as furniture."""
    _, store = _open(db, read_only=True)
    with store:
        article = store.article(article_id)
        seen_at = store.sightings_of(article.id)
    if as_json:
        sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        return
    out.rule(article.title or "(no title)")
    for label, value in (
        ("id", article.id),
        ("input", article.input),
        ("also seen at", ", ".join(s for s in seen_at if s != article.input) or None),
        ("url", article.url),
        ("published", article.published),
        ("site", article.site),
        ("authors", ", ".join(article.authors) or None),
        ("dateline", article.dateline),
        ("agency", article.agency),
        ("language", article.language),
        ("tags", ", ".join(article.tags) or None),
        ("syndication group", article.syndication_group),
        ("origin", article.origin),
        ("duplicate of", article.duplicate_of),
        ("warnings", ", ".join(article.warnings) or None),
    ):
        if value:
            out.print(f"[bold]{label}:[/bold] {value}", highlight=False)
    out.print()
    out.print(article.body, highlight=False, markup=False)
    if article.mentions:
        out.print("\n[bold]mentions:[/bold]")
        for m in article.mentions:
            what = m.code or m.id or "unresolved"
            extra = m.role or (f"{m.country}/{m.admin1}" if m.type == "place" else "")
            out.print(
                f"  {m.type:>12}  {m.text[:40]:<40} {what} {extra or ''}",
                highlight=False,
                markup=False,
            )
    if article.dates:
        out.print("\n[bold]dates:[/bold]")
        for d in article.dates:
            out.print(
                f"  {d.text[:40]:<40} {d.value} ({d.precision}, from {d.anchor} date)",
                highlight=False,
                markup=False,
            )
    if article.events:
        out.print("\n[bold]events:[/bold]")
        for e in article.events:
            what = e.plover + (" (negated)" if e.negated else "")
            said = f", per {e.attributed_to}" if e.attributed_to else ""
            out.print(
                f"  [{e.sentence}] {', '.join(e.source) or '?'} {what} {', '.join(e.target) or '-'}"
                f"  CAMEO {e.cameo} ({e.goldstein:+.1f}), {e.modality}{said}: “{e.trigger}”",
                highlight=False,
                markup=False,
            )
    for notice in article.notices:
        out.print(f"[yellow]notice ({notice.kind}):[/yellow] {notice.text}", highlight=False)
    if article.removed:
        out.print(f"\n[dim]cut as furniture ({len(article.removed)} lines):[/dim]")
        for line in article.removed:
            out.print(
                f"[dim]  {line.reason:>16}  {line.text[:100]}[/dim]", highlight=False, markup=True
            )


@app.command()
def actors(
    db: DbOption = None,
    as_json: JsonOption = False,
    type_: Annotated[
        str | None,
        typer.Option("--type", help="Only this kind: country, organisation, person or group."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
) -> None:
    """List the actors mentioned across the corpus, with their codes and counts."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.actor_counts(type=type_, limit=limit)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("actor", "type", "name", "country", "codes seen", "mentions", "articles")
    for row in rows:
        table.add_row(
            row.id,
            row.type,
            row.name,
            row.country or "",
            ", ".join(c for c in row.codes if c),
            str(row.mentions),
            str(row.articles),
        )
    out.print(table)


@app.command()
def events(
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: Annotated[
        str | None, typer.Option(help="Actor code or its prefix on either side (RUS, LTUMIL).")
    ] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    quad_class: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=4,
            help="1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict.",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
) -> None:
    """List coded events: who did what to whom, where and when."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.events(
            actor=actor, plover=type_, since=since, until=until, quad_class=quad_class, limit=limit
        )
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("date", "source", "event", "cameo", "target", "modality", "trigger", "article")
    for row in rows:
        e = row.event
        kind = e.plover + (f"/{e.mode}" if e.mode else "") + (" (negated)" if e.negated else "")
        table.add_row(
            e.date or (row.published or "")[:10],
            ", ".join(e.source),
            kind,
            e.cameo,
            ", ".join(e.target),
            e.modality,
            e.trigger,
            row.article_id[:12],
        )
    out.print(table)


@app.command()
def failures(
    db: DbOption = None,
    as_json: JsonOption = False,
    stage: Annotated[str | None, typer.Option(help="Only failures of this stage.")] = None,
) -> None:
    """List inputs that failed, with the stage, the error code and what to do."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.failures(stage=stage)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("input", "stage", "code", "message", "attempts")
    for row in rows:
        table.add_row(row.input, row.stage, row.code, row.message, str(row.attempts))
    out.print(table)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write.")],
    db: DbOption = None,
) -> None:
    """Export every article (JSONL, CSV, Parquet) or every event (gdelt: GDELT 2.0-style TSV;
    plover: PLOVER JSON lines)."""
    _, store = _open(db, read_only=True)
    with store:
        if fmt in (ExportFormat.gdelt, ExportFormat.plover):
            writer = exports.write_gdelt if fmt is ExportFormat.gdelt else exports.write_plover
            with out_path.open("w", encoding="utf-8") as fh:
                count = writer(store.events(), store.places(), fh)
            err.print(f"exported {count} event rows to {out_path}")
            return
        if fmt is ExportFormat.jsonl:
            count = 0
            with out_path.open("w", encoding="utf-8") as fh:
                for article in store.articles():
                    fh.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                    count += 1
        else:
            count = store.export_table(out_path, fmt.value)
    err.print(f"exported {count} articles to {out_path}")


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


@app.command()
def config(as_json: JsonOption = False) -> None:
    """Show the settings in force (defaults <- file <- environment <- flags)."""
    settings = STATE.settings()
    if as_json:
        out.print_json(json.dumps(settings.to_dict()))
        return
    for section, values in settings.to_dict().items():
        out.print(f"[bold][{section}][/bold]")
        for key, value in values.items():
            out.print(f"{key} = {json.dumps(value)}", highlight=False)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except (UsageError, SettingsError) as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    except WirecheckError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_FATAL)
