"""Line rules for page furniture. They also post-filter clean HTML-extracted bodies, so the second
half of this file checks they never cut real article sentences that merely mention a widget word."""

from __future__ import annotations

import pytest

from wirecheck.clean.furniture import (
    filter_body,
    furniture_reason,
    hashtags,
    notice_kind,
    strip_dateline,
)
from wirecheck.clean.sitelines import SiteLineStats, line_key


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share on Facebook", "share"),
        ("Facebook Twitter WhatsApp Email", "share"),
        ("Follow us on Instagram", "share"),
        ("Sign up for our newsletter", "share"),
        ("Subscribe", "share"),
        ("How do you feel about this story?", "comment_widget"),
        ("Comments", "comment_widget"),
        ("12 Comments", "comment_widget"),
        ("Be the first to comment", "comment_widget"),
        ("Leave a Reply", "comment_widget"),
        ("Happy 3 Sad 0 Angry 12", "comment_widget"),
        ("Back to top", "back_to_top"),
        ("↑ Back to Top", "back_to_top"),
        ("Read the latest news here", "promo"),
        ("Click here to read breaking news updates", "promo"),
        ("Related Articles", "promo"),
        ("https://cdn.example.org/avatars/u123.png", "image_url"),
        ("https://example.org/news/some-story", "url"),
        (
            "We use cookies to give you the best experience. By continuing you agree.",
            "cookie",
        ),
        ("Skip to content", "navigation"),
        ("Home > World > Europe", "navigation"),
        ("Image 3 of 12", "navigation"),
        ("© 2031 Example Media. All rights reserved.", "copyright"),
    ],
)
def test_furniture_kinds(line: str, reason: str) -> None:
    assert furniture_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (
            "This post was published automatically from a news agency feed without editing.",
            "agency_feed",
        ),
        (
            "(This story has not been edited by our staff and is auto-generated from a "
            "syndicated feed.)",
            "agency_feed",
        ),
        ("Photo: Jan Koster / Harbour Images", "image_credit"),
        ("Image credit: Getty", "image_credit"),
        ("Protesters gathered near the bridge (Image: ARCHIVE)", "image_credit"),
        (
            "The views expressed here are the author's own and do not necessarily reflect those "
            "of this site.",
            "disclaimer",
        ),
        ("We do not endorse any product mentioned on this page.", "disclaimer"),
    ],
)
def test_notice_kinds(line: str, kind: str) -> None:
    assert notice_kind(line) == kind


def test_hashtag_line() -> None:
    assert hashtags("#breaking #war, #wake-up") == ("breaking", "war", "wake-up")
    assert hashtags("#1 seed wins the final") is None


def test_dateline_stripped() -> None:
    assert strip_dateline("LONDON (Reuters) - Prices rose.") == "Prices rose."
    assert strip_dateline("WASHINGTON (AP) — The Senate voted.") == "The Senate voted."
    assert strip_dateline("PARIS: Talks resumed.") == "Talks resumed."
    assert strip_dateline("Paris is a city.") is None


def test_filter_body_cuts_and_keeps_evidence() -> None:
    lines = [
        "Crane collapse halts night shipping",
        "The port suspended night shipping after a second crane collapsed, officials said.",
        "VELDMARK (Reuters) - The port suspended night shipping after a second crane "
        "collapsed, officials said.",
        "No one was injured in the collapse, the port authority's director told reporters.",
        "Photo: Jan Koster",
        "This post was auto-published from an agency feed.",
        "Share on Twitter",
        "#ports #shipping",
    ]
    out = filter_body(lines, title="Crane collapse halts night shipping")
    assert out.kept == (lines[2], lines[3])
    assert out.tags == ("ports", "shipping")
    assert {n.kind for n in out.notices} == {"image_credit", "agency_feed"}
    reasons = {r.reason for r in out.removed}
    assert {"title_repeat", "duplicate_lede", "notice", "share", "hashtags"} <= reasons


def test_title_glued_to_first_paragraph() -> None:
    title = "Mayor opens new bridge"
    out = filter_body(
        [f"{title} The mayor opened the bridge on Friday after two years of work."], title=title
    )
    assert out.kept == ("The mayor opened the bridge on Friday after two years of work.",)
    assert out.removed[0].reason == "title_repeat"


# Sentences that mention widget words but are article text: none may be cut.
ARTICLE_SENTENCES = [
    "The company said it would share the findings with regulators next week.",
    "Readers of the newsletter were told to subscribe before the price rise in March.",
    "Comments made by the minister on Tuesday drew criticism from opposition lawmakers.",
    "The court heard that the website used cookies to track users without their consent.",
    "Back in 2019, the top of the market was reached within weeks, analysts said.",
    "She said the photo had been taken by a neighbour who asked not to be named.",
    "Follow-up inspections are planned at every terminal, the authority said in a statement.",
    "The views of residents were recorded at three public meetings last month.",
    "He asked supporters to follow him on social media after the account was restored.",
    "Read more about the plan in the council's report, the spokesman told reporters.",
    "Image quality has improved sharply since the satellite's lens was repaired in orbit.",
    "The agency feed of weather warnings was interrupted for six hours on Sunday.",
    "“How do you feel?” the nurse asked, and the patient answered that he was tired.",
    "Related parties must disclose transactions above the threshold, the rules say.",
]


def test_article_sentences_survive() -> None:
    out = filter_body(ARTICLE_SENTENCES, title="Unrelated headline for the test")
    assert out.kept == tuple(ARTICLE_SENTENCES)
    assert out.notices == ()


def test_site_furniture_keeps_sentences() -> None:
    lines = [
        "Daily briefing",
        "Ministers met in the capital on Monday to agree a new budget for the ports.",
        "Get our app",
    ]
    learned = frozenset(line_key(x) for x in lines)
    out = filter_body(lines, site_furniture=learned)
    # Short template lines go; a sentence is more likely a reprinted story than furniture.
    assert out.kept == (lines[1],)
    assert all(r.reason in {"site_furniture", "share"} for r in out.removed)


def test_site_stats_count_repeated_documents_once() -> None:
    stats = SiteLineStats()
    page = ["Menu", "A long sentence of the one story this site reprinted twice today, in full."]
    for _ in range(3):
        stats.add_document("example.org", page)
    stats.add_document("example.org", ["Menu", "Another story entirely."])
    learned = stats.furniture("example.org", min_docs=2, min_share=0.5)
    assert line_key("Menu") in learned
    assert line_key(page[1]) not in learned
    assert stats.docs["example.org"] == 2


def test_site_stats_skip_long_prose() -> None:
    stats = SiteLineStats()
    sentence = " ".join(["word"] * 30) + "."
    notice = "We use cookies on this site to improve your experience " + " ".join(["x"] * 20)
    for i in range(4):
        stats.add_document("s", [sentence, notice, f"page {i}", f"unique line {i} {'y' * i}"])
    learned = stats.furniture("s", min_docs=3, min_share=0.5)
    assert line_key(sentence) not in learned
    assert line_key(notice) in learned


def test_weather_and_reading_widgets_are_furniture() -> None:
    from wirecheck.clean.furniture import furniture_reason

    assert furniture_reason("Riga +5°C 🌧") == "weather"
    assert furniture_reason("Reading time: 3 min") == "reading_widget"
    assert furniture_reason("4 min read") == "reading_widget"
    assert furniture_reason("Listen to this article") == "reading_widget"
    assert (
        furniture_reason("Temperatures fell to -5°C overnight across the region, forecasters said.")
        is None
    )
