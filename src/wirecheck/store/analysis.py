"""The analyze stage's tables: actor and place mentions, resolved dates, events, claims, actors,
places.

A mixin of :class:`wirecheck.store.Store`, kept apart so each module stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from wirecheck.models import Article, Claim, DateMention, Event, Mention
from wirecheck.store.backend import Backend, Row

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


CLAIM_COLUMNS = (
    "article_id", "idx", "id", "sentence", "start_char", "end_char", "text", "kind",
    "checkworthiness", "attribution", "attributed_to", "attributed_actor", "attributed_role",
    "quote", "hedges", "actors", "events",
)  # fmt: skip


def _claim_values(c: Claim) -> tuple[Any, ...]:
    return (
        c.id, c.sentence, c.start, c.end, c.text, c.kind, c.checkworthiness, c.attribution,
        c.attributed_to, c.attributed_actor, c.attributed_role, c.quote,
        json.dumps(list(c.hedges), ensure_ascii=False), json.dumps(list(c.actors)),
        json.dumps(list(c.events)),
    )  # fmt: skip


def _tuple(text: str) -> tuple[Any, ...]:
    return () if text == "[]" else tuple(json.loads(text))  # most lists are empty


def claim_from_row(row: Sequence[Any]) -> Claim:
    """A claim from the columns ``CLAIM_COLUMNS[2:]`` of a row."""
    values = list(row)
    for i in (12, 13, 14):
        values[i] = _tuple(values[i])
    return Claim(*values)


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


EVENT_ACTOR_COLUMNS = ("code", "day", "article_id", "idx", "plover", "quad_class")


def _event_actor_rows(articles: Sequence[Article]) -> list[tuple[Any, ...]]:
    """One row per event and distinct actor code, with the day events() sorts by:
    ``coalesce(event date, first 10 characters of the article's published date)``."""
    rows: list[tuple[Any, ...]] = []
    for a in articles:
        article_day = a.published[:10] if a.published is not None else None
        for i, e in enumerate(a.events):
            day = e.date if e.date is not None else article_day
            for code in dict.fromkeys((*e.source, *e.target)):
                if code:
                    rows.append((code, day, a.id, i, e.plover, e.quad_class))
    return rows


def _event_from_row(row: Sequence[Any]) -> Event:
    values = list(row)
    values[2] = _tuple(values[2])
    values[3] = _tuple(values[3])
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


class _SortedRows:
    """The rows of one table in article-id order, handed out article batch by article batch."""

    def __init__(self, chunks: Iterator[list[Row]]) -> None:
        self._chunks = chunks
        self._buffer: list[Row] = []
        self._pos = 0

    def up_to(self, last_id: str) -> dict[str, list[Sequence[Any]]]:
        """Rows of articles up to ``last_id`` (inclusive) not handed out yet, by article."""
        found: dict[str, list[Sequence[Any]]] = {}
        while True:
            if self._pos >= len(self._buffer):
                chunk = next(self._chunks, None)
                if chunk is None:
                    return found
                self._buffer, self._pos = chunk, 0
            row = self._buffer[self._pos]
            if row[0] > last_id:
                return found
            found.setdefault(row[0], []).append(row[1:])
            self._pos += 1

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def _attach(
    articles: list[Article],
    mentions: dict[str, list[Sequence[Any]]],
    dates: dict[str, list[Sequence[Any]]],
    events: dict[str, list[Sequence[Any]]],
    claims: dict[str, list[Sequence[Any]]],
) -> list[Article]:
    return [
        replace(
            a,
            mentions=tuple(Mention(*r) for r in mentions.get(a.id, ())),
            dates=tuple(DateMention(*r) for r in dates.get(a.id, ())),
            events=tuple(_event_from_row(r) for r in events.get(a.id, ())),
            claims=tuple(claim_from_row(r) for r in claims.get(a.id, ())),
        )
        for a in articles
    ]


_ANALYSIS = (
    ("mentions", MENTION_COLUMNS),
    ("date_mentions", DATE_COLUMNS),
    ("events", EVENT_COLUMNS),
    ("claims", CLAIM_COLUMNS),
)


class AnalysisTables:
    """Reading and writing the analyze stage's tables (a base of Store)."""

    _db: Backend

    def _write_analysis(
        self, articles: Sequence[Article], version: int, actors: Sequence[ActorRow]
    ) -> None:
        ids = [a.id for a in articles]
        for table in ("mentions", "date_mentions", "events", "claims", "event_actors"):
            self._db.run(f"DELETE FROM {table} WHERE {self._db.in_list('article_id')}", [ids])
        self._db.bulk(
            "mentions",
            MENTION_COLUMNS,
            [(a.id, i, *_mention_values(m)) for a in articles for i, m in enumerate(a.mentions)],
        )
        self._db.bulk(
            "date_mentions",
            DATE_COLUMNS,
            [(a.id, i, *_date_values(d)) for a in articles for i, d in enumerate(a.dates)],
        )
        self._db.bulk(
            "events",
            EVENT_COLUMNS,
            [(a.id, i, *_event_values(e)) for a in articles for i, e in enumerate(a.events)],
        )
        self._db.bulk("event_actors", EVENT_ACTOR_COLUMNS, _event_actor_rows(articles))
        self._db.bulk(
            "claims",
            CLAIM_COLUMNS,
            [(a.id, i, *_claim_values(c)) for a in articles for i, c in enumerate(a.claims)],
        )
        places = {
            m.id: (m.id, m.text, m.country, m.admin1, m.lat, m.lon)
            for a in articles
            for m in a.mentions
            if m.type == "place" and m.id
        }
        self._db.bulk(
            "places",
            ("id", "name", "country", "admin1", "lat", "lon"),
            sorted(places.values()),
            "ON CONFLICT (id) DO NOTHING",
        )
        self._db.bulk(
            "actors",
            ("id", "type", "name", "country"),
            [(r.id, r.type, r.name, r.country) for r in actors],
            "ON CONFLICT (id) DO NOTHING",
        )
        self._db.run(
            f"UPDATE articles SET analysis_version = ? WHERE {self._db.in_list('id')}",
            [version, ids],
        )

    def _with_analysis(self, articles: list[Article]) -> list[Article]:
        if not articles:
            return []
        ids = [a.id for a in articles]
        # One article (the article page) is an equality, which the article_id indexes answer;
        # a list is a semi-join, which scans.
        where = "article_id = ?" if len(ids) == 1 else self._db.in_list("article_id")
        param: Any = ids[0] if len(ids) == 1 else ids

        def load(table: str, columns: Sequence[str]) -> dict[str, list[Sequence[Any]]]:
            found: dict[str, list[Sequence[Any]]] = {}
            for row in self._db.rows(
                f"SELECT article_id, {', '.join(columns[2:])} FROM {table} "
                f"WHERE {where} ORDER BY article_id, idx",
                [param],
            ):
                found.setdefault(row[0], []).append(row[1:])
            return found

        mentions, dates, events, claims = (load(t, c) for t, c in _ANALYSIS)
        return _attach(articles, mentions, dates, events, claims)

    def _attach_streamed(self, batches: Iterator[list[Article]]) -> Iterator[list[Article]]:
        """Attach the analysis to batches of articles that come in id order (as the database
        orders ``binary(id)``), reading each analysis table once, in one sorted pass, instead of
        once per batch."""
        db = self._db
        streams = [
            _SortedRows(
                db.stream(
                    f"SELECT article_id, {', '.join(columns[2:])} FROM {table} "
                    f"ORDER BY {db.binary('article_id')}, idx"
                )
            )
            for table, columns in _ANALYSIS
        ]
        try:
            for batch in batches:
                last = batch[-1].id
                mentions, dates, events, claims = (s.up_to(last) for s in streams)
                yield _attach(batch, mentions, dates, events, claims)
        finally:
            for s in streams:
                s.close()

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
        if actor:
            return self._events_of_actor(actor, plover, since, until, quad_class, limit)
        where: list[str] = []
        params: list[Any] = []
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
            EventRow(r[0], r[1], r[2], _event_from_row(r[3:])) for r in self._db.rows(sql, params)
        ]

    def _events_of_actor(
        self,
        actor: str,
        plover: str | None,
        since: str | None,
        until: str | None,
        quad_class: int | None,
        limit: int | None,
    ) -> list[EventRow]:
        """:meth:`events` with an actor: the page's keys come from ``event_actors`` (a prefix
        match on one narrow table, sort day precomputed), then only those events are read."""
        if self._db.dialect == "duckdb":
            # A range DuckDB checks against each block's min/max (optimize() keeps the table in
            # code order), and the exact prefix test.
            where = ["code >= ?", "code < ?", "starts_with(code, ?)"]
            params: list[Any] = [actor, actor + "\U0010ffff", actor]
        else:
            escaped = actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where = ["code LIKE ? ESCAPE '\\'"]
            params = [escaped + "%"]
        if plover:
            where.append("plover = ?")
            params.append(plover.upper())
        if quad_class is not None:
            where.append("quad_class = ?")
            params.append(quad_class)
        if since:
            where.append("day >= ?")
            params.append(since)
        if until:
            where.append("substr(day, 1, 10) <= ?")
            params.append(until)
        sql = (
            f"SELECT day, article_id, idx FROM event_actors WHERE {' AND '.join(where)} "
            "ORDER BY day, article_id, idx"
        )
        # An event with two matching codes has two rows. A top-N without DISTINCT (which would
        # group every match first) and de-duplication here; fetched again, larger, in the rare
        # case duplicates left the page short.
        keys: list[tuple[str, int]] = []
        fetch = None if limit is None else int(limit) + 8
        while True:
            rows = self._db.rows(sql + ("" if fetch is None else f" LIMIT {fetch}"), params)
            keys = list(dict.fromkeys((r[1], int(r[2])) for r in rows))
            if fetch is None or len(rows) < fetch or limit is None or len(keys) >= limit:
                break
            fetch *= 4
        keys = keys if limit is None else keys[: int(limit)]
        if not keys:
            return []
        ids = sorted({k[0] for k in keys})
        found: dict[tuple[str, int], EventRow] = {}
        wanted = set(keys)
        # Joined from the id list: DuckDB builds on the short list and probes the events, 3x
        # faster than an IN (subquery) semi-join over them.
        for r in self._db.rows(
            f"SELECT a.id, a.published, a.url, e.idx, {', '.join('e.' + c for c in EVENT_COLUMNS[2:])} "
            "FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS aid) k "
            "JOIN events e ON e.article_id = k.aid JOIN articles a ON a.id = k.aid",
            [ids],
        ):
            key = (r[0], int(r[3]))
            if key in wanted:
                found[key] = EventRow(r[0], r[1], r[2], _event_from_row(r[4:]))
        # Events whose article row is missing are left out, as the join in events() does.
        return [found[k] for k in keys if k in found]

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
            for r in self._db.rows(sql, params)
        ]

    def places(self) -> dict[str, PlaceRow]:
        """Every place mentioned in the corpus, by id."""
        rows = self._db.rows("SELECT id, name, country, admin1, lat, lon FROM places ORDER BY id")
        return {r[0]: PlaceRow(*r) for r in rows}
