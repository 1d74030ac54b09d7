"""Corroboration: which claims elsewhere say the same thing, which dispute it, and how many
independent sources that makes.

:func:`match_claims` finds candidate pairs without comparing every claim with every other one: an
inverted index over blocking keys (the story, the actor codes, the claim's rarer content words)
gives each claim the claims it shares keys with, in other articles only; the best few per claim
by key overlap are scored for similarity, and the similar ones get a stance from the
:class:`~wirecheck.verify.stance.StanceModel`, in both directions (stance is "the other towards
this claim"). Unrelated pairs are dropped.

:func:`claim_support` turns the links into counts. Raw counts are articles; the independent
counts go through :func:`~wirecheck.verify.sources.independent_groups` with the claim's own source
included and its group then removed, so a reprint of the claim's own article, a copy of the same
agency story or the same outlet saying it again never corroborates it.

Both answers depend only on the set of items, not on their order.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirecheck.models import Claim, ClaimLink, ClaimSupport
from wirecheck.verify._stancecues import read_text
from wirecheck.verify.sources import SourceInfo, independent_groups, source_label
from wirecheck.verify.stance import StanceModel, focus_text

if TYPE_CHECKING:
    from wirecheck.verify.encoder import SentenceEncoder

__all__ = ["ClaimItem", "candidate_pairs", "claim_support", "match_claims"]

#: Most candidates scored per claim (the ones sharing most blocking keys); keeps matching
#: near-linear: at most n * MAX_CANDIDATES pairs.
MAX_CANDIDATES = 30
#: A blocking key held by more claims than this (a very common word or actor) blocks nothing and
#: is skipped; story keys are capped the same way (a giant story still yields its rarer keys).
MAX_POSTING = 400
#: A content word is a blocking key when at most this share of the claims (or, in a small corpus,
#: at most MIN_TERM_LIMIT claims) use it.
MAX_TERM_SHARE = 0.05
MIN_TERM_LIMIT = 50
#: Default similarity (max of sentence-vector cosine and the share of the shorter claim's content
#: words found in the other) below which a pair is not sent to the stance model: a cheap filter
#: set by hand, not tuned (the model itself decides "unrelated").
MIN_SIMILARITY = 0.3
#: Claims in two different stories must be this similar to be linked. Across stories, sharing an
#: actor and a few words is the norm (every NATO story names NATO), and on the demo corpus 0.3
#: linked the viral post's claims to the real exercise's as "supports"; set by hand from the demo.
CROSS_STORY_SIMILARITY = 0.6
_KEEP = ("supports", "contradicts", "discusses")


@dataclass(frozen=True)
class ClaimItem:
    """One claim with what corroboration needs about the article it comes from."""

    claim: Claim
    article_id: str
    story_id: str | None
    source: SourceInfo
    published: str | None


def _keys(item: ClaimItem, term_ok: set[str]) -> set[str]:
    keys = {"actor:" + a for a in item.claim.actors}
    if item.story_id:
        keys.add("story:" + item.story_id)
    keys |= {"term:" + t for t in read_text(item.claim.text).content if t in term_ok}
    return keys


def candidate_pairs(items: Sequence[ClaimItem]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of claims in different articles sharing blocking keys;
    at most :data:`MAX_CANDIDATES` per claim (most shared keys first, then by claim id)."""
    n = len(items)
    df: dict[str, int] = defaultdict(int)
    for it in items:
        for t in read_text(it.claim.text).content:
            df[t] += 1
    limit = max(MIN_TERM_LIMIT, int(MAX_TERM_SHARE * n))
    term_ok = {t for t, c in df.items() if 2 <= c <= limit}
    postings: dict[str, list[int]] = defaultdict(list)
    keys = [_keys(it, term_ok) for it in items]
    for i, ks in enumerate(keys):
        for k in ks:
            postings[k].append(i)
    # Rarer keys weigh more (an idf), so "shares the story and two rare words" beats "shares USA".
    weight = {k: math.log(1 + n / len(v)) for k, v in postings.items() if 1 < len(v) <= MAX_POSTING}
    chosen: set[tuple[int, int]] = set()
    for i, ks in enumerate(keys):
        score: dict[int, float] = defaultdict(float)
        for k in ks:
            w = weight.get(k)
            if w is None:
                continue
            for j in postings[k]:
                if j != i and items[j].article_id != items[i].article_id:
                    score[j] += w
        best = sorted(score, key=lambda j: (-score[j], items[j].claim.id))[:MAX_CANDIDATES]
        chosen.update((min(i, j), max(i, j)) for j in best)
    return sorted(chosen)


def _overlap(a: str, b: str) -> float:
    ca, cb = read_text(a).content, read_text(b).content
    return len(ca & cb) / max(min(len(ca), len(cb)), 1)


