"""Composes the stages. The only module that imports more than one stage.

A run is two passes over the inputs: the first learns which lines recur across a site's pages
(site furniture), the second cleans, deduplicates and stores in batches, one transaction each.
Articles already in the store (content-derived ids) are not cleaned again, so a re-run after a
kill finishes the work and a re-run after success changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import httpx

from wirecheck.clean import SiteLineStats, clean_document, document_lines, site_key
from wirecheck.dedup import Deduplicator, DedupMember
from wirecheck.errors import InternalError, WirecheckError
from wirecheck.ingest import content_id, iter_documents
from wirecheck.models import Article, Document, DocumentKind, Failure
from wirecheck.settings import Settings
from wirecheck.store import Store, StoredSignature

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


def _clean_one(
    doc: Document, settings: Settings, stats: SiteLineStats, site: str | None, ingested_at: str
) -> Article | Failure:
    furniture = stats.furniture(
        site,
        min_docs=settings.clean.site_line_min_docs,
        min_share=settings.clean.site_line_min_share,
    )
    try:
        return clean_document(
            doc, settings=settings.clean, site_furniture=furniture, ingested_at=ingested_at
        )
    except WirecheckError as exc:
        return Failure(doc.input, "clean", exc.code, str(exc))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        err = InternalError(f"{type(exc).__name__}: {exc} at {where.filename}:{where.lineno}")
        return Failure(doc.input, "clean", err.code, str(err))


def _batches(items: Iterator[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    batch: list[Document | Failure] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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

    done = 0
    for batch in _batches(second_pass(), settings.pipeline.batch_size):
        failures = [item for item in batch if isinstance(item, Failure)]
        documents = [item for item in batch if isinstance(item, Document)]
        known = store.known_ids([d.id for d in documents])
        sightings = [(d.id, d.input) for d in documents]
        articles: list[Article] = []
        seen: set[str] = set()
        for doc in documents:
            if doc.id in known or doc.id in seen:
                summary.already_stored += 1
                continue
            seen.add(doc.id)
            result = _clean_one(doc, settings, stats, sites.get(doc.id), ingested_at)
            if isinstance(result, Failure):
                failures.append(result)
            else:
                articles.append(result)
        members = [dedup.member_for(a) for a in articles]
        assignments = dedup.add(members)
        store.write_batch(
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
    dedup = Deduplicator(settings.dedup)
    (assignment,) = dedup.add([dedup.member_for(article)])
    return replace(
        article,
        syndication_group=assignment.syndication_group,
        origin=assignment.origin,
        duplicate_of=assignment.duplicate_of,
    )
