"""Resolving date expressions against the publication (or ingest) date, keeping the precision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck.analyze.dates import _resolve, find_dates
from wirecheck.analyze.nlp import load_nlp
from wirecheck.models import DateMention

FIXTURES = Path(__file__).parent.parent / "fixtures" / "analyze"
THURSDAY = dt.datetime(2026, 10, 15, 9, 30)  # a Thursday


@pytest.fixture(scope="module")
def nlp() -> Any:
    pipeline = load_nlp(disable=("parser", "lemmatizer"))
    pipeline.enable_pipe("senter")
    return pipeline


def _dates(
    nlp: Any, text: str, anchor: dt.datetime = THURSDAY, source: str = "published"
) -> list[DateMention]:
    found = find_dates(nlp(text), anchor=anchor, anchor_source=source)
    for d in found:
        assert text[d.start : d.end] == d.text
        assert d.anchor == source
    return found


def _one(found: list[DateMention], text: str) -> DateMention:
    matches = [d for d in found if d.text.lower() == text.lower()]
    assert matches, f"{text!r} not in {[d.text for d in found]}"
    return matches[0]


def test_on_wednesday_in_a_thursday_article_is_the_day_before(nlp: Any) -> None:
    d = _one(_dates(nlp, "The minister said on Wednesday that talks had failed."), "Wednesday")
    assert (d.value, d.precision, d.relative) == ("2026-10-14", "day", True)


def test_weekday_of_the_anchor_is_the_anchor_day(nlp: Any) -> None:
    # dateparser alone would pick the Thursday a week earlier.
    d = _one(_dates(nlp, "The ministry said on Thursday that it had no comment."), "Thursday")
    assert d.value == "2026-10-15"


def test_monday_is_the_most_recent_monday(nlp: Any) -> None:
    d = _one(_dates(nlp, "Rebels withdrew from the town on Monday."), "Monday")
    assert (d.value, d.precision) == ("2026-10-12", "day")
    # Published on a Saturday: the Monday of the same week.
    saturday = dt.datetime(2026, 10, 17)
    assert _one(_dates(nlp, "Rebels withdrew on Monday.", saturday), "Monday").value == "2026-10-12"


def test_future_tense_weekday_looks_ahead(nlp: Any) -> None:
    d = _one(_dates(nlp, "Talks will resume on Friday, officials said."), "Friday")
    assert d.value == "2026-10-16"


def test_earlier_this_month_has_month_precision(nlp: Any) -> None:
    d = _one(_dates(nlp, "Earlier this month, rebels seized the town."), "Earlier this month")
    assert (d.value, d.precision, d.relative) == ("2026-10", "month", True)


def test_in_2014_is_an_absolute_year(nlp: Any) -> None:
    d = _one(_dates(nlp, "The peninsula was annexed in 2014."), "2014")
    assert (d.value, d.precision, d.relative) == ("2014", "year", False)


def test_last_year_is_relative_year(nlp: Any) -> None:
    d = _one(_dates(nlp, "Exports fell sharply last year."), "last year")
    assert (d.value, d.precision, d.relative) == ("2025", "year", True)


def test_month_and_day_precision(nlp: Any) -> None:
    found = _dates(nlp, "The deal signed on 14 October 2026 replaced an earlier one.")
    d = _one(found, "14 October 2026")
    assert (d.value, d.precision, d.relative) == ("2026-10-14", "day", False)
    march = _one(_dates(nlp, "Prices rose in March."), "March")
    assert (march.value, march.precision, march.relative) == ("2026-03", "month", True)
    # A later month than the anchor's, in the past tense: last year's.
    december = _one(_dates(nlp, "Prices rose in December."), "December")
    assert december.value == "2025-12"


def test_last_week_has_week_precision(nlp: Any) -> None:
    d = _one(_dates(nlp, "Ministers met in Warsaw last week."), "last week")
    assert (d.value, d.precision) == ("2026-W41", "week")


def test_durations_and_ages_are_skipped(nlp: Any) -> None:
    text = (
        "Fighting lasted two weeks. The 42-year-old soldier, aged 42, had served for three "
        "years. He is 42 years old. Prices doubled in the 1990s."
    )
    assert _dates(nlp, text) == []


def test_ingested_anchor_is_flagged(nlp: Any) -> None:
    found = _dates(nlp, "Exports fell last year.", source="ingested")
    assert [d.anchor for d in found] == ["ingested"]


def test_timezone_aware_anchor_uses_its_local_date(nlp: Any) -> None:
    anchor = dt.datetime(2026, 10, 15, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    d = _one(_dates(nlp, "The minister spoke on Wednesday.", anchor), "Wednesday")
    assert d.value == "2026-10-14"


def test_weekdays_missed_by_ner_are_found(nlp: Any) -> None:
    text = "Officials said Wednesday the convoy left."
    doc = nlp(text)
    doc.ents = []  # simulate the NER missing it
    found = find_dates(doc, anchor=THURSDAY, anchor_source="published")
    assert [(d.text, d.value) for d in found] == [("Wednesday", "2026-10-14")]


def test_article_fixture(nlp: Any) -> None:
    text = (FIXTURES / "dates_article.txt").read_text("utf-8")
    found = _dates(nlp, text)
    values = {d.text.lower(): d.value for d in found}
    assert values["wednesday"] == "2026-10-14"
    assert values["earlier this month"] == "2026-10"
    assert values["2014"] == "2014"
    assert values["last year"] == "2025"
    assert values["friday"] == "2026-10-16"
    assert values["thursday"] == "2026-10-15"
    assert "two weeks" not in values and "three years" not in values
    assert [d.sentence for d in found] == sorted(d.sentence for d in found)


def test_resolution_is_cached() -> None:
    _resolve.cache_clear()
    for _ in range(3):
        assert _resolve("last year", THURSDAY, "past") == ("2025", "year")
    assert _resolve.cache_info().hits == 2


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_never_raises(nlp: Any, text: str) -> None:
    for d in find_dates(nlp(text), anchor=THURSDAY, anchor_source="ingested"):
        assert d.precision in {"day", "week", "month", "year"}


def test_month_day_without_year_is_the_nearest_such_date(nlp: Any) -> None:
    noon = dt.datetime(2026, 10, 14, 12, 40)
    found = _dates(nlp, "The drills will start on Oct 14 and end on Oct 27.", noon)
    assert [(d.text, d.value) for d in found] == [
        ("Oct 14", "2026-10-14"),
        ("Oct 27", "2026-10-27"),
    ]
    late = _one(_dates(nlp, "The plan was announced on Sept 30.", noon), "Sept 30")
    assert (late.value, late.relative) == ("2026-09-30", True)
