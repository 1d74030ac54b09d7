"""The analyze stage: who (actors), where (places), when (dates) and what happened (events).

Heavy state — the spaCy pipeline, the actor phrase matchers, the gazetteer — is built once per
process as :class:`AnalyzeResources` and passed to :func:`analyze_article` for every document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wirecheck.analyze.actordata import ActorTable, load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.cameo import load_cameo
from wirecheck.analyze.dates import find_dates
from wirecheck.analyze.events import EventExtractor
from wirecheck.analyze.eventtype import EventTypeModel
from wirecheck.analyze.nlp import load_nlp
from wirecheck.analyze.places import Gazetteer, find_places
from wirecheck.models import Article, Mention
from wirecheck.settings import AnalyzeSettings

__all__ = [
    "ANALYSIS_VERSION",
    "AnalyzeResources",
    "actor_files",
    "analyze_article",
    "load_actors",
    "load_resources",
    "one_reading",
]

# Bumped whenever the stage's output changes meaning, so stored articles analysed by an older
# version are analysed again on the next run.
ANALYSIS_VERSION = 2


@dataclass(frozen=True)
class AnalyzeResources:
    nlp: Any
    actors: ActorTable
    resolver: ActorResolver
    gazetteer: Gazetteer
    events: EventExtractor


def actor_files(settings: AnalyzeSettings) -> list[Path]:
    """The user's extra actor files named in the settings."""
    return [Path(p.strip()) for p in settings.actor_files.split(",") if p.strip()]


def load_resources(settings: AnalyzeSettings) -> AnalyzeResources:
    """Load the spaCy pipeline, the actor file (plus the user's) and the gazetteer (~2 s)."""
    # NER, tags and sentence boundaries are all this stage needs; the dependency parser is the
    # slowest component and is kept for the sentences that can carry events (a later stage).
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    table = load_actors(actor_files(settings))
    # The extractor runs the parser on candidate sentences only (see events.py).
    parser_nlp = load_nlp(disable=("lemmatizer",))
    events = EventExtractor(parser_nlp, EventTypeModel.load(), load_cameo())
    return AnalyzeResources(nlp, table, ActorResolver(table, nlp), Gazetteer(), events)


def _anchor(article: Article) -> tuple[dt.datetime, str]:
    for value, source in ((article.published, "published"), (article.ingested_at, "ingested")):
        if not value:
            continue
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed.replace(tzinfo=None), source
    return dt.datetime.now(dt.UTC).replace(tzinfo=None), "ingested"


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def one_reading(actors: Sequence[Mention], places: Sequence[Mention]) -> list[Mention]:
    """One reading per span: a resolved actor ("Lithuania's defence ministry said") wins over a
    place on the same words, and a place wins over an actor reading left unresolved.

    An unknown person with a known office ("Lithuania's defence minister Ona X") has no id but a
    code: that is resolved enough to beat a place reading of "Lithuania".
    """
    resolved = [a for a in actors if a.id is not None or a.code is not None]
    kept_places = [p for p in places if not any(_overlaps(p, a) for a in resolved)]
    kept_actors = [
        a for a in actors if a in resolved or not any(_overlaps(a, p) for p in kept_places)
    ]
    return [*kept_actors, *kept_places]


def analyze_article(article: Article, resources: AnalyzeResources, *, max_chars: int) -> Article:
    """The article with ``mentions`` (actors and places) and ``dates`` filled in."""
    text = article.body[:max_chars]
    doc = resources.nlp(text)
    anchor, anchor_source = _anchor(article)
    published = anchor.date() if anchor_source == "published" else None
    actors = resources.resolver.find(doc, published=published)
    countries = {m.country for m in actors if m.country}
    places = find_places(
        doc, gazetteer=resources.gazetteer, dateline=article.dateline, actor_countries=countries
    )
    mentions: Sequence[Mention] = sorted(
        one_reading(actors, places), key=lambda m: (m.start, m.end, m.type)
    )
    dates = find_dates(doc, anchor=anchor, anchor_source=anchor_source)
    events = resources.events.extract(doc, mentions=mentions, dates=dates, published=published)
    return replace(article, mentions=tuple(mentions), dates=tuple(dates), events=tuple(events))
