"""Claims stored with the per-article analysis, on both backends."""

from __future__ import annotations

from dataclasses import replace

from store._corpus import A1, A3, corpus
from wirecheck.store import Store


def test_claims_round_trip_with_the_analysis(any_store: Store) -> None:
    articles = corpus()
    any_store.write_batch(articles=articles, analysis_version=1)
    for expected in articles:
        got = any_store.article(expected.id)
        assert got.claims == expected.claims
        assert got.events == expected.events
        assert got.mentions == expected.mentions
    assert {a.id: a.claims for a in any_store.articles()} == {a.id: a.claims for a in articles}
    assert any_store.counts()["claims"] == 6


def test_reanalysis_replaces_claims(any_store: Store) -> None:
    wire = corpus()[0]
    any_store.write_batch(articles=[wire], analysis_version=1)
    fewer = replace(wire, claims=wire.claims[1:])
    any_store.write_batch(articles=[fewer], analysis_version=2)
    assert any_store.article(A1).claims == wire.claims[1:]
    assert [r.claim for r in any_store.claims(article=A1)] == list(wire.claims[1:])


def test_a_batch_without_analysis_keeps_claims(any_store: Store) -> None:
    wire = corpus()[0]
    any_store.write_batch(articles=[wire], analysis_version=1)
    any_store.write_batch(articles=[replace(wire, claims=())])  # e.g. a new sighting only
    assert any_store.article(A1).claims == wire.claims


def test_iter_articles_streams_everything_with_analysis(any_store: Store) -> None:
    articles = corpus()
    any_store.write_batch(articles=articles, analysis_version=1)
    batches = list(any_store.iter_articles(batch_size=2))
    assert [len(b) for b in batches] == [2, 1]
    streamed = [a for b in batches for a in b]
    assert [a.id for a in streamed] == sorted(a.id for a in articles)
    assert {a.id: a.claims for a in streamed} == {a.id: a.claims for a in articles}
    assert next(a for a in streamed if a.id == A3).mentions == articles[2].mentions


def test_iter_articles_on_an_empty_store(any_store: Store) -> None:
    assert list(any_store.iter_articles()) == []


def test_iter_articles_allows_other_calls_between_batches(any_store: Store) -> None:
    articles = corpus()
    any_store.write_batch(articles=articles, analysis_version=1)
    seen = []
    for batch in any_store.iter_articles(batch_size=1):
        seen += [a.id for a in batch]
        assert any_store.article(batch[0].id).claims == batch[0].claims
        any_store.write_batch(sightings=[(batch[0].id, "again.txt")])
    assert seen == sorted(a.id for a in articles)
    stream = any_store.iter_articles(batch_size=1)
    next(stream)
    stream.close()  # stopping early releases the cursors; the store keeps working
    assert any_store.counts()["articles"] == 3
    assert any_store.sightings_of(A1) == ["again.txt"]
