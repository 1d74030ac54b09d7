"""The analyze stage: who (actors), where (places), when (dates), what happened (events) and
what is claimed, by whom (claims).

Heavy state — the spaCy pipeline, the actor phrase matchers, the gazetteer — is built once per
process as :class:`AnalyzeResources` and passed to :func:`analyze_article` for every document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from wirecheck.analyze.actordata import ActorTable, load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.cameo import load_cameo
from wirecheck.analyze.checkworthy import CheckworthyModel
from wirecheck.analyze.claims import ClaimExtractor, find_claims
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
    "paragraph_sentences",
]

# Bumped whenever the stage's output changes meaning, so stored articles analysed by an older
# version are analysed again on the next run.
ANALYSIS_VERSION = 4  # 4: event argument spans (phrase extent, target fallback, pairs)


@dataclass(frozen=True)
class AnalyzeResources:
    nlp: Any
    actors: ActorTable
    resolver: ActorResolver
    gazetteer: Gazetteer
    events: EventExtractor
    claims: ClaimExtractor | None = None


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
    event_model = EventTypeModel.load()
    events = EventExtractor(parser_nlp, event_model, load_cameo())
    # One MiniLM session for both models: sentences embedded once per article (see below).
    claims = ClaimExtractor(CheckworthyModel.load(embedder=event_model.embedder))
    return AnalyzeResources(nlp, table, ActorResolver(table, nlp), Gazetteer(), events, claims)


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


def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break: the statistical splitter sometimes runs a
    sentence over a paragraph break (cleaned bodies separate paragraphs with a blank line), which
    glued "(Reporting by ...)" and the next paragraph's lede onto a sentence's events."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def analyze_article(article: Article, resources: AnalyzeResources, *, max_chars: int) -> Article:
    """The article with ``mentions`` (actors and places), ``dates``, ``events`` and ``claims``."""
    text = article.body[:max_chars]
    doc = paragraph_sentences(resources.nlp(text))
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
    claimer = resources.claims
    units = claimer.units(doc) if claimer is not None else []
    embedder = claimer.model.embedder if claimer is not None and claimer.model else None
    if embedder is not None:
        # One batch for every candidate sentence: the event-type model then finds its sentences'
        # vectors already computed (they are almost always claim candidates too).
        embedder.remember([u.text for u in units])
    events = resources.events.extract(doc, mentions=mentions, dates=dates, published=published)
    claims = (
        find_claims(doc, claimer, article_id=article.id, mentions=mentions, dates=dates,
                    events=events, units=units)
        if claimer is not None
        else []
    )  # fmt: skip
    return replace(
        article,
        mentions=tuple(mentions),
        dates=tuple(dates),
        events=tuple(events),
        claims=tuple(claims),
    )
