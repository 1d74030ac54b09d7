"""Claim matching and independent-source counting on invented claims (no shared data).

The counting rules: reprints in one syndication group count once, copies of one agency's story
count once, an outlet repeating itself counts once, the claim's own source never counts, and two
outlets contradicting each other are both disputed.
"""

from __future__ import annotations

import random

import pytest

from wirecheck.models import Claim, ClaimLink
from wirecheck.verify.corroborate import ClaimItem, candidate_pairs, claim_support, match_claims
from wirecheck.verify.sources import SourceInfo
from wirecheck.verify.stance import StanceModel

FLOOD = "Floods killed 14 people in the northern province of Vartek on Monday"


def _item(
    aid: str,
    text: str,
    *,
    site: str | None = None,
    group: str | None = None,
    agency: str | None = None,
    published: str | None = None,
    story: str | None = "s1",
    actors: tuple[str, ...] = (),
    n: int = 0,
) -> ClaimItem:
    claim = Claim(
        id=f"{aid}:{n}",
        sentence=n,
        start=0,
        end=len(text),
        text=text,
        kind="event",
        checkworthiness=0.9,
        actors=actors,
    )
    source = SourceInfo(aid, site=site, syndication_group=group, agency=agency)
    return ClaimItem(claim, aid, story, source, published)


def _supports(claim: str, *others: str) -> list[ClaimLink]:
    return [ClaimLink(claim, o, "supports", 0.9) for o in others]


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


# -- counting rules (claim_support on given links) -------------------------------------------------


def test_syndication_reprints_count_once() -> None:
    items = [_item("a", FLOOD, site="a.example")] + [
        _item(f"r{i}", FLOOD, site=f"r{i}.example", group="g1") for i in range(3)
    ]
    support = claim_support(items, _supports("a:0", "r0:0", "r1:0", "r2:0"))
    assert support["a:0"].supports == 3
    assert support["a:0"].independent_support == 1


def test_agency_copies_count_once() -> None:
    items = [_item("a", FLOOD, site="a.example")] + [
        _item(f"c{i}", FLOOD, site=f"c{i}.example", agency="NWA") for i in range(4)
    ]
    support = claim_support(items, _supports("a:0", "c0:0", "c1:0", "c2:0", "c3:0"))
    assert (support["a:0"].supports, support["a:0"].independent_support) == (4, 1)


def test_outlet_repeating_itself_counts_once() -> None:
    items = [
        _item("a", FLOOD, site="a.example"),
        _item("d1", FLOOD, site="d.example"),
        _item("d2", FLOOD, site="www.d.example"),
    ]
    support = claim_support(items, _supports("a:0", "d1:0", "d2:0"))
    assert (support["a:0"].supports, support["a:0"].independent_support) == (2, 1)


def test_own_source_is_not_support() -> None:
    """The same outlet, a reprint of the claim's own syndication group and the same agency's copy
    all belong to the claim's own source."""
    items = [
        _item("a", FLOOD, site="a.example", group="g0", agency="NWA"),
        _item("a2", FLOOD, site="a.example"),
        _item("r", FLOOD, site="r.example", group="g0"),
        _item("c", FLOOD, site="c.example", agency="nwa"),
        _item("x", FLOOD, site="x.example"),
    ]
    support = claim_support(items, _supports("a:0", "a2:0", "r:0", "c:0", "x:0"))
    assert support["a:0"].supports == 4
    assert support["a:0"].independent_support == 1  # only x.example


def test_mixed_rules_add_up() -> None:
    items = (
        [_item("a", FLOOD, site="a.example")]
        + [_item(f"r{i}", FLOOD, site=f"r{i}.example", group="g1") for i in range(3)]
        + [_item(f"c{i}", FLOOD, site=f"c{i}.example", agency="NWA") for i in range(2)]
        + [_item(f"d{i}", FLOOD, site="d.example") for i in range(2)]
    )
    others = [it.claim.id for it in items[1:]]
    support = claim_support(items, _supports("a:0", *others))
    assert (support["a:0"].supports, support["a:0"].independent_support) == (7, 3)


def test_two_claims_of_one_article_are_one_report() -> None:
    items = [
        _item("a", FLOOD, site="a.example"),
        _item("b", FLOOD, site="b.example"),
        _item("b", FLOOD + " night", site="b.example", n=1),
    ]
    support = claim_support(items, _supports("a:0", "b:0", "b:1"))
    assert (support["a:0"].supports, support["a:0"].independent_support) == (1, 1)


