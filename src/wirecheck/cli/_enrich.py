"""The analyze stage, offered to training code of a later stage that may not import it."""

from __future__ import annotations

from collections.abc import Callable

from wirecheck.models import Article
from wirecheck.pipeline import analyze_article_with
from wirecheck.settings import Settings


def enrich_for_training(settings: Settings) -> Callable[[Article], Article]:
    """Fill a training article's mentions, dates, events and claims as `wirecheck analyze` would,
    so that the credibility features learned from it are the ones measured at run time."""

    def enrich(article: Article) -> Article:
        return analyze_article_with(article, settings)

    return enrich
