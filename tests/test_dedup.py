from __future__ import annotations

import random

from wirecheck.dedup import Deduplicator
from wirecheck.models import Article, DocumentKind
from wirecheck.settings import Settings

WIRE = (
    "VILNIUS, Oct 14 (BWS) - Eleven warships from five navies began a joint exercise in the Baltic "
    "Sea on Tuesday, the defence ministry said, in drills planned for more than a year. "
    "The ships will practise mine clearance and air defence off the coast until Friday, officials "
    "said. About 1,800 sailors are taking part, according to a ministry statement. "
    "A spokesperson for the alliance said the exercise was defensive and routine, and that "
    "neighbouring states had been notified in advance under existing agreements."
)
OTHER = (
    "The central bank held its main interest rate at 4.5 percent on Thursday, citing slowing "
    "inflation and weak demand for credit from households and small companies across the region, "
    "and said it would review the decision at its next meeting in December."
)


def _article(
    article_id: str, body: str, *, published: str | None = None, agency: str | None = None
) -> Article:
    from wirecheck.clean import body_hash

    return Article(
        id=article_id,
        input=f"{article_id}.txt",
        kind=DocumentKind.TEXT,
        title=None,
        body=body,
        published=published,
        agency=agency,
        body_hash=body_hash(body),
    )


def _corpus() -> list[Article]:
    return [
        _article("a01", WIRE, published="2026-10-14T08:00:00", agency="BWS"),
        # reprint with a sentence added at the end and the first paragraph's wording kept
        _article("a02", WIRE + " Read more on our website.", published="2026-10-14T09:00:00"),
        # reprint with one sentence dropped
        _article(
            "a03",
            WIRE.replace(
                "About 1,800 sailors are taking part, according to a ministry statement. ", ""
            ),
            published="2026-10-14T10:00:00",
        ),
        # exact duplicate apart from case and punctuation
        _article(
            "a04",
            WIRE.upper().replace(" - ", " — ").replace("  ", " "),
            published="2026-10-15T10:00:00",
        ),
        _article("b01", OTHER, published="2026-10-13T12:00:00"),
    ]


def _by_id(assignments: list) -> dict[str, tuple[str, str, str | None]]:  # type: ignore[type-arg]
    return {a.article_id: (a.syndication_group, a.origin, a.duplicate_of) for a in assignments}


def test_reprints_form_one_group_with_agency_origin() -> None:
    dedup = Deduplicator(Settings().dedup)
    result = _by_id(dedup.add(dedup.member_for(a) for a in _corpus()))
    groups = {aid: g for aid, (g, _, _) in result.items()}
    assert groups["a01"] == groups["a02"] == groups["a03"] == groups["a04"]
    assert groups["b01"] != groups["a01"]
    assert result["a02"][1] == "agency:BWS"
    assert result["b01"][1] == "article:b01"
    assert result["a04"][2] == "a01"  # same normalised body as the earliest member
    assert result["a02"][2] is None


def test_order_and_batching_do_not_change_the_answer() -> None:
    reference = Deduplicator(Settings().dedup)
    expected = _by_id(reference.add(reference.member_for(a) for a in _corpus()))
    rng = random.Random(7)
    for _ in range(5):
        articles = _corpus()
        rng.shuffle(articles)
        dedup = Deduplicator(Settings().dedup)
        got: dict[str, tuple[str, str, str | None]] = {}
        cut = rng.randint(1, len(articles) - 1)
        for batch in (articles[:cut], articles[cut:]):
            got.update(_by_id(dedup.add(dedup.member_for(a) for a in batch)))
        assert got == expected


def test_incremental_add_reports_the_changed_group_only() -> None:
    dedup = Deduplicator(Settings().dedup)
    corpus = _corpus()
    dedup.add(dedup.member_for(a) for a in corpus[:1] + corpus[4:])
    changed = dedup.add([dedup.member_for(corpus[1])])
    assert {a.article_id for a in changed} == {"a02"}  # a01's verdict did not change
    assert len(dedup) == 3
    # a member with a smaller id renames the group: every member's verdict changes
    renamer = _article("a00", WIRE + " Updated.", published="2026-10-16T00:00:00")
    changed = dedup.add([dedup.member_for(renamer)])
    assert {a.article_id for a in changed} == {"a00", "a01", "a02"}
    assert {a.syndication_group for a in changed} == {"ga00"}
    # adding a known article again changes nothing
    assert dedup.add([dedup.member_for(corpus[1])]) == []
