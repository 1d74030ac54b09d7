"""Composes the stages. The only package that imports more than one stage.

Two engines run the per-document stages (ingest, clean, analyze): ``local`` (this machine's
processes, :mod:`wirecheck.pipeline.local`) and ``ray`` (Ray Data over shards, Parquet output
loaded by the driver, :mod:`wirecheck.pipeline.ray_engine`). Both feed one store loop
(:mod:`wirecheck.pipeline._common`): dedup and the corpus-level stages run on the driver over
the store, so the same inputs give the same store whichever engine ran them. Articles already in
the store (content-derived ids) are not cleaned again, so a re-run after a kill finishes the work
and a re-run after success changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import httpx

from wirecheck.analyze import analyze_article
from wirecheck.clean import clean_document
from wirecheck.dedup import Deduplicator
from wirecheck.errors import UsageError
from wirecheck.ingest import content_id
from wirecheck.models import Article, Document, DocumentKind
from wirecheck.pipeline._common import (
    ProgressCallback,
    RunSummary,
    actor_rows,
    load_deduplicator,
)
from wirecheck.pipeline.corpus import verify_corpus
from wirecheck.pipeline.local import clean_and_sign, process_resources, run_local
from wirecheck.settings import Settings
from wirecheck.store import Store

__all__ = [
    "ProgressCallback",
    "RunSummary",
    "actor_rows",
    "analyze",
    "analyze_article_with",
    "analyze_text",
    "clean_and_sign",
    "load_deduplicator",
    "process_resources",
]

ENGINES = ("local", "ray")


def analyze(
    inputs: Sequence[str],
    *,
    settings: Settings,
    store: Store,
    transport: httpx.BaseTransport | None = None,
    resolver: Callable[[str], list[str]] | None = None,
    progress: ProgressCallback | None = None,
    ray_output: str | None = None,
) -> RunSummary:
    """Ingest, clean, analyze, deduplicate and store ``inputs`` (paths, directories, URLs and,
    with the Ray engine, fsspec URLs), then recompute the corpus-level stages.

    ``settings.pipeline.engine`` picks the engine. ``ray_output`` is where the Ray engine writes
    its Parquet output (a local folder or an fsspec URL every worker can write); by default a
    folder next to the store, deleted after a successful run. ``transport`` and ``resolver``
    replace the network in tests (local engine only).
    """
    engine = settings.pipeline.engine
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    started = time.perf_counter()
    summary = RunSummary(db=store.location, engine=engine)
    ingested_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if engine == "ray":
        # Imported here: Ray takes a second or two to import and the local engine never needs it.
        from wirecheck.pipeline.ray_engine import check_arguments, run_ray

        check_arguments(transport, resolver)
        run_ray(
            inputs,
            settings=settings,
            store=store,
            summary=summary,
            ingested_at=ingested_at,
            output=ray_output,
            progress=progress,
        )
    else:
        run_local(
            inputs,
            settings=settings,
            store=store,
            summary=summary,
            ingested_at=ingested_at,
            transport=transport,
            resolver=resolver,
            progress=progress,
        )
    if settings.verify.enabled:
        # Corpus-level stages: owned by pipeline/corpus.py; keep this call when editing this file.
        verify_corpus(store, settings)
    summary.seconds = time.perf_counter() - started
    summary.totals = store.counts()
    return summary


def analyze_text(
    text: str,
    *,
    url: str | None = None,
    published: str | None = None,
    html: bool = False,
    settings: Settings | None = None,
) -> Article:
    """Clean one text (scraped page text, or HTML with ``html=True``) into an article record.

    No store is needed. Raises a WirecheckError subclass when no article can be recovered.
    """
    settings = settings or Settings()
    content = text.encode("utf-8")
    doc = Document(
        id=content_id(content, url),
        input=url or "<text>",
        kind=DocumentKind.HTML if html else DocumentKind.TEXT,
        content=content,
        url=url,
    )
    article = clean_document(
        doc,
        settings=settings.clean,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    if published is not None:
        article = replace(article, published=published)
    if settings.analyze.enabled:
        article = analyze_article(
            article, process_resources(settings.analyze), max_chars=settings.analyze.max_chars
        )
    dedup = Deduplicator(settings.dedup)
    (assignment,) = dedup.add([dedup.member_for(article)])
    return replace(
        article,
        syndication_group=assignment.syndication_group,
        origin=assignment.origin,
        duplicate_of=assignment.duplicate_of,
    )


def analyze_article_with(article: Article, settings: Settings) -> Article:
    """Run the analyze stage on one already-cleaned article with this process's resources."""
    return analyze_article(
        article, process_resources(settings.analyze), max_chars=settings.analyze.max_chars
    )