def test_every_claim_gets_an_entry_and_first_source() -> None:
    items = [
        _item("late", FLOOD, site="late.example", published="2026-03-02T10:00:00Z"),
        _item("wire", FLOOD, site="w.example", agency="NWA", published="2026-03-02T08:00:00Z"),
        _item("alone", "A museum in Olsk reopened", site="o.example", published="2026-03-01"),
    ]
    support = claim_support(items, _supports("late:0", "wire:0"))
    assert set(support) == {"late:0", "wire:0", "alone:0"}
    assert support["late:0"].first_source == "NWA"
    assert support["late:0"].first_seen == "2026-03-02T08:00:00Z"
    # No link was given from wire towards late: its own article is the first report.
    assert (support["wire:0"].supports, support["wire:0"].first_source) == (0, "NWA")
    alone = support["alone:0"]
    assert (alone.supports, alone.contradicts, alone.independent_support) == (0, 0, 0)
    assert (alone.first_source, alone.first_seen) == ("o.example", "2026-03-01")


# -- matching (match_claims with the shipped model) ---------------------------------------------


def _corpus() -> list[ClaimItem]:
    return [
        _item("wire", FLOOD, site="wire.example", agency="NWA", published="2026-03-02T08:00Z"),
        _item("copy1", FLOOD, site="p1.example", agency="NWA", published="2026-03-02T09:00Z"),
        _item("copy2", FLOOD, site="p2.example", agency="NWA", published="2026-03-02T09:30Z"),
        _item(
            "own",
            "Floods killed 14 people in Vartek province on Monday, officials said",
            site="own.example",
            published="2026-03-02T11:00Z",
        ),
        _item(
            "rival",
            "Floods killed 140 people in the northern province of Vartek on Monday",
            site="rival.example",
            published="2026-03-02T12:00Z",
        ),
        _item(
            "deny",
            "Officials denied that floods killed 14 people in the province of Vartek",
            site="deny.example",
            published="2026-03-03T08:00Z",
        ),
        _item(
            "museum",
            "The national museum in Olsk reopened after renovation on Friday",
            site="m.example",
            story="s2",
            published="2026-03-01T08:00Z",
        ),
        _item(
            "wire",
            "Rescue teams were still searching for survivors near the dam",
            site="wire.example",
            agency="NWA",
            n=1,
        ),
    ]


def test_matching_and_counts_end_to_end(model: StanceModel) -> None:
    items = _corpus()
    links = match_claims(items, model)
    by_pair = {(k.claim, k.other): k for k in links}
    assert by_pair[("wire:0", "own:0")].stance == "supports"
    assert by_pair[("wire:0", "rival:0")].stance == "contradicts"
    assert any(r.startswith("number mismatch") for r in by_pair[("wire:0", "rival:0")].reasons)
    assert by_pair[("wire:0", "deny:0")].stance == "contradicts"
    assert not any("museum:0" in (k.claim, k.other) for k in links)
    assert all(k.claim.split(":")[0] != k.other.split(":")[0] for k in links)
    support = claim_support(items, links)
    wire = support["wire:0"]
    assert wire.independent_support == 1  # own.example; the agency copies are the wire itself
    assert wire.supports >= 3  # copy1, copy2, own
    assert wire.independent_contradict == 2  # rival and deny
    assert (wire.first_source, wire.first_seen) == ("NWA", "2026-03-02T08:00Z")
    # Contradicting outlets: both sides are disputed.
    assert support["rival:0"].independent_contradict >= 1
    assert support["own:0"].first_source == "NWA"  # the wire story reported it first
    assert support["museum:0"].supports == 0


def test_order_independent(model: StanceModel) -> None:
    items = _corpus()
    links = match_claims(items, model)
    support = claim_support(items, links)
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        again = match_claims(shuffled, model)
        assert again == links
        assert claim_support(shuffled, again) == support


def test_blocking_never_pairs_claims_without_a_shared_key() -> None:
    items = [
        _item("a", "Glacier in Pentor retreated forty metres", story=None),
        _item("b", "Senate approved the harbour budget", story=None),
        _item("c", "Harbour budget approved by the Senate", story=None),
        _item("d", "Senate approved the harbour budget", story=None, site="d.example"),
        _item("d", "Senate harbour budget approved again", story=None, n=1),
    ]
    pairs = {(items[i].claim.id, items[j].claim.id) for i, j in candidate_pairs(items)}
    assert not any("a:0" in p for p in pairs)
    assert ("d:0", "d:1") not in pairs and ("d:1", "d:0") not in pairs
    assert pairs  # the senate claims of different articles do meet


def test_candidates_stay_near_linear() -> None:
    """Many claims of one big story: each claim gets at most MAX_CANDIDATES partners."""
    from wirecheck.verify.corroborate import MAX_CANDIDATES

    items = [
        _item(f"x{i}", f"Storm damaged {i} roofs in Vartek harbour district", story="big")
        for i in range(200)
    ]
    pairs = candidate_pairs(items)
    assert len(pairs) <= 200 * MAX_CANDIDATES
    assert len(pairs) < 200 * 199 / 2
