"""The actor resolver against hand-written gold sentences, one or more per resolution rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from wirecheck.analyze.actordata import load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.nlp import load_nlp
from wirecheck.models import Mention

GOLD = Path(__file__).parent.parent / "fixtures" / "analyze" / "actors_gold.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text("utf-8"))
# Every gold mention is found with the right id, code and role at the time of writing (76/76);
# the floor leaves room for a spaCy model update moving a tag or an entity boundary.
ACCURACY_FLOOR = 0.9


@pytest.fixture(scope="module")
def setup() -> tuple[Any, ActorResolver]:
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    nlp.enable_pipe("senter")
    return nlp, ActorResolver(load_actors(), nlp)


def _find(setup: tuple[Any, ActorResolver], text: str, published: dt.date | None) -> list[Mention]:
    nlp, resolver = setup
    return resolver.find(nlp(text), published=published)


def _rows(mentions: list[Mention]) -> list[list[str | None]]:
    return sorted(([m.text, m.id, m.code, m.role] for m in mentions), key=str)


def test_gold_file_covers_every_rule() -> None:
    assert len(CASES) >= 40
    rules = {c["rule"] for c in CASES}
    for rule in (
        "adjective_sector",
        "metonym",
        "igo",
        "armed_group",
        "person_role_at_date",
        "surname_after_full_name",
        "role_description",
        "counterpart",
        "two_allies",
        "ambiguous_unresolved",
        "place_not_actor",
    ):
        assert rule in rules


def test_gold_accuracy_floor(setup: tuple[Any, ActorResolver]) -> None:
    found = total = 0
    for case in CASES:
        got = _rows(_find(setup, case["text"], case["published"]))
        found += sum(1 for row in case["mentions"] if row in got)
        total += len(case["mentions"])
    assert found / total >= ACCURACY_FLOOR, f"{found}/{total}"


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.get("exact")],
    ids=[f"{c['rule']}-{n}" for n, c in enumerate(CASES) if c.get("exact")],
)
def test_exact_rule_cases(setup: tuple[Any, ActorResolver], case: dict[str, Any]) -> None:
    got = _rows(_find(setup, case["text"], case["published"]))
    assert got == sorted(case["mentions"], key=str)


def test_mention_fields(setup: tuple[Any, ActorResolver]) -> None:
    text = "Britain protested. Defence Secretary John Healey met his French counterpart."
    mentions = _find(setup, text, dt.date(2025, 3, 1))
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert 0.0 < m.confidence <= 1.0
        assert m.type in {"country", "organisation", "person", "group"}
    by_text = {m.text: m for m in mentions}
    assert by_text["Britain"].sentence == 0
    healey = by_text["Defence Secretary John Healey"]
    assert (healey.sentence, healey.country, healey.via) == (1, "GBR", "name")
    counterpart = by_text["his French counterpart"]
    assert (counterpart.via, counterpart.country, counterpart.code) == (
        "counterpart",
        "FRA",
        "FRAMIL",
    )


def test_capital_metonym_is_marked(setup: tuple[Any, ActorResolver]) -> None:
    (moscow,) = _find(setup, "Moscow said it would respond.", dt.date(2024, 1, 1))
    assert (moscow.type, moscow.via) == ("country", "metonym")


def test_no_state_leaks_between_documents(setup: tuple[Any, ActorResolver]) -> None:
    when = dt.date(2024, 3, 1)
    first = _find(setup, "Moldovan Foreign Minister Ion Vatavu met reporters.", when)
    assert first[0].country == "MDA"
    (later,) = _find(setup, "Vatavu said the talks were useful.", when)
    assert (later.id, later.country, later.via) == (None, None, "unresolved")


def test_empty_and_actorless_documents(setup: tuple[Any, ActorResolver]) -> None:
    assert _find(setup, "", None) == []
    assert _find(setup, "The weather was mild and the shops were busy.", None) == []


def test_unlisted_titled_person_is_carried_to_later_surname(
    setup: tuple[Any, ActorResolver],
) -> None:

    nlp, resolver = setup
    text = (
        "Lithuania’s defence minister Ona Petrauskienė announced the drills on Wednesday. "
        "Petrauskienė told reporters in Vilnius that the ships would sail on Monday."
    )
    found = resolver.find(nlp(text), published=dt.date(2026, 10, 14))
    later = [m for m in found if m.text == "Petrauskienė"]
    assert later and later[0].code == "LTUMIL" and later[0].role == "defence_minister"
    assert later[0].via == "coreference" and later[0].type == "person"
