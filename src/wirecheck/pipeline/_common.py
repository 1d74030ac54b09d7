"""What both engines share: the run summary, site furniture, and the driver's store loop.

Each engine produces one stream of items in input order: an ingest :class:`Failure`, a raw
:class:`Document` (the local engine cleans it in its worker pool) or a :class:`Processed`
document (the Ray engine cleaned and analysed it on a worker). :func:`store_batches` turns that
stream into store batches, one transaction each, the same way for both, so the two engines give
the same store for the same inputs.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from wirecheck.analyze import ANALYSIS_VERSION, actor_files, load_actors
from wirecheck.analyze.actordata import ActorTable
from wirecheck.clean import SiteLineStats, document_lines, line_key, site_key
from wirecheck.clean.sitelines import learnable
from wirecheck.dedup import Deduplicator, DedupMember
from wirecheck.errors import WirecheckError
from wirecheck.models import Article, Document, DocumentKind, Failure
from wirecheck.settings import CleanSettings, Settings
from wirecheck.store import ActorRow, Store, StoredSignature

ProgressCallback = Callable[[int, int | None], None]
Result = tuple[Article | Failure, DedupMember | None]
Task = tuple[Document, frozenset[str]]
Work = Callable[[list[Task]], list[Result]]


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
    engine: str = "local"

    def to_dict(self) -> dict[str, object]:
        return {
            "db": self.db,
            "engine": self.engine,
            "documents": self.documents,
            "new_articles": self.new_articles,
            "already_stored": self.already_stored,
            "failures": len(self.failures),
            "seconds": round(self.seconds, 3),
            "totals": self.totals,
        }


@dataclass(frozen=True)
class Processed:
    """A document whose per-document stages already ran elsewhere (on a Ray worker).

    ``result`` is None when the worker skipped it because the store already held it.
    """

    id: str
    input: str
    result: Article | Failure | None
    member: DedupMember | None = None


Item = Document | Failure | Processed


# -- site furniture ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteSample:
    """What the furniture statistics need of one scraped-text document: its site, a digest of
    its lines (a page seen twice counts once) and the keys of its learnable lines."""

    site: str
    digest: str
    keys: tuple[str, ...]


def document_site(doc: Document) -> tuple[str | None, list[str]]:
    """The site a scraped-text document's furniture is learned and applied under, with its lines
    (None and [] for other kinds, and for text that cannot be decoded: cleaning reports it)."""
    if doc.kind is not DocumentKind.TEXT:
        return None, []
    try:
        lines = document_lines(doc)
    except WirecheckError:
        return None, []
    return site_key(doc, lines), lines


def site_sample(doc: Document) -> SiteSample | None:
    """The furniture sample of one document, or None when it teaches nothing."""
    site, lines = document_site(doc)
    if site is None:
        return None
    # The digest is over line keys, so a re-fetch that differs only in a timestamp is one page.
    digest = hashlib.blake2b(
        "\n".join(line_key(line) for line in lines).encode("ascii"), digest_size=16
    ).hexdigest()
    keys = sorted({line_key(line) for line in lines if learnable(line)})
    return SiteSample(site, digest, tuple(keys))


class Furniture:
    """Site furniture learned from samples in any order: counts are sums and a repeated page is
    dropped by its digest, so the answer depends only on the set of documents.

    Memory grows with the number of distinct (site, line) pairs and distinct pages, not with the
    documents' text: a sample is a few hundred bytes.
    """

    def __init__(self, settings: CleanSettings) -> None:
        self._settings = settings
        self._stats = SiteLineStats()
        self._pages: dict[str, set[str]] = {}
        self._cache: dict[str, frozenset[str]] = {}

    def add(self, sample: SiteSample) -> None:
        pages = self._pages.setdefault(sample.site, set())
        if sample.digest in pages:
            return
        pages.add(sample.digest)
        self._stats.docs[sample.site] += 1
        self._stats.lines.setdefault(sample.site, Counter()).update(sample.keys)
        self._cache.pop(sample.site, None)

    def for_site(self, site: str | None) -> frozenset[str]:
        if site is None:
            return frozenset()
        if site not in self._cache:
            self._cache[site] = self._stats.furniture(
                site,
                min_docs=self._settings.site_line_min_docs,
                min_share=self._settings.site_line_min_share,
            )
        return self._cache[site]

    def for_document(self, doc: Document) -> frozenset[str]:
        return self.for_site(document_site(doc)[0])

    def table(self) -> dict[str, frozenset[str]]:
        """Every site's furniture that is not empty: what a remote worker needs to clean."""
        out = {site: self.for_site(site) for site in sorted(self._stats.lines)}
        return {site: keys for site, keys in out.items() if keys}


