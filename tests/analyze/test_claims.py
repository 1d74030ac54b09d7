"""The claims stage on hand-written sentences (fictional people, real countries): attribution
(named, unnamed, document, none), direct quotes and paraphrase, quotes across sentences, hedges,
what is not a claim, and links to actors and events; plus the demo corpus's viral post."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helpers import DEMO_CORPUS
from wirecheck.analyze import paragraph_sentences
from wirecheck.analyze.actordata import load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.cameo import load_cameo
from wirecheck.analyze.checkworthy import CheckworthyModel
from wirecheck.analyze.claims import ClaimExtractor, find_claims
from wirecheck.analyze.events import EventExtractor
from wirecheck.analyze.nlp import load_nlp
from wirecheck.models import Claim, Event

PUBLISHED = dt.date(2026, 3, 4)


@pytest.fixture(scope="module")
def setup() -> tuple[Any, ActorResolver, EventExtractor]:
    reduced = load_nlp(disable=("parser", "lemmatizer"))
    reduced.enable_pipe("senter")
    # Triggers and parse rules only: these tests must not move when a model is retrained.
    events = EventExtractor(load_nlp(), None, load_cameo())
    return reduced, ActorResolver(load_actors(), reduced), events


@pytest.fixture(scope="module")
def rules() -> ClaimExtractor:
    """No model: every sentence that passes the rule filters is a claim."""
    return ClaimExtractor(None)


@pytest.fixture(scope="module")
def modelled() -> ClaimExtractor:
    return ClaimExtractor(CheckworthyModel.load())


def _claims(
    setup: tuple[Any, ActorResolver, EventExtractor], extractor: ClaimExtractor, text: str
) -> tuple[list[Claim], list[Event]]:
    nlp, resolver, event_extractor = setup
    doc = paragraph_sentences(nlp(text))
    mentions = resolver.find(doc, published=PUBLISHED)
    events = event_extractor.extract(doc, mentions=mentions, dates=[], published=PUBLISHED)
    claims = find_claims(doc, extractor, article_id="a1", mentions=mentions, events=events)
    for c in claims:
        assert text[c.start : c.end] == c.text  # offsets point into the body
    return claims, events


def _one(setup: Any, extractor: ClaimExtractor, text: str) -> Claim:
    claims, _ = _claims(setup, extractor, text)
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


# ------------------------------------------------------------------------------ attribution


def test_named_trailing_attribution_with_role(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "Norway will send two frigates to the exercise, defence minister "
             "Ola Brekke said on Tuesday.")  # fmt: skip
    assert c.attribution == "named" and c.quote == "paraphrase"
    assert c.attributed_to is not None and "Ola Brekke" in c.attributed_to
    assert c.attributed_role == "defence minister"
    assert c.text == "Norway will send two frigates to the exercise"
    assert c.id == "a1:0" and c.sentence == 0


def test_named_leading_attribution_cuts_the_speaker(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "Foreign ministry spokesperson Anna Kowal told reporters on Monday "
             "that Poland had closed two border crossings.")  # fmt: skip
    assert c.attribution == "named" and "Anna Kowal" in (c.attributed_to or "")
    assert c.attributed_role == "foreign ministry spokesperson"
    assert c.text == "Poland had closed two border crossings."


def test_inverted_attribution_and_direct_quote(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "“The border has been calm for three weeks,” said Tomas Varga, a "
             "senior fellow at the Danube Institute.")  # fmt: skip
    assert c.attribution == "named" and c.quote == "direct"
    assert c.text == "The border has been calm for three weeks"
    assert c.attributed_role == "senior fellow at the Danube Institute"


def test_body_named_by_country_resolves_to_its_actor(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "Latvia's defence ministry said the drills would last ten days.")
    assert c.attribution == "named"
    assert c.attributed_actor is not None and c.attributed_actor.startswith("LVA")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Two warships entered the port of Riga on Monday, officials said.", "officials"),
        ("Sources say the army is massing troops near the border with Finland.", "Sources"),
        ("A spokesperson, who asked not to be named, said the talks had collapsed on Friday.",
         "A spokesperson, who asked not to be named"),
        ("Analysts said the price of gas would rise by about 10 percent this winter.",
         "Analysts"),
    ],
)  # fmt: skip
def test_unnamed_sources(setup: Any, rules: ClaimExtractor, text: str, speaker: str) -> None:
    c = _one(setup, rules, text)
    assert (c.attribution, c.attributed_to, c.quote) == ("unnamed", speaker, "paraphrase")


def test_anonymous_official_keeps_the_body_s_actor(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "A NATO official, speaking on condition of anonymity, said the "
             "alliance had invited Russian observers.")  # fmt: skip
    assert c.attribution == "unnamed" and c.attributed_role == "official"
    assert c.attributed_actor is not None and c.attributed_actor.startswith("IGOWSTNAT")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("According to a ministry statement, 1,200 troops took part in the drills.",
         "a ministry statement", "1,200 troops took part in the drills."),
        ("The drills involved 40 ships, according to a schedule released by the navy.",
         "a schedule released by the navy", "The drills involved 40 ships"),
    ],
)  # fmt: skip
def test_document_sources(
    setup: Any, rules: ClaimExtractor, text: str, source: str, content: str
) -> None:
    c = _one(setup, rules, text)
    assert (c.attribution, c.attributed_to, c.text) == ("document", source, content)


def test_according_to_a_person_is_named(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "According to police chief Marta Lind, 14 people were arrested.")
    assert c.attribution == "named" and "Marta Lind" in (c.attributed_to or "")


def test_the_article_s_own_voice(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "Finland closed its eastern border crossings on Friday.")
    assert (c.attribution, c.attributed_to, c.quote) == ("none", None, "none")


def test_denied_statement_is_not_an_attribution(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "The ministry did not say how many soldiers had been moved.")
    assert c.attribution == "none"


# ------------------------------------------------------------------------------ quotations


def test_quote_opened_in_one_sentence_attributed_in_the_next(
    setup: Any, rules: ClaimExtractor
) -> None:
    text = ("“We have moved 300 soldiers to the border. They will stay there until the end of "
            "the month,” Defence Minister Jonas Berg told reporters.")  # fmt: skip
    claims, _ = _claims(setup, rules, text)
    assert [c.quote for c in claims] == ["direct", "direct"]
    assert all(c.attribution == "named" and "Jonas Berg" in (c.attributed_to or "")
               for c in claims), claims  # fmt: skip
    assert claims[0].text == "We have moved 300 soldiers to the border."


def test_quote_continued_after_the_attribution_and_pronouns(
    setup: Any, rules: ClaimExtractor
) -> None:
    text = ("Defence minister Ona Vaitkute said the drills were routine.\n\n"
            "“Twelve ships will take part,” she said. “None of them will enter foreign waters.”\n\n"
            "She added that the navy had informed Russia in advance.")  # fmt: skip
    claims, _ = _claims(setup, rules, text)
    assert len(claims) == 4, [c.text for c in claims]
    assert all("Vaitkute" in (c.attributed_to or "") for c in claims), claims
    assert [c.quote for c in claims] == ["paraphrase", "direct", "direct", "paraphrase"]


def test_partial_quote_is_a_paraphrase(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, "Russia said the drills were a “deliberate provocation” by the "
             "alliance and that its fleet would respond.")  # fmt: skip
    assert c.attribution == "named" and c.quote == "paraphrase"


def test_straight_quotes_count_as_quotes(setup: Any, rules: ClaimExtractor) -> None:
    c = _one(setup, rules, '"The bridge was closed at noon," the police said.')
    assert c.quote == "direct" and c.attribution == "named"


# ------------------------------------------------------------------------------ hedges


@pytest.mark.parametrize(
    ("text", "hedges"),
    [
        ("The convoy was reportedly carrying ammunition to the front.", ("reportedly",)),
        ("The general is believed to have left the country on Sunday.", ("is believed",)),
        ("The alleged attack killed three people in the village.", ("alleged",)),
        ("Troops might cross the border within days.", ("might",)),
        ("The talks will resume in May in Geneva.", ()),  # the month, not the modal
    ],
)  # fmt: skip
def test_hedges(setup: Any, rules: ClaimExtractor, text: str, hedges: tuple[str, ...]) -> None:
    assert _one(setup, rules, text).hedges == hedges


# ------------------------------------------------------------------------------ not claims


@pytest.mark.parametrize(
    "text",
    [
        "Why is nobody talking about this?",
        "Share this before it gets deleted!",
        "Do your own research.",
        "Tanks. Warships. Jets.",
        "(Reporting by Jane Roe; Editing by John Doe)",
        "The embassy did not immediately respond to a request for comment.",
    ],
)
def test_rule_filters(setup: Any, rules: ClaimExtractor, text: str) -> None:
    claims, _ = _claims(setup, rules, text)
    assert claims == []


@pytest.mark.parametrize(
    "text",
    [
        "I think this is a terrible idea and we should all be ashamed of it.",
        "We love our wonderful country and its people.",
        "Thank you all for being here tonight, it is a great pleasure.",
    ],
)
def test_opinion_is_not_a_claim(setup: Any, modelled: ClaimExtractor, text: str) -> None:
    claims, _ = _claims(setup, modelled, text)
    assert claims == [], [(c.text, c.checkworthiness) for c in claims]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The pipeline carries 6.2 million cubic metres of gas a day.", "number"),
        ("Unemployment fell to 4.1 percent in the third quarter.", "number"),
        ("The new bridge over the river opened to traffic on March 14, 2025.", "date"),
    ],
)
def test_numbers_and_dates_make_claims(
    setup: Any, modelled: ClaimExtractor, text: str, kind: str
) -> None:
    c = _one(setup, modelled, text)
    assert c.kind == kind and 0.0 <= c.checkworthiness <= 1.0


# ------------------------------------------------------------------------------ links


def test_links_to_actors_and_events(setup: Any, rules: ClaimExtractor) -> None:
    text = "Lithuania expelled two Russian diplomats on Monday.\n\nThe weather was cold and wet."
    claims, events = _claims(setup, rules, text)
    first = claims[0]
    assert first.kind == "event" and first.events
    assert all(events[i].sentence == first.sentence for i in first.events)
    assert "LTU" in first.actors and any(a.startswith("RUS") for a in first.actors)
    assert claims[1].events == () and claims[1].actors == ()


def test_paragraph_breaks_split_sentences(setup: Any) -> None:
    nlp = setup[0]
    doc = paragraph_sentences(nlp("Ships left port on Monday\n\nThe drills begin on Tuesday."))
    assert [s.text.strip() for s in doc.sents] == [
        "Ships left port on Monday",
        "The drills begin on Tuesday.",
    ]


# ------------------------------------------------------------------------------ demo corpus


def test_viral_post_claims_are_unnamed_and_hedged() -> None:
    from wirecheck.pipeline import analyze_text

    path = DEMO_CORPUS / "scraped" / "truthwave-daily_grey-hawk-war-games.txt"
    article = analyze_text(path.read_text(encoding="utf-8"))
    assert article.claims
    assert all(c.attribution in ("unnamed", "none") for c in article.claims)
    assert not any(c.attribution in ("named", "document") for c in article.claims)
    sourced = [c for c in article.claims if c.attribution == "unnamed"]
    assert {c.attributed_to for c in sourced} >= {"Sources", "Many people"}, sourced
    assert all(c.hedges for c in sourced), [(c.text, c.hedges) for c in sourced]
    assert any("sources say" in c.hedges for c in sourced)
    assert any("many people are saying" in c.hedges for c in sourced)
    calls = ("Do your own research", "Share this", "Why is nobody")
    assert not any(c.text.startswith(calls) for c in article.claims)
