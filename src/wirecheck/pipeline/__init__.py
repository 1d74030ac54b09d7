"""Composes the stages. The only module that imports more than one stage.

A run is two passes over the inputs: the first learns which lines recur across a site's pages
(site furniture), the second cleans, deduplicates and stores in batches, one transaction each.
Articles already in the store (content-derived ids) are not cleaned again, so a re-run after a
kill finishes the work and a re-run after success changes nothing.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

import httpx

from wirecheck.analyze import (
    ANALYSIS_VERSION,
    AnalyzeResources,
    actor_files,
    analyze_article,
    load_actors,
    load_resources,
)
from wirecheck.analyze.actordata import ActorTable
from wirecheck.clean import SiteLineStats, clean_document, document_lines, site_key
from wirecheck.dedup import Deduplicator, DedupMember, make_member
from wirecheck.errors import InternalError, WirecheckError
from wirecheck.ingest import content_id, iter_documents
from wirecheck.models import Article, Document, DocumentKind, Failure
from wirecheck.pipeline.corpus import verify_corpus
from wirecheck.settings import AnalyzeSettings, Settings
from wirecheck.store import ActorRow, Store, StoredSignature

ProgressCallback = Callable[[int, int | None], None]


@dataclass
class RunSummary:
    """What one `analyze` run did."""

    db: str
    documents: int = 0
    new_articles: int = 0
    already_stored: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "db": self.db,
            "documents": self.documents,
            "new_articles": self.new_articles,
            "already_stored": self.already_stored,
            "failures": len(self.failures),
            "seconds": round(self.seconds, 3),
            "totals": self.totals,
        }


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _learn_site_lines(
    documents: Iterable[Document | Failure], stats: SiteLineStats, sites: dict[str, str]
) -> int:
    """Feed scraped-text documents' lines to ``stats`` and note each one's site in ``sites``;
    return how many documents were seen."""
    count = 0
    for item in documents:
        if isinstance(item, Failure):
            continue
        count += 1
        if item.kind is not DocumentKind.TEXT:
            continue
        try:
            lines = document_lines(item)
        except WirecheckError:
            continue  # the second pass logs it
        site = site_key(item, lines)
        if site is not None:
            sites[item.id] = site
            stats.add_document(site, lines)
    return count


# Heavy per-process state (the spaCy pipeline, actor matchers, gazetteer), loaded on first use in
# each process — the parent for small runs, every worker for large ones — and reused for every
# document. Keyed by the analyze settings so that a test using other settings gets its own.
_PROCESS_RESOURCES: dict[AnalyzeSettings, AnalyzeResources] = {}


def process_resources(settings: AnalyzeSettings) -> AnalyzeResources:
    """This process's analyze resources, loaded once."""
    if settings not in _PROCESS_RESOURCES:
        _PROCESS_RESOURCES[settings] = load_resources(settings)
    return _PROCESS_RESOURCES[settings]


def _failure(doc: Document, stage: str, exc: Exception) -> Failure:
    if isinstance(exc, WirecheckError):
        return Failure(doc.input, stage, exc.code, str(exc))
    where = traceback.extract_tb(exc.__traceback__)[-1]
    err = InternalError(f"{type(exc).__name__}: {exc} at {where.filename}:{where.lineno}")
    return Failure(doc.input, stage, err.code, str(err))


def clean_and_sign(
    task: tuple[Document, frozenset[str]], *, settings: Settings, ingested_at: str
) -> tuple[Article | Failure, DedupMember | None]:
    """The per-document work: clean, analyze, then the dedup signature. Runs in workers."""
    doc, furniture = task
    try:
        article = clean_document(
            doc, settings=settings.clean, site_furniture=furniture, ingested_at=ingested_at
        )
    except Exception as exc:  # one bad document must not stop the batch
        return _failure(doc, "clean", exc), None
    if settings.analyze.enabled:
        try:
            article = analyze_article(
                article,
                process_resources(settings.analyze),
                max_chars=settings.analyze.max_chars,
            )
        except Exception as exc:
            return _failure(doc, "analyze", exc), None
    return article, make_member(article, settings.dedup)


def _exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the parent dies (even by kill -9), instead of
    waiting forever on a queue nobody will fill."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="wirecheck-parent-watch").start()


