"""What the HTML report shows, gathered from the store into plain view records.

Everything is read through :mod:`wirecheck.store` (the import rule: report reads the store only).
Text that came from an input (titles, bodies, names, evidence) stays plain ``str`` here; the
template escapes it. The one exception is :func:`mark_body`, which builds the article body's markup
itself and escapes every piece of text it puts in.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from wirecheck.models import Article, Assessment, ClaimLink, ClaimSupport, Signal, Story
from wirecheck.store import ActorCount, ClaimRow, EventRow, PlaceRow, Store

from . import _charts

BANDS = ("well supported", "plausible", "unverified", "disputed", "likely false")


def slug(value: str) -> str:
    """An id fragment safe in an HTML id and a URL fragment (``RUS:GOV`` -> ``RUS-GOV``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-") or "x"


def band_class(band: str | None) -> str:
    return "band-" + slug(band or "none").lower()


def safe_url(url: str | None) -> str | None:
    """The URL if it may be a link (http/https only, so a ``javascript:`` URL stays text)."""
    if url and re.match(r"(?i)^https?://[^\s\"'<>]+$", url):
        return url
    return None


# -- records the template reads -----------------------------------------------------------------


@dataclass
class ArticleRef:
    id: str
    title: str
    site: str | None
    published: str | None
    story: str | None = None
    band: str | None = None
    score: float | None = None
    source_key: str = ""  # what it was copied from, see source_groups
    source_label: str = ""
    claims: int = 0
    events: int = 0
    story_sources: int = 0  # the independent sources of its story
    full: bool = False  # has a full view (anchor #article-ID) in this report

    @property
    def anchor(self) -> str:
        return "article-" + slug(self.id)


@dataclass
class SourceGroup:
    """The member articles of a story that come from one origin (an agency, a syndication group or
    a site), as dedup and clean recorded it."""

    label: str
    articles: list[ArticleRef]


@dataclass
class StoryView:
    story: Story
    members: list[ArticleRef]
    groups: list[SourceGroup]
    sites: int

    @property
    def anchor(self) -> str:
        return "story-" + slug(self.story.id)


@dataclass
class LinkView:
    link: ClaimLink
    other_article: ArticleRef | None
    other_text: str | None


@dataclass
class ClaimView:
    row: ClaimRow
    status: str  # contradicted, supported, single-source, unchecked
    links: list[LinkView] = field(default_factory=list)
    marked: bool = False  # highlighted in the body (a claim overlapping an earlier one is not)

    @property
    def anchor(self) -> str:
        return "claim-" + slug(self.row.claim.id)

    @property
    def support(self) -> ClaimSupport | None:
        return self.row.support

    @property
    def assessment(self) -> Assessment | None:
        return self.row.assessment


@dataclass
class ArticleView:
    ref: ArticleRef
    article: Article
    body: Markup
    claims: list[ClaimView]
    assessment: Assessment | None
    story: Story | None
    url: str | None

    @property
    def signals(self) -> tuple[Signal, ...]:
        return self.assessment.signals if self.assessment else ()


@dataclass
class Counterpart:
    label: str
    anchor: str
    count: int
    mean_goldstein: float


@dataclass
class ActorView:
    key: str
    name: str
    type: str
    country: str | None
    codes: tuple[str, ...]
    mentions: int = 0
    articles: int = 0
    as_source: int = 0
    as_target: int = 0
    goldstein_sum: float = 0.0
    counterparts: list[Counterpart] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "actor-" + slug(self.key)

    @property
    def events(self) -> int:
        return self.as_source + self.as_target

    @property
    def colour(self) -> str:
        return _charts.goldstein_colour(self.goldstein_sum / self.events if self.events else 0.0)


# -- body markup --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str
    href: str | None = None
    anchor: str | None = None


def _non_overlapping(spans: Iterable[Span], length: int) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if 0 <= s.start < s.end <= length and (not out or s.start >= out[-1].end):
            out.append(s)
    return out


def _inner(body: str, start: int, end: int, spans: Sequence[Span]) -> Markup:
    parts: list[str] = []
    pos = start
    for s in spans:
        if s.start < start or s.end > end:
            continue  # a mention across a claim's edge is left plain rather than mis-nested
        parts.append(escape(body[pos : s.start]))
        text = escape(body[s.start : s.end])
        if s.href:
            parts.append(
                Markup('<a class="{}" href="{}" title="{}">{}</a>').format(
                    s.css, s.href, s.title, text
                )
            )
        else:
            parts.append(
                Markup('<span class="{}" title="{}">{}</span>').format(s.css, s.title, text)
            )
        pos = s.end
    parts.append(escape(body[pos:end]))
    return Markup("").join(parts)


def mark_body(body: str, claims: Iterable[Span], mentions: Iterable[Span]) -> Markup:
    """The body as HTML: each claim a ``<mark>`` (class by support), actor mentions linked to their
    actor's section. Every piece of text is escaped; overlapping spans keep the first."""
    outer = _non_overlapping(claims, len(body))
    inner = _non_overlapping(mentions, len(body))
    parts: list[str] = []
    pos = 0
    for c in outer:
        parts.append(_inner(body, pos, c.start, inner))
        parts.append(
            Markup('<mark id="{}" class="{}" title="{}">{}</mark>').format(
                c.anchor or "", c.css, c.title, _inner(body, c.start, c.end, inner)
            )
        )
        pos = c.end
    parts.append(_inner(body, pos, len(body), inner))
    return Markup("").join(parts)


# -- gathering ----------------------------------------------------------------------------------


def claim_status(support: ClaimSupport | None) -> str:
    """contradicted / supported by another article, single-source (checked: no other article
    reports it), or unchecked (the verify stage has not computed its support)."""
    if support is None:
        return "unchecked"
    if support.contradicts:
        return "contradicted"
    if support.supports:
        return "supported"
    return "single-source"


def _claim_title(row: ClaimRow) -> str:
    s = row.support
    parts = [f"claim ({row.claim.kind})"]
    if s:
        parts.append(
            f"supported by {s.supports} ({s.independent_support} independent), "
            f"contradicted by {s.contradicts} ({s.independent_contradict} independent)"
        )
    else:
        parts.append("not checked against other articles")
    if row.assessment:
        parts.append(f"{row.assessment.band} ({row.assessment.score:.0f}/100)")
    return "; ".join(parts)


def _source(a: Article) -> tuple[str, str]:
    agency = a.agency or (a.origin[7:] if a.origin and a.origin.startswith("agency:") else None)
    if agency:
        return "agency:" + agency.casefold(), f"{agency} (agency copy)"
    if a.syndication_group:
        return "group:" + a.syndication_group, a.site or a.id
    return "site:" + (a.site or a.id), a.site or a.id


def source_groups(members: Sequence[ArticleRef]) -> list[SourceGroup]:
    """Members grouped by what they were copied from: the agency they credit (or that dedup found
    as their origin), else their syndication group, else their site. A reading aid: the story's
    independent-source count itself comes from the verify stage through the store."""
    groups: dict[str, list[ArticleRef]] = {}
    labels: dict[str, str] = {}
    for ref in members:
        groups.setdefault(ref.source_key, []).append(ref)
        labels.setdefault(ref.source_key, ref.source_label)
    out = [
        SourceGroup(labels[k], sorted(v, key=lambda r: (r.published or "", r.id)))
        for k, v in groups.items()
    ]
    return sorted(out, key=lambda g: (g.articles[0].published or "9999", g.label))


def _ref(a: Article) -> ArticleRef:
    key, label = _source(a)
    return ArticleRef(
        a.id, a.title or "(untitled)", a.site, a.published, source_key=key, source_label=label,
        claims=len(a.claims), events=len(a.events),
    )  # fmt: skip


def _rank(ref: ArticleRef) -> tuple[int, int, str, str]:
    """Who gets a full view: articles of the stories with most independent sources first, then
    those with most claims and events, then the newest."""
    return (ref.story_sources, ref.claims + ref.events, ref.published or "", ref.id)


def scan_articles(
    store: Store,
    story_of: dict[str, Story],
    bands: dict[str, Assessment],
    full_views: int,
    batch_size: int = 500,
) -> tuple[list[ArticleRef], dict[str, Article]]:
    """One pass over the store: a light record per article, and the ``full_views`` best-ranked
    articles kept whole (a bounded heap, so memory does not grow with the corpus)."""
    refs: list[ArticleRef] = []
    best: list[tuple[tuple[int, int, str, str], Article]] = []
    for a in (a for batch in store.iter_articles(batch_size=batch_size) for a in batch):
        ref = _ref(a)
        story = story_of.get(a.id)
        if story:
            ref.story, ref.story_sources = story.id, story.independent_sources
        assessment = bands.get(a.id)
        if assessment:
            ref.band, ref.score = assessment.band, assessment.score
        refs.append(ref)
        if full_views <= 0:
            continue
        item = (_rank(ref), a)
        if len(best) < full_views:
            heapq.heappush(best, item)
        elif item[0] > best[0][0]:
            heapq.heapreplace(best, item)
    return refs, {a.id: a for _, a in best}


def claims_of(
    store: Store, articles: Iterable[Article], story_of: dict[str, Story]
) -> dict[str, list[ClaimRow]]:
    """The claims (with support and assessment) of ``articles``, fetched a story at a time: full
    views cluster in the best-corroborated stories, so this is far fewer queries than one per
    article."""
    wanted = {a.id for a in articles}
    out: dict[str, list[ClaimRow]] = {i: [] for i in wanted}
    stories = {story_of[i].id for i in wanted if i in story_of}
    # The limits only have to exceed one story's (or one article's) claims.
    for sid in sorted(stories):
        for row in store.claims(story=sid, limit=1_000_000):
            if row.article_id in out:
                out[row.article_id].append(row)
    for article_id in sorted(wanted - {i for i in wanted if i in story_of}):
        out[article_id].extend(store.claims(article=article_id, limit=100_000))
    return out


def article_view(
    store: Store,
    article: Article,
    rows: Sequence[ClaimRow],
    ref: ArticleRef,
    story: Story | None,
    assessment: Assessment | None,
    refs: dict[str, ArticleRef],
    actor_key: dict[str, str],
    max_linked_claims: int,
) -> ArticleView:
    claims: list[ClaimView] = []
    linked = 0
    for row in sorted(rows, key=lambda r: r.claim.start):
        view = ClaimView(row, claim_status(row.support))
        # One query per claim: only for claims that other articles treat, and at most
        # max_linked_claims per article.
        if row.support and (row.support.supports or row.support.contradicts):
            linked += 1
            if linked <= max_linked_claims:
                for link in store.claim_links(row.claim.id):
                    other = link.other if link.other != row.claim.id else link.claim
                    other_article = refs.get(other.rsplit(":", 1)[0])
                    view.links.append(LinkView(link, other_article, None))
        claims.append(view)
    claim_spans = [
        Span(c.row.claim.start, c.row.claim.end, "claim " + c.status, _claim_title(c.row),
             anchor=c.anchor)
        for c in claims
    ]  # fmt: skip
    mention_spans = []
    for m in article.mentions:
        key = actor_key.get(m.id or "") if m.type != "place" else None
        if key:
            title = f"{m.type}: {m.id}" + (f" ({m.role})" if m.role else "")
            mention_spans.append(Span(m.start, m.end, "actor", title, href="#actor-" + slug(key)))
    kept = {span.anchor for span in _non_overlapping(claim_spans, len(article.body))}
    for c in claims:
        c.marked = c.anchor in kept
    return ArticleView(
        ref=ref,
        article=article,
        body=mark_body(article.body, claim_spans, mention_spans),
        claims=claims,
        assessment=assessment,
        story=story,
        url=safe_url(article.url),
    )


# -- events: actors, network, timeline, map -----------------------------------------------------


def actor_views(
    counts: Sequence[ActorCount], rows: Sequence[EventRow]
) -> tuple[list[ActorView], dict[str, str], list[_charts.Edge]]:
    """One view per actor (mention counts from the store, event counts from the events), the map
    from an event's actor code (``RUSGOV``) to the actor it belongs to (``RUS``), and the directed
    source->target edges between actors."""
    views: dict[str, ActorView] = {}
    code_to_key: dict[str, str] = {}
    for c in counts:
        views[c.id] = ActorView(c.id, c.name, c.type, c.country, tuple(x for x in c.codes if x),
                                mentions=c.mentions, articles=c.articles)  # fmt: skip
        for code in c.codes:
            if code:
                code_to_key.setdefault(code, c.id)
        code_to_key.setdefault(c.id, c.id)

    def key_of(code: str) -> str:
        if code not in code_to_key:
            # An event code no mention carried: attach it to its country's actor when the first
            # three letters are one, else give it a node of its own.
            parent = code_to_key.get(code[:3]) if len(code) > 3 else None
            code_to_key[code] = parent or code
            if not parent:
                views[code] = ActorView(code, code, "code", None, (code,))
        return code_to_key[code]

    pairs: dict[tuple[str, str], _charts.Edge] = {}
    for r in rows:
        e = r.event
        sources = sorted({key_of(c) for c in e.source if c})
        targets = sorted({key_of(c) for c in e.target if c})
        for s in sources:
            views[s].as_source += 1
            views[s].goldstein_sum += e.goldstein
        for t in targets:
            views[t].as_target += 1
            views[t].goldstein_sum += e.goldstein
        for s in sources:
            for t in targets:
                if s != t:
                    edge = pairs.setdefault((s, t), _charts.Edge(s, t))
                    edge.count += 1
                    edge.goldstein_sum += e.goldstein
                    edge.kinds[e.plover] = edge.kinds.get(e.plover, 0) + 1
    for (s, t), edge in pairs.items():
        for a, b in ((s, t), (t, s)):
            views[a].counterparts.append(
                Counterpart(views[b].name, views[b].anchor, edge.count, edge.mean_goldstein)
            )
    for v in views.values():
        merged: dict[str, Counterpart] = {}
        for cp in v.counterparts:
            if cp.anchor in merged:
                m = merged[cp.anchor]
                total = m.count + cp.count
                m.mean_goldstein = (
                    m.mean_goldstein * m.count + cp.mean_goldstein * cp.count
                ) / total
                m.count = total
            else:
                merged[cp.anchor] = Counterpart(cp.label, cp.anchor, cp.count, cp.mean_goldstein)
        v.counterparts = sorted(merged.values(), key=lambda cp: (-cp.count, cp.label))[:8]
    ordered = sorted(views.values(), key=lambda v: (-(v.events + v.mentions), v.name))
    return ordered, code_to_key, list(pairs.values())


def network(
    actors: Sequence[ActorView], edges: Sequence[_charts.Edge], max_nodes: int, max_edges: int
) -> tuple[_charts.Figure, int, int]:
    """The actor network figure over the most active actors; returns it with the node and edge
    counts drawn."""
    active = [a for a in actors if a.events]
    keep = {a.key for a in sorted(active, key=lambda a: (-a.events, a.name))[:max_nodes]}
    drawn = sorted(
        (e for e in edges if e.source in keep and e.target in keep),
        key=lambda e: (-e.count, e.source, e.target),
    )[:max_edges]
    connected = {e.source for e in drawn} | {e.target for e in drawn}
    nodes = [
        _charts.Node(a.key, a.name, a.events, "#" + a.anchor) for a in actors if a.key in connected
    ]
    return _charts.network_figure(nodes, drawn), len(nodes), len(drawn)


def event_day(row: EventRow) -> str | None:
    """The event's own day, else its article's publication day (the same rule as the store)."""
    for value in (row.event.date, row.published):
        if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            return value[:10]
    return None


def timeline(rows: Sequence[EventRow]) -> tuple[_charts.Figure, int]:
    days: dict[str, _charts.Day] = {}
    undated = 0
    for r in rows:
        day = event_day(r)
        if day is None:
            undated += 1
            continue
        d = days.setdefault(day, _charts.Day())
        d.by_quad[r.event.quad_class] = d.by_quad.get(r.event.quad_class, 0) + 1
        d.goldstein_sum += r.event.goldstein
        d.count += 1
    return _charts.timeline_figure(days), undated


def event_map(rows: Sequence[EventRow], places: dict[str, PlaceRow]) -> tuple[_charts.Figure, int]:
    points: dict[str, _charts.PlacePoint] = {}
    located = 0
    for r in rows:
        place = places.get(r.event.place or "")
        if place is None or place.lat is None or place.lon is None:
            continue
        located += 1
        p = points.setdefault(
            place.id, _charts.PlacePoint(place.name, place.lat, place.lon, place.country)
        )
        p.count += 1
        p.goldstein_sum += r.event.goldstein
        p.kinds[r.event.plover] = p.kinds.get(r.event.plover, 0) + 1
    ordered = sorted(points.values(), key=lambda p: (-p.count, p.name))
    return _charts.map_figure(ordered), located


def all_stories(store: Store, page: int = 1000) -> list[Story]:
    """Every story (the store hands them out a page at a time, by id)."""
    out: list[Story] = []
    after: str | None = None
    while batch := store.stories(limit=page, after=after):
        out.extend(batch)
        after = batch[-1].id
    return out


def band_counts(assessments: Iterable[Assessment]) -> list[tuple[str, int]]:
    counter = Counter(a.band for a in assessments)
    known = [(b, counter.pop(b, 0)) for b in BANDS]
    return known + sorted(counter.items())
