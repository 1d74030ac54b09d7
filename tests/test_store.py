from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from wirecheck.errors import NotFound, SchemaTooNew, StoreError, UsageError
from wirecheck.models import Article, DedupAssignment, DocumentKind, Failure, Notice, RemovedLine
from wirecheck.store import Store, StoredSignature, open_store
from wirecheck.store.schema import SCHEMA_VERSION


def _article(article_id: str = "abcdef0123456789", **kw: object) -> Article:
    values: dict[str, object] = dict(
        id=article_id,
        input="corpus/a.txt",
        kind=DocumentKind.TEXT,
        title="Navies drill in the Baltic",
        body="VILNIUS, Oct 14 (BWS) - Warships “began” drills.",
        published="2026-10-14",
        site="example.org",
        authors=("Ona Example",),
        dateline="Vilnius",
        agency="BWS",
        language="en",
        tags=("Baltic",),
        notices=(Notice("agency_feed", "Auto-published from an agency feed."),),
        removed=(RemovedLine("Subscribe", "share"),),
        body_hash="h1",
    )
    values.update(kw)
    return Article(**values)  # type: ignore[arg-type]


def test_migrations_are_recorded(any_store: Store) -> None:
    assert any_store.schema_versions()[-1][0] == SCHEMA_VERSION


def test_round_trip_and_idempotent_rewrite(any_store: Store) -> None:
    article = _article()
    for _ in range(2):
        any_store.write_batch(
            articles=[article],
            assignments=[DedupAssignment(article.id, "gabc", "agency:BWS", None)],
            sightings=[(article.id, "corpus/a.txt")],
        )
    got = any_store.article(article.id[:8])
    assert got.to_dict() == {
        **article.to_dict(),
        "syndication_group": "gabc",
        "origin": "agency:BWS",
    }
    assert any_store.counts()["articles"] == 1
    assert any_store.sightings_of(article.id) == ["corpus/a.txt"]


def test_failure_log_upserts(any_store: Store) -> None:
    failure = Failure("bad.bin", "ingest", "WC105", "binary")
    any_store.write_batch(failures=[failure])
    any_store.write_batch(failures=[failure])
    (row,) = any_store.failures()
    assert (row.input, row.code, row.attempts) == ("bad.bin", "WC105", 2)


def test_a_failing_batch_writes_nothing(any_store: Store) -> None:
    good = _article("1111111111111111")
    bad = _article("2222222222222222", body=None)  # violates NOT NULL inside the transaction
    with pytest.raises(StoreError):
        any_store.write_batch(articles=[good, bad], failures=[Failure("x", "clean", "WC301", "m")])
    assert any_store.counts() == {
        "articles": 0,
        "syndication_groups": 0,
        "exact_duplicates": 0,
        "sites": 0,
        "failures": 0,
        "stories": 0,
        "claims": 0,
        "links": 0,
    }


def test_lookup_errors(any_store: Store) -> None:
    with pytest.raises(NotFound):
        any_store.article("ffffffffff")
    with pytest.raises(UsageError):
        any_store.article("ab")


def test_read_only_missing_db(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        open_store(tmp_path / "none.duckdb", read_only=True)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', 'now')")
    con.close()
    with pytest.raises(SchemaTooNew):
        open_store(path)


def test_newer_schema_is_refused_on_postgresql(pg_url: str) -> None:
    with open_store(pg_url) as s:
        s._db.run("INSERT INTO schema_migrations VALUES (999, 'from the future', 'now')")
    with pytest.raises(SchemaTooNew):
        open_store(pg_url)
    with pytest.raises(SchemaTooNew):
        open_store(pg_url, read_only=True)


def test_read_only_postgresql_refuses_writes(pg_url: str) -> None:
    with pytest.raises(NotFound, match="no wirecheck database"):
        open_store(pg_url, read_only=True)
    open_store(pg_url).close()
    with open_store(pg_url, read_only=True) as s, pytest.raises(StoreError):
        s.write_batch(articles=[_article()])


def test_bytes_and_signatures_round_trip(any_store: Store) -> None:
    article = _article()
    signature = StoredSignature(article.id, "h1", "2026-10-14", "BWS", bytes(range(256)) * 4)
    any_store.write_batch(articles=[article], signatures=[signature])
    any_store.write_batch(articles=[article], signatures=[signature])
    assert list(any_store.signatures()) == [signature]


def test_unreachable_postgresql_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_export_parquet_and_csv(any_store: Store, tmp_path: Path) -> None:
    any_store.write_batch(articles=[_article()])
    assert any_store.export_table(tmp_path / "a.parquet", "parquet") == 1
    assert any_store.export_table(tmp_path / "a.csv", "csv") == 1
    rows = duckdb.sql(f"SELECT id, title FROM read_parquet('{tmp_path / 'a.parquet'}')").fetchall()
    assert rows == [("abcdef0123456789", "Navies drill in the Baltic")]
    assert "Navies drill" in (tmp_path / "a.csv").read_text()
