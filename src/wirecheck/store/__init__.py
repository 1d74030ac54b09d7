"""The store: the only package that holds SQL.

A DuckDB file by default (``--db PATH``). Every batch is written in one transaction, so a kill at
any point leaves whole articles or none; ids are content-derived, so re-running the same inputs
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from wirecheck.errors import NotFound, SchemaTooNew, StoreError, StoreLocked, UsageError
from wirecheck.models import Article, DedupAssignment, Failure
from wirecheck.store.analysis import ActorCount, ActorRow, AnalysisTables, EventRow, PlaceRow
from wirecheck.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "ARTICLE_COLUMNS",
    "ActorCount",
    "ActorRow",
    "EventRow",
    "FailureRow",
    "PlaceRow",
    "Store",
    "open_store",
]

ARTICLE_COLUMNS = (
    "id", "input", "kind", "url", "title", "body", "published", "site", "authors", "dateline",
    "agency", "language", "tags", "notices", "removed", "warnings", "body_hash",
    "syndication_group", "origin", "duplicate_of", "ingested_at",
)  # fmt: skip
_JSON_COLUMNS = {"authors", "tags", "notices", "removed", "warnings"}


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


def _article_row(article: Article) -> tuple[Any, ...]:
    data = article.to_dict()
    return tuple(
        json.dumps(data[c], ensure_ascii=False) if c in _JSON_COLUMNS else data[c]
        for c in ARTICLE_COLUMNS
    )


def _article_from_row(row: Sequence[Any]) -> Article:
    data = dict(zip(ARTICLE_COLUMNS, row, strict=True))
    for column in _JSON_COLUMNS:
        data[column] = json.loads(data[column])
    return Article.from_dict(data)


class Store(AnalysisTables):
    """A wirecheck database. Use :func:`open_store`; close it (or use ``with``) when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, location: str) -> None:
        self._con = con
        self.location = location
        self._migrate()

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        con = self._con
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)"
        )
        applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        if applied and max(applied) > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.location} has schema version {max(applied)}; this wirecheck knows {SCHEMA_VERSION}"
            )
        for version, description, statements in MIGRATIONS:
            if version in applied:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                for statement in statements:
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, description, _now()]
                )
                con.execute("COMMIT")
            except duckdb.Error as exc:
                con.execute("ROLLBACK")
                raise StoreError(f"migration {version} failed on {self.location}: {exc}") from exc

    def schema_versions(self) -> list[tuple[int, str]]:
        rows = self._con.execute(
            "SELECT version, description FROM schema_migrations ORDER BY version"
        ).fetchall()
        return [(int(v), str(d)) for v, d in rows]

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

        With ``analysis_version``, the articles' mentions and dates replace any stored ones and
        the articles are marked as analysed by that version.
        """
        con = self._con
        now = _now()
        con.execute("BEGIN TRANSACTION")
        try:
            # Rows go in as Arrow tables: DuckDB's executemany runs one statement per row, which
            # took over a second per batch of 200 articles; a bulk INSERT ... SELECT takes ms.
            self._bulk(
                "articles",
                ARTICLE_COLUMNS,
                [_article_row(a) for a in articles],
                "ON CONFLICT (id) DO NOTHING",
            )
            self._bulk(
                "dedup_signatures",
                ("article_id", "body_hash", "published", "agency", "signature"),
                [
                    (s.article_id, s.body_hash, s.published, s.agency, s.signature)
                    for s in signatures
                ],
                "ON CONFLICT (article_id) DO NOTHING",
            )
            if assignments:
                con.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS staged_assignments (article_id VARCHAR, "
                    "syndication_group VARCHAR, origin VARCHAR, duplicate_of VARCHAR)"
                )
                con.execute("DELETE FROM staged_assignments")
                self._bulk(
                    "staged_assignments",
                    ("article_id", "syndication_group", "origin", "duplicate_of"),
                    [
                        (a.article_id, a.syndication_group, a.origin, a.duplicate_of)
                        for a in assignments
                    ],
                    "",
                )
                con.execute(
                    "UPDATE articles SET syndication_group = s.syndication_group, "
                    "origin = s.origin, duplicate_of = s.duplicate_of "
                    "FROM staged_assignments s WHERE articles.id = s.article_id"
                )
            self._bulk(
                "sightings", ("article_id", "input"), list(sightings), "ON CONFLICT DO NOTHING"
            )
            if analysis_version is not None and articles:
                self._write_analysis(articles, analysis_version, actors)
            if failures:
                con.executemany(
                    "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT (input, stage, code) DO UPDATE SET message = excluded.message, "
                    "last_seen = excluded.last_seen, attempts = failures.attempts + 1",
                    [(f.input, f.stage, f.code, f.message, now, now) for f in failures],
                )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"could not write a batch to {self.location}: {exc}") from exc

    def known_ids(self, ids: Sequence[str], *, analysis_version: int | None = None) -> set[str]:
        """The ids already stored (and, with ``analysis_version``, analysed by it or later)."""
        if not ids:
            return set()
        sql = "SELECT id FROM articles WHERE id IN (SELECT unnest(?))"
        params: list[Any] = [list(ids)]
        if analysis_version is not None:
            sql += " AND coalesce(analysis_version, 0) >= ?"
            params.append(analysis_version)
        return {r[0] for r in self._con.execute(sql, params).fetchall()}

    def signatures(self) -> Iterator[StoredSignature]:
        cursor = self._con.execute(
            "SELECT article_id, body_hash, published, agency, signature FROM dedup_signatures ORDER BY article_id"
        )
        while rows := cursor.fetchmany(5000):
            for r in rows:
                yield StoredSignature(r[0], r[1], r[2], r[3], bytes(r[4]))

    def articles(
        self,
        *,
        site: str | None = None,
        group: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        where, params = [], []
        if site:
            where.append("site = ?")
            params.append(site)
        if group:
            where.append("syndication_group = ?")
            params.append(group)
        sql = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY coalesce(published, ''), id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._con.execute(sql, params).fetchall()
        for start in range(0, len(rows), 500):
            chunk = [_article_from_row(r) for r in rows[start : start + 500]]
            yield from self._with_analysis(chunk)

    def article(self, article_id: str) -> Article:
        """One article by id, or by a unique prefix of at least 6 characters."""
        if len(article_id) < 6:
            raise UsageError("give at least 6 characters of the article id")
        rows = self._con.execute(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id LIKE ? ORDER BY id LIMIT 2",
            [article_id.replace("%", "").replace("_", "") + "%"],
        ).fetchall()
        if not rows:
            raise NotFound(f"no article with id {article_id!r} in {self.location}")
        if len(rows) > 1:
            raise UsageError(f"id prefix {article_id!r} is ambiguous; give more characters")
        return self._with_analysis([_article_from_row(rows[0])])[0]

    def sightings_of(self, article_id: str) -> list[str]:
        rows = self._con.execute(
            "SELECT input FROM sightings WHERE article_id = ? ORDER BY input", [article_id]
        ).fetchall()
        return [r[0] for r in rows]

    def failures(self, *, stage: str | None = None) -> list[FailureRow]:
        sql = "SELECT input, stage, code, message, first_seen, last_seen, attempts FROM failures"
        params: list[Any] = []
        if stage:
            sql += " WHERE stage = ?"
            params.append(stage)
        rows = self._con.execute(sql + " ORDER BY input, stage, code", params).fetchall()
        return [FailureRow(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        one = self._con.execute(
            "SELECT count(*), count(DISTINCT syndication_group), count(duplicate_of), count(DISTINCT site) "
            "FROM articles"
        ).fetchone()
        failures = self._con.execute("SELECT count(*) FROM failures").fetchone()
        assert one is not None and failures is not None
        return {
            "articles": int(one[0]),
            "syndication_groups": int(one[1]),
            "exact_duplicates": int(one[2]),
            "sites": int(one[3]),
            "failures": int(failures[0]),
        }

    def export_table(self, path: str | Path, fmt: str) -> int:
        """Write every article to CSV or Parquet (JSON columns stay JSON text); return the count."""
        if fmt not in {"csv", "parquet"}:
            raise UsageError(f"unknown table export format {fmt!r}")
        target = str(path).replace("'", "''")
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        self._con.execute(
            f"COPY (SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY id) TO '{target}' ({options})"
        )
        row = self._con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``location`` (a DuckDB file path)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise UsageError(
            "PostgreSQL stores are not supported by this version; use a DuckDB file path"
        )
    path = Path(text)
    if read_only and not path.exists():
        raise NotFound(
            f"no wirecheck database at {path}",
            hint="run `wirecheck analyze PATH` first or pass --db",
        )
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLocked(f"{path} is in use by another process") from exc
        raise StoreError(f"cannot open {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    if read_only:
        return _ReadOnlyStore(con, text)
    return Store(con, text)


class _ReadOnlyStore(Store):
    def _migrate(self) -> None:
        versions = self._con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        if versions and versions[0] is not None and int(versions[0]) > SCHEMA_VERSION:
            raise SchemaTooNew(f"{self.location} has schema version {versions[0]}")
