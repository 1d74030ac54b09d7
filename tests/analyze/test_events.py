"""The event extractor on hand-written sentences: negation, modality, attribution, joint and
nominal events, reported speech; plus the CAMEO table and the trigger dictionary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wirecheck.analyze.actordata import load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.cameo import load_cameo, plv_label
from wirecheck.analyze.events import EventExtractor, primary
from wirecheck.analyze.eventtype import EventTypeModel
from wirecheck.analyze.nlp import load_nlp
from wirecheck.models import DateMention, Event

PUBLISHED = dt.date(2026, 3, 4)


@pytest.fixture(scope="module")
def setup() -> tuple[Any, ActorResolver, EventExtractor]:
    reduced = load_nlp(disable=("parser", "lemmatizer"))
    reduced.enable_pipe("senter")
    # Triggers and parse rules only: these tests must not move when the classifier is retrained.
    extractor = EventExtractor(load_nlp(), None, load_cameo())
    return reduced, ActorResolver(load_actors(), reduced), extractor


def _events(
    setup: tuple[Any, ActorResolver, EventExtractor],
    text: str,
    dates: list[DateMention] | None = None,
) -> list[Event]:
    nlp, resolver, extractor = setup
    doc = nlp(text)
    mentions = resolver.find(doc, published=PUBLISHED)
    return extractor.extract(doc, mentions=mentions, dates=dates or [], published=PUBLISHED)


def _one(events: list[Event], plover: str) -> Event:
    found = [e for e in events if e.plover == plover]
    assert found, [(e.plover, e.cameo, e.trigger) for e in events]
    return found[0]


# ------------------------------------------------------------------------------ code table


def test_cameo_table_is_consistent() -> None:
    codes = load_cameo()
    assert len(codes) == 312
    c = codes.get("161")
    assert (c.plover, c.goldstein, c.quad_class) == ("SANCTION", -4.0, 4)
    assert codes.get("0874").label == "YIELD"
    assert codes.get("010").plover == ""  # statements have no PLOVER category
    assert codes.default("REQUEST").code == "020"
    for code in codes.codes.values():
        assert code.quad_class in (1, 2, 3, 4)
        assert code.root == code.code[:2]
    assert plv_label("RETREAT") == "YIELD"


def test_every_trigger_code_has_a_plover_type(setup: Any) -> None:
    triggers = setup[2].triggers
    assert len(triggers.patterns) > 300
    assert all(load_cameo().get(p.code).plover for p in triggers.patterns)


# ------------------------------------------------------------------------------ basic coding


def test_verbal_event_source_target_and_codes(setup: Any) -> None:
    text = "Lithuania expelled two Russian diplomats on Monday."
    e = _one(_events(setup, text), "SANCTION")
    assert (e.source, e.cameo, e.quad_class, e.goldstein) == (("LTU",), "161", 4, -4.0)
    assert e.target and e.target[0].startswith("RUS")
    assert e.trigger == "expelled two Russian diplomats"
    assert text[e.trigger_start : e.trigger_end] == e.trigger
    assert not e.negated and e.modality == "reported"


def test_recall_ambassador_and_shut_consulate(setup: Any) -> None:
    e = _one(_events(setup, "Poland recalled its ambassador from Belarus."), "SANCTION")
    assert e.cameo == "161" and e.source == ("POL",) and e.target[0].startswith("BLR")
    e = _one(_events(setup, "Norway shut the Russian consulate in Kirkenes."), "SANCTION")
    assert e.cameo == "161" and e.source == ("NOR",)


def test_date_from_sentence_else_publication_day(setup: Any) -> None:
    text = "Lithuania expelled two Russian diplomats on Monday."
    monday = DateMention(44, 50, "Monday", "2026-03-02", "day", "published", True)
    e = _one(_events(setup, text, [monday]), "SANCTION")
    assert (e.date, e.date_precision) == ("2026-03-02", "day")
    e = _one(_events(setup, "Lithuania expelled two Russian diplomats."), "SANCTION")
    assert (e.date, e.date_precision) == ("2026-03-04", "day")  # lead sentence, past tense
    e = _one(_events(setup, "Lithuania will expel two Russian diplomats."), "SANCTION")
    assert e.date is None


# ------------------------------------------------------------------------------ negation


def test_negation(setup: Any) -> None:
    e = _one(_events(setup, "Germany did not sign the agreement with France."), "SUPPORT")
    assert e.cameo == "057" and e.negated and e.source == ("DEU",) and e.target == ("FRA",)
    e = _one(_events(setup, "Japan never recalled its ambassador from China."), "SANCTION")
    assert e.negated


def test_refusal_negates_the_embedded_event(setup: Any) -> None:
    events = _events(setup, "Hungary refused to sign the treaty with Austria.")
    assert _one(events, "SUPPORT").negated
    assert not _one(events, "REJECT").negated


# ------------------------------------------------------------------------------ modality


def test_planned(setup: Any) -> None:
    e = _one(_events(setup, "Russia will hold military exercises near the border."), "MOBILIZE")
    assert e.modality == "planned" and e.source == ("RUS",)
    e = _one(_events(setup, "India plans to sign a trade deal with Japan."), "SUPPORT")
    assert e.modality == "planned"


def test_threatened(setup: Any) -> None:
    events = _events(setup, "Iran threatened to attack Israel.")
    threat = _one(events, "THREATEN")
    assert threat.cameo == "138" and threat.modality == "reported"  # refined by what is threatened
    assert threat.source == ("IRN",) and threat.target == ("ISR",)
    attack = _one(events, "ASSAULT")
    assert attack.modality == "threatened" and attack.target == ("ISR",)
    assert primary(events) == threat


def test_hypothetical(setup: Any) -> None:
    e = _one(_events(setup, "Turkey could impose sanctions on Syria."), "COERCE")
    assert e.modality == "hypothetical" and e.source == ("TUR",) and e.target == ("SYR",)
    e = _one(
        _events(setup, "If talks fail, Serbia might expel the Croatian ambassador."), "SANCTION"
    )
    assert e.modality == "hypothetical"


def test_denied(setup: Any) -> None:
    e = _one(_events(setup, "Russia denied that it had attacked Ukraine."), "ASSAULT")
    assert e.modality == "denied" and e.attributed_to == "RUS"
    assert e.source == ("RUS",) and e.target == ("UKR",)  # "it" is the denier


# ------------------------------------------------------------------------------ attribution


def test_attribution_said_that(setup: Any) -> None:
    events = _events(setup, "Poland said that Belarus had massed tanks along the frontier.")
    e = _one(events, "MOBILIZE")
    assert e.source == ("BLR",) and e.attributed_to == "POL" and e.modality == "reported"
    assert e.date is None  # a claim is not dated to the publication day
    # A plain statement is not an event: PLOVER has no statement category.
    assert all(ev.plover for ev in events)


def test_attribution_trailing_speaker_and_according_to(setup: Any) -> None:
    e = _one(
        _events(setup, "Latvia expelled a Russian diplomat, the foreign ministry said."), "SANCTION"
    )
    assert e.attributed_to is not None and "ministry" in e.attributed_to
    e = _one(_events(setup, "Syria shelled the town, according to Turkey."), "ASSAULT")
    assert e.attributed_to == "TUR"


def test_speech_act_is_an_event_with_the_speaker_as_source(setup: Any) -> None:
    events = _events(setup, "China accused Japan of massing troops near the islands.")
    acc = _one(events, "ACCUSE")
    assert acc.source == ("CHN",) and acc.target == ("JPN",) and acc.cameo == "1123"
    claim = _one(events, "MOBILIZE")
    assert claim.attributed_to == "CHN" and claim.source == ("JPN",)
    concern = _one(_events(setup, "Britain expressed alarm at the Russian buildup."), "ACCUSE")
    assert concern.cameo == "110" and concern.source == ("GBR",)
    urge = _one(
        _events(setup, "The United States urged India to hold talks with Pakistan."), "REQUEST"
    )
    assert urge.source == ("USA",) and urge.target == ("IND",) and urge.cameo == "026"


# ------------------------------------------------------------------------------ joint events


def test_joint_subject_is_coded_both_ways(setup: Any) -> None:
    events = [
        e
        for e in _events(setup, "France and Germany signed a trade agreement.")
        if e.plover == "SUPPORT"
    ]
    assert {(e.source, e.target) for e in events} == {(("FRA",), ("DEU",)), (("DEU",), ("FRA",))}
    assert {e.source_text for e in events} == {"France", "Germany"}


def test_talks_between(setup: Any) -> None:
    events = [
        e for e in _events(setup, "Talks between Japan and China resumed.") if e.plover == "CONSULT"
    ]
    assert {(e.source, e.target) for e in events} == {(("JPN",), ("CHN",)), (("CHN",), ("JPN",))}


def test_several_navies_are_one_source_list(setup: Any) -> None:
    text = "Japanese, Australian and French warships staged joint drills in the Pacific."
    e = _one(_events(setup, text), "COOPERATE")
    assert e.cameo == "062" and {c[:3] for c in e.source} == {"JPN", "AUS", "FRA"}


def test_unilateral_exercise_is_a_show_of_force(setup: Any) -> None:
    e = _one(_events(setup, "Russia staged naval drills off the coast of Norway."), "MOBILIZE")
    assert e.cameo == "150" and e.source == ("RUS",)


# ------------------------------------------------------------------------------ nominal events


def test_nominal_events(setup: Any) -> None:
    events = _events(setup, "Estonia condemned the massing of Russian tanks along the frontier.")
    assert _one(events, "ACCUSE").source == ("EST",)
    mass = _one(events, "MOBILIZE")
    assert (
        mass.cameo == "154"
        and mass.trigger.startswith("massing")
        and mass.source[0].startswith("RUS")
    )
    events = _events(setup, "Finland criticised the manoeuvres held by Russia.")
    m = _one(events, "MOBILIZE")
    assert m.trigger == "manoeuvres" and m.source == ("RUS",)


def test_renewed_lease_is_military_cooperation(setup: Any) -> None:
    e = _one(_events(setup, "Djibouti renewed the lease on a French air base."), "COOPERATE")
    assert e.cameo == "062" and e.source == ("DJI",)


# ------------------------------------------------------------------------------ selection


def test_candidate_sentences(setup: Any) -> None:
    nlp, resolver, extractor = setup
    doc = nlp("The weather was fine. Chile expelled two diplomats. Peru and Chile are neighbours.")
    mentions = resolver.find(doc, published=PUBLISHED)
    assert extractor.candidate_sentences(doc, mentions) == [1, 2]


def test_with_the_classifier() -> None:
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    nlp.enable_pipe("senter")
    resolver = ActorResolver(load_actors(), nlp)
    extractor = EventExtractor(load_nlp(), EventTypeModel.load(), load_cameo())
    doc = nlp("Gunmen attacked a police station in Kenya. Kenya and Uganda signed a border treaty.")
    events = extractor.extract(
        doc, mentions=resolver.find(doc, published=None), dates=[], published=None
    )
    assert {e.plover for e in events} >= {"ASSAULT", "SUPPORT"}
    assert all(0 < e.confidence <= 1 for e in events)
    for e in events:
        assert load_cameo().get(e.cameo).plover == e.plover
