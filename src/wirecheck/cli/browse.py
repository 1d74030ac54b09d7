"""Commands that read the store: articles, show, actors, events, failures, export."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wirecheck.cli._app import STATE, DbOption, JsonOption, _open, app, err, out
from wirecheck.report import exports


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


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
        assessment = store.assessment(article.id)
        if as_json:
            # The article record with what the verify stage adds: its story, its credibility,
            # and per claim its stance links, independent support and assessment.
            record = article.to_dict()
            record["story"] = store.story_of(article.id)
            record["credibility"] = assessment.to_dict() if assessment else None
            rows = {row.claim.id: row for row in store.claims(article=article.id, limit=10_000)}
            for claim in record["claims"]:
                row = rows.get(claim["id"])
                claim["support"] = dict(row.support.__dict__) if row and row.support else None
                claim["credibility"] = row.assessment.to_dict() if row and row.assessment else None
                claim["links"] = [
                    dict(link.__dict__, reasons=list(link.reasons))
                    for link in store.claim_links(claim["id"])
                ]
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
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
        (
            "credibility",
            f"{assessment.band} ({assessment.score:.0f}/100); `wirecheck explain "
            f"{article.id[:12]}` gives the reasons"
            if assessment
            else None,
        ),
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


@app.command()
def config(as_json: JsonOption = False) -> None:
    """Show the settings in force (defaults <- file <- environment <- flags)."""
    settings = STATE.settings()
    if as_json:
        out.print_json(json.dumps(settings.to_dict()))
        return
    for section, values in settings.to_dict().items():
        out.print(f"[{section}]", markup=False, style="bold", highlight=False)
        for key, value in values.items():
            out.print(f"{key} = {json.dumps(value)}", highlight=False)
