"""Plotly figures of the report, as plain JSON-ready dicts (``{"data": [...], "layout": {...}}``).

Built from aggregated numbers, never from the store, so they can be tested alone. The browser draws
them with the plotly.js that the report inlines; nothing here touches the network. The map's base
layer is the vendored ``static/world_110m.json`` (see ``html.py`` for how it reaches plotly.js).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Figure = dict[str, Any]

# Goldstein scores run from -10 (most conflictual) to +10 (most cooperative). A diverging scale with
# a grey middle, so a neutral edge does not read as either.
GOLDSTEIN_SCALE: list[list[Any]] = [
    [0.0, "#b2182b"],
    [0.25, "#ef8a62"],
    [0.5, "#b0b0b0"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
QUAD_COLOURS = {1: "#67a9cf", 2: "#2166ac", 3: "#ef8a62", 4: "#b2182b"}
# Edges are drawn in this many colour bins: one scatter trace per bin, since a plotly line trace has
# a single colour. Nine bins of ~2.2 Goldstein points each are finer than the eye separates.
_EDGE_BINS = 9
_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12}


def goldstein_colour(score: float) -> str:
    """The scale's colour for a Goldstein score, interpolated, as ``#rrggbb``."""
    t = min(1.0, max(0.0, (score + 10.0) / 20.0))
    for (t0, c0), (t1, c1) in itertools.pairwise(GOLDSTEIN_SCALE):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
    return str(GOLDSTEIN_SCALE[-1][1])


