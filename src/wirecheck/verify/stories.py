"""Stories: articles about the same happening, across sources.

``cluster_stories`` groups articles by what they report, not by wording alone:

1. **Vectors** (``_storyfeatures``): a word TF-IDF block (title counted twice, first 2,500
   characters of the body) and an entity block (capitalised words and name pairs, actor codes,
   place ids), IDF taken from the clustered set itself. No learned artifact, nothing to download.
2. **Blocking**: two articles are compared only if they share two of their thirty most telling
   terms and are at most ``window_days`` apart (undated articles: whatever the dates), and a long
   posting list gives each article a bounded number of partners, so the cost grows with the
   number of articles, not with its square.
3. **Average-linkage agglomeration** (``_storylink``) over those pairs: two groups join while the
   mean similarity of their compared pairs is at least ``StoryConfig.threshold``. A story can
   run longer than the window (each report is compared with those of its own weeks); undated
   articles join on content alone and never stretch a story's dates.

The answer is a function of the *set* of articles: they are put in canonical order (by id) first,
IDF is a property of the set, and every tie is broken by id. So any order of arrival, any batching,
and any distributed engine give the same stories. ``Story.id`` is ``"s"`` + the smallest member id.

**Label**: the title of the story's most central member (highest summed similarity to the other
members; ties to the earliest, then smallest id). A real headline reads better than a bag of key
terms, and the most central one describes what the members share rather than one outlet's angle
(a sensational outlier title is rarely the centre). A story without titles is labelled by the
first sentence of its central member, cut at 120 characters.

Figures (benchmarks/bench_stories.py, benchmarks/RESULTS-stories.md): ECB+ BCubed F1 on the train
split (tuned on) and the dev split (reported once), and the 10k/100k scaling table.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from wirecheck.errors import UsageError
from wirecheck.models import Article, Story
from wirecheck.verify._storyfeatures import candidate_pairs, day_number, pair_similarity, vectorise
from wirecheck.verify._storylink import average_linkage
from wirecheck.verify.sources import SourceInfo, count_independent

__all__ = [
    "StoryConfig",
    "StoryItem",
    "cluster_stories",
    "story_item",
    "story_partition",
]


@dataclass(frozen=True)
class StoryItem:
    """What story clustering needs of one article (built from an Article and its mentions)."""

    article_id: str
    published: str | None  # ISO date or datetime; None when unknown
    title: str | None
    text: str  # the body; only the first StoryConfig.body_chars characters are read
    actors: tuple[str, ...] = ()  # actor codes, e.g. "LTU", "RUSMIL", "NATO"
    places: tuple[str, ...] = ()  # place ids, e.g. "geonames:593116", "iso:LT"
    source: SourceInfo | None = None  # None: the article is its own source


def story_item(article: Article) -> StoryItem:
    """The StoryItem of a stored article: actor codes and place ids from its resolved mentions
    (unresolved ones are left out), its source from the site, agency and dedup fields."""
    actors = sorted({m.code for m in article.mentions if m.type != "place" and m.code})
    places = sorted({m.id for m in article.mentions if m.type == "place" and m.id})
    return StoryItem(
        article_id=article.id,
        published=article.published,
        title=article.title,
        text=article.body,
        actors=tuple(actors),
        places=tuple(places),
        source=SourceInfo(
            article_id=article.id,
            site=article.site,
            syndication_group=article.syndication_group,
            origin=article.origin,
            agency=article.agency,
            published=article.published,
        ),
    )


@dataclass(frozen=True)
class StoryConfig:
    """Clustering settings. Tuned on the ECB+ *train* split only (575 documents, 50 stories; no
    dates there, so ``window_days`` is not tuned by it); dev was scored once after freezing these.
    Figures: ``bench_stories.py DATA --grid`` (train BCubed F1, one setting changed at a time)."""

    # Mean candidate-pair similarity needed to merge. Train F1 by threshold (entity weight 0.5):
    # 0.20 -> 0.885, 0.225 -> 0.910, 0.25 -> 0.900, 0.275 -> 0.873.
    threshold: float = 0.225
    # Weight of the entity block (the word block has 1 - this). Train F1 at the best threshold of
    # each: 0 -> 0.876, 0.3 -> 0.904, 0.5 -> 0.910, 0.7 -> 0.902. Names tell apart the look-alike
    # events that share all their common words ("checks into rehab").
    entity_weight: float = 0.5
    # Title tokens count this many times. Train: 1 -> 0.901, 2 -> 0.910, 3 -> 0.909; a headline is
    # the densest statement of what happened.
    title_weight: float = 2.0
    # Body characters read. Train: 600 -> 0.868, 1,000 -> 0.893, 1,500 -> 0.904, 2,500 -> 0.910,
    # whole text -> 0.895. News puts the event first (inverted pyramid); the tail of a long article
    # drifts into background other stories share, and the cut bounds the cost per article.
    body_chars: int = 2500
    # Blocking keys per article (its most telling terms). Train: 10 -> 0.893, 20 -> 0.889,
    # 30 -> 0.910, 40 -> 0.910.
    key_terms: int = 30
    # Pairs per article and key in a long posting list (a short list gives all its pairs). Train:
    # 5, 10, 20, 50 all give 0.910 (ECB+ lists are short); 5 keeps the 100k synthetic corpus at
    # 1.6M candidate pairs instead of 2.6M with 10.
    neighbours: int = 5
    # An undated article meets every holder of a key in lists up to this long. Train: 20 -> 0.909,
    # 50 and 100 -> 0.910.
    max_postings: int = 50
    # A pair is compared only if it shares this many keys. Train: 1 -> 0.908, 2 -> 0.910,
    # 3 -> 0.904; 2 halves the candidate pairs of the synthetic corpora (one shared common-ish word
    # is mostly chance).
    min_shared: int = 2


def cluster_stories(
    items: Sequence[StoryItem],
    *,
    window_days: int = 14,
    config: StoryConfig | None = None,
    stats: dict[str, float] | None = None,
) -> list[Story]:
    """Group the articles into stories (singletons included), sorted by first date, then id.

    ``window_days``: two dated articles farther apart than this are never compared, so a story
    grows only through reports that are close in time to some of its members (it may run longer
    than the window). The default, 14, lets a follow-up written a week and a half after the last
    report join its story (the demo's Amber Shield "drills end" analysis comes 11 days after the
    "drills begin" report; with 7 it would be a story of its own).

    ``stats``, if given, receives the seconds of each step and the number of candidate pairs
    (for benchmarks).
    """
    ordered = _canonical(items)
    clock = _Clock(stats)
    groups = _partition(ordered, window_days, config or StoryConfig(), stats)
    clock.last = time.perf_counter()
    stories = sorted(
        (_story(ordered, g, sims) for g, sims in groups),
        key=lambda s: (_date_key(s.first_seen), s.id),
    )
    clock.lap("stories")
    return stories


def story_partition(
    items: Sequence[StoryItem],
    *,
    window_days: int = 14,
    config: StoryConfig | None = None,
    stats: dict[str, float] | None = None,
) -> list[list[str]]:
    """Only the grouping: lists of article ids (each sorted), sorted by their first id.

    ``stats``: as for :func:`cluster_stories`."""
    ordered = _canonical(items)
    groups = _partition(ordered, window_days, config or StoryConfig(), stats)
    return sorted(([ordered[i].article_id for i in g] for g, _ in groups), key=lambda g: g[0])


def _canonical(items: Sequence[StoryItem]) -> list[StoryItem]:
    ordered = sorted(items, key=lambda it: it.article_id)
    for a, b in pairwise(ordered):
        if a.article_id == b.article_id:
            raise UsageError(
                f"article {a.article_id!r} was given twice to story clustering",
                hint="pass each article once (deduplicate by article id first)",
            )
    return ordered


_Group = tuple[list[int], dict[int, float]]


class _Clock:
    """Seconds per step into ``stats`` (when a caller asked for them)."""

    def __init__(self, stats: dict[str, float] | None) -> None:
        self.stats = stats
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.stats is not None:
            self.stats[name] = now - self.last
        self.last = now


def _partition(
    items: list[StoryItem],
    window_days: int,
    config: StoryConfig,
    stats: dict[str, float] | None = None,
) -> list[_Group]:
    """Groups of indices into ``items`` with each member's summed similarity to the others."""
    if window_days < 0:
        raise UsageError(f"window_days must be >= 0, not {window_days}", hint="use e.g. 14")
    if not items:
        return []
    clock = _Clock(stats)
    feats = vectorise(
        [it.title for it in items],
        [it.text for it in items],
        [it.actors for it in items],
        [it.places for it in items],
        title_weight=config.title_weight,
        body_chars=config.body_chars,
        key_terms=config.key_terms,
    )
    clock.lap("vectors")
    days = np.asarray([day_number(it.published) for it in items], dtype=np.int64)
    lo, hi = candidate_pairs(
        feats.keys,
        days,
        window_days,
        neighbours=config.neighbours,
        max_postings=config.max_postings,
        min_shared=config.min_shared,
    )
    clock.lap("blocking")
    sim = pair_similarity(feats, lo, hi, config.entity_weight)
    clock.lap("similarity")
    clusters = average_linkage(len(items), lo, hi, sim, threshold=config.threshold)
    clock.lap("linkage")
    if stats is not None:
        stats["pairs"] = float(len(lo))
    label = np.empty(len(items), dtype=np.int64)
    for k, members in enumerate(clusters):
        label[members] = k
    inside = label[lo] == label[hi]
    centrality: list[dict[int, float]] = [{m: 0.0 for m in members} for members in clusters]
    for a, b, s in zip(lo[inside].tolist(), hi[inside].tolist(), sim[inside].tolist(), strict=True):
        centre = centrality[int(label[a])]
        centre[a] += s
        centre[b] += s
    return list(zip(clusters, centrality, strict=True))


