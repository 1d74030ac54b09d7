"""Exact and near-duplicate detection: which articles are reprints of one text.

Exact duplicates share the hash of the normalised body. Near-duplicates (a wire story reprinted
with different furniture, a changed headline, a dropped or added paragraph) are found with MinHash
LSH over word shingles, so cost stays linear in the corpus: each new article is compared only with
the candidates its LSH buckets return, then verified against the threshold. Groups are connected
components (union-find), kept incrementally as batches arrive.

Group ids and origins depend only on the set of members, never on arrival order, so any batching
of the same inputs gives the same answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from wirecheck.models import Article, DedupAssignment
from wirecheck.settings import DedupSettings

_WORD = re.compile(r"\w+", re.UNICODE)
# Fixed so stored signatures stay comparable across runs, machines and datasketch upgrades.
_SEED = 1
_SCHEME = "affine32"


@dataclass(frozen=True)
class DedupMember:
    """What dedup needs to know of an article (loaded back from the store on the next run)."""

    id: str
    body_hash: str
    published: str | None
    agency: str | None
    signature: bytes


def shingles(body: str, width: int) -> list[bytes]:
    words = _WORD.findall(body.lower())
    if len(words) < width:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + width]).encode("utf-8") for i in range(len(words) - width + 1)]


def make_member(article: Article, settings: DedupSettings) -> DedupMember:
    """Compute an article's MinHash signature: the costly, per-article part, run in workers."""
    minhash = MinHash(num_perm=settings.num_perm, seed=_SEED, scheme=_SCHEME)
    grams = shingles(article.body, settings.shingle_words)
    if grams:
        minhash.update_batch(grams)
    return DedupMember(
        id=article.id,
        body_hash=article.body_hash,
        published=article.published,
        agency=article.agency,
        signature=minhash.hashvalues.astype(np.uint64).tobytes(),
    )


class Deduplicator:
    """Incremental syndication grouping over a growing corpus."""

    def __init__(self, settings: DedupSettings) -> None:
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        self._members: dict[str, DedupMember] = {}
        self._hashes: dict[str, LeanMinHash] = {}
        self._parent: dict[str, str] = {}
        self._groups: dict[str, set[str]] = {}
        self._last: dict[str, DedupAssignment] = {}

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._members

    def member_for(self, article: Article) -> DedupMember:
        return make_member(article, self.settings)

    def _lean(self, member: DedupMember) -> LeanMinHash:
        values = np.frombuffer(member.signature, dtype=np.uint64)
        return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)

    def _find(self, node: str) -> str:
        root = node
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[node] != root:  # path compression
            self._parent[node], node = root, self._parent[node]
        return root

    def _union(self, a: str, b: str) -> str:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        if len(self._groups[ra]) < len(self._groups[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._groups[ra] |= self._groups.pop(rb)
        return ra

    def add(self, members: Iterable[DedupMember]) -> list[DedupAssignment]:
        """Add articles; return the assignments of every article whose group may have changed."""
        touched: set[str] = set()
        for member in members:
            if member.id in self._members:
                continue
            lean = self._lean(member)
            self._members[member.id] = member
            self._hashes[member.id] = lean
            self._parent[member.id] = member.id
            self._groups[member.id] = {member.id}
            for other in self._lsh.query(lean):
                # LSH returns candidates; verify the estimated similarity before joining groups.
                if lean.jaccard(self._hashes[other]) >= self.settings.threshold:
                    self._union(member.id, other)
            self._lsh.insert(member.id, lean)
            touched.add(member.id)
        roots = {self._find(m) for m in touched}
        out: list[DedupAssignment] = []
        for root in sorted(roots):
            for assignment in self._assign(self._groups[root]):
                # Only what changed goes back to the store: a wire story with hundreds of
                # reprints would otherwise rewrite the whole group for every new copy.
                if self._last.get(assignment.article_id) != assignment:
                    self._last[assignment.article_id] = assignment
                    out.append(assignment)
        return out

    def assignments(self) -> list[DedupAssignment]:
        """Assignments for the whole corpus."""
        out: list[DedupAssignment] = []
        for root in sorted(self._groups):
            out.extend(self._assign(self._groups[root]))
        return out

    def _order_key(self, article_id: str) -> tuple[int, str, str]:
        published = self._members[article_id].published
        # Undated articles sort after dated ones: a dated member is better evidence of who was first.
        return (0 if published else 1, published or "", article_id)

    def _assign(self, group: set[str]) -> list[DedupAssignment]:
        ordered = sorted(group, key=self._order_key)
        group_id = "g" + min(group)
        agencies = Counter(a for m in group if (a := self._members[m].agency))
        if agencies:
            agency, _ = max(agencies.items(), key=lambda kv: (kv[1], kv[0]))
            origin = f"agency:{agency}"
        else:
            origin = f"article:{ordered[0]}"
        first_by_hash: dict[str, str] = {}
        out = []
        for article_id in ordered:
            body_hash = self._members[article_id].body_hash
            canonical = first_by_hash.setdefault(body_hash, article_id)
            out.append(
                DedupAssignment(
                    article_id=article_id,
                    syndication_group=group_id,
                    origin=origin,
                    duplicate_of=None if canonical == article_id else canonical,
                )
            )
        return out
