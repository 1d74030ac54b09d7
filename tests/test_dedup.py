from __future__ import annotations

import dataclasses
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


def _reference(
    articles: list[Article], dedup: Deduplicator
) -> dict[str, tuple[str, str, str | None]]:
    """Brute force over all pairs, written independently of the incremental bookkeeping."""
    import numpy as np

    members = [dedup.member_for(a) for a in articles]
    sigs = [np.frombuffer(m.signature, dtype=np.uint64) for m in members]
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(members)):
        for j in range(i):
            if (sigs[i] == sigs[j]).mean() >= dedup.settings.threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(members)):
        groups.setdefault(find(i), []).append(i)
    out: dict[str, tuple[str, str, str | None]] = {}
    for group in groups.values():
        ids = [members[i].id for i in group]
        key = {m.id: (0 if m.published else 1, m.published or "", m.id) for m in members}
        ordered = sorted(ids, key=key.__getitem__)
        agencies: dict[str, int] = {}
        for i in group:
            if members[i].agency:
                agencies[members[i].agency] = agencies.get(members[i].agency, 0) + 1  # type: ignore[index]
        if agencies:
            origin = "agency:" + max(agencies.items(), key=lambda kv: (kv[1], kv[0]))[0]
        else:
            origin = "article:" + ordered[0]
        by_id = {m.id: m for m in members}
        for article_id in ordered:
            first_copy = next(
                o for o in ordered if by_id[o].body_hash == by_id[article_id].body_hash
            )
            out[article_id] = (
                "g" + min(ids),
                origin,
                None if first_copy == article_id else first_copy,
            )
    return out


def _random_corpus(rng: random.Random, size: int, bridges: float = 0.0) -> list[Article]:
    # Copies and light edits of earlier articles (chains of reprints), far above the
    # similarity threshold, and unrelated texts far below it, so that LSH's misses near the
    # threshold do not blur what is being tested: the incremental bookkeeping.
    words = [f"w{i}" for i in range(2000)]
    bodies: list[list[str]] = []
    articles: list[Article] = []
    for n in range(size):
        roll = rng.random()
        if len(bodies) > 1 and roll < bridges:  # half of one text, half of another
            first, second = rng.sample(bodies, 2)
            body = first[:100] + second[100:]
        elif bodies and roll < 0.3:  # exact copy
            body = list(rng.choice(bodies))
        elif bodies and roll < 0.75:  # a few words changed
            body = list(rng.choice(bodies))
            for _ in range(rng.randint(1, 3)):
                body[rng.randrange(len(body))] = rng.choice(words)
        else:  # unrelated
            body = [rng.choice(words) for _ in range(200)]
        bodies.append(body)
        published = None if rng.random() < 0.2 else f"2026-10-{rng.randint(10, 28)}T00:00:00"
        agency = rng.choice([None, None, "BWS", "NPA"])
        articles.append(_article(f"r{n:03d}", " ".join(body), published=published, agency=agency))
    return articles


def test_incremental_verdicts_match_brute_force_for_any_batching() -> None:
    rng = random.Random(11)
    for trial in range(6):
        articles = _random_corpus(rng, 120)
        expected = _reference(articles, Deduplicator(Settings().dedup))
        assert len(set(expected.values())) > 10  # groups of several sizes, not one blob
        assert any(v[2] is not None for v in expected.values())  # exact copies exist
        rng.shuffle(articles)
        dedup = Deduplicator(Settings().dedup)
        dedup._lsh.merge_floor = 40  # exercise the merge of recent buckets into the sorted arrays
        told: dict[str, tuple[str, str, str | None]] = {}
        start = 0
        while start < len(articles):
            size = rng.randint(1, 30)
            batch = articles[start : start + size]
            start += size
            changed = _by_id(dedup.add(dedup.member_for(a) for a in batch))
            # every new article is told its verdict; nothing unchanged is re-sent for old ones
            assert {a.id for a in batch} <= set(changed)
            told.update(changed)
        assert told == expected, trial
        assert _by_id(dedup.assignments()) == expected


def test_groups_joined_by_a_bridging_article_are_told_their_new_verdict() -> None:
    # An article half from one text and half from another joins two groups whose members
    # were already told different verdicts (a lower threshold makes such bridges common).
    settings = Settings().dedup
    settings = dataclasses.replace(settings, threshold=0.3)
    rng = random.Random(5)
    for trial in range(6):
        articles = _random_corpus(rng, 120, bridges=0.25)
        oneshot = Deduplicator(settings)
        oneshot.add(oneshot.member_for(a) for a in articles)
        expected = _by_id(oneshot.assignments())
        rng.shuffle(articles)
        dedup = Deduplicator(settings)
        told: dict[str, tuple[str, str, str | None]] = {}
        for start in range(0, len(articles), 10):
            told.update(
                _by_id(dedup.add(dedup.member_for(a) for a in articles[start : start + 10]))
            )
        assert told == expected, trial
