"""The HTML dashboard: server-rendered Jinja2 pages (autoescaped) over the same data as the API.

Charts are Plotly figures whose data travel in ``<script type="application/json">`` blocks
(escaped by ``tojson``) and are drawn by static/app.js with the Plotly bundle of the plotly
package, so the pages need no inline script, no CDN and no build step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from wirecheck.errors import NotFound
from wirecheck.serve import api, convert, paging, schemas
from wirecheck.serve.digest import BANDS
from wirecheck.serve.state import ServeState, get_state

TEMPLATES = Path(__file__).parent / "templates"
QUAD_NAMES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
QUAD_COLOURS = ("#4c9f70", "#1f6f43", "#e09f3e", "#b23a48")
BAND_COLOURS = ("#1f6f43", "#4c9f70", "#8a8f98", "#e09f3e", "#b23a48")
TIMELINE_POINTS = 2000  # events drawn on the timeline chart (the table pages through all)

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every value is escaped unless a template says otherwise (none does)
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["short"] = lambda value: (value or "")[:12]
environment.filters["day"] = lambda value: (value or "")[:10]
environment.filters["pct"] = lambda value: "–" if value is None else f"{100 * value:.0f}%"
environment.filters["num"] = lambda value: "–" if value is None else f"{value:,.0f}"
templates = Jinja2Templates(env=environment)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
State = Annotated[ServeState, Depends(get_state)]
Opt = Annotated[str | None, Query(max_length=200)]
DateOpt = Annotated[str | None, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]


def _page(request: Request, name: str, title: str, **context: Any) -> HTMLResponse:
    state = get_state(request)
    return templates.TemplateResponse(
        request,
        name,
        {"title": title, "read_only": state.read_only, "path": request.url.path, **context},
    )


def _url(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def _figure(data: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    base = {"margin": {"l": 50, "r": 20, "t": 30, "b": 40}, "height": 320, "showlegend": True}
    return {"data": data, "layout": {**base, **layout}}


def _clean(value: str | None) -> str | None:
    return value or None


@router.get("/")
def overview(request: Request, state: State) -> HTMLResponse:
    counts = state.counts()
    digest = state.digest.get()
    actors = state.actors()[:15]
    with state.pool.reader() as store:
        stories = store.stories(limit=10)
    charts: dict[str, Any] = {}
    if digest is not None and digest.weeks:
        weeks = list(digest.weeks)
        charts["timeline"] = _figure(
            [
                {
                    "type": "bar",
                    "name": QUAD_NAMES[q],
                    "x": weeks,
                    "y": [digest.weeks[w][q] for w in weeks],
                    "marker": {"color": QUAD_COLOURS[q]},
                }
                for q in range(4)
            ],
            barmode="stack",
            title={"text": "Events per week by quad class"},
            xaxis={"type": "date"},
        )
    if actors:
        charts["actors"] = _figure(
            [
                {
                    "type": "bar",
                    "orientation": "h",
                    "x": [a.mentions for a in reversed(actors)],
                    "y": [a.name for a in reversed(actors)],
                    "marker": {"color": "#3b6ea8"},
                }
            ],
            showlegend=False,
            height=420,
            yaxis={"automargin": True},
            title={"text": "Most mentioned actors"},
        )
    if digest is not None and any(digest.bands.values()):
        bands = [b for b in digest.bands if digest.bands[b]]
        charts["bands"] = _figure(
            [
                {
                    "type": "bar",
                    "x": bands,
                    "y": [digest.bands[b] for b in bands],
                    "marker": {
                        "color": [
                            BAND_COLOURS[BANDS.index(b)] if b in BANDS else "#888" for b in bands
                        ]
                    },
                }
            ],
            showlegend=False,
            title={"text": "Articles by credibility band"},
        )
    return _page(
        request,
        "overview.html",
        "Overview",
        counts=counts,
        digest=digest,
        digest_error=state.digest.last_error,
        actors=actors,
        stories=stories,
        charts=charts,
    )


@router.get("/stories")
def stories_page(
    request: Request,
    state: State,
    actor: Opt = None,
    since: DateOpt = None,
    until: DateOpt = None,
    after: Opt = None,
) -> HTMLResponse:
    page = api.list_stories(
        state, actor=_clean(actor), since=_clean(since), until=_clean(until), after=after, limit=50
    )
    next_url = page.next and _url(
        "/stories", actor=actor, since=since, until=until, after=page.next
    )
    return _page(
        request,
        "stories.html",
        "Stories",
        page=page,
        next_url=next_url,
        filters={"actor": actor or "", "since": since or "", "until": until or ""},
    )


@router.get("/stories/{story_id}")
def story_page(
    request: Request, state: State, story_id: Annotated[str, PathParam(pattern=api.STORY_ID)]
) -> HTMLResponse:
    story = api.story_detail(state, story_id)
    members = {a.id: a for a in story.members}
    return _page(request, "story.html", story.label, story=story, members=members)


@router.get("/articles")
def articles_page(
    request: Request, state: State, site: Opt = None, group: Opt = None, after: Opt = None
) -> HTMLResponse:
    page = api.list_articles(state, site=_clean(site), group=_clean(group), after=after, limit=50)
    next_url = page.next and _url("/articles", site=site, group=group, after=page.next)
    return _page(
        request,
        "articles.html",
        "Articles",
        page=page,
        next_url=next_url,
        filters={"site": site or "", "group": group or ""},
    )


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    state: State,
    article_id: Annotated[str, PathParam(pattern=api.ARTICLE_ID)],
) -> HTMLResponse:
    article = api.article_detail(state, article_id)
    links: dict[str, list[schemas.ClaimLink]] = {}
    with state.pool.reader() as store:
        by_claim = store.claim_links_of([item.claim.id for item in article.claims])
    for claim_id, found in by_claim.items():
        if found:
            links[claim_id] = [convert.claim_link(k) for k in found[:10]]
    actor_ids = {m.id for m in article.mentions if m.id and m.type != "place"}
    known_actors = state.actor_index()
    return _page(
        request,
        "article.html",
        article.title or "(no title)",
        article=article,
        segments=convert.segments(article.body, article.claims),
        links=links,
        actors=[known_actors[i] for i in sorted(actor_ids) if i in known_actors],
        places=[m for m in article.mentions if m.type == "place"],
    )


@router.get("/actors")
def actors_page(
    request: Request,
    state: State,
    type: Annotated[Literal["country", "organisation", "person", "group"] | None, Query()] = None,
    after: Opt = None,
) -> HTMLResponse:
    page = api.list_actors(state, type=type, after=after, limit=100)
    next_url = page.next and _url("/actors", type=type, after=page.next)
    return _page(request, "actors.html", "Actors", page=page, next_url=next_url, type=type or "")


def _prefixes(codes: list[str]) -> list[str]:
    """The shortest codes covering the others (``RUS`` covers ``RUSMIL``)."""
    out: list[str] = []
    for code in sorted(set(codes), key=len):
        if not any(code.startswith(p) for p in out):
            out.append(code)
    return out


ACTOR_EVENTS = 200


@router.get("/actors/{actor_id}")
def actor_page(
    request: Request, state: State, actor_id: Annotated[str, PathParam(pattern=api.ACTOR_ID)]
) -> HTMLResponse:
    found = state.actor_index().get(actor_id)
    if found is None:
        raise NotFound(f"no actor {actor_id!r} is mentioned in the store", hint="see /actors")
    actor = convert.actor(found)
    prefixes = _prefixes(actor.codes)
    as_source: list[schemas.EventItem] = []
    as_target: list[schemas.EventItem] = []
    with state.pool.reader() as store:
        seen: set[tuple[str, int, int]] = set()
        for prefix in prefixes:
            for row in store.events(actor=prefix, limit=ACTOR_EVENTS):
                key = (row.article_id, row.event.sentence, row.event.trigger_start)
                if key in seen:
                    continue
                seen.add(key)
                item = convert.event_item(row)
                if any(c.startswith(p) for c in item.source for p in prefixes):
                    as_source.append(item)
                if any(c.startswith(p) for c in item.target for p in prefixes):
                    as_target.append(item)
        stories = store.stories(actor=actor.id, limit=20)
    return _page(
        request,
        "actor.html",
        actor.name,
        actor=actor,
        prefixes=prefixes,
        as_source=as_source,
        as_target=as_target,
        stories=stories,
        capped=len(seen) >= ACTOR_EVENTS,
    )


@router.get("/events")
def events_page(
    request: Request,
    state: State,
    actor: Opt = None,
    type: Opt = None,
    quad_class: Annotated[str | None, Query(pattern=r"^[1-4]?$")] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    after: Opt = None,
) -> HTMLResponse:
    filters = {
        "actor": _clean(actor),
        "plover": _clean(type),
        "quad_class": int(quad_class) if quad_class else None,
        "since": _clean(since),
        "until": _clean(until),
    }
    offset = paging.offset_of(after)
    with state.pool.reader() as store:
        sample = store.events(**filters, limit=max(TIMELINE_POINTS, offset + 51))  # type: ignore[arg-type]
    rows = sample[offset : offset + 50]
    more = len(sample) > offset + 50
    points = sample[:TIMELINE_POINTS]
    chart = None
    if points:
        chart = _figure(
            [
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": QUAD_NAMES[q],
                    "x": [
                        (r.event.date or r.published or "")[:10]
                        for r in points
                        if r.event.quad_class == q + 1
                    ],
                    "y": [r.event.goldstein for r in points if r.event.quad_class == q + 1],
                    "text": [
                        f"{'/'.join(r.event.source)} {r.event.plover} {'/'.join(r.event.target)}"
                        for r in points
                        if r.event.quad_class == q + 1
                    ],
                    "marker": {"color": QUAD_COLOURS[q], "size": 8, "opacity": 0.75},
                }
                for q in range(4)
            ],
            title={"text": "Events by date and Goldstein score"},
            xaxis={"type": "date"},
            yaxis={"title": {"text": "Goldstein"}, "range": [-10.5, 10.5]},
        )
    next_url = more and _url(
        "/events",
        actor=actor,
        type=type,
        quad_class=quad_class,
        since=since,
        until=until,
        after=paging.encode({"o": offset + 50}),
    )
    return _page(
        request,
        "events.html",
        "Events",
        rows=[convert.event_item(r) for r in rows],
        figure=chart,
        drawn=len(points),
        capped=len(sample) >= TIMELINE_POINTS,
        next_url=next_url or None,
        filters={
            "actor": actor or "",
            "type": type or "",
            "quad_class": quad_class or "",
            "since": since or "",
            "until": until or "",
        },
        quad_names=QUAD_NAMES,
    )


@router.get("/map")
def map_page(request: Request, state: State) -> HTMLResponse:
    places = [p for p in state.places().values() if p.lat is not None and p.lon is not None]
    digest = state.digest.get()
    counts = digest.places if digest is not None else {}
    chart = None
    if places:
        sizes = [counts.get(p.id, 0) for p in places]
        chart = _figure(
            [
                {
                    "type": "scattergeo",
                    "lat": [p.lat for p in places],
                    "lon": [p.lon for p in places],
                    "text": [f"{p.name} ({counts.get(p.id, 0)} events)" for p in places],
                    "hoverinfo": "text",
                    "marker": {
                        "size": [6 + min(24, 2 * s) for s in sizes],
                        "color": "#b23a48",
                        "opacity": 0.7,
                        "line": {"width": 0.5, "color": "#fff"},
                    },
                }
            ],
            showlegend=False,
            height=520,
            margin={"l": 0, "r": 0, "t": 10, "b": 0},
            geo={
                "projection": {"type": "natural earth"},
                "showcountries": True,
                "showland": True,
                "landcolor": "#f1efe8",
                "countrycolor": "#b9b4a7",
                "showocean": True,
                "oceancolor": "#e6eef5",
                "fitbounds": "locations",
            },
        )
    ranked = sorted(places, key=lambda p: (-counts.get(p.id, 0), p.name))[:50]
    return _page(
        request,
        "map.html",
        "Map",
        figure=chart,
        places=ranked,
        counts=counts,
        total=len(places),
    )


@router.get("/sources")
def sources_page(request: Request, state: State, after: Opt = None) -> HTMLResponse:
    page = api.list_sources(state, after=after, limit=100)
    next_url = page.next and _url("/sources", after=page.next)
    return _page(request, "sources.html", "Sources", page=page, next_url=next_url)


@router.get("/search")
def search_page(request: Request, state: State, q: Opt = None, after: Opt = None) -> HTMLResponse:
    page = None
    next_url = None
    if q and q.strip():
        page = api.search(state, q=q, after=after, limit=20)
        next_url = page.next and _url("/search", q=q, after=page.next)
    return _page(request, "search.html", "Search", q=q or "", page=page, next_url=next_url)
