"""The analyze stage's listings (events, actors, places) and migrations, on both backends."""

from __future__ import annotations

import threading

from store._corpus import A1, corpus
from wirecheck.store import ActorRow, Store, open_store
from wirecheck.store.schema import SCHEMA_VERSION


def test_events_actors_and_places(any_store: Store) -> None:
    articles = corpus()
    any_store.write_batch(
        articles=articles,
        analysis_version=1,
        actors=[ActorRow("LTU", "country", "Lithuania", "LTU")],
    )
    rows = any_store.events()
    assert [(r.article_id, r.event) for r in rows] == [
        (a.id, e) for a in articles[:2] for e in a.events
    ]
    assert len(any_store.events(actor="FIN", since="2026-10-15")) == 1
    assert any_store.events(plover="sanction") == []
    counts = {c.id: c for c in any_store.actor_counts()}
    assert (counts["LTU"].name, counts["LTU"].mentions, counts["LTU"].articles) == (
        "Lithuania", 2, 2,
    )  # fmt: skip
    assert counts["FIN"].codes == ("FINMIL",)
    assert [c.id for c in any_store.actor_counts(type="organisation")] == ["NATO"]
    assert any_store.places() == {}
    assert [a.id for a in any_store.articles(site="bws.example")] == [A1]
    assert [a.id for a in any_store.articles(limit=1, offset=1)] == [articles[1].id]


def test_concurrent_first_opens_migrate_once(store_url: str) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            open_store(store_url).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if store_url.startswith("postgresql://"):
        assert errors == []
    with open_store(store_url) as s:
        assert [v for v, _ in s.schema_versions()] == list(range(1, SCHEMA_VERSION + 1))