def _base_layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "font": _FONT,
        "margin": {"l": 50, "r": 20, "t": 30, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


# -- actor network ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    events: int  # events the actor takes part in, as source or target
    anchor: str  # the report's #actor-... anchor


@dataclass
class Edge:
    source: str
    target: str
    count: int = 0
    goldstein_sum: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def mean_goldstein(self) -> float:
        return self.goldstein_sum / self.count if self.count else 0.0


def spring_layout(
    keys: Sequence[str], edges: Sequence[Edge], *, iterations: int = 200
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold positions in [-1, 1]², deterministic (seeded start, fixed steps).

    Numpy over all pairs: O(n²) per step, fine for the few hundred actors the report draws."""
    n = len(keys)
    if n == 0:
        return {}
    if n == 1:
        return {keys[0]: (0.0, 0.0)}
    index = {k: i for i, k in enumerate(keys)}
    # Start on a circle so the result does not depend on a random generator's version.
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    pos = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    weight = np.zeros((n, n))
    for e in edges:
        i, j = index[e.source], index[e.target]
        if i != j:
            weight[i, j] += e.count
            weight[j, i] += e.count
    weight = np.log1p(weight)
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.linalg.norm(delta, axis=2)
        np.fill_diagonal(dist, 1.0)
        dist = np.maximum(dist, 1e-3)
        force = k * k / dist**2 - weight * dist / k  # repulsion minus attraction, per unit vector
        np.fill_diagonal(force, 0.0)
        disp = np.einsum("ij,ijk->ik", force, delta)
        # A pull to the centre keeps separate components (and lone actors) from drifting apart.
        disp -= 0.6 * pos
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= 0.985
    pos -= pos.mean(axis=0)
    scale = float(np.abs(pos).max()) or 1.0
    pos /= scale
    return {key: (float(pos[i, 0]), float(pos[i, 1])) for key, i in index.items()}


def network_figure(nodes: Sequence[Node], edges: Sequence[Edge]) -> Figure:
    """Actors as nodes (sized by events), directed edges source→target coloured by mean Goldstein."""
    keys = [n.key for n in nodes]
    pos = spring_layout(keys, edges)
    traces: list[dict[str, Any]] = []
    bins: dict[int, list[Edge]] = {}
    for e in edges:
        b = min(_EDGE_BINS - 1, int((e.mean_goldstein + 10.0) / 20.0 * _EDGE_BINS))
        bins.setdefault(b, []).append(e)
    max_count = max((e.count for e in edges), default=1)
    for b in sorted(bins):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for e in bins[b]:
            (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        mid = -10.0 + (b + 0.5) * 20.0 / _EDGE_BINS
        width = 1.0 + 4.0 * max(e.count for e in bins[b]) / max_count
        traces.append(
            {
                "type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
                "line": {"color": goldstein_colour(mid), "width": round(width, 1)},
                "showlegend": False,
            }
        )  # fmt: skip
    # Hover points two thirds of the way along each edge (towards the target), carrying the numbers
    # and the colour bar.
    label = {n.key: n.label for n in nodes}
    hx, hy, htext, hcolour, hangle = [], [], [], [], []
    for e in edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        hx.append(x0 + (x1 - x0) * 2 / 3)
        hy.append(y0 + (y1 - y0) * 2 / 3)
        # plotly turns markers clockwise from north; the axes share a scale, so this points the
        # triangle along the edge, at the target.
        hangle.append(round(math.degrees(math.atan2(x1 - x0, y1 - y0)), 1))
        kinds = ", ".join(
            f"{k} ×{v}" for k, v in sorted(e.kinds.items(), key=lambda kv: -kv[1])[:4]
        )
        htext.append(
            f"{label[e.source]} → {label[e.target]}<br>{e.count} event(s), mean Goldstein "
            f"{e.mean_goldstein:+.1f}<br>{kinds}"
        )
        hcolour.append(round(e.mean_goldstein, 2))
    traces.append(
        {
            "type": "scatter", "mode": "markers", "x": hx, "y": hy, "text": htext,
            "hovertemplate": "%{text}<extra></extra>", "showlegend": False,
            "marker": {
                "size": 11, "symbol": "triangle-up", "angle": hangle, "color": hcolour,
                "line": {"color": "#fff", "width": 0.5}, "cmin": -10, "cmax": 10,
                "colorscale": GOLDSTEIN_SCALE,
                "colorbar": {"title": {"text": "mean Goldstein"}, "thickness": 12,
                             "tickvals": [-10, -5, 0, 5, 10],
                             "ticktext": ["-10 conflict", "-5", "0", "5", "+10 cooperation"]},
            },
        }
    )  # fmt: skip
    biggest = max((n.events for n in nodes), default=1) or 1
    traces.append(
        {
            "type": "scatter", "mode": "markers+text", "name": "actors",
            "x": [pos[n.key][0] for n in nodes], "y": [pos[n.key][1] for n in nodes],
            "text": [n.label for n in nodes], "textposition": "top center",
            "customdata": [n.anchor for n in nodes],
            "hovertext": [f"{n.label}: {n.events} event(s) — click for details" for n in nodes],
            "hoverinfo": "text", "showlegend": False,
            "marker": {"size": [10 + 25 * math.sqrt(n.events / biggest) for n in nodes],
                       "color": "#444", "line": {"color": "#fff", "width": 1}},
        }
    )  # fmt: skip
    axis = {"visible": False, "zeroline": False, "showgrid": False}
    return {
        "data": traces,
        "layout": _base_layout(xaxis=axis, yaxis={**axis, "scaleanchor": "x"}, height=560),
    }


# -- timeline -----------------------------------------------------------------------------------


@dataclass
class Day:
    by_quad: dict[int, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    count: int = 0


def timeline_figure(days: Mapping[str, Day]) -> Figure:
    """Events per day, stacked by quad class, with the day's mean Goldstein score on a second axis."""
    order = sorted(days)
    traces: list[dict[str, Any]] = []
    for quad, name in QUAD_NAMES.items():
        traces.append(
            {
                "type": "bar", "name": name, "x": order,
                "y": [days[d].by_quad.get(quad, 0) for d in order],
                "marker": {"color": QUAD_COLOURS[quad]},
                "hovertemplate": "%{x}: %{y} " + name + "<extra></extra>",
            }
        )  # fmt: skip
    traces.append(
        {
            "type": "scatter", "mode": "lines+markers", "name": "mean Goldstein", "x": order,
            "y": [round(days[d].goldstein_sum / days[d].count, 2) if days[d].count else None
                  for d in order],
            "yaxis": "y2", "line": {"color": "#333", "width": 1.5}, "marker": {"size": 5},
        }
    )  # fmt: skip
    layout = _base_layout(
        barmode="stack",
        height=380,
        xaxis={"type": "date", "title": {"text": "day (event date, else publication date)"}},
        yaxis={"title": {"text": "events"}, "rangemode": "tozero"},
        yaxis2={"title": {"text": "mean Goldstein"}, "overlaying": "y", "side": "right",
                "range": [-10.5, 10.5], "tickvals": [-10, -5, 0, 5, 10], "zeroline": True,
                "zerolinecolor": "#ccc", "showgrid": False},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 50, "r": 60, "t": 30, "b": 60},
    )  # fmt: skip
    return {"data": traces, "layout": layout}


# -- map ----------------------------------------------------------------------------------------


@dataclass
class PlacePoint:
    name: str
    lat: float
    lon: float
    country: str | None = None
    count: int = 0
    goldstein_sum: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)


