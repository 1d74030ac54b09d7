from __future__ import annotations

import csv
import io
import json

from wirecheck.models import Article, DocumentKind, Event, Mention
from wirecheck.report.exports import GDELT_COLUMNS, write_gdelt, write_plover
from wirecheck.store import Store

EVENT = Event(
    sentence=0,
    sentence_text="France expelled two Russian diplomats in Paris on Wednesday.",
    source=("FRAGOV",),
    target=("RUSGOV", "RUS"),
    plover="SANCTION",
    mode=None,
    cameo="1246",
    goldstein=-5.0,
    quad_class=4,
    trigger="expelled",
    trigger_start=7,
    trigger_end=15,
    source_text="France",
    target_text="two Russian diplomats",
    place="geonames:2988507",
    date="2026-10-21",
    date_precision="day",
)
PARIS = Mention(46, 51, "Paris", "place", "geonames:2988507", country="FRA", lat=48.85, lon=2.35)


def _store_one(store: Store) -> None:
    article = Article(
        id="a" * 16, input="x.txt", kind=DocumentKind.TEXT, title="t", body=EVENT.sentence_text,
        url="https://example.org/a", published="2026-10-21T10:00:00", body_hash="h",
        mentions=(PARIS,), events=(EVENT,),
    )  # fmt: skip
    store.write_batch(articles=[article], analysis_version=1)


def test_events_round_trip_and_filters(store: Store) -> None:
    _store_one(store)
    (row,) = store.events()
    assert row.event == EVENT
    assert store.article("aaaaaaaa").events == (EVENT,)
    assert len(store.events(actor="RUS")) == 1
    assert store.events(actor="DEU") == []
    assert len(store.events(plover="sanction", quad_class=4, since="2026-10-21")) == 1
    assert store.events(until="2026-10-20") == []


def test_gdelt_export_has_one_row_per_actor_pair(store: Store) -> None:
    _store_one(store)
    out = io.StringIO()
    assert write_gdelt(store.events(), store.places(), out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter="\t"))
    assert list(rows[0]) == list(GDELT_COLUMNS)
    first = rows[0]
    assert (first["SQLDATE"], first["Actor1Code"], first["Actor2Code"]) == (
        "20261021",
        "FRAGOV",
        "RUSGOV",
    )
    assert (first["EventCode"], first["EventBaseCode"], first["EventRootCode"]) == (
        "1246",
        "124",
        "12",
    )
    assert (first["QuadClass"], first["GoldsteinScale"]) == ("4", "-5.0")
    assert (first["ActionGeo_CountryCode"], first["ActionGeo_Lat"]) == ("FRA", "48.85")
    assert rows[1]["Actor2CountryCode"] == "RUS"


def test_plover_export(store: Store) -> None:
    _store_one(store)
    out = io.StringIO()
    assert write_plover(store.events(), store.places(), out) == 1
    record = json.loads(out.getvalue())
    assert record["event"] == "SANCTION" and record["cameo"] == "1246"
    assert record["target"] == [
        {"actorText": "two Russian diplomats", "code": "RUSGOV"},
        {"actorText": "two Russian diplomats", "code": "RUS"},
    ]
    assert record["eventLoc"]["country"] == "FRA"
    assert record["date"] == "2026-10-21"
