"""Verification results: written as a whole, read back by stories, claims, links, assessments and
sources; on both backends."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from store._corpus import (
    A1,
    A2,
    A3,
    ASSESSMENTS,
    LINKS,
    STORY_DRILL,
    STORY_POST,
    SUPPORT,
    corpus,
    verification,
)
from wirecheck.errors import NotFound, StoreError, UsageError
from wirecheck.models import Assessment, ClaimSupport, Story
from wirecheck.store import Store


@pytest.fixture
def verified(any_store: Store) -> Store:
    any_store.write_batch(articles=corpus(), analysis_version=1)
    any_store.write_verification(**verification())  # type: ignore[arg-type]
    return any_store


def test_stories_round_trip(verified: Store) -> None:
    assert verified.stories() == [STORY_DRILL, STORY_POST]
    assert verified.story(STORY_POST.id) == STORY_POST
    assert verified.story_of(A2) == STORY_DRILL.id
    assert verified.story_of("ffffffffffffffff") is None
    with pytest.raises(NotFound):
        verified.story("snope")


def test_claim_rows_carry_story_support_and_assessment(verified: Store) -> None:
    rows = {r.claim.id: r for r in verified.claims()}
    assert len(rows) == 6
    row = rows[f"{A1}:1"]
    assert (row.article_id, row.story_id) == (A1, STORY_DRILL.id)
    assert row.support == SUPPORT[1]
    assert row.assessment == ASSESSMENTS[3]
    assert row.claim == corpus()[0].claims[1]
    bare = rows[f"{A2}:1"]
    assert (bare.support, bare.assessment, bare.story_id) == (None, None, STORY_DRILL.id)
    assert row.to_dict()["assessment"]["signals"][0]["evidence"] == ["Five frigates"]


def test_claim_links_in_both_directions(verified: Store) -> None:
    assert verified.claim_links(f"{A1}:0") == [LINKS[0]]
    assert verified.claim_links(f"{A2}:0") == [LINKS[0]]
    assert verified.claim_links(f"{A3}:1") == [LINKS[1]]
    assert verified.claim_links(f"{A3}:0") == []


def test_assessments(verified: Store) -> None:
    assert verified.assessment(A3) == ASSESSMENTS[2]
    assert verified.assessment("nothing") is None
    assert verified.assessments() == ASSESSMENTS[:3]
    assert verified.assessments(kind="claim") == [ASSESSMENTS[3], ASSESSMENTS[4]]
    assert verified.assessments(band="likely false") == [ASSESSMENTS[2]]
    with pytest.raises(UsageError):
        verified.assessments(kind="story")


def test_sources(verified: Store) -> None:
    rows = {r.site: r for r in verified.sources()}
    assert set(rows) == {"bws.example", "portal.example", "viral.example"}
    wire = rows["bws.example"]
    assert (wire.articles, wire.first_seen, wire.last_seen) == (1, "2026-10-14", "2026-10-14")
    assert (wire.assessed, wire.mean_score) == (1, 82.0)
    # two claims, both with support records; one independently contradicted, none supported
    assert (wire.claims, wire.checked_claims) == (2, 2)
    assert (wire.supported_share, wire.contradicted_share) == (0.0, 0.5)
    portal = rows["portal.example"]
    assert (portal.checked_claims, portal.supported_share, portal.mean_score) == (0, None, 78.5)


def test_counts_include_verification(verified: Store) -> None:
    counts = verified.counts()
    assert (counts["stories"], counts["claims"], counts["links"]) == (2, 6, 2)


def test_write_replaces_everything(verified: Store) -> None:
    merged = Story("s" + A1, "All three", "2026-10-14", "2026-10-20", (A1, A2, A3), 2)
    verified.write_verification(
        stories=[merged],
        story_of={A1: merged.id, A2: merged.id, A3: merged.id},
        links=[],
        support=[ClaimSupport(f"{A3}:1", 2, 0, 2, 0)],
        assessments=[Assessment(A3, 40.0, "unverified")],
    )
    assert verified.stories() == [merged]
    assert verified.story_of(A3) == merged.id
    assert verified.claim_links(f"{A1}:0") == []
    assert verified.assessment(A1) is None
    assert verified.assessments() == [Assessment(A3, 40.0, "unverified")]
    rows = {r.claim.id: r for r in verified.claims()}
    assert rows[f"{A1}:1"].support is None
    assert rows[f"{A3}:1"].support == ClaimSupport(f"{A3}:1", 2, 0, 2, 0)
    assert verified.counts()["links"] == 0


def test_story_of_may_add_members_and_must_agree(any_store: Store) -> None:
    lonely = Story("s" + A1, "drill", None, None, (A1,), 1)
    any_store.write_verification(
        stories=[lonely], story_of={A1: lonely.id, A2: lonely.id}, links=[], support=[],
        assessments=[],
    )  # fmt: skip
    assert any_store.story(lonely.id).articles == (A1, A2)
    with pytest.raises(UsageError):
        any_store.write_verification(
            stories=[lonely], story_of={A2: "s-unknown"}, links=[], support=[], assessments=[]
        )
    with pytest.raises(UsageError):
        any_store.write_verification(
            stories=[lonely, STORY_POST], story_of={A1: STORY_POST.id}, links=[], support=[],
            assessments=[],
        )  # fmt: skip


def test_duplicates_are_refused(any_store: Store) -> None:
    with pytest.raises(UsageError, match="two assessments"):
        any_store.write_verification(
            stories=[], story_of={}, links=[], support=[],
            assessments=[Assessment(A1, 1.0, "disputed"), Assessment(A1, 2.0, "disputed")],
        )  # fmt: skip
    with pytest.raises(UsageError, match="two claim support"):
        any_store.write_verification(
            stories=[], story_of={}, links=[], support=[SUPPORT[0], SUPPORT[0]], assessments=[]
        )


def test_a_failing_write_keeps_the_previous_results(verified: Store) -> None:
    # The assessments go in last; a NULL band fails inside the transaction, after the deletes
    # and the other inserts.
    broken = [*ASSESSMENTS[:2], Assessment(A3, 2.0, None)]  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        verified.write_verification(
            stories=[replace(STORY_POST, label="new")], story_of={}, links=[], support=[],
            assessments=broken,
        )  # fmt: skip
    assert verified.stories() == [STORY_DRILL, STORY_POST]
    assert verified.assessments() == ASSESSMENTS[:3]
    assert verified.claim_links(f"{A1}:0") == [LINKS[0]]


def _walk(fetch: Any, key: Any) -> list[Any]:
    pages, after = [], None
    while page := fetch(after):
        pages.append(page)
        after = key(page[-1])
    return pages


def test_story_pagination(any_store: Store) -> None:
    ids = [f"{i:016x}" for i in range(7)]
    stories = [Story("s" + i, f"story {n}", None, None, (i,), 1) for n, i in enumerate(ids)]
    any_store.write_verification(stories=stories, story_of={}, links=[], support=[], assessments=[])
    pages = _walk(lambda after: any_store.stories(limit=3, after=after), lambda s: s.id)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [s for p in pages for s in p] == stories


def test_claim_pagination_and_filters(verified: Store) -> None:
    everything = verified.claims()
    pages = _walk(lambda after: verified.claims(limit=4, after=after), lambda r: r.claim.id)
    assert [len(p) for p in pages] == [4, 2]
    assert [r for p in pages for r in p] == everything
    ids = lambda rows: [r.claim.id for r in rows]  # noqa: E731
    assert ids(verified.claims(article=A3)) == [f"{A3}:0", f"{A3}:1"]
    assert ids(verified.claims(story=STORY_DRILL.id, limit=10)) == [
        f"{A1}:0", f"{A1}:1", f"{A2}:0", f"{A2}:1",
    ]  # fmt: skip
    assert ids(verified.claims(attribution="unnamed")) == [f"{A3}:0"]
    assert ids(verified.claims(band="disputed")) == [f"{A1}:1"]
    assert ids(verified.claims(min_checkworthiness=0.85)) == [f"{A1}:0", f"{A2}:0"]
    assert ids(verified.claims(story=STORY_DRILL.id, min_checkworthiness=0.85, limit=1)) == [
        f"{A1}:0"
    ]
    with pytest.raises(UsageError):
        verified.claims(after="no-such-claim:0")


def test_story_filters(verified: Store) -> None:
    assert verified.stories(actor="FIN") == [STORY_DRILL]  # by code prefix (FINMIL)
    assert verified.stories(actor="NATO") == [STORY_POST]
    assert verified.stories(actor="DEU") == []
    assert verified.stories(since="2026-10-16") == [STORY_POST]
    assert verified.stories(until="2026-10-14") == [STORY_DRILL]
    assert verified.stories(since="2026-10-15", until="2026-10-15") == [STORY_DRILL]


def test_verification_survives_reanalysis_of_an_article(verified: Store) -> None:
    post = corpus()[2]
    verified.write_batch(articles=[replace(post, claims=post.claims[:1])], analysis_version=2)
    assert [r.claim.id for r in verified.claims(article=A3)] == [f"{A3}:0"]
    assert verified.story_of(A3) == STORY_POST.id  # verification rows wait for the next run
