"""Independent sources: who really reports something, once reprints and copies are collapsed.

Three rules, applied together (an article joins every article it shares any key with):

* reprints in one syndication group (dedup's near-duplicate groups) are one source;
* copies of one agency's story are one source, however many outlets carry them and however much
  each trimmed or re-headlined it (the article credits the agency, or dedup's origin names it);
* an outlet repeating itself is one source (same site).

So fifty portals running one wire story are one source, and a portal that runs the wire story and
its own follow-up is still one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SourceInfo", "count_independent", "independent_groups", "source_label"]


@dataclass(frozen=True)
class SourceInfo:
    """What decides an article's independence; built from an :class:`~wirecheck.models.Article`."""

    article_id: str
    site: str | None = None
    syndication_group: str | None = None
    origin: str | None = None  # "agency:NAME" or "article:ID", from dedup
    agency: str | None = None  # the agency the article credits, from clean
    published: str | None = None


def _keys(item: SourceInfo) -> Iterable[str]:
    if item.syndication_group:
        yield "group:" + item.syndication_group
    if item.origin and item.origin.startswith("agency:"):
        yield "agency:" + item.origin.removeprefix("agency:").casefold()
    if item.agency:
        yield "agency:" + item.agency.casefold()
    if item.site:
        yield "site:" + item.site.casefold().removeprefix("www.")


def independent_groups(items: Sequence[SourceInfo]) -> list[list[SourceInfo]]:
    """The items partitioned into independent sources, each group sorted by (published, id) and
    the groups sorted by their first member, so the answer does not depend on input order."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in _keys(item):
            if key in owner:
                a, b = find(owner[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = index
    groups: dict[int, list[SourceInfo]] = {}
    for index, item in enumerate(items):
        groups.setdefault(find(index), []).append(item)

    def order(item: SourceInfo) -> tuple[str, str]:
        return (item.published or "9999", item.article_id)

    sorted_groups = [sorted(g, key=order) for g in groups.values()]
    return sorted(sorted_groups, key=lambda g: order(g[0]))


def count_independent(items: Sequence[SourceInfo]) -> int:
    """How many independent sources the items come from."""
    return len(independent_groups(items))


def source_label(group: Sequence[SourceInfo]) -> str:
    """A readable name for one independent source: the agency if any member credits one, else the
    first member's site, else its article id."""
    for item in group:
        if item.agency:
            return item.agency
        if item.origin and item.origin.startswith("agency:"):
            return item.origin.removeprefix("agency:")
    for item in group:
        if item.site:
            return item.site
    return "article:" + group[0].article_id
