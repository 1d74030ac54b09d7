"""The corpus-level stages, run over the whole store after the per-document stages: stories,
claim matching and stance, independent-source counting and credibility (the verify stage).

They are recomputed from the stored articles at the end of every run, so their answer depends on
the set of articles in the store, never on the order or the batches they arrived in (the Ray and
local engines give the same results because both end here). Memory stays bounded by what the
corpus-level work needs: the articles are streamed from the store three times (story and claim
items; track records; assessments) rather than held whole.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck.models import Article, Assessment, ClaimSupport
from wirecheck.settings import Settings
from wirecheck.store import Store
from wirecheck.verify.corroborate import ClaimItem, claim_support, match_claims
from wirecheck.verify.credibility import (
    CredibilityModel,
    article_track_record,
    assess,
    load_source_ratings,
    rating_for,
    track_records,
)
from wirecheck.verify.encoder import SentenceEncoder
from wirecheck.verify.sources import SourceInfo
from wirecheck.verify.stance import StanceModel
from wirecheck.verify.stories import cluster_stories, story_item


@dataclass
class VerifyResources:
    """The verify stage's heavy state (models, the sentence encoder), loaded once per process and
    passed in, so tests and long-running servers do not reload them per run."""

    stance: StanceModel
    credibility: CredibilityModel
    encoder: SentenceEncoder | None
    ratings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings) -> VerifyResources:
        ratings = (
            load_source_ratings(Path(settings.verify.source_ratings).expanduser())
            if settings.verify.source_ratings
            else {}
        )
        return cls(
            stance=StanceModel.load(),
            credibility=CredibilityModel.load(),
            encoder=SentenceEncoder.load(),
            ratings=ratings,
        )


def _articles(store: Store) -> Iterator[Article]:
    for batch in store.iter_articles():
        yield from batch


def source_of(article: Article) -> SourceInfo:
    """What decides the article's independence from other articles."""
    return SourceInfo(
        article_id=article.id,
        site=article.site,
        syndication_group=article.syndication_group,
        origin=article.origin,
        agency=article.agency,
        published=article.published,
    )


def verify_corpus(
    store: Store,
    settings: Settings,
    resources: VerifyResources | None = None,
    stats: dict[str, float] | None = None,
) -> dict[str, int]:
    """Recompute stories, claim links, support counts and credibility for the whole store and
    write them in one transaction; return counts of what was written. ``stats``, if given,
    receives the seconds each step took."""
    res = resources or VerifyResources.load(settings)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if stats is not None:
            stats[name] = stats.get(name, 0.0) + now - clock
        clock = now

    story_items = []
    sources: dict[str, SourceInfo] = {}
    for article in _articles(store):
        story_items.append(story_item(article))
        sources[article.id] = source_of(article)
    lap("read")
    stories = cluster_stories(story_items, window_days=settings.verify.story_window_days)
    story_of = {a: s.id for s in stories for a in s.articles}
    story_size = {s.id: s.independent_sources for s in stories}
    del story_items
    lap("stories")

    claim_items = [
        ClaimItem(
            claim=claim,
            article_id=article.id,
            story_id=story_of.get(article.id),
            source=sources[article.id],
            published=article.published,
        )
        for article in _articles(store)
        for claim in article.claims
    ]
    links = match_claims(claim_items, res.stance, encoder=res.encoder)
    support: dict[str, ClaimSupport] = claim_support(claim_items, links)
    del claim_items
    lap("claims")

    records = track_records(_articles(store), support)
    assessments: list[Assessment] = []
    for article in _articles(store):
        whole, per_claim = assess(
            article,
            support=support,
            model=res.credibility,
            track_record=article_track_record(article, records, support),
            source_rating=rating_for(res.ratings, article),
            story_sources=story_size.get(story_of.get(article.id, ""), 1),
        )
        assessments.append(whole)
        assessments.extend(per_claim)
    lap("credibility")

    store.write_verification(
        stories=stories,
        story_of=story_of,
        links=links,
        support=sorted(support.values(), key=lambda s: s.claim),
        assessments=assessments,
    )
    lap("write")
    return {
        "stories": len(stories),
        "claim_links": len(links),
        "assessments": len(assessments),
    }
