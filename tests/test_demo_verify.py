""" "Who says so" and "how far to believe it" on the bundled demo corpus, end to end.

The gold is what the corpus's author wrote down in examples/corpus/README.md: five stories; the
BWS wire story and its three reprints are one source; the two accounts of the drone incident
disagree on how far it flew (14 km against 12 km); the viral post cites only "sources say", has
no byline or date and a title its body never supports.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import DEMO_CORPUS
from wirecheck.models import Article
from wirecheck.pipeline import analyze
from wirecheck.settings import Settings
from wirecheck.store import Store, open_store

FEED = "feeds/crawl.jsonl"
STORIES = {
    "amber shield": ({f"{FEED}:1", f"{FEED}:2", f"{FEED}:3",
                      "scraped/northgate-herald_2026-10-14_baltic-naval-drills.txt",
                      "html/eastline-today_2026-10-14_amber-shield-drills.html",
                      "scraped/vistula-courier_2026-10-15_poland-ships-amber-shield.txt",
                      "scraped/daugava-daily_2026-10-16_latvia-minehunters-amber-shield.txt",
                      "html/harbour-ledger_2026-10-20_amber-shield-begins.html",
                      "html/continental-dispatch_2026-10-31_amber-shield-ends.html"}, 6),
    "drone": ({"html/vistula-courier_2026-10-17_drone-incursion.html",
               "scraped/kestrel-times_2026-10-17_belarus-drone-poland.txt",
               "scraped/northgate-herald_2026-10-19_drone-wreckage-found.txt"}, 3),
    "diplomats": ({f"{FEED}:4",
                   "scraped/lakeshore-gazette_2026-10-21_france-expels-russian-diplomats.txt",
                   "html/eurasia-briefing_2026-10-22_moscow-expels-french-diplomats.html",
                   "scraped/riverside-post_2026-10-22_moscow-expels-french-diplomats.txt",
                   "html/continental-dispatch_2026-10-23_france-recalls-ambassador.html"}, 3),
    "pipeline": ({f"{FEED}:5", f"{FEED}:6",
                  "html/mercantile-observer_2026-10-22_gas-link-maintenance.html",
                  "scraped/amberline-news_2026-10-22_zemgale-interconnector-shutdown.txt",
                  "html/harbour-ledger_2026-10-24_gas-prices-shutdown.html",
                  "scraped/daugava-daily_2026-10-26_gas-flows-halted.txt"}, 4),
    "viral": ({"scraped/truthwave-daily_grey-hawk-war-games.txt", f"{FEED}:7"}, 1),
}  # fmt: skip
WIRE = f"{FEED}:1"
WIRE_REPRINTS = [
    "scraped/northgate-herald_2026-10-14_baltic-naval-drills.txt",
    "html/eastline-today_2026-10-14_amber-shield-drills.html",
    f"{FEED}:3",
]
DRONE_14KM = "html/vistula-courier_2026-10-17_drone-incursion.html"
DRONE_12KM = "scraped/kestrel-times_2026-10-17_belarus-drone-poland.txt"
VIRAL = "scraped/truthwave-daily_grey-hawk-war-games.txt"
DOUBTFUL = {"unverified", "disputed", "likely false"}


def _relative(locator: str) -> str:
    return (
        str(Path(locator).relative_to(DEMO_CORPUS))
        if locator.startswith("/")
        else locator.split("corpus/", 1)[-1]
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Article]]]:
    """The analysed demo store, and its articles by every path they were seen at (an exact copy
    saved under another name is one article seen at two paths)."""
    path = tmp_path_factory.mktemp("verify") / "demo.duckdb"
    with open_store(path) as store:
        summary = analyze([str(DEMO_CORPUS)], settings=Settings(), store=store)
        assert summary.failures == []
        by_input = {
            _relative(seen): article
            for article in store.articles()
            for seen in [article.input, *store.sightings_of(article.id)]
        }
        yield store, by_input


def test_five_stories_with_their_independent_sources(
    demo: tuple[Store, dict[str, Article]],
) -> None:
    store, by_input = demo
    found = {frozenset(story.articles): story for story in store.stories(limit=100)}
    assert len(found) == 5
    for name, (members, independent) in STORIES.items():
        story = found.get(frozenset(by_input[m].id for m in members))
        assert story is not None, f"story {name!r} not found as one cluster"
        assert story.independent_sources == independent, name
        assert story.label
    assert store.story_of(by_input[WIRE].id) == store.story_of(by_input[WIRE_REPRINTS[0]].id)


def test_the_wire_and_its_reprints_are_one_source(demo: tuple[Store, dict[str, Article]]) -> None:
    store, by_input = demo
    reprint_ids = {by_input[p].id for p in WIRE_REPRINTS}
    wire_claims = store.claims(article=by_input[WIRE].id, limit=1000)
    assert wire_claims
    rule_shown = False
    for row in wire_claims:
        assert row.support is not None
        links = [k for k in store.claim_links(row.claim.id) if k.claim == row.claim.id]
        supporting_articles = {k.other.split(":")[0] for k in links if k.stance == "supports"}
        from_reprints = supporting_articles & reprint_ids
        assert row.support.supports == len(supporting_articles)
        # Reprints of the wire never add an independent source; every other supporting article
        # adds at most one.
        assert row.support.independent_support <= len(supporting_articles - reprint_ids)
        rule_shown = rule_shown or len(from_reprints) >= 2
        assert row.support.first_source is not None
    assert rule_shown, "no wire claim is supported by two of its reprints"


def test_the_drone_accounts_dispute_each_other(demo: tuple[Store, dict[str, Article]]) -> None:
    store, by_input = demo
    a, b = by_input[DRONE_14KM].id, by_input[DRONE_12KM].id
    claims_a = {r.claim.id: r for r in store.claims(article=a, limit=1000)}
    claims_b = {r.claim.id: r for r in store.claims(article=b, limit=1000)}
    contradictions = [
        k
        for cid in claims_a
        for k in store.claim_links(cid)
        if k.claim == cid and k.other in claims_b and k.stance == "contradicts"
    ]
    assert any(
        any("14 kilometres" in r and "12 kilometres" in r for r in k.reasons)
        for k in contradictions
    ), [k.reasons for k in contradictions]
    for link in contradictions:
        left, right = claims_a[link.claim], claims_b[link.other]
        assert left.support is not None and right.support is not None
        assert left.support.independent_contradict >= 1
        assert right.support.independent_contradict >= 1
    bands = {
        claims_a[k.claim].assessment.band for k in contradictions if claims_a[k.claim].assessment
    }
    assert bands & {"disputed", "likely false"}


def test_the_viral_post_is_doubtful_and_says_why(demo: tuple[Store, dict[str, Article]]) -> None:
    store, by_input = demo
    for path in (VIRAL, f"{FEED}:7"):
        assessment = store.assessment(by_input[path].id)
        assert assessment is not None
        assert assessment.band in DOUBTFUL, (path, assessment.band, assessment.score)
    signals = {s.name: s for s in store.assessment(by_input[VIRAL].id).signals}  # type: ignore[union-attr]
    assert signals["title.unsupported"].contribution < 0
    assert any("GREY HAWK" in e for e in signals["title.unsupported"].evidence)
    assert signals["attribution.unnamed"].contribution < 0
    assert any("Sources say" in e for e in signals["attribution.unnamed"].evidence)
    assert signals["structure.byline"].contribution < 0
    for row in store.claims(article=by_input[VIRAL].id, limit=1000):
        assert row.support is not None and row.support.independent_support == 0
        assert row.assessment is not None and row.assessment.band in DOUBTFUL
    # Every reason that moves the score carries the text behind it.
    for signal in signals.values():
        if abs(signal.contribution) > 0.05:
            assert signal.evidence, signal.name


def test_reliable_wire_copy_scores_above_the_viral_post(
    demo: tuple[Store, dict[str, Article]],
) -> None:
    store, by_input = demo
    wire = store.assessment(by_input[WIRE].id)
    viral = store.assessment(by_input[VIRAL].id)
    assert wire is not None and viral is not None
    assert wire.band in {"well supported", "plausible"}
    assert wire.score > viral.score + 30
