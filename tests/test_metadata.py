from __future__ import annotations

import pytest

from wirecheck.clean import metadata
from wirecheck.models import Notice


@pytest.mark.parametrize(
    ("first_line", "place", "agency"),
    [
        ("VILNIUS, Oct 14 (BWS) - Warships began drills.", "Vilnius", "BWS"),
        ("LONDON (Reuters) - Britain said on Monday.", "London", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted.", "Washington", "AP"),
        ("PARIS: France recalled its ambassador.", "Paris", None),
        ("NEW DELHI, March 3 (PTI): The ministry said.", "New Delhi", "PTI"),
        ("BREAKING: Something happened.", None, None),
        ("SHARED FROM TRUTHWAVE DAILY: They lie!", None, None),
        ("World · Agency\nVILNIUS, Oct 14 (BWS) - Warships began drills.", "Vilnius", "BWS"),
        ("Paris is a city in France.", None, None),
    ],
)
def test_dateline(first_line: str, place: str | None, agency: str | None) -> None:
    assert metadata.find_dateline(first_line + "\n\nMore.") == (place, agency)


def test_agency_from_byline_credit_and_notice() -> None:
    assert metadata.find_agency("Body.", dateline_agency=None, authors=["Jane Roe, Associated Press"],
                                notices=[], removed=[]) == "AP"  # fmt: skip
    body = "First paragraph.\n\n— AFP"
    assert (
        metadata.find_agency(body, dateline_agency=None, authors=[], notices=[], removed=[])
        == "AFP"
    )
    # a Reuters-style credit line is a house style, not proof of Reuters
    body = "First paragraph.\n\n(Reporting by A. Writer; Editing by B. Editor)"
    assert (
        metadata.find_agency(body, dateline_agency=None, authors=[], notices=[], removed=[]) is None
    )
    notice = Notice("agency_feed", "This story was auto-published from an AFP feed.")
    assert (
        metadata.find_agency(
            "Body.", dateline_agency=None, authors=[], notices=[notice], removed=[]
        )
        == "AFP"
    )
    assert (
        metadata.find_agency(
            "Body.", dateline_agency=None, authors=["Ona Example"], notices=[], removed=[]
        )
        is None
    )


def test_dates() -> None:
    assert metadata.normalise_date("2026-10-14 09:30:00") == "2026-10-14T09:30:00"
    assert metadata.normalise_date("2026-10-14") == "2026-10-14"
    assert metadata.normalise_date("Oct 14, 2026") == "2026-10-14"
    assert metadata.normalise_date("not a date") is None
    assert (
        metadata.date_from_lines(["Menu", "Updated 1:39 am EST, Wednesday, November 20, 2019"])
        == "2019-11-20"
    )


def test_language_and_site() -> None:
    assert (
        metadata.detect_language("The government said on Tuesday that taxes would rise next year.")
        == "en"
    )
    assert (
        metadata.detect_language("Die Regierung hat heute beschlossen, dass die Steuern steigen.")
        == "de"
    )
    assert metadata.detect_language("ok") is None
    assert metadata.site_of("https://www.example.org/a/b") == "example.org"
    assert metadata.site_of(None) is None
