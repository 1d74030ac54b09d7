"""The bundled demo corpus against the gold its author wrote down (examples/corpus/README.md)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from helpers import DEMO_CORPUS
from wirecheck.models import Article
from wirecheck.pipeline import analyze
from wirecheck.settings import Settings
from wirecheck.store import Store, open_store

FEED = "feeds/crawl.jsonl"
REPRINT_GROUPS = [
    {f"{FEED}:1", "scraped/northgate-herald_2026-10-14_baltic-naval-drills.txt",
     "html/eastline-today_2026-10-14_amber-shield-drills.html", f"{FEED}:3"},
    {f"{FEED}:4", "scraped/lakeshore-gazette_2026-10-21_france-expels-russian-diplomats.txt"},
    {"html/eurasia-briefing_2026-10-22_moscow-expels-french-diplomats.html",
     "scraped/riverside-post_2026-10-22_moscow-expels-french-diplomats.txt"},
    {f"{FEED}:5", "html/mercantile-observer_2026-10-22_gas-link-maintenance.html"},
    {"scraped/truthwave-daily_grey-hawk-war-games.txt", f"{FEED}:7"},
]  # fmt: skip
FURNITURE = ["Back to top", "Subscribe", "Be the first to comment", "Comments (", "Share on",
             "cookies", "How do you feel", "Read the latest", "#NATO", "Sign in"]  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Article]:
    settings = Settings()
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(path) as store:
        summary = analyze([str(DEMO_CORPUS)], settings=settings, store=store)
        assert summary.failures == []
        return {_relative(a.input): a for a in store.articles()}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("demo2") / "demo.duckdb"
    store = open_store(path)
    analyze([str(DEMO_CORPUS)], settings=Settings(), store=store)
    return store


def _relative(locator: str) -> str:
    return (
        str(Path(locator).relative_to(DEMO_CORPUS))
        if locator.startswith("/")
        else locator.split("corpus/", 1)[-1]
    )


def test_every_article_is_stored_once(demo: dict[str, Article]) -> None:
    assert len(demo) == 25  # 27 files and records, two of them byte-identical copies


def test_reprints_are_grouped_and_independent_accounts_are_not(demo: dict[str, Article]) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for locator, article in demo.items():
        assert article.syndication_group is not None
        groups[article.syndication_group].add(locator)
    multi = [g for g in groups.values() if len(g) > 1]
    assert sorted(map(sorted, multi)) == sorted(map(sorted, REPRINT_GROUPS))


def test_wire_origin_and_notices(demo: dict[str, Article]) -> None:
    wire = demo["scraped/northgate-herald_2026-10-14_baltic-naval-drills.txt"]
    assert wire.origin == "agency:BWS"
    assert wire.dateline == "Vilnius"
    assert [n.kind for n in wire.notices] == ["disclaimer"]
    eastline = demo["html/eastline-today_2026-10-14_amber-shield-drills.html"]
    assert [n.kind for n in eastline.notices] == ["agency_feed"]
    assert eastline.agency == "BWS"
    assert "auto-published" not in eastline.body


def test_bodies_hold_no_furniture_and_titles_are_headlines(demo: dict[str, Article]) -> None:
    for locator, article in demo.items():
        for marker in FURNITURE:
            assert marker not in article.body, (locator, marker)
        assert article.title and len(article.title.split()) >= 5, locator
        assert article.language == "en"


def test_viral_post(demo: dict[str, Article]) -> None:
    post = demo["scraped/truthwave-daily_grey-hawk-war-games.txt"]
    assert "GREY HAWK" in (post.title or "")
    assert "NATO" in post.tags and "WW3" in post.tags
    assert post.published is None
    assert "Grey Hawk" not in post.body and "GREY HAWK" not in post.body


def test_exact_copies_are_one_article_seen_twice(demo_store: Store) -> None:
    article = next(
        a for a in demo_store.articles() if "vistula-courier" in a.input and a.kind == "html"
    )
    seen = [_relative(s) for s in demo_store.sightings_of(article.id)]
    assert seen == [
        "html/saved/vistula-courier-drone-page.html",
        "html/vistula-courier_2026-10-17_drone-incursion.html",
    ]


def test_events_are_coded(demo: dict[str, Article]) -> None:
    wire = demo[f"{FEED}:4"]  # the agency story of France expelling two Russian diplomats
    expulsions = [e for e in wire.events if e.plover == "SANCTION"]
    assert expulsions, [(e.plover, e.trigger) for e in wire.events]
    first = expulsions[0]
    assert first.source == ("FRA",) and "RUSGOV" in first.target
    assert first.cameo.startswith("16") and first.quad_class == 4 and first.goldstein < 0
    assert "expelled" in first.trigger and first.date == "2026-10-21"
    recall = demo["html/continental-dispatch_2026-10-23_france-recalls-ambassador.html"]
    assert any(e.plover == "SANCTION" and "recalled" in e.trigger for e in recall.events)
    with_events = [loc for loc, a in demo.items() if a.events]
    assert len(with_events) >= 20, sorted(set(demo) - set(with_events))
