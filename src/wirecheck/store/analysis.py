"""The analyze stage's tables: actor and place mentions, resolved dates, events, actors, places.

A mixin of :class:`wirecheck.store.Store`, kept apart so each module stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import pyarrow as pa

from wirecheck.models import Article, DateMention, Event, Mention

MENTION_COLUMNS = (
    "article_id", "idx", "start_char", "end_char", "text", "type", "actor_id", "code", "role",
    "country", "admin1", "lat", "lon", "sentence", "confidence", "via",
)  # fmt: skip
DATE_COLUMNS = (
    "article_id", "idx", "start_char", "end_char", "text", "value", "precision", "anchor",
    "relative", "sentence",
)  # fmt: skip


EVENT_COLUMNS = (
    "article_id", "idx", "sentence", "sentence_text", "source", "target", "plover", "mode",
    "cameo", "goldstein", "quad_class", "trigger", "trigger_start", "trigger_end", "source_text",
    "target_text", "place", "date", "date_precision", "negated", "modality", "attributed_to",
    "confidence",
)  # fmt: skip


def _mention_values(m: Mention) -> tuple[Any, ...]:
    return (
        m.start, m.end, m.text, m.type, m.id, m.code, m.role, m.country, m.admin1, m.lat, m.lon,
        m.sentence, m.confidence, m.via,
    )  # fmt: skip


def _date_values(d: DateMention) -> tuple[Any, ...]:
    return (d.start, d.end, d.text, d.value, d.precision, d.anchor, d.relative, d.sentence)


def _event_values(e: Event) -> tuple[Any, ...]:
    return (
        e.sentence, e.sentence_text, json.dumps(list(e.source)), json.dumps(list(e.target)),
        e.plover, e.mode, e.cameo, e.goldstein, e.quad_class, e.trigger, e.trigger_start,
        e.trigger_end, e.source_text, e.target_text, e.place, e.date, e.date_precision, e.negated,
        e.modality, e.attributed_to, e.confidence,
    )  # fmt: skip


def _event_from_row(row: Sequence[Any]) -> Event:
    values = list(row)
    values[2] = tuple(json.loads(values[2]))
    values[3] = tuple(json.loads(values[3]))
    return Event(*values)


@dataclass(frozen=True)
class ActorRow:
    """An actor as the actor file names it, recorded when first mentioned."""

    id: str
    type: str
    name: str
    country: str | None


@dataclass(frozen=True)
class ActorCount:
    id: str
    type: str
    name: str
    country: str | None
    mentions: int
    articles: int
    codes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["codes"] = [c for c in self.codes if c]
        return out


@dataclass(frozen=True)
class EventRow:
    """An event with the article it came from, for listings and exports."""

    article_id: str
    published: str | None
    url: str | None
    event: Event

    def to_dict(self) -> dict[str, Any]:
        event = {**self.event.__dict__}
        event["source"], event["target"] = list(self.event.source), list(self.event.target)
        return {
            "article_id": self.article_id,
            "published": self.published,
            "url": self.url,
            **event,
        }


@dataclass(frozen=True)
class PlaceRow:
    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None


class AnalysisTables:
    """Reading and writing the analyze stage's tables, and the bulk insert every table uses
    (the base of Store)."""

    _con: duckdb.DuckDBPyConnection

    def _bulk(
        self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], conflict: str
    ) -> None:
        if not rows:
            return
        staged = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows])
        self._con.register("wirecheck_staged", staged)
        try:
            names = ", ".join(columns)
            self._con.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM wirecheck_staged {conflict}"
            )
        finally:
            self._con.unregister("wirecheck_staged")

    # -- reading --------------------------------------------------------------------------------

    def _write_analysis(
        self, articles: Sequence[Article], version: int, actors: Sequence[ActorRow]
    ) -> None:
        ids = [a.id for a in articles]
        for table in ("mentions", "date_mentions", "events"):
            self._con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
        self._bulk(
            "mentions",
            MENTION_COLUMNS,
            [(a.id, i, *_mention_values(m)) for a in articles for i, m in enumerate(a.mentions)],
            "",
        )
        self._bulk(
            "date_mentions",
            DATE_COLUMNS,
            [(a.id, i, *_date_values(d)) for a in articles for i, d in enumerate(a.dates)],
            "",
        )
        self._bulk(
            "events",
            EVENT_COLUMNS,
            [(a.id, i, *_event_values(e)) for a in articles for i, e in enumerate(a.events)],
            "",
        )
        places = {
            m.id: (m.id, m.text, m.country, m.admin1, m.lat, m.lon)
            for a in articles
            for m in a.mentions
            if m.type == "place" and m.id
        }
        self._bulk(
            "places",
            ("id", "name", "country", "admin1", "lat", "lon"),
            sorted(places.values()),
            "ON CONFLICT (id) DO NOTHING",
        )
        self._bulk(
            "actors",
            ("id", "type", "name", "country"),
            [(r.id, r.type, r.name, r.country) for r in actors],
            "ON CONFLICT (id) DO NOTHING",
        )
        self._con.execute(
            "UPDATE articles SET analysis_version = ? WHERE id IN (SELECT unnest(?))",
            [version, ids],
        )

    def _with_analysis(self, articles: list[Article]) -> list[Article]:
        ids = [a.id for a in articles]
        mentions: dict[str, list[Mention]] = {}
        for row in self._con.execute(
            f"SELECT article_id, {', '.join(MENTION_COLUMNS[2:])} FROM mentions "
            "WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, idx",
            [ids],
        ).fetchall():
            mentions.setdefault(row[0], []).append(Mention(*row[1:]))
        dates: dict[str, list[DateMention]] = {}
        for row in self._con.execute(
            f"SELECT article_id, {', '.join(DATE_COLUMNS[2:])} FROM date_mentions "
            "WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, idx",
            [ids],
        ).fetchall():
            dates.setdefault(row[0], []).append(DateMention(*row[1:]))
        events: dict[str, list[Event]] = {}
        for row in self._con.execute(
            f"SELECT article_id, {', '.join(EVENT_COLUMNS[2:])} FROM events "
            "WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, idx",
            [ids],
        ).fetchall():
            events.setdefault(row[0], []).append(_event_from_row(row[1:]))
        return [
            replace(
                a,
                mentions=tuple(mentions.get(a.id, ())),
                dates=tuple(dates.get(a.id, ())),
                events=tuple(events.get(a.id, ())),
            )
            for a in articles
        ]

    def events(
        self,
        *,
        actor: str | None = None,
        plover: str | None = None,
        since: str | None = None,
        until: str | None = None,
        quad_class: int | None = None,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Events across the corpus, by date; ``actor`` matches a code prefix on either side
        (``RUS`` finds RUSGOV and RUSMIL), ``since``/``until`` compare ISO dates (inclusive)."""
        where: list[str] = []
        params: list[Any] = []
        if actor:
            where.append("(e.source LIKE ? OR e.target LIKE ?)")
            params += [f'%"{actor}%', f'%"{actor}%']
        if plover:
            where.append("e.plover = ?")
            params.append(plover.upper())
        if quad_class is not None:
            where.append("e.quad_class = ?")
            params.append(quad_class)
        day = "coalesce(e.date, substr(a.published, 1, 10))"
        if since:
            where.append(f"{day} >= ?")
            params.append(since)
        if until:
            where.append(f"substr({day}, 1, 10) <= ?")
            params.append(until)
        sql = (
            f"SELECT a.id, a.published, a.url, {', '.join('e.' + c for c in EVENT_COLUMNS[2:])} "
            "FROM events e JOIN articles a ON a.id = e.article_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {day}, a.id, e.idx"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            EventRow(r[0], r[1], r[2], _event_from_row(r[3:]))
            for r in self._con.execute(sql, params).fetchall()
        ]

    def actor_counts(
        self, *, type: str | None = None, limit: int | None = None
    ) -> list[ActorCount]:
        """Actors mentioned across the corpus, most mentioned first."""
        sql = (
            "SELECT m.actor_id, coalesce(a.type, min(m.type)), coalesce(a.name, min(m.text)), "
            "coalesce(a.country, min(m.country)), count(*), count(DISTINCT m.article_id), "
            "string_agg(DISTINCT m.code, ',' ORDER BY m.code) "
            "FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id "
            "WHERE m.actor_id IS NOT NULL AND m.type <> 'place'"
        )
        params: list[Any] = []
        if type:
            sql += " AND m.type = ?"
            params.append(type)
        sql += " GROUP BY m.actor_id, a.type, a.name, a.country ORDER BY count(*) DESC, m.actor_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            ActorCount(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), tuple((r[6] or "").split(",")))
            for r in self._con.execute(sql, params).fetchall()
        ]

    def places(self) -> dict[str, PlaceRow]:
        """Every place mentioned in the corpus, by id."""
        rows = self._con.execute(
            "SELECT id, name, country, admin1, lat, lon FROM places ORDER BY id"
        ).fetchall()
        return {r[0]: PlaceRow(*r) for r in rows}