class _Workers:
    """Runs :func:`clean_and_sign` in this process or in a pool of worker processes.

    Worker processes are spawned (not forked) so they never inherit the store's open connection.
    A pool costs about a second per worker to import the extractors, so it is only started for
    runs large enough to repay it.
    """

    def __init__(self, settings: Settings, ingested_at: str, documents: int) -> None:
        count = settings.pipeline.workers or os.cpu_count() or 1
        self._work = partial(clean_and_sign, settings=settings, ingested_at=ingested_at)
        self._pool: ProcessPoolExecutor | None = None
        if count > 1 and documents >= settings.pipeline.parallel_min_documents:
            self._pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        self.count = count if self._pool else 1

    def map(
        self, tasks: list[tuple[Document, frozenset[str]]]
    ) -> list[tuple[Article | Failure, DedupMember | None]]:
        if self._pool is None:
            return [self._work(t) for t in tasks]
        chunk = max(1, len(tasks) // (self.count * 4))
        return list(self._pool.map(self._work, tasks, chunksize=chunk))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _batches(items: Iterator[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    batch: list[Document | Failure] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def actor_rows(articles: Sequence[Article], table: ActorTable) -> list[ActorRow]:
    """The actor-file entries behind the articles' actor mentions, for the store's actor table."""
    rows: dict[str, ActorRow] = {}
    for article in articles:
        for mention in article.mentions:
            if mention.type == "place" or mention.id is None or mention.id in rows:
                continue
            actor = table.get(mention.id)
            if actor is not None:
                rows[actor.id] = ActorRow(actor.id, actor.kind, actor.name, actor.country)
    return list(rows.values())


def load_deduplicator(store: Store, settings: Settings) -> Deduplicator:
    """A deduplicator holding every article already in the store."""
    dedup = Deduplicator(settings.dedup)
    dedup.add(
        DedupMember(s.article_id, s.body_hash, s.published, s.agency, s.signature)
        for s in store.signatures()
    )
    return dedup


def analyze(
    inputs: Sequence[str],
    *,
    settings: Settings,
    store: Store,
    transport: httpx.BaseTransport | None = None,
    resolver: Callable[[str], list[str]] | None = None,
    progress: ProgressCallback | None = None,
) -> RunSummary:
    """Ingest, clean, deduplicate and store ``inputs`` (paths, directories, URLs)."""
    started = time.perf_counter()
    summary = RunSummary(db=store.location)
    ingested_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    urls = [i for i in inputs if _is_url(i)]
    paths = [i for i in inputs if not _is_url(i)]

    def ingest(items: Sequence[str]) -> Iterator[Document | Failure]:
        return iter_documents(items, settings=settings, transport=transport, resolver=resolver)

    # URLs are fetched once and kept; files are cheap to read twice.
    fetched = list(ingest(urls)) if urls else []
    stats = SiteLineStats()
    sites: dict[str, str] = {}
    total = _learn_site_lines(fetched, stats, sites)
    if paths:
        total += _learn_site_lines(ingest(paths), stats, sites)

    dedup = load_deduplicator(store, settings)

    def second_pass() -> Iterator[Document | Failure]:
        yield from fetched
        if paths:
            yield from ingest(paths)

    def furniture(doc: Document) -> frozenset[str]:
        return stats.furniture(
            sites.get(doc.id),
            min_docs=settings.clean.site_line_min_docs,
            min_share=settings.clean.site_line_min_share,
        )

    workers = _Workers(settings, ingested_at, total)
    try:
        _store_batches(
            second_pass(), settings, store, dedup, workers, furniture, summary, total, progress
        )
    finally:
        workers.close()
    if settings.verify.enabled:
        # Corpus-level stages: owned by pipeline/corpus.py; keep this call when editing this file.
        verify_corpus(store, settings)
    summary.seconds = time.perf_counter() - started
    summary.totals = store.counts()
    return summary


def _store_batches(
    items: Iterator[Document | Failure],
    settings: Settings,
    store: Store,
    dedup: Deduplicator,
    workers: _Workers,
    furniture: Callable[[Document], frozenset[str]],
    summary: RunSummary,
    total: int,
    progress: ProgressCallback | None,
) -> None:
    """Clean, analyze, deduplicate and write ``items`` batch by batch, one transaction each."""
    version = ANALYSIS_VERSION if settings.analyze.enabled else None
    actor_table = load_actors(actor_files(settings.analyze)) if settings.analyze.enabled else None
    done = 0
    for batch in _batches(items, settings.pipeline.batch_size):
        failures = [item for item in batch if isinstance(item, Failure)]
        documents = [item for item in batch if isinstance(item, Document)]
        known = store.known_ids([d.id for d in documents], analysis_version=version)
        sightings = [(d.id, d.input) for d in documents]
        tasks: list[tuple[Document, frozenset[str]]] = []
        seen: set[str] = set()
        for doc in documents:
            if doc.id in known or doc.id in seen:
                summary.already_stored += 1
                continue
            seen.add(doc.id)
            tasks.append((doc, furniture(doc)))
        articles: list[Article] = []
        members: list[DedupMember] = []
        for result, member in workers.map(tasks):
            if isinstance(result, Failure):
                failures.append(result)
            elif member is not None:
                articles.append(result)
                members.append(member)
        assignments = dedup.add(members)
        store.write_batch(
            analysis_version=version,
            actors=actor_rows(articles, actor_table) if actor_table is not None else (),
            articles=articles,
            signatures=[
                StoredSignature(m.id, m.body_hash, m.published, m.agency, m.signature)
                for m in members
            ],
            assignments=assignments,
            sightings=[s for s in sightings if s[0] in known or s[0] in dedup],
            failures=failures,
        )
        summary.documents += len(documents)
        summary.new_articles += len(articles)
        summary.failures.extend(failures)
        done += len(documents)
        if progress is not None:
            progress(done, total)


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
