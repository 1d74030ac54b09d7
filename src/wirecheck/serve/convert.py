"""Store records -> API response models (wirecheck.serve.schemas), and small view helpers shared
by the JSON API and the HTML pages (claim verdicts, highlighted body segments, source groups)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wirecheck import models
from wirecheck.serve import schemas
from wirecheck.store import ActorCount, ClaimRow, EventRow, PlaceRow, SearchHit, SourceRow


def notice(n: models.Notice) -> schemas.Notice:
    return schemas.Notice(kind=n.kind, text=n.text)


def mention(m: models.Mention) -> schemas.Mention:
    return schemas.Mention(**m.__dict__)


def date_mention(d: models.DateMention) -> schemas.DateMention:
    return schemas.DateMention(**d.__dict__)


def event(e: models.Event) -> schemas.Event:
    return schemas.Event(**{**e.__dict__, "source": list(e.source), "target": list(e.target)})


def event_item(row: EventRow) -> schemas.EventItem:
    e = row.event
    return schemas.EventItem(
        **{**e.__dict__, "source": list(e.source), "target": list(e.target)},
        article_id=row.article_id,
        published=row.published,
        url=row.url,
    )


def claim(c: models.Claim) -> schemas.Claim:
    return schemas.Claim(
        **{
            **c.__dict__,
            "hedges": list(c.hedges),
            "actors": list(c.actors),
            "events": list(c.events),
        }
    )


def support(s: models.ClaimSupport) -> schemas.ClaimSupport:
    return schemas.ClaimSupport(
        supports=s.supports,
        contradicts=s.contradicts,
        independent_support=s.independent_support,
        independent_contradict=s.independent_contradict,
        first_source=s.first_source,
        first_seen=s.first_seen,
    )


def assessment(a: models.Assessment) -> schemas.Assessment:
    return schemas.Assessment(
        subject=a.subject,
        score=a.score,
        band=a.band,
        signals=[
            schemas.Signal(
                name=s.name, value=s.value, contribution=s.contribution, evidence=list(s.evidence)
            )
            for s in a.signals
        ],
    )


def verdict(s: models.ClaimSupport | None) -> str:
    """supported / contradicted / mixed / unverified / unchecked (see schemas.ClaimItem)."""
    if s is None:
        return "unchecked"
    if s.independent_support and s.independent_contradict:
        return "mixed"
    if s.independent_contradict:
        return "contradicted"
    if s.independent_support:
        return "supported"
    return "unverified"


def claim_item(row: ClaimRow) -> schemas.ClaimItem:
    return schemas.ClaimItem(
        claim=claim(row.claim),
        article_id=row.article_id,
        story_id=row.story_id,
        support=support(row.support) if row.support else None,
        assessment=assessment(row.assessment) if row.assessment else None,
        verdict=verdict(row.support),  # type: ignore[arg-type]
    )


def claim_link(k: models.ClaimLink) -> schemas.ClaimLink:
    return schemas.ClaimLink(
        claim=k.claim, other=k.other, stance=k.stance, score=k.score, reasons=list(k.reasons)
    )


def article_summary(a: models.Article) -> schemas.ArticleSummary:
    return schemas.ArticleSummary(
        id=a.id,
        title=a.title,
        url=a.url,
        published=a.published,
        site=a.site,
        agency=a.agency,
        language=a.language,
        syndication_group=a.syndication_group,
        duplicate_of=a.duplicate_of,
    )


def article_detail(
    a: models.Article,
    *,
    also_seen_at: Sequence[str],
    story_id: str | None,
    claims: Sequence[ClaimRow],
    credibility: models.Assessment | None,
) -> schemas.ArticleDetail:
    return schemas.ArticleDetail(
        **article_summary(a).model_dump(),
        input=a.input,
        kind=a.kind.value,
        body=a.body,
        authors=list(a.authors),
        dateline=a.dateline,
        tags=list(a.tags),
        notices=[notice(n) for n in a.notices],
        removed=[schemas.RemovedLine(text=r.text, reason=r.reason) for r in a.removed],
        warnings=list(a.warnings),
        origin=a.origin,
        ingested_at=a.ingested_at,
        also_seen_at=[s for s in also_seen_at if s != a.input],
        story_id=story_id,
        mentions=[mention(m) for m in a.mentions],
        dates=[date_mention(d) for d in a.dates],
        events=[event(e) for e in a.events],
        claims=[claim_item(r) for r in claims],
        assessment=assessment(credibility) if credibility else None,
    )


def story(s: models.Story) -> schemas.Story:
    return schemas.Story(
        id=s.id,
        label=s.label,
        first_seen=s.first_seen,
        last_seen=s.last_seen,
        articles=list(s.articles),
        independent_sources=s.independent_sources,
    )


def source_groups(members: Sequence[models.Article]) -> list[schemas.SourceGroup]:
    """The story's members grouped as one source per syndication group (reprints of one story
    count once), largest group first. The verify stage's count (``independent_sources``) also
    merges one agency's copies and an outlet repeating itself, so it can be lower."""
    groups: dict[str, list[models.Article]] = {}
    for article in members:
        key = article.syndication_group or article.id
        groups.setdefault(key, []).append(article)
    out = [
        schemas.SourceGroup(
            key=key,
            sites=sorted({a.site for a in items if a.site}),
            agency=next((a.agency for a in items if a.agency), None),
            articles=[a.id for a in items],
        )
        for key, items in groups.items()
    ]
    return sorted(out, key=lambda g: (-len(g.articles), g.key))


def actor(a: ActorCount) -> schemas.Actor:
    return schemas.Actor(
        id=a.id,
        type=a.type,
        name=a.name,
        country=a.country,
        mentions=a.mentions,
        articles=a.articles,
        codes=[c for c in a.codes if c],
    )


def source(s: SourceRow) -> schemas.Source:
    return schemas.Source(**s.__dict__)


def place(p: PlaceRow) -> schemas.Place:
    return schemas.Place(**p.__dict__)


def search_hit(h: SearchHit) -> schemas.SearchHit:
    return schemas.SearchHit(
        article_id=h.article_id, title=h.title, snippet=h.snippet, score=h.score
    )


@dataclass(frozen=True)
class Segment:
    """A run of body text, with the claim it belongs to (None outside claims)."""

    text: str
    claim: schemas.ClaimItem | None


def segments(body: str, claims: Sequence[schemas.ClaimItem]) -> list[Segment]:
    """``body`` cut at claim boundaries, for highlighting. Overlapping or out-of-range claims
    are skipped rather than trusted (offsets come from the analyze stage)."""
    out: list[Segment] = []
    position = 0
    for item in sorted(claims, key=lambda c: (c.claim.start, c.claim.end)):
        start, end = item.claim.start, item.claim.end
        if start < position or end <= start or end > len(body):
            continue
        if start > position:
            out.append(Segment(body[position:start], None))
        out.append(Segment(body[start:end], item))
        position = end
    if position < len(body):
        out.append(Segment(body[position:], None))
    return out