def table_digest(table: dict[str, frozenset[str]]) -> str:
    """A digest of a furniture table: outputs cleaned under other furniture are not reused."""
    digest = hashlib.sha256()
    for site in sorted(table):
        digest.update(site.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(",".join(sorted(table[site])).encode("ascii") + b"\n")
    return digest.hexdigest()[:16]


# -- the driver's store loop -----------------------------------------------------------------
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


def analysis_version(settings: Settings) -> int | None:
    return ANALYSIS_VERSION if settings.analyze.enabled else None


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _skipped(item: Processed) -> Failure:
    # A worker skips a document the store held when the run was planned; the store is locked
    # by this run, so this only happens if it was changed behind wirecheck's back.
    return Failure(
        item.input, "load", "WC900", "[WC900] skipped as stored, but the store does not hold it"
    )


def store_batches(
    items: Iterable[Item],
    *,
    settings: Settings,
    store: Store,
    dedup: Deduplicator,
    work: Work,
    furniture: Callable[[Document], frozenset[str]],
    summary: RunSummary,
    total: int | None,
    progress: ProgressCallback | None,
) -> None:
    """Clean (raw documents, through ``work``), deduplicate and write ``items`` batch by batch,
    one transaction each. Documents the store already holds, or seen earlier in the batch, are
    not cleaned again."""
    version = analysis_version(settings)
    actor_table = load_actors(actor_files(settings.analyze)) if settings.analyze.enabled else None
    done = 0
    for batch in batches(items, settings.pipeline.batch_size):
        failures = [item for item in batch if isinstance(item, Failure)]
        documents = [item for item in batch if not isinstance(item, Failure)]
        known = store.known_ids([d.id for d in documents], analysis_version=version)
        sightings = [(d.id, d.input) for d in documents]
        tasks: list[Task] = []
        slots: list[tuple[str, Result | int]] = []  # (id, a ready result or a task's index)
        seen: set[str] = set()
        repeats: list[Document | Processed] = []
        for doc in documents:
            if doc.id in known:
                summary.already_stored += 1
                continue
            if doc.id in seen:
                repeats.append(doc)
                continue
            seen.add(doc.id)
            if isinstance(doc, Document):
                slots.append((doc.id, len(tasks)))
                tasks.append((doc, furniture(doc)))
            elif doc.result is None:
                slots.append((doc.id, (_skipped(doc), None)))
            else:
                slots.append((doc.id, (doc.result, doc.member)))
        done_tasks = work(tasks) if tasks else []
        articles: list[Article] = []
        members: list[DedupMember] = []
        failed: dict[str, Failure] = {}
        for doc_id, slot in slots:
            result, member = done_tasks[slot] if isinstance(slot, int) else slot
            if isinstance(result, Failure):
                failures.append(result)
                failed[doc_id] = result
            elif member is not None:
                articles.append(result)
                members.append(member)
        for doc in repeats:
            # A copy of a document met earlier in the batch shares its fate: stored (and
            # sighted below), or failed, and then logged under this copy's input too, so that
            # no input disappears without a trace.
            first = failed.get(doc.id)
            if first is None:
                summary.already_stored += 1
            else:
                failures.append(Failure(doc.input, first.stage, first.code, first.message))
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
