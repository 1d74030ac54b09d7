"""The local engine: this machine's processes.

A run is two passes over the inputs: the first learns which lines recur across a site's pages
(site furniture), the second cleans, analyses, deduplicates and stores in batches, one
transaction each. Articles already in the store (content-derived ids) are not cleaned again, so
a re-run after a kill finishes the work and a re-run after success changes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import httpx

from wirecheck.analyze import AnalyzeResources, analyze_article, load_resources
from wirecheck.clean import clean_document
from wirecheck.dedup import DedupMember, make_member
from wirecheck.errors import InternalError, WirecheckError
from wirecheck.ingest import iter_documents
from wirecheck.models import Article, Document, Failure
from wirecheck.pipeline._common import (
    Furniture,
    ProgressCallback,
    Result,
    RunSummary,
    Task,
    load_deduplicator,
    site_sample,
    store_batches,
)
from wirecheck.settings import AnalyzeSettings, Settings
from wirecheck.store import Store


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def learn_site_lines(documents: Iterable[Document | Failure], furniture: Furniture) -> int:
    """Feed scraped-text documents' lines to ``furniture``; return how many documents were seen."""
    count = 0
    for item in documents:
        if isinstance(item, Failure):
            continue
        count += 1
        sample = site_sample(item)
        if sample is not None:
            furniture.add(sample)
    return count


# Heavy per-process state (the spaCy pipeline, actor matchers, gazetteer), loaded on first use in
# each process — the parent for small runs, every worker for large ones, every Ray actor — and
# reused for every document. Keyed by the analyze settings so that a test using other settings
# gets its own.
_PROCESS_RESOURCES: dict[AnalyzeSettings, AnalyzeResources] = {}


def process_resources(settings: AnalyzeSettings) -> AnalyzeResources:
    """This process's analyze resources, loaded once."""
    if settings not in _PROCESS_RESOURCES:
        _PROCESS_RESOURCES[settings] = load_resources(settings)
    return _PROCESS_RESOURCES[settings]


def failure_of(doc: Document, stage: str, exc: Exception) -> Failure:
    """The failure-log entry for ``doc`` failing at ``stage``: a coded error keeps its code, any
    other exception is a bug (WC900) reported with where it happened."""
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
        return failure_of(doc, "clean", exc), None
    if settings.analyze.enabled:
        try:
            article = analyze_article(
                article,
                process_resources(settings.analyze),
                max_chars=settings.analyze.max_chars,
            )
        except Exception as exc:
            return failure_of(doc, "analyze", exc), None
    return article, make_member(article, settings.dedup)


def _exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the parent dies (even by kill -9), instead of
    waiting forever on a queue nobody will fill."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="wirecheck-parent-watch").start()


class Workers:
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

    def map(self, tasks: list[Task]) -> list[Result]:
        if self._pool is None:
            return [self._work(t) for t in tasks]
        chunk = max(1, len(tasks) // (self.count * 4))
        return list(self._pool.map(self._work, tasks, chunksize=chunk))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def run_local(
    inputs: Sequence[str],
    *,
    settings: Settings,
    store: Store,
    summary: RunSummary,
    ingested_at: str,
    transport: httpx.BaseTransport | None = None,
    resolver: Callable[[str], list[str]] | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """The per-document stages and the store loop in this machine's processes."""
    urls = [i for i in inputs if is_url(i)]
    paths = [i for i in inputs if not is_url(i)]

    def ingest(items: Sequence[str]) -> Iterator[Document | Failure]:
        return iter_documents(items, settings=settings, transport=transport, resolver=resolver)

    # URLs are fetched once and kept; files are cheap to read twice.
    fetched = list(ingest(urls)) if urls else []
    furniture = Furniture(settings.clean)
    total = learn_site_lines(fetched, furniture)
    if paths:
        total += learn_site_lines(ingest(paths), furniture)

    def second_pass() -> Iterator[Document | Failure]:
        yield from fetched
        if paths:
            yield from ingest(paths)

    dedup = load_deduplicator(store, settings)
    workers = Workers(settings, ingested_at, total)
    try:
        store_batches(
            second_pass(),
            settings=settings,
            store=store,
            dedup=dedup,
            work=workers.map,
            furniture=furniture.for_document,
            summary=summary,
            total=total,
            progress=progress,
        )
    finally:
        workers.close()
