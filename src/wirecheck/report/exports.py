"""Event exports in the formats event-data users already read: GDELT 2.0-style tab-separated rows
and PLOVER JSON (the record layout of the PLOVER gold-standard records)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from wirecheck.store import EventRow, PlaceRow

# The GDELT 2.0 event-table columns wirecheck can fill, in GDELT's order and with GDELT's names.
# Columns GDELT derives from its own actor dictionaries (religion, ethnicity, known group) and
# from mention counts across its whole feed (NumMentions, AvgTone) are left out.
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1CountryCode", "Actor2Code", "Actor2CountryCode",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "SOURCEURL",
)  # fmt: skip


def event_id(row: EventRow, index: int) -> str:
    """A stable id: the article id, the sentence and the event's place in the sentence."""
    key = f"{row.article_id}:{row.event.sentence}:{row.event.trigger_start}:{index}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _full_day(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None


def _day(row: EventRow) -> str | None:
    """The event's own day, else the article's publication day (GDELT dates every event)."""
    return _full_day(row.event.date) or _full_day(row.published)


def _geo_type(place_id: str | None) -> int:
    # GDELT: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    if not place_id:
        return 0
    if place_id.startswith("iso:") and "-" not in place_id:
        return 1
    if place_id.startswith("iso:US-"):
        return 2
    return 5 if place_id.startswith("iso:") else 4


def gdelt_rows(rows: Iterable[EventRow], places: Mapping[str, PlaceRow]) -> Iterable[list[Any]]:
    """One GDELT-style row per (source, target) pair of each event."""
    for index, row in enumerate(rows):
        e = row.event
        day = _day(row)
        year = int(day[:4]) if day else None
        month = int(day[5:7]) if day else None
        place = places.get(e.place or "")
        sources = e.source or ("",)
        targets = e.target or ("",)
        for s in sources:
            for t in targets:
                yield [
                    event_id(row, index),
                    day.replace("-", "") if day else "",
                    f"{year}{month:02d}" if year and month else "",
                    year or "",
                    f"{year + (month - 1) / 12:.4f}" if year and month else "",
                    s,
                    s[:3],
                    t,
                    t[:3],
                    1 if e.sentence == 0 else 0,
                    e.cameo,
                    e.cameo[:3],
                    e.cameo[:2],
                    e.quad_class,
                    e.goldstein,
                    _geo_type(e.place),
                    place.name if place else "",
                    place.country or "" if place else "",
                    place.admin1 or "" if place else "",
                    place.lat if place and place.lat is not None else "",
                    place.lon if place and place.lon is not None else "",
                    e.place or "",
                    row.url or "",
                ]


def write_gdelt(rows: Iterable[EventRow], places: Mapping[str, PlaceRow], out: IO[str]) -> int:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(GDELT_COLUMNS)
    count = 0
    for values in gdelt_rows(rows, places):
        writer.writerow(values)
        count += 1
    return count


def plover_record(row: EventRow, index: int, places: Mapping[str, PlaceRow]) -> dict[str, Any]:
    """One event in the PLOVER gold-standard record layout, plus wirecheck's extra fields."""
    e = row.event
    place = places.get(e.place or "")
    return {
        "id": event_id(row, index),
        "date": e.date or (row.published or "")[:10] or None,
        "event": e.plover,
        "mode": e.mode,
        "context": None,
        "source": [{"actorText": e.source_text, "code": code} for code in e.source],
        "target": [{"actorText": e.target_text, "code": code} for code in e.target],
        "eventText": e.trigger,
        "eventLoc": (
            {"name": place.name, "country": place.country, "lat": place.lat, "lon": place.lon}
            if place
            else None
        ),
        "text": e.sentence_text.strip(),
        "cameo": e.cameo,
        "goldstein": e.goldstein,
        "quad_class": e.quad_class,
        "negated": e.negated,
        "modality": e.modality,
        "attributed_to": e.attributed_to,
        "confidence": e.confidence,
        "article_id": row.article_id,
        "url": row.url,
    }


def write_plover(rows: Iterable[EventRow], places: Mapping[str, PlaceRow], out: IO[str]) -> int:
    count = 0
    for index, row in enumerate(rows):
        out.write(json.dumps(plover_record(row, index, places), ensure_ascii=False) + "\n")
        count += 1
    return count