def _story(items: list[StoryItem], group: list[int], centrality: dict[int, float]) -> Story:
    members = [items[i] for i in group]
    dated = sorted((day_number(m.published), m.published) for m in members if m.published)
    dated = [d for d in dated if d[0] >= 0]
    # Most central first; ties to the earliest, then the smallest id. (Rounded so that float noise
    # in the sums cannot decide a tie.)
    ranked = sorted(
        group,
        key=lambda i: (
            -round(centrality[i], 9),
            _date_key(items[i].published),
            items[i].article_id,
        ),
    )
    sources = [m.source or SourceInfo(article_id=m.article_id) for m in members]
    return Story(
        id="s" + members[0].article_id,  # members are in canonical (id) order
        label=_label([items[i] for i in ranked]),
        first_seen=dated[0][1] if dated else None,
        last_seen=dated[-1][1] if dated else None,
        articles=tuple(m.article_id for m in members),
        independent_sources=count_independent(sources),
    )


def _label(ranked: list[StoryItem]) -> str:
    """The title of the most central member that has one, else the first sentence of the most
    central member with text."""
    for item in ranked:
        if item.title and item.title.strip():
            return " ".join(item.title.split())
    for item in ranked:
        text = " ".join(item.text.split())
        if text:
            first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
            return first if len(first) <= 120 else first[:119].rstrip() + "…"
    return "article " + ranked[0].article_id


def _date_key(published: str | None) -> tuple[int, str]:
    """Sort key: by day (undated and unreadable dates last), then by the string itself."""
    day = day_number(published)
    return (day if day >= 0 else 10**9, published or "")
