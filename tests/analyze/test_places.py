"""Geocoding place mentions: gazetteer lookups, disambiguation rules, datelines, diacritics."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck.analyze.nlp import load_nlp
from wirecheck.analyze.places import Gazetteer, find_places, fold
from wirecheck.models import Mention

FIXTURES = Path(__file__).parent.parent / "fixtures" / "analyze"


@pytest.fixture(scope="module")
def nlp() -> Any:
    pipeline = load_nlp(disable=("parser", "lemmatizer"))
    pipeline.enable_pipe("senter")
    return pipeline


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def _places(
    nlp: Any,
    gazetteer: Gazetteer,
    text: str,
    dateline: str | None = None,
    actors: Collection[str] = (),
) -> list[Mention]:
    doc = nlp(text)
    found = find_places(doc, gazetteer=gazetteer, dateline=dateline, actor_countries=actors)
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.type == "place"
        assert m.id is not None
        assert 0.0 < m.confidence <= 1.0
    return found


def _by_text(found: list[Mention], text: str) -> Mention:
    matches = [m for m in found if m.text == text]
    assert matches, f"{text!r} not found in {[m.text for m in found]}"
    return matches[0]


def test_fold_ignores_case_diacritics_and_punctuation() -> None:
    assert fold("Gdańsk") == fold("GDANSK") == "gdansk"
    assert fold("Klaipėda") == "klaipeda"
    assert fold("Łódź") == "lodz"
    assert fold("U.S.") == "us"
    assert fold("The Hague") == "hague"


def test_gazetteer_lookup_is_diacritics_insensitive(gazetteer: Gazetteer) -> None:
    for plain, marked in (("Gdansk", "Gdańsk"), ("Klaipeda", "Klaipėda")):
        plain_ids = {c.place.id for c in gazetteer.lookup(plain)}
        marked_ids = {c.place.id for c in gazetteer.lookup(marked)}
        assert plain_ids and plain_ids == marked_ids


def test_gazetteer_kinds_and_ids(gazetteer: Gazetteer) -> None:
    georgia = {c.place.id: c.place for c in gazetteer.lookup("Georgia")}
    assert georgia["iso:GEO"].kind == "country"
    assert georgia["iso:US-GA"].kind == "admin1"
    assert georgia["iso:US-GA"].country == "USA"
    tbilisi = next(c.place for c in gazetteer.lookup("Tbilisi") if c.place.kind == "city")
    assert tbilisi.id.startswith("geonames:") and tbilisi.country == "GEO"
    assert tbilisi.lat is not None and 41 < tbilisi.lat < 42
    assert gazetteer.lookup("the UK")[0].place.id == "iso:GBR"
    assert gazetteer.lookup("Zzyzxqville") == []


def test_georgia_beside_tbilisi_is_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Protests spread from Tbilisi across Georgia on Sunday.")
    georgia = _by_text(found, "Georgia")
    assert georgia.id == "iso:GEO"
    assert georgia.country == "GEO"
    assert _by_text(found, "Tbilisi").country == "GEO"


def test_georgia_beside_atlanta_is_the_us_state(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Storms hit Atlanta and much of Georgia overnight.")
    georgia = _by_text(found, "Georgia")
    assert georgia.id == "iso:US-GA"
    assert (georgia.country, georgia.admin1) == ("USA", "US-GA")
    atlanta = _by_text(found, "Atlanta")
    assert (atlanta.country, atlanta.admin1) == ("USA", "US-GA")


def test_us_actors_alone_do_not_make_georgia_the_state(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Georgia said on Monday it would hold talks.", actors={"USA"})
    georgia = _by_text(found, "Georgia")
    assert georgia.id == "iso:GEO"
    # Ambiguous without neighbouring places: confidence says so.
    assert georgia.confidence < 0.9


def test_paris_texas_is_not_in_france(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "The festival in Paris, Texas drew 5,000 people.")
    paris = _by_text(found, "Paris")
    assert (paris.country, paris.admin1) == ("USA", "US-TX")
    assert paris.id is not None and paris.id.startswith("geonames:")
    assert _by_text(found, "Texas").id == "iso:US-TX"
    plain = _by_text(_places(nlp, gazetteer, "Ministers met in Paris on Monday."), "Paris")
    assert plain.country == "FRA"
    assert plain.lat is not None and 48 < plain.lat < 49


def test_kramatorsk_in_the_donetsk_region_is_ukrainian(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(
        nlp, gazetteer, "A missile struck Kramatorsk in the Donetsk region, officials said."
    )
    kramatorsk = _by_text(found, "Kramatorsk")
    assert (kramatorsk.country, kramatorsk.admin1) == ("UKR", "UA-14")
    region = _by_text(found, "Donetsk")
    assert region.id == "iso:UA-14"


def test_prefers_candidate_in_an_article_country(nlp: Any, gazetteer: Gazetteer) -> None:
    # There is a Donetsk in Russia too; the Ukrainian city is bigger and Ukraine is in the article.
    found = _places(nlp, gazetteer, "Ukraine said shelling hit Donetsk overnight.", actors={"UKR"})
    assert _by_text(found, "Donetsk").country == "UKR"


def test_dateline_is_a_place_mention_at_its_body_offsets(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (FIXTURES / "places_dateline_article.txt").read_text("utf-8")
    found = _places(nlp, gazetteer, text, dateline="Vilnius")
    first = found[0]
    assert (first.start, first.end, first.text) == (0, 7, "VILNIUS")
    assert first.via == "dateline"
    assert first.country == "LTU"
    assert first.id is not None and first.id.startswith("geonames:")
    assert len([m for m in found if m.start == 0]) == 1  # NER's own span is not repeated
    assert _by_text(found, "Lithuania").id == "iso:LTU"
    assert _by_text(found, "Klaipėda").country == "LTU"
    assert _by_text(found, "Gdansk").country == "POL"
    assert _by_text(found, "Poland").id == "iso:POL"


def test_dateline_with_diacritics_matches_the_plain_body(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "KLAIPEDA, Oct 14 (BWS) - The port reopened on Tuesday."
    found = _places(nlp, gazetteer, text, dateline="Klaipėda")
    assert (found[0].start, found[0].end, found[0].via) == (0, 8, "dateline")
    assert found[0].country == "LTU"


def test_dateline_absent_from_body_still_gives_context(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(
        nlp, gazetteer, "Floods cut roads across Georgia on Monday.", dateline="Atlanta"
    )
    assert all(m.via != "dateline" for m in found)
    assert _by_text(found, "Georgia").id == "iso:US-GA"


def test_demonyms_are_not_places(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "French and Ukrainian officials met British diplomats.")
    assert found == []


def test_unknown_places_are_skipped(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Troops reached Zzyzxqville in Poland on Monday.")
    assert [m.text for m in found] == ["Poland"]


def test_country_aliases_and_sentence_index(nlp: Any, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Talks began. The UK and the U.S. sent envoys to Kyiv.")
    assert _by_text(found, "UK").id == "iso:GBR"
    assert _by_text(found, "U.S.").id == "iso:USA"
    assert _by_text(found, "UK").sentence == 1


def test_people_named_like_towns_are_not_places(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "President Biden met Keir Starmer and Barack Obama. Mark Carter spoke for Reuters."
    assert _places(nlp, gazetteer, text) == []


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=20)))
def test_never_raises(nlp: Any, gazetteer: Gazetteer, text: str, dateline: str | None) -> None:
    doc = nlp(text)
    for m in find_places(doc, gazetteer=gazetteer, dateline=dateline, actor_countries={"USA"}):
        assert 0 <= m.start <= m.end <= len(text)
