"""Tests for wirecheck.clean.html on small invented pages (tests/fixtures/html/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wirecheck.clean.html as html_module
from wirecheck.clean.html import ExtractedHTML, extract_html
from wirecheck.errors import NoArticleText, UsageError, WirecheckError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
ENGINES = ["auto", "resiliparse", "trafilatura"]


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("extractor", ENGINES)
def test_metadata_from_meta_tags(extractor: str) -> None:
    out = extract_html(page("article_meta.html"), extractor=extractor)
    assert isinstance(out, ExtractedHTML)
    assert out.title == "Harbour bridge reopens after eight months of repairs"
    assert out.published is not None and out.published.startswith("2026-03-14")
    assert out.authors == ("Mara Oyelaran",)
    assert out.site_name == "The Coastal Ledger"
    assert out.url == "https://ledger.example/news/harbour-bridge-reopens"
    assert out.language == "en-GB"


@pytest.mark.parametrize("extractor", ENGINES)
def test_body_is_the_article_paragraphs(extractor: str) -> None:
    out = extract_html(page("article_meta.html"), extractor=extractor)
    paragraphs = out.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The swing bridge across the inner harbour")
    assert paragraphs[-1].endswith("similar collisions.")
    for furniture in ("Sport", "Weather", "All rights reserved", "Privacy", "By Mara"):
        assert furniture not in out.body


@pytest.mark.parametrize("extractor", ENGINES)
def test_comments_and_related_links_stay_out_of_the_body(extractor: str) -> None:
    out = extract_html(page("comments_related.html"), extractor=extractor)
    assert "Lower Ashcombe" in out.body
    assert out.body.rstrip().endswith("apple day in October.")
    for junk in (
        "grandfather planted",  # a comment
        "potholes",  # a comment
        "cider",  # a comment
        "Related stories",
        "cycle path",  # a related link
        "Bakery on the green",  # a related link
        "Share this article",
    ):
        assert junk.lower() not in out.body.lower(), junk
    assert out.published == "2026-05-02"
    assert out.title == "Village orchard wins heritage grant"


@pytest.mark.parametrize("extractor", ENGINES)
def test_page_without_article_raises(extractor: str) -> None:
    with pytest.raises(NoArticleText) as err:
        extract_html(page("no_article.html"), extractor=extractor)
    assert err.value.code == "WC301"


@pytest.mark.parametrize("html", ["", "   \n ", "<html></html>", "<p>Hi.</p>"])
def test_empty_or_tiny_pages_raise(html: str) -> None:
    with pytest.raises(NoArticleText):
        extract_html(html)


def test_unknown_extractor_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        extract_html(page("article_meta.html"), extractor="readability")


def test_furniture_line_inside_the_article_is_removed_and_kept_for_audit() -> None:
    html = (
        "<html><body><article>"
        "<p>The ferry service to the northern islands will resume on Monday after the strike"
        " by deck crews ended with a pay agreement, the operator said.</p>"
        "<p>We use cookies to improve your experience. By continuing you accept our policy.</p>"
        "<p>Timetables will return to normal within a week, and tickets bought for cancelled"
        " sailings will be refunded in full.</p>"
        "</article></body></html>"
    )
    out = extract_html(html)
    assert "cookies" not in out.body
    assert "pay agreement" in out.body and "refunded in full" in out.body
    assert any("cookies" in line.text for line in out.removed)


def test_metadata_from_json_ld_and_url_argument() -> None:
    html = (
        '<html lang="fr"><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle",'
        ' "headline": "Le marché couvert rouvre", "datePublished": "2026-01-09",'
        ' "author": [{"@type": "Person", "name": "Claire Vasseur"}],'
        ' "publisher": {"@type": "Organization", "name": "Le Petit Quotidien"}}]}'
        "</script></head><body><article>"
        "<p>Le marché couvert de la ville rouvre ses portes samedi après deux ans de travaux"
        " de rénovation, a annoncé la mairie dans un communiqué.</p>"
        "</article></body></html>"
    )
    out = extract_html(html, url="https://quotidien.example/marche")
    assert out.title == "Le marché couvert rouvre"
    assert out.published == "2026-01-09"
    assert out.authors == ("Claire Vasseur",)
    assert out.site_name == "Le Petit Quotidien"
    assert out.language == "fr"
    assert out.url is None  # the page declares no canonical URL
    assert "rouvre ses portes" in out.body


def test_repeated_paragraph_in_html_is_kept() -> None:
    # The shared furniture filter drops repeated lines of scraped text; in an extracted article
    # a repeated line is the author's (here a recipe step), so the HTML path keeps both.
    para = (
        "<p>The council report says the reservoir at Kelmoor will be drained for inspection in"
        " the spring, and anglers must move their boats before the end of March.</p>"
    )
    html = (
        "<html><body><article>" + para + "<p>Stir the sauce for two more minutes.</p>"
        "<p>Stir the sauce for two more minutes.</p></article></body></html>"
    )
    out = extract_html(html, extractor="resiliparse")
    assert out.body.count("Stir the sauce for two more minutes.") == 2


def test_second_opinion_cuts_paragraphs_trafilatura_does_not_have() -> None:
    lines = [
        "The swing bridge across the inner harbour of Port Telwyn reopened to traffic on Saturday.",
        "Win a weekend for two in our summer prize draw today",
    ]
    kept, removed = html_module._confirm_with_trafilatura(page("article_meta.html"), None, lines)
    assert kept == lines[:1]
    assert [(r.text, r.reason) for r in removed] == [(lines[1], "not-in-second-extractor")]


def test_second_opinion_only_for_fragmented_bodies() -> None:
    prose = "A full sentence of the article with well over twelve words in it, as prose has."
    assert not html_module._needs_confirmation([prose] * 5)
    assert html_module._needs_confirmation([prose, prose, "Most read", "Sport"])
    assert not html_module._needs_confirmation([])


_TAGS = ["p", "div", "article", "nav", "footer", "script", "h1", "a", "meta", "li", "table"]


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.text(max_size=40),
                st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
                st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
                st.just('<meta property="og:title" content="x">'),
                st.just('<script type="application/ld+json">{"headline": [1, {}]</script>'),
            ),
            max_size=30,
        )
    )
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), html_soup()))
def test_fuzz_only_wirecheck_errors_escape(html: str) -> None:
    try:
        out = extract_html(html)
    except WirecheckError:
        return
    assert isinstance(out.body, str) and out.body.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), html_soup()))
def test_fuzz_trafilatura_engine_only_wirecheck_errors_escape(html: str) -> None:
    try:
        out = extract_html(html, extractor="trafilatura")
    except WirecheckError:
        return
    assert isinstance(out.body, str) and out.body.strip()
