"""Full-text search (BM25 over a term table on DuckDB, tsvector on PostgreSQL)."""

from __future__ import annotations

from store._corpus import A1, A2, A3, article, corpus
from wirecheck.store import Store
from wirecheck.store.schema import SCHEMA_VERSION
from wirecheck.store.search import snippet, terms


def test_terms_drop_stop_words_and_plurals() -> None:
    assert terms("The navies began drills, said officials.") == [
        "navie", "began", "drill", "official",
    ]  # fmt: skip


def test_snippet_is_cut_around_the_first_match() -> None:
    body = "Filler words. " * 30 + "The frigates sailed at dawn. " + "More filler. " * 30
    text = snippet(None, body, ["frigates"])
    assert "frigates sailed" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text) <= 205


def test_search_ranks_and_snips(any_store: Store) -> None:
    any_store.write_batch(articles=corpus())
    hits = any_store.search("unprecedented exercise")
    assert [h.article_id for h in hits] == [A3]
    assert hits[0].title == "UNPRECEDENTED exercise against the alliance"
    assert "unprecedented joint exercise" in hits[0].snippet
    assert hits[0].score > 0
    # any word matches; the article naming both frigates and the drills outranks the one that
    # mentions frigates only
    ranked = [h.article_id for h in any_store.search("frigates drills")]
    assert set(ranked[:2]) == {A1, A2} and ranked[2] == A3
    assert any_store.search("the of and") == []
    assert any_store.search("zeppelin") == []


def test_search_pages_with_after(any_store: Store) -> None:
    docs = [
        article(f"{i:016x}", f"Report {i}", "Grain shipments " + "resumed " * (i + 1) + "today.")
        for i in range(5)
    ]
    any_store.write_batch(articles=docs)
    everything = any_store.search("grain resumed", limit=10)
    assert len(everything) == 5
    assert [h.score for h in everything] == sorted((h.score for h in everything), reverse=True)
    first = any_store.search("grain resumed", limit=2)
    second = any_store.search("grain resumed", limit=2, after=first[-1].article_id)
    third = any_store.search("grain resumed", limit=2, after=second[-1].article_id)
    assert first + second + third == everything
    assert any_store.search("grain resumed", after="not-a-hit") == []


def test_articles_stored_before_search_existed_are_indexed(store_url: str) -> None:
    from wirecheck.store import open_store

    with open_store(store_url) as s:
        s.write_batch(articles=corpus())
        # Roll the database back to schema 3, as an older wirecheck left it.
        tables = ["claims", "stories", "story_members", "claim_links", "claim_support",
                  "assessments", "search_terms", "search_docs", "search_index"]  # fmt: skip
        existing = {r[0] for r in s._db.rows("SELECT table_name FROM information_schema.tables")}
        for table in tables:
            if table in existing:
                s._db.run(f"DROP TABLE {table}")
        s._db.run("DROP INDEX IF EXISTS articles_site")
        s._db.run("DROP TABLE IF EXISTS event_actors")
        for index in ("mentions_article", "dates_article", "events_article"):
            s._db.run(f"DROP INDEX IF EXISTS {index}")
        s._db.run("DELETE FROM schema_migrations WHERE version >= 4")
    with open_store(store_url) as s:
        assert [v for v, _ in s.schema_versions()] == list(range(1, SCHEMA_VERSION + 1))
        assert [h.article_id for h in s.search("frigates", limit=5)] != []
        assert {h.article_id for h in s.search("baltic")} == {A1, A2}