def match_claims(
    items: Sequence[ClaimItem],
    model: StanceModel,
    *,
    encoder: SentenceEncoder | None = None,
    min_similarity: float = MIN_SIMILARITY,
) -> list[ClaimLink]:
    """Links between matching claims of different articles, both directions, unrelated ones
    dropped, sorted by (claim, other). Same answer whatever the order of ``items``."""
    unique: dict[str, ClaimItem] = {}
    for it in items:
        unique.setdefault(it.claim.id, it)
    ordered = [unique[k] for k in sorted(unique)]
    pairs = candidate_pairs(ordered)
    if not pairs:
        return []
    texts = [it.claim.text for it in ordered]
    cos: dict[tuple[int, int], float] = {}
    if encoder is not None:
        vectors = encoder.encode(texts)
        cos = {(i, j): float(vectors[i] @ vectors[j]) for i, j in pairs}

    def needed(i: int, j: int) -> float:
        a, b = ordered[i].story_id, ordered[j].story_id
        return min_similarity if a is None or b is None or a == b else CROSS_STORY_SIMILARITY

    kept = [
        (i, j)
        for i, j in pairs
        if max(cos.get((i, j), 0.0), _overlap(texts[i], texts[j])) >= needed(i, j)
    ]
    directed = [(i, j) for i, j in kept] + [(j, i) for i, j in kept]
    text_pairs = [(texts[a], focus_text(texts[a], texts[b])) for a, b in directed]
    cosines = None if encoder is None else [cos[(min(a, b), max(a, b))] for a, b in directed]
    results = model.predict_pairs(text_pairs, cosines)
    results = _agree(directed, results)
    # Across stories, "supports" must be clean: two claims from different happenings that name
    # different actors or places ("Russia, Belarus and Iran ... exercise" vs "NATO allies ...
    # exercise") are at most discussing each other, however alike their words.
    results = [
        ("discusses", score, reasons)
        if stance == "supports"
        and needed(a, b) > min_similarity
        and any("mismatch" in r for r in reasons)
        else (stance, score, reasons)
        for (a, b), (stance, score, reasons) in zip(directed, results, strict=True)
    ]
    links = [
        ClaimLink(ordered[a].claim.id, ordered[b].claim.id, stance, score, reasons)
        for (a, b), (stance, score, reasons) in zip(directed, results, strict=True)
        if stance in _KEEP
    ]
    return sorted(links, key=lambda k: (k.claim, k.other))


_Result = tuple[str, float, tuple[str, ...]]


def _agree(directed: list[tuple[int, int]], results: list[_Result]) -> list[_Result]:
    """Make the two directions of a pair agree on support against contradiction: if A supports B
    then B cannot contradict A. The more confident direction wins (ties: contradiction, the
    cautious answer); "discusses" and "unrelated" stay direction-specific (a report can discuss
    a claim that does not discuss it)."""
    where = {pair: k for k, pair in enumerate(directed)}
    out = list(results)
    for k, (a, b) in enumerate(directed):
        back = where.get((b, a))
        if back is None or back < k:
            continue
        (s1, p1, r1), (s2, p2, r2) = out[k], out[back]
        if {s1, s2} == {"supports", "contradicts"}:
            if p1 > p2 or (p1 == p2 and s1 == "contradicts"):
                out[back] = (s1, p2, r2 or r1)
            else:
                out[k] = (s2, p1, r1 or r2)
    return out


def _source(item: ClaimItem) -> SourceInfo:
    return dataclasses.replace(
        item.source, article_id=item.article_id, published=item.published or item.source.published
    )


def _independent_others(own: SourceInfo, others: list[SourceInfo]) -> int:
    groups = independent_groups([own, *others])
    return sum(1 for g in groups if all(s.article_id != own.article_id for s in g))


def claim_support(
    items: Sequence[ClaimItem], links: Sequence[ClaimLink]
) -> dict[str, ClaimSupport]:
    """One :class:`ClaimSupport` per claim in ``items`` (zeros when nothing matched it).

    ``supports``/``contradicts`` count the other articles whose claims support / contradict it;
    the independent counts collapse those into independent sources, never counting the claim's
    own source. ``first_source``/``first_seen``: the earliest independent source among the claim's
    own article and the supporting ones (by publication time; undated ones last)."""
    by_id: dict[str, ClaimItem] = {}
    for it in items:
        by_id.setdefault(it.claim.id, it)
    towards: dict[str, dict[str, set[str]]] = defaultdict(
        lambda: {"supports": set(), "contradicts": set()}
    )
    for link in links:
        if (
            link.claim in by_id
            and link.other in by_id
            and link.stance in ("supports", "contradicts")
        ):
            other = by_id[link.other]
            if other.article_id != by_id[link.claim].article_id:
                towards[link.claim][link.stance].add(other.claim.id)
    out: dict[str, ClaimSupport] = {}
    for cid in sorted(by_id):
        item = by_id[cid]
        own = _source(item)
        found = towards.get(cid, {"supports": set(), "contradicts": set()})
        sup = _article_sources([by_id[o] for o in sorted(found["supports"])])
        con = _article_sources([by_id[o] for o in sorted(found["contradicts"])])
        first = independent_groups([own, *sup])[0]
        out[cid] = ClaimSupport(
            claim=cid,
            supports=len(sup),
            contradicts=len(con),
            independent_support=_independent_others(own, sup),
            independent_contradict=_independent_others(own, con),
            first_source=source_label(first),
            first_seen=first[0].published,
        )
    return out


def _article_sources(items: list[ClaimItem]) -> list[SourceInfo]:
    """One source per article (two claims of one article are one report)."""
    seen: dict[str, SourceInfo] = {}
    for it in items:
        seen.setdefault(it.article_id, _source(it))
    return [seen[k] for k in sorted(seen)]
