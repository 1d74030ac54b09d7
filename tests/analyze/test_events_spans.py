"""Source and target spans of the event extractor on hand-written sentences: the conventions of
the gold event sets (whole noun phrase with its prepositional modifiers, coordinated sources,
passive voice, nominal events, datelines, demands in reported speech)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from wirecheck.analyze.actordata import load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.cameo import load_cameo
from wirecheck.analyze.events import EventExtractor, primary
from wirecheck.analyze.eventtype import LABELS, EventTypeModel, EventTypePrediction
from wirecheck.analyze.nlp import load_nlp
from wirecheck.models import Event


class _Sure(EventTypeModel):
    """A stand-in classifier that is sure of one label for every sentence."""

    def __init__(self, label: str) -> None:  # no model files: predict() is all it needs
        self.label = label

    def predict(self, sentences: Sequence[str]) -> list[EventTypePrediction]:
        scores = {lab: (0.9 if lab == self.label else 0.1 / (len(LABELS) - 1)) for lab in LABELS}
        return [EventTypePrediction(self.label, 0.9, scores) for _ in sentences]


@pytest.fixture(scope="module")
def setup() -> tuple[Any, ActorResolver, Any]:
    reduced = load_nlp(disable=("parser", "lemmatizer"))
    reduced.enable_pipe("senter")
    return reduced, ActorResolver(load_actors(), reduced), load_nlp()


def _events(
    setup: tuple[Any, ActorResolver, Any], text: str, label: str | None = None
) -> list[Event]:
    reduced, resolver, full = setup
    model = _Sure(label) if label else None  # None: triggers and parse rules only
    extractor = EventExtractor(full, model, load_cameo())
    doc = reduced(text)
    mentions = resolver.find(doc, published=None)
    return extractor.extract(doc, mentions=mentions, dates=[], published=None)


def _one(events: list[Event], plover: str) -> Event:
    found = [e for e in events if e.plover == plover]
    assert found, [(e.plover, e.cameo, e.trigger) for e in events]
    return found[0]


def test_target_is_the_noun_phrase_with_its_prepositions(setup: Any) -> None:
    text = "Iraqi troops attacked a military base in the city of Kirkuk on Monday."
    e = _one(_events(setup, text), "ASSAULT")
    assert e.source_text == "Iraqi troops"
    assert e.target_text == "military base in the city of Kirkuk"  # no date, no determiner


def test_prepositional_target(setup: Any) -> None:
    text = "Thousands of workers protested against the Kenyan government in Nairobi."
    e = _one(_events(setup, text), "PROTEST")
    assert e.source_text == "Thousands of workers"
    assert e.target == ("KENGOV",) and e.target_text == "Kenyan government in Nairobi"


def test_passive_voice(setup: Any) -> None:
    e = _one(_events(setup, "The Kenyan army was attacked by al-Shabaab fighters."), "ASSAULT")
    assert (e.source_text, e.target_text) == ("al-Shabaab fighters", "Kenyan army")
    assert e.target == ("KENMIL",)


def test_event_noun_as_subject_lends_its_actors(setup: Any) -> None:
    text = "A Taliban attack on a police compound in Helmand killed ten officers."
    e = primary(_events(setup, text))
    assert e is not None and e.trigger == "killed"
    assert (e.source, e.source_text) == (("AFGREBTAL",), "Taliban")
    assert e.target_text == "police compound in Helmand"


def test_coordinated_pair_with_no_target_acts_on_each_other(setup: Any) -> None:
    e = _one(_events(setup, "Syria and Israel clashed along the border."), "ASSAULT")
    assert (e.source, e.target) == (("SYR",), ("ISR",))
    assert (e.source_text, e.target_text) == ("Syria", "Israel")
    e = _one(_events(setup, "Russia and Ukraine violated the ceasefire agreement."), "REJECT")
    assert (e.source, e.target) == (("RUS",), ("UKR",))


def test_dateline_is_not_the_source(setup: Any) -> None:
    text = "MOSCOW -- A Russian court has charged a British financier with fraud."
    e = _one(_events(setup, text), "COERCE")
    assert (e.source, e.source_text) == (("RUSJUD",), "Russian court")
    assert e.target_text == "British financier"


def test_possessive_pronoun_source_is_the_clause_subject(setup: Any) -> None:
    e = _one(_events(setup, "The Syrian army continued its bombardment of Douma."), "ASSAULT")
    assert (e.source, e.source_text, e.target_text) == (("SYRMIL",), "Syrian army", "Douma")


def test_demand_in_reported_speech(setup: Any) -> None:
    # "X said Y must ...": X demands of Y (needs the classifier's REQUEST: no trigger says so).
    text = "Germany said France must withdraw its troops from Mali."
    e = primary(_events(setup, text, "REQUEST"))
    assert e is not None and e.plover == "REQUEST"
    assert (e.source, e.target) == (("DEU",), ("FRA",))
    assert (e.source_text, e.target_text) == ("Germany", "France")


def test_name_inside_a_noun_phrase_stands_for_the_phrase(setup: Any) -> None:
    # The object ("decision") names no actor: the nearest name stands in, as a whole phrase
    # (the entity's first token is "the", a determiner of "Forum").
    text = "The Kremlin welcomed the decision by the World Economic Forum."
    e = _one(_events(setup, text), "SUPPORT")
    assert e.source_text == "Kremlin" and e.target_text == "World Economic Forum"


def test_the_reporting_speaker_is_not_taken_as_the_target(setup: Any) -> None:
    text = (
        "France expelled two Russian diplomats on Wednesday, accusing the pair of spying, "
        "the French foreign ministry said."
    )
    e = _one(_events(setup, text), "ACCUSE")
    assert e.source == ("FRA",)
    assert "FRAGOV" not in e.target  # the ministry reports the accusation; it is not accused
