"""The store's fast paths for the server (migration 5): exact-id lookups, listings without the
analysis, batch reads, the event-actor table, batch claim links and the optimised layout. Each
must answer exactly what the slow path answered; on both backends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store._corpus import A1, A2, A3, corpus, verification
from wirecheck.errors import NotFound
from wirecheck.models import Article, Event
from wirecheck.store import EventRow, Store, open_store


def _event(sentence: int, source: tuple[str, ...], target: tuple[str, ...], **kw: object) -> Event:
    values: dict[str, object] = dict(
        sentence=sentence, sentence_text=f"Sentence {sentence}.", source=source, target=target,
        plover="ASSAULT" if sentence % 2 else "CONSULT", mode=None, cameo="190", goldstein=-10.0,
        quad_class=4 if sentence % 2 else 1, trigger="hit", trigger_start=0, trigger_end=3,
    )  # fmt: skip
    values.update(kw)
    return Event(**values)  # type: ignore[arg-type]


def _articles() -> list[Article]:
    """The corpus plus events on several codes: one actor on both sides, a date of its own, no
    date at all (sorted by the article's day), an empty code, and a code with an underscore."""
    base = corpus()
    extra = (
        _event(0, ("RUSGOV",), ("RUSMIL", "UKR")),
        _event(1, ("UKRMIL",), ("RUS",), date="2026-09-30"),
        _event(2, ("RUS_X",), ("",)),
        _event(3, ("NATO",), ("RUSGOV",), date="2026-10-20"),
    )
    return [
        *base[:2],
        replace(base[2], events=extra, published="2026-10-16T08:00:00"),
        replace(base[2], id="dddddddd00000004", events=extra[:2], published=None),
    ]


def _reference(store: Store, prefix: str, **filters: object) -> list[EventRow]:
    """What events(actor=prefix) must answer: every event of the corpus (in events() order)
    with a code on either side starting with ``prefix``."""
    return [
        r
        for r in store.events(**filters)  # type: ignore[arg-type]
        if any(c.startswith(prefix) for c in (*r.event.source, *r.event.target))
    ]


@pytest.mark.parametrize(
    ("prefix", "filters"),
    [
        ("RUS", {}),
        ("RUSGOV", {}),
        ("UKR", {}),
        ("RUS_", {}),
        ("RU_", {}),  # an underscore is a character, not a LIKE wildcard
        ("LTU", {}),
        ("XYZ", {}),
        ("RUS", {"since": "2026-10-01"}),
        ("RUS", {"until": "2026-10-16"}),
        ("RUS", {"plover": "assault"}),
        ("RUS", {"quad_class": 1}),
    ],
)
def test_events_by_actor_match_a_scan(
    any_store: Store, prefix: str, filters: dict[str, object]
) -> None:
    any_store.write_batch(articles=_articles(), analysis_version=1)
    expected = _reference(any_store, prefix, **filters)
    assert any_store.events(actor=prefix, **filters) == expected  # type: ignore[arg-type]
    for limit in (1, 2, 3):
        assert any_store.events(actor=prefix, limit=limit, **filters) == expected[:limit]  # type: ignore[arg-type]


def test_events_by_actor_follow_reanalysis(any_store: Store) -> None:
    articles = _articles()
    any_store.write_batch(articles=articles, analysis_version=1)
    assert len(any_store.events(actor="RUS")) == 6
    # Re-analysed without events: the actor table must forget them.
    any_store.write_batch(
        articles=[replace(a, events=()) for a in articles[2:]], analysis_version=2
    )
    assert any_store.events(actor="RUS") == []
    assert [r.article_id for r in any_store.events(actor="LTU")] == [A1, A2]


def test_migration_5_fills_the_actor_table_of_an_older_store(store_url: str) -> None:
    with open_store(store_url) as s:
        s.write_batch(articles=_articles(), analysis_version=1)
        expected = {p: _reference(s, p) for p in ("RUS", "UKR", "NATO")}
        # Roll back to schema 4, as an older wirecheck left it.
        s._db.run("DROP TABLE event_actors")
        if s.dialect == "duckdb":
            for index in ("mentions_article", "dates_article", "events_article", "claims_article",
                          "claims_id"):  # fmt: skip
                s._db.run(f"DROP INDEX {index}")
        s._db.run("DELETE FROM schema_migrations WHERE version = 5")
    with open_store(store_url) as s:
        assert 5 in {v for v, _ in s.schema_versions()}
        assert {p: s.events(actor=p) for p in expected} == expected
        assert s.search("frigates") != []


def test_article_by_whole_id_and_by_prefix(any_store: Store) -> None:
    any_store.write_batch(articles=corpus(), analysis_version=1)
    whole = any_store.article(A1)
    assert whole == any_store.article(A1[:8])
    assert whole.claims and whole.events and whole.mentions
    with pytest.raises(NotFound):
        any_store.article("0123456789abcdef")


def test_listing_without_analysis_and_batch_reads(any_store: Store) -> None:
    articles = corpus()
    any_store.write_batch(articles=articles, analysis_version=1)
    full = list(any_store.articles(limit=10))
    bare = list(any_store.articles(limit=10, analysis=False))
    assert [a.id for a in bare] == [a.id for a in full]
    assert bare == [replace(a, mentions=(), dates=(), events=(), claims=()) for a in full]
    assert [a.id for a in any_store.articles(limit=1, offset=1, analysis=False)] == [full[1].id]
    assert list(any_store.articles(analysis=False)) == bare  # the keyset (unbounded) path
    # In the order asked, unknown ids left out, duplicates read once.
    got = any_store.articles_by_id([A3, "ffffffff00000000", A1, A3])
    assert [a.id for a in got] == [A3, A1, A3]
    assert got[1] == replace(any_store.article(A1), mentions=(), dates=(), events=(), claims=())
    assert any_store.articles_by_id([A1], analysis=True) == [any_store.article(A1)]
    assert any_store.articles_by_id([]) == []


def test_claim_links_of_matches_claim_links(any_store: Store) -> None:
    any_store.write_batch(articles=corpus(), analysis_version=1)
    any_store.write_verification(**verification())  # type: ignore[arg-type]
    ids = [c.id for a in corpus() for c in a.claims] + ["nope:0"]
    batch = any_store.claim_links_of(ids)
    assert batch == {i: any_store.claim_links(i) for i in ids}
    assert any(batch.values())
    assert any_store.claim_links_of([]) == {}


def test_optimize_changes_no_answer(any_store: Store) -> None:
    any_store.write_batch(articles=corpus(), analysis_version=1)
    any_store.write_verification(**verification())  # type: ignore[arg-type]

    def answers() -> object:
        return (
            [any_store.search(q) for q in ("frigates", "baltic drills", "sources say")],
            any_store.claims(limit=100),
            [any_store.claims(article=a) for a in (A1, A2, A3)],
            any_store.stories(),
            any_store.assessments(kind="claim"),
            [any_store.claim_links(f"{A1}:{n}") for n in (0, 1)],
            any_store.sources(),
        )

    before = answers()
    any_store.optimize()
    assert answers() == before
    # Articles written after the optimisation are found as well.
    late = replace(corpus()[0], id="eeeeeeee00000005", title="Frigates again", body_hash="h5")
    any_store.write_batch(articles=[late], analysis_version=1)
    assert "eeeeeeee00000005" in {h.article_id for h in any_store.search("frigates")}


def test_optimize_lays_duckdb_tables_out_in_key_order(tmp_path: object) -> None:
    with open_store(f"{tmp_path}/t.duckdb") as s:
        s.write_batch(articles=corpus(), analysis_version=1)
        s.write_verification(**verification())  # type: ignore[arg-type]
        s.optimize()
        terms = [r[0] for r in s._db.rows("SELECT term FROM search_terms")]
        assert terms == sorted(terms)
        claims = [r[0] for r in s._db.rows("SELECT claim FROM claim_support")]
        assert claims == sorted(claims)
        members = [r[0] for r in s._db.rows("SELECT article_id FROM story_members")]
        assert members == sorted(members) == sorted([A1, A2, A3])
