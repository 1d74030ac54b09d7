"""The store: the only package that holds SQL.

A DuckDB file by default (``--db PATH``), or a PostgreSQL database (``--db postgresql://...``);
both behind the same :class:`Store` (the differences live in :mod:`wirecheck.store.backend`).
Every batch is written in one transaction, so a kill at any point leaves whole articles or none;
ids are content-derived, so re-running the same inputs changes nothing.

Reading while another process writes
------------------------------------
PostgreSQL: any number of processes read and write at once (MVCC); open one store per process
(or per thread: :meth:`Store.session`). Readers see whole batches only. A write that loses its
connection (server restarted) is retried on a new connection, as a whole, up to
``Store.write_attempts`` times, then fails with a StoreError; it is never half-applied.

DuckDB: one process may hold the file read-write, *or* any number of processes read-only; never
both. So, for a server:

- while no ingest runs, open a short-lived read-only store per request
  (``open_store(path, read_only=True)``); it fails fast with :class:`StoreLocked` while a writer
  holds the file, which the server should answer with 503 + ``Retry-After`` rather than wait;
- to ingest while serving, run the ingest inside the server process: open the store read-write
  once and give each request thread its own ``store.session()`` (a cursor on the same database:
  reads see committed batches only, never a half-written one);
- or use PostgreSQL.

A read-write ``open_store`` of a file that a reader holds fails the same way (StoreLocked).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirecheck.errors import NotFound, SchemaTooNew, StoreError, UsageError
from wirecheck.models import Article, DedupAssignment, Failure
from wirecheck.store.analysis import ActorCount, ActorRow, AnalysisTables, EventRow, PlaceRow
from wirecheck.store.backend import (
    Backend,
    ConnectionLost,
    PostgresBackend,
    open_duckdb,
)
from wirecheck.store.schema import MIGRATIONS, SCHEMA_VERSION
from wirecheck.store.search import SearchHit, SearchIndex
from wirecheck.store.verification import ClaimRow, SourceRow, VerificationTables

__all__ = [
    "ARTICLE_COLUMNS",
    "ActorCount",
    "ActorRow",
    "ClaimRow",
    "EventRow",
    "FailureRow",
    "PlaceRow",
    "SearchHit",
    "SourceRow",
    "Store",
    "StoredSignature",
    "open_store",
]

ARTICLE_COLUMNS = (
    "id", "input", "kind", "url", "title", "body", "published", "site", "authors", "dateline",
    "agency", "language", "tags", "notices", "removed", "warnings", "body_hash",
    "syndication_group", "origin", "duplicate_of", "ingested_at",
)  # fmt: skip
_JSON_COLUMNS = {"authors", "tags", "notices", "removed", "warnings"}
_FULL_ID = re.compile(r"[0-9a-f]{16}\Z")  # article ids are the first 16 hex digits of a sha256


@dataclass(frozen=True)
class FailureRow:
    input: str
    stage: str
    code: str
    message: str
    first_seen: str
    last_seen: str
    attempts: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class StoredSignature:
    article_id: str
    body_hash: str
    published: str | None
    agency: str | None
    signature: bytes


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _json_value(value: Any) -> Any:
    # Notices and removed lines are flat dataclasses; everything else in a JSON column is a
    # tuple of strings. (Article.to_dict() deep-copies the analysis too: 1 s per 1000 articles.)
    return [v.__dict__ if hasattr(v, "__dict__") else v for v in value]


def _article_row(article: Article) -> tuple[Any, ...]:
    return tuple(
        json.dumps(_json_value(getattr(article, c)), ensure_ascii=False)
        if c in _JSON_COLUMNS
        else getattr(article, c).value
        if c == "kind"
        else getattr(article, c)
        for c in ARTICLE_COLUMNS
    )


def _article_from_row(row: Sequence[Any]) -> Article:
    data = dict(zip(ARTICLE_COLUMNS, row, strict=True))
    for column in _JSON_COLUMNS:
        data[column] = json.loads(data[column])
    return Article.from_dict(data)


class Store(AnalysisTables, VerificationTables, SearchIndex):
    """A wirecheck database. Use :func:`open_store`; close it (or use ``with``) when done.

    One store is one connection: use it from one thread at a time (:meth:`session` gives another).
    """

    write_attempts = 3  # tries of one write transaction when the server connection drops
    write_reconnect_timeout = 30.0  # seconds a write waits for the server to come back per try

    def __init__(self, db: Backend, *, migrate: bool = True) -> None:
        self._db = db
        self.location = db.location
        if migrate:
            self._migrate()
        else:
            self._check_version()

    @property
    def dialect(self) -> str:
        """``duckdb`` or ``postgresql``."""
        return self._db.dialect

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Store:
        """Another handle on the same database for another thread (DuckDB: a cursor sharing the
        open file; PostgreSQL: a new connection). Close it when done."""
        return Store(self._db.session(), migrate=False)

    def _check_version(self) -> None:
        try:
            version = self._db.scalar("SELECT max(version) FROM schema_migrations")
        except ConnectionLost:
            raise
        except StoreError as exc:
            raise NotFound(
                f"{self.location} holds no wirecheck database",
                hint="run `wirecheck analyze PATH --db ...` against it first",
            ) from exc
        if version is not None and int(version) > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.location} has schema version {version}; this wirecheck knows {SCHEMA_VERSION}"
            )

    def _migrate(self) -> None:
        db = self._db
        with db.transaction():
            db.lock_schema()
            db.run(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "description VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)"
            )
        self._check_version()
        applied: list[int] = []
        for version, description, statements in MIGRATIONS:
            try:
                with db.transaction():
                    db.lock_schema()
                    # Checked under the lock: another process may have just applied it.
                    if db.one("SELECT 1 FROM schema_migrations WHERE version = ?", [version]):
                        continue
                    for statement in statements:
                        sql = statement if isinstance(statement, str) else statement[db.dialect]
                        if sql:
                            db.run(db.ddl(sql))
                    db.run(
                        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [version, description, _now()],
                    )
                    if version == 4:
                        # Articles stored before search existed get indexed with the migration.
                        self._reindex_all(lengths=False)
                    applied.append(version)
            except StoreError as exc:
                raise StoreError(
                    f"migration {version} failed on {self.location}: {exc.message}"
                ) from exc
        if {5, 6} & set(applied) and db.dialect == "duckdb":
            # Lay out the existing search index and verification tables for fast lookups.
            self.optimize()

    def optimize(self) -> None:
        """Rewrite tables for fast reads after large writes (DuckDB: the search index in term
        order and the verification tables in key order, so lookups skip most of each table by
        its per-block min/max; PostgreSQL: refresh planner statistics). Safe to run any time;
        takes seconds per million rows. Rows written later are found too, only more slowly."""
        if self._db.dialect == "postgresql":
            self._db.run("ANALYZE")
            return

        def work() -> None:
            self._cluster_search()
            self._cluster_verification()
            # Claims in (article, position) order: a claims page after a cursor then reads a
            # block or two (DuckDB stops a top-N scan once later blocks cannot enter it): 4 ms
            # instead of 32 ms on 571k claims. Rewriting rows under an index is what is slow on
            # DuckDB (schema migration 4), so the indexes are rebuilt afterwards (about 1 s).
            for index in ("claims_article", "claims_id"):
                self._db.run(f"DROP INDEX IF EXISTS {index}")
            self._db.cluster("claims", "article_id, idx")
            self._db.run("CREATE INDEX claims_article ON claims (article_id)")
            self._db.run("CREATE INDEX claims_id ON claims (id)")
            # Event actors in code order: events by actor read the blocks of that code only.
            self._db.run("DROP INDEX IF EXISTS event_actors_article")
            self._db.cluster("event_actors", "code, day, article_id, idx")
            self._db.run("CREATE INDEX event_actors_article ON event_actors (article_id)")

        self._write_retrying("the optimised layout", work)
        self._db.run("CHECKPOINT")  # drop the old row groups now, not at the next checkpoint

    def schema_versions(self) -> list[tuple[int, str]]:
        rows = self._db.rows("SELECT version, description FROM schema_migrations ORDER BY version")
        return [(int(v), str(d)) for v, d in rows]

    def _write_retrying(self, what: str, work: Callable[[], None]) -> None:
        """Run ``work`` in one transaction; on a lost connection, reconnect and run it again."""
        for attempt in range(1, self.write_attempts + 1):
            try:
                with self._db.transaction():
                    work()
                return
            except ConnectionLost as exc:
                if attempt < self.write_attempts:
                    try:
                        self._db.reconnect(timeout=self.write_reconnect_timeout)
                        continue
                    except ConnectionLost:
                        pass
                raise StoreError(
                    f"could not write {what} to {self.location}: {exc.message} "
                    f"(tried {attempt} time(s)); none of it was applied",
                    hint="check that the database server is up, then re-run the same command: "
                    "stored articles are skipped",
                ) from exc
            except StoreError as exc:
                raise StoreError(
                    f"could not write {what} to {self.location}: {exc.message}"
                ) from exc

    # -- writing --------------------------------------------------------------------------------
    def write_batch(
        self,
        *,
        articles: Sequence[Article] = (),
        signatures: Sequence[StoredSignature] = (),
        assignments: Sequence[DedupAssignment] = (),
        sightings: Sequence[tuple[str, str]] = (),
        failures: Sequence[Failure] = (),
        analysis_version: int | None = None,
        actors: Sequence[ActorRow] = (),
    ) -> None:
        """Write one batch atomically: all of it or, after a crash, none of it.

        With ``analysis_version``, the articles' mentions, dates, events and claims replace any
        stored ones and the articles are marked as analysed by that version.
        """
        now = _now()
        article_rows = [_article_row(a) for a in articles]
        signature_rows = [
            (s.article_id, s.body_hash, s.published, s.agency, s.signature) for s in signatures
        ]
        assignment_rows = [
            (a.article_id, a.syndication_group, a.origin, a.duplicate_of) for a in assignments
        ]
        failure_rows = [(f.input, f.stage, f.code, f.message, now, now) for f in failures]

        def work() -> None:
            db = self._db
            db.bulk("articles", ARTICLE_COLUMNS, article_rows, "ON CONFLICT (id) DO NOTHING")
            db.bulk(
                "dedup_signatures",
                ("article_id", "body_hash", "published", "agency", "signature"),
                signature_rows,
                "ON CONFLICT (article_id) DO NOTHING",
            )
            if assignment_rows:
                db.run(
                    "CREATE TEMP TABLE IF NOT EXISTS staged_assignments (article_id VARCHAR, "
                    "syndication_group VARCHAR, origin VARCHAR, duplicate_of VARCHAR)"
                )
                db.run("DELETE FROM staged_assignments")
                db.bulk(
                    "staged_assignments",
                    ("article_id", "syndication_group", "origin", "duplicate_of"),
                    assignment_rows,
                )
                db.run(
                    "UPDATE articles SET syndication_group = s.syndication_group, "
                    "origin = s.origin, duplicate_of = s.duplicate_of "
                    "FROM staged_assignments s WHERE articles.id = s.article_id"
                )
            db.bulk("sightings", ("article_id", "input"), list(sightings), "ON CONFLICT DO NOTHING")
            self._index_articles([a.id for a in articles])
            if analysis_version is not None and articles:
                self._write_analysis(articles, analysis_version, actors)
            db.run_many(
                "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (input, stage, code) DO UPDATE SET message = excluded.message, "
                "last_seen = excluded.last_seen, attempts = failures.attempts + 1",
                failure_rows,
            )

        self._write_retrying("a batch", work)

    def known_ids(self, ids: Sequence[str], *, analysis_version: int | None = None) -> set[str]:
        """The ids already stored (and, with ``analysis_version``, analysed by it or later)."""
        if not ids:
            return set()
        sql = f"SELECT id FROM articles WHERE {self._db.in_list('id')}"
        params: list[Any] = [list(ids)]
        if analysis_version is not None:
            sql += " AND coalesce(analysis_version, 0) >= ?"
            params.append(analysis_version)
        return {r[0] for r in self._db.rows(sql, params)}

    def signatures(self) -> Iterator[StoredSignature]:
        after = ""
        while rows := self._db.rows(
            "SELECT article_id, body_hash, published, agency, signature FROM dedup_signatures "
            "WHERE article_id > ? ORDER BY article_id LIMIT 5000",
            [after],
        ):
            for r in rows:
                yield StoredSignature(r[0], r[1], r[2], r[3], bytes(r[4]))
            after = rows[-1][0]

    # -- reading articles -----------------------------------------------------------------------
    def articles(
        self,
        *,
        site: str | None = None,
        group: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        analysis: bool = True,
    ) -> Iterator[Article]:
        """Articles by publication date then id, with their analysis attached (streamed).

        ``analysis=False`` leaves mentions, dates, events and claims empty (a listing that
        shows summaries needs none of them, and loading them is most of the cost)."""
        attach = self._with_analysis if analysis else list
        where: list[str] = []
        params: list[Any] = []
        if site:
            where.append("site = ?")
            params.append(site)
        if group:
            where.append("syndication_group = ?")
            params.append(group)
        select = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
        order = " ORDER BY coalesce(published, ''), id"
        if limit is not None:
            # The page's ids first (sorting two narrow columns), then those rows: sorting with
            # every column (bodies included) took several times as long on 100k articles.
            sql = "SELECT id FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
            ids = [
                r[0]
                for r in self._db.rows(
                    sql + order + f" LIMIT {int(limit)} OFFSET {int(offset)}", params
                )
            ]
            found = self._article_rows(ids)
            page = [found[i] for i in ids if i in found]
            for start in range(0, len(page), 500):
                yield from attach([_article_from_row(r) for r in page[start : start + 500]])
            return
        # Keyset pages, so a large corpus is never held in memory at once.
        last: tuple[str, str] | None = None
        while True:
            page_where, page_params = list(where), list(params)
            if last is not None:
                page_where.append(
                    "(coalesce(published, '') > ? OR (coalesce(published, '') = ? AND id > ?))"
                )
                page_params += [last[0], last[0], last[1]]
            sql = select + (" WHERE " + " AND ".join(page_where) if page_where else "")
            rows = self._db.rows(sql + order + " LIMIT 500", page_params)
            if not rows:
                return
            articles = [_article_from_row(r) for r in rows]
            yield from attach(articles)
            last = (articles[-1].published or "", articles[-1].id)

    def iter_articles(self, *, batch_size: int = 1000) -> Iterator[list[Article]]:
        """Every article in id order, ``batch_size`` at a time, with mentions, dates, events and
        claims attached (for corpus-level stages such as verify). Streams: each table is read
        once, in order, on cursors of its own; other store calls may run between batches."""
        chunks = self._db.stream(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY {self._db.binary('id')}",
            size=max(1, int(batch_size)),
        )
        batches = ([_article_from_row(r) for r in chunk] for chunk in chunks)
        try:
            yield from self._attach_streamed(batches)
        finally:
            chunks.close()

    def article_order(self, *, site: str | None = None, group: str | None = None) -> list[str]:
        """Every article id (of ``site``/``group``) in :meth:`articles` order (publication date,
        then id): one narrow query, for a caller that pages through the listing many times."""
        where: list[str] = []
        params: list[Any] = []
        if site:
            where.append("site = ?")
            params.append(site)
        if group:
            where.append("syndication_group = ?")
            params.append(group)
        sql = "SELECT id FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
        return [r[0] for r in self._db.rows(sql + " ORDER BY coalesce(published, ''), id", params)]

    def _article_rows(self, ids: Sequence[str]) -> dict[str, Sequence[Any]]:
        if not ids:
            return {}
        if len(ids) == 1:
            sql = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?"
        else:  # joined from the id list (see AnalysisTables._events_of_actor)
            sql = (
                f"SELECT {', '.join('a.' + c for c in ARTICLE_COLUMNS)} "
                "FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS aid) k JOIN articles a ON a.id = k.aid"
            )
        rows = self._db.rows(sql, [ids[0] if len(ids) == 1 else list(ids)])
        return {r[0]: r for r in rows}

    def articles_by_id(self, ids: Sequence[str], *, analysis: bool = False) -> list[Article]:
        """The stored articles among ``ids``, in that order (ids not stored are left out), in
        one query per table instead of one :meth:`article` call each; with ``analysis``, their
        mentions, dates, events and claims attached."""
        found = self._article_rows(list(dict.fromkeys(ids)))
        articles = [_article_from_row(found[i]) for i in ids if i in found]
        return self._with_analysis(articles) if analysis else articles

    def article(self, article_id: str) -> Article:
        """One article by id, or by a unique prefix of at least 6 characters."""
        if len(article_id) < 6:
            raise UsageError("give at least 6 characters of the article id")
        if _FULL_ID.match(article_id):
            # A whole id: an equality on the primary key, not a LIKE scan.
            exact = self._article_rows([article_id]).get(article_id)
            if exact is not None:
                return self._with_analysis([_article_from_row(exact)])[0]
        rows = self._db.rows(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id LIKE ? ORDER BY id LIMIT 2",
            [article_id.replace("%", "").replace("_", "") + "%"],
        )
        if not rows:
            raise NotFound(f"no article with id {article_id!r} in {self.location}")
        if len(rows) > 1:
            raise UsageError(f"id prefix {article_id!r} is ambiguous; give more characters")
        return self._with_analysis([_article_from_row(rows[0])])[0]

    def sightings_of(self, article_id: str) -> list[str]:
        rows = self._db.rows(
            "SELECT input FROM sightings WHERE article_id = ? ORDER BY input", [article_id]
        )
        return [r[0] for r in rows]

    def failures(self, *, stage: str | None = None) -> list[FailureRow]:
        sql = "SELECT input, stage, code, message, first_seen, last_seen, attempts FROM failures"
        params: list[Any] = []
        if stage:
            sql += " WHERE stage = ?"
            params.append(stage)
        rows = self._db.rows(sql + " ORDER BY input, stage, code", params)
        return [FailureRow(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Row counts, from one statement so they come from one snapshot."""
        row = self._db.one(
            "SELECT count(*), count(DISTINCT syndication_group), count(duplicate_of), "
            "count(DISTINCT site), (SELECT count(*) FROM failures), "
            "(SELECT count(*) FROM stories), (SELECT count(*) FROM claims), "
            "(SELECT count(*) FROM claim_links) FROM articles"
        )
        assert row is not None
        names = ("articles", "syndication_groups", "exact_duplicates", "sites", "failures",
                 "stories", "claims", "links")  # fmt: skip
        return {name: int(value) for name, value in zip(names, row, strict=True)}

    def export_table(self, path: str | Path, fmt: str) -> int:
        """Write every article to CSV or Parquet (JSON columns stay JSON text); return the count."""
        if fmt not in {"csv", "parquet"}:
            raise UsageError(f"unknown table export format {fmt!r}")
        self._db.export(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY id", str(path), fmt
        )
        return int(self._db.scalar("SELECT count(*) FROM articles") or 0)


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at ``location``: a DuckDB file path, or a ``postgresql://`` URL.

    Read-write opens create the database (a DuckDB file) and apply any missing migrations.
    ``read_only`` applies none and fails with NotFound if a DuckDB file does not exist, and with
    StoreLocked at once (no waiting) if a writer process holds it.
    """
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return Store(PostgresBackend(text, read_only=read_only), migrate=not read_only)
    path = Path(text)
    if read_only and not path.exists():
        raise NotFound(
            f"no wirecheck database at {path}",
            hint="run `wirecheck analyze PATH` first or pass --db",
        )
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return Store(open_duckdb(path, read_only=read_only), migrate=not read_only)
