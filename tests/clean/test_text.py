"""The scraped-text cleaner on invented whole pages (tests/fixtures/clean, all fictional)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck.clean import page_url
from wirecheck.clean.text import CleanedText, clean_scraped_text
from wirecheck.errors import NoArticleText, WirecheckError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
PAGES = sorted(p.name.removesuffix(".gold.txt") for p in FIXTURES.glob("*.gold.txt"))
_WORD = re.compile(r"\w+")


def page(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def token_f1(pred: str, gold: str) -> float:
    """The benchmark's metric: \\w+ tokens of lower-cased text, multiset overlap."""
    p, g = Counter(_WORD.findall(pred.lower())), Counter(_WORD.findall(gold.lower()))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def test_wire_reprint() -> None:
    out = clean_scraped_text(page("wire_reprint"))
    assert out.title == "Harbour authority suspends night shipping after second crane collapse"
    paragraphs = out.body.split("\n\n")
    # The lede appears twice on the page; the datelined copy is the one kept.
    assert paragraphs[0].startswith("VELDMARK (Reuters) - The port authority")
    assert sum("The port authority of Veldmark suspended" in p for p in paragraphs) == 1
    assert paragraphs[-1].startswith("A first crane at the same terminal fell in February.")
    kinds = {n.kind: n.text for n in out.notices}
    assert kinds["agency_feed"].startswith("This story has been published automatically")
    assert kinds["image_credit"] == "Photo: Jan Koster / Harbour Images"
    reasons = {r.text: r.reason for r in out.removed}
    assert reasons["How do you feel about this story?"] == "comment_widget"
    assert reasons["Be the first to comment"] == "comment_widget"
    assert reasons["https://cdn.northport.example/avatars/default-user.png"] == "image_url"
    assert reasons["Back to top"] == "back_to_top"
    assert reasons["Read the latest news here"] == "promo"
    assert reasons["Sign up for our newsletter"] == "share"
    assert reasons["Ferry strike enters third day as talks stall"] == "teaser"
    assert reasons["© 2031 Northport Media Group. All rights reserved."] == "copyright"
    assert reasons["Skip to content"] == "navigation"
    assert any(r.reason == "duplicate_lede" for r in out.removed)
    assert any(r.reason == "cookie" for r in out.removed)
    for widget in ("Comments", "Sad 2", "Share on Facebook", "Subscribe"):
        assert widget not in paragraphs


def test_viral_post_title_repeat_hashtags_disclaimer() -> None:
    out = clean_scraped_text(page("viral_post"))
    assert out.title is not None and out.title.startswith("SHOCKING: Three armies")
    assert out.body.startswith("In a move that has stunned observers")
    assert out.tags == ("breaking", "war", "alliance", "wakeup")
    assert [n.kind for n in out.notices] == ["disclaimer"]
    assert "#breaking" not in out.body
    assert "do not necessarily reflect" not in out.body
    assert any(r.reason == "title_repeat" for r in out.removed)


def test_blog_comments_are_not_the_article() -> None:
    out = clean_scraped_text(page("blog_comments"))
    assert out.title == "Why the river towns are losing their bakeries"
    assert out.body.endswith("when he retires.")
    assert "Millbrook" not in out.body
    assert "Your email address" not in out.body


def test_only_furniture_raises() -> None:
    with pytest.raises(NoArticleText) as err:
        clean_scraped_text(page("only_furniture"))
    assert err.value.code == "WC301"


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\u200b\n\u200b", "Home\nNews\nSport"])
def test_no_article_text(text: str) -> None:
    with pytest.raises(NoArticleText):
        clean_scraped_text(text)


@pytest.mark.parametrize("name", PAGES)
def test_every_line_is_accounted_for(name: str) -> None:
    """Nothing disappears silently: each input line is the title, in the body, or in removed
    (a headline glued to the first paragraph is split: the headline removed, the rest kept)."""
    out = clean_scraped_text(page(name))
    cut = {r.text for r in out.removed}
    prefixes = [r.text for r in out.removed if r.reason == "title_repeat"]
    for raw in page(name).splitlines():
        line = raw.strip()
        if not line or line == out.title or line in cut or line in out.body:
            continue
        assert any(line.startswith(p) and line[len(p) :].strip() in out.body for p in prefixes), (
            line
        )


