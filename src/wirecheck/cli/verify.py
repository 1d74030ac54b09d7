"""Commands for "who says so" and "how far to believe it": stories, claims, explain."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from wirecheck.cli._app import DbOption, JsonOption, _open, app, out
from wirecheck.models import Assessment
from wirecheck.store import Store

BAND_STYLE = {
    "well supported": "green",
    "plausible": "cyan",
    "unverified": "yellow",
    "disputed": "magenta",
    "likely false": "red",
}


def _band(assessment: Assessment | None) -> str:
    if assessment is None:
        return "-"
    style = BAND_STYLE.get(assessment.band, "white")
    return f"[{style}]{assessment.band}[/{style}] ({assessment.score:.0f})"


@app.command()
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: Annotated[str | None, typer.Option(help="Only stories with this actor code.")] = None,
    since: Annotated[str | None, typer.Option(help="Last seen on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="First seen on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
) -> None:
    """List stories: articles about the same happening, with their independent sources."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.stories(limit=limit, actor=actor, since=since, until=until)
    if as_json:
        for story in rows:
            sys.stdout.write(json.dumps(story.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("story", "first seen", "last seen", "articles", "independent sources", "label")
    for story in rows:
        table.add_row(
            story.id[:13],
            (story.first_seen or "")[:10],
            (story.last_seen or "")[:10],
            str(len(story.articles)),
            str(story.independent_sources),
            story.label,
        )
    out.print(table)


@app.command()
def claims(
    db: DbOption = None,
    as_json: JsonOption = False,
    article: Annotated[str | None, typer.Option(help="Only claims of this article id.")] = None,
    story: Annotated[str | None, typer.Option(help="Only claims in this story id.")] = None,
    attribution: Annotated[
        str | None, typer.Option(help="named, unnamed, document or none.")
    ] = None,
    band: Annotated[
        str | None,
        typer.Option(help="well supported, plausible, unverified, disputed or likely false."),
    ] = None,
    min_checkworthiness: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Only claims at least this check-worthy.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
) -> None:
    """List claims with their attribution, independent support and contradiction."""
    _, store = _open(db, read_only=True)
    with store:
        rows = store.claims(
            article=article,
            story=story,
            attribution=attribution,
            band=band,
            min_checkworthiness=min_checkworthiness,
            limit=limit,
        )
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("claim", "attribution", "support", "contradict", "assessment", "text")
    for row in rows:
        c = row.claim
        who = c.attribution + (f": {c.attributed_to}" if c.attributed_to else "")
        table.add_row(
            c.id,
            who,
            str(row.support.independent_support if row.support else 0),
            str(row.support.independent_contradict if row.support else 0),
            _band(row.assessment),
            c.text[:120],
        )
    out.print(table)


def _explain_article(store: Store, article_id: str) -> None:
    article = store.article(article_id)
    assessment = store.assessment(article.id)
    story_id = store.story_of(article.id)
    out.rule(article.title or "(no title)")
    out.print(
        f"[bold]article[/bold] {article.id}  {article.site or ''}  {article.published or 'undated'}"
    )
    if story_id:
        story = store.story(story_id)
        out.print(
            f"[bold]story[/bold] {story.label} — {len(story.articles)} articles from "
            f"{story.independent_sources} independent sources",
            highlight=False,
        )
    if assessment is None:
        out.print("not assessed yet (verify stage disabled or not run)")
        return
    out.print(f"[bold]credibility[/bold] {_band(assessment)}")
    out.print("\n[bold]why[/bold] (signals by their weight in the score):")
    for signal in sorted(assessment.signals, key=lambda s: -abs(s.contribution)):
        arrow = "[green]+[/green]" if signal.contribution >= 0 else "[red]-[/red]"
        out.print(
            f"  {arrow} {signal.name} = {signal.value:g}  ({signal.contribution:+.2f})",
            highlight=False,
        )
        for evidence in signal.evidence[:3]:
            out.print(f"      “{evidence[:160]}”", highlight=False, markup=False)
    rows = store.claims(article=article.id, limit=1000)
    if rows:
        out.print("\n[bold]claims[/bold]")
    for row in rows:
        c = row.claim
        who = c.attributed_to or {"none": "the article itself"}.get(c.attribution, c.attribution)
        support = row.support
        counts = (
            f"{support.independent_support} independent sources support, "
            f"{support.independent_contradict} contradict"
            if support
            else "no other source found"
        )
        out.print(f"  • {c.text[:200]}", highlight=False, markup=False)
        out.print(
            f"    said by: {who} ({c.attribution}, {c.quote})"
            + (f"; hedged: {', '.join(c.hedges)}" if c.hedges else "")
            + f"; {counts}; {_band(row.assessment)}",
            highlight=False,
        )
        # Links are stored both ways (the stance of `other` towards `claim`); show this claim's.
        for link in [k for k in store.claim_links(c.id) if k.claim == c.id][:5]:
            other = link.other
            out.print(
                f"    {link.stance}: {other}"
                + (f" ({'; '.join(link.reasons)})" if link.reasons else ""),
                highlight=False,
                markup=False,
            )


@app.command()
def explain(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Explain one article's credibility: each reason with the sentence behind it.

    Each signal with its value, contribution and evidence; each claim with who says it and which
    independent sources support or contradict it.
    """
    _, store = _open(db, read_only=True)
    with store:
        if as_json:
            article = store.article(article_id)
            assessment = store.assessment(article.id)
            record = {
                "article": article.id,
                "title": article.title,
                "story": store.story_of(article.id),
                "credibility": assessment.to_dict() if assessment else None,
                "claims": [row.to_dict() for row in store.claims(article=article.id, limit=1000)],
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        _explain_article(store, article_id)