def map_figure(points: Sequence[PlacePoint]) -> Figure:
    """Event places on the world base map, sized by events, coloured by mean Goldstein."""
    biggest = max((p.count for p in points), default=1) or 1
    text = []
    for p in points:
        kinds = ", ".join(
            f"{k} ×{v}" for k, v in sorted(p.kinds.items(), key=lambda kv: -kv[1])[:4]
        )
        mean = p.goldstein_sum / p.count if p.count else 0.0
        where = f"{p.name} ({p.country})" if p.country else p.name
        text.append(f"{where}<br>{p.count} event(s), mean Goldstein {mean:+.1f}<br>{kinds}")
    trace = {
        "type": "scattergeo", "mode": "markers", "name": "event places",
        "lat": [p.lat for p in points], "lon": [p.lon for p in points], "text": text,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {
            "size": [8 + 22 * math.sqrt(p.count / biggest) for p in points],
            "color": [round(p.goldstein_sum / p.count, 2) if p.count else 0 for p in points],
            "cmin": -10, "cmax": 10, "colorscale": GOLDSTEIN_SCALE, "opacity": 0.85,
            "line": {"color": "#222", "width": 0.5},
            "colorbar": {"title": {"text": "mean Goldstein"}, "thickness": 12},
        },
    }  # fmt: skip
    geo: dict[str, Any] = {
        "scope": "world", "resolution": 110, "projection": {"type": "natural earth"},
        "showcountries": True, "countrycolor": "#999", "showland": True, "landcolor": "#eeeae0",
        "showocean": True, "oceancolor": "#dbe9f4", "showlakes": True, "lakecolor": "#dbe9f4",
        "showcoastlines": True, "coastlinecolor": "#777", "showframe": False,
    }  # fmt: skip
    if points:
        # Zoom to the places (with a margin) rather than showing the whole globe for one region.
        lats = [p.lat for p in points]
        lons = [p.lon for p in points]
        pad_lat = max(5.0, (max(lats) - min(lats)) * 0.25)
        pad_lon = max(8.0, (max(lons) - min(lons)) * 0.25)
        geo["lataxis"] = {
            "range": [max(-90.0, min(lats) - pad_lat), min(90.0, max(lats) + pad_lat)]
        }
        geo["lonaxis"] = {
            "range": [max(-180.0, min(lons) - pad_lon), min(180.0, max(lons) + pad_lon)]
        }
        geo["projection"] = {"type": "mercator"}
    return {
        "data": [trace],
        "layout": _base_layout(geo=geo, height=520, margin={"l": 0, "r": 0, "t": 10, "b": 0}),
    }