def test_accuracy_floor_on_gold_fixtures() -> None:
    scores = {}
    for name in PAGES:
        gold = (FIXTURES / f"{name}.gold.txt").read_text(encoding="utf-8")
        scores[name] = token_f1(clean_scraped_text(page(name)).body, gold)
    assert min(scores.values()) >= 0.95, scores
    assert sum(scores.values()) / len(scores) >= 0.98, scores


def test_paragraphs_joined_by_blank_line() -> None:
    body = clean_scraped_text(page("blog_comments")).body
    assert len(body.split("\n\n")) == 6
    assert "\n\n\n" not in body


def test_site_furniture_removes_learned_lines() -> None:
    from wirecheck.clean.sitelines import line_key

    text = page("blog_comments")
    learned = frozenset({line_key("Tags: bakeries, small business, Aldmoor")})
    out = clean_scraped_text(text, site_furniture=learned)
    assert "Tags:" not in out.body


def test_non_english_page() -> None:
    text = "\n".join(
        [
            "Inicio",
            "Noticias",
            "Deportes",
            "",
            "El puerto suspende la navegación nocturna",
            "",
            "El puerto de Veldmark suspendió el martes toda la navegación nocturna después de que "
            "se derrumbara una segunda grúa en menos de un mes, según informaron las autoridades.",
            "",
            "Nadie resultó herido en el derrumbe, que se produjo poco después de la medianoche en "
            "la terminal este, según un comunicado de la directora de la autoridad portuaria.",
            "",
            "Compartir en Facebook",
            "Utilizamos cookies para mejorar su experiencia en nuestro sitio web.",
        ]
    )
    out = clean_scraped_text(text)
    assert out.title == "El puerto suspende la navegación nocturna"
    assert out.body.count("\n\n") == 1
    assert "cookies" not in out.body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=200),
            st.sampled_from(
                [
                    "",
                    "Share on Facebook",
                    "#tag #other",
                    "LONDON (Reuters) - A sentence that is long enough to count as prose here.",
                    "A sentence that is long enough to count as prose in the body of a page.",
                    "Comments",
                    "\u200b",
                    "   indented menu item",
                    "Photo: Someone",
                ]
            ),
        ),
        max_size=40,
    )
)
def test_fuzz_returns_or_raises_wirecheck_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        out = clean_scraped_text(text)
    except WirecheckError:
        return
    assert isinstance(out, CleanedText)
    assert out.body.strip()
    assert all(isinstance(r.reason, str) and r.reason for r in out.removed)


def test_teaser_box_inside_article_is_cut() -> None:
    para = (
        "The council voted on Tuesday to keep the library open for another year, after a "
        "petition signed by four thousand residents was delivered to the town hall."
    )
    more = (
        "Librarians said the decision would let them plan the summer reading programme, which "
        "last year drew more than six hundred children from across the district."
    )
    text = "\n\n".join(
        [
            "Library saved for another year",
            para,
            "IN OTHER NEWS",
            "Ferry strike enters its third day as talks stall",
            "Museum returns a stolen tapestry to the abbey",
            "Rail operator cuts fares on the northern routes",
            more,
        ]
    )
    out = clean_scraped_text(text)
    assert out.body == f"{para}\n\n{more}"
    assert {r.text for r in out.removed if r.reason == "teaser"} >= {
        "Museum returns a stolen tapestry to the abbey"
    }


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["https://www.a.example/world/x"], "https://www.a.example/world/x"),
        # Scrapers and "copy link" often drop the scheme; the site must still be found.
        (["Skip to content", "a-b.example/world/2026/x-y"], "https://a-b.example/world/2026/x-y"),
        (["Reading time: 3 min", "e.g./x", "1.5/2", "and/or"], None),
        (["cdn.example/avatars/u1.png"], None),
    ],
)
def test_page_url_finds_the_address_line(lines: list[str], expected: str | None) -> None:
    assert page_url(lines) == expected
