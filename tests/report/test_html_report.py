"""The HTML report: content from a hand-made verified store, then a pipeline-built store opened in
a real browser (Debian chromium through Playwright) with every network request blocked."""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import DEMO_CORPUS
from wirecheck.errors import UsageError
from wirecheck.models import (
    Article,
    Assessment,
    Claim,
    ClaimLink,
    ClaimSupport,
    DocumentKind,
    Event,
    Mention,
    Notice,
    RemovedLine,
    Signal,
    Story,
)
from wirecheck.report import _charts
from wirecheck.report._views import Span, mark_body, slug
from wirecheck.report.html import ReportLimits, json_for_script, render_report, write_report
from wirecheck.settings import Settings, load_settings
from wirecheck.store import ActorRow, Store, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_TITLE = "<script>alert(1)</script>"

# -- a small verified store, written by hand ------------------------------------------------------

WIRE_ID, COPY_ID, OTHER_ID = "a1" * 8, "b2" * 8, "c3" * 8
WIRE_BODY = (
    "VILNIUS, Oct 14 (BWS) - Eleven warships from five navies began a joint exercise in the Baltic "
    "Sea on Tuesday, Lithuania's defence ministry said. About 1,800 sailors are taking part. "
    "The drills are routine, a spokesperson said in Klaipeda."
)
COPY_BODY = (
    "<img src=x onerror=alert(2)> Eleven warships from five navies began a joint exercise in the "
    "Baltic Sea on Tuesday. Only 900 sailors are taking part, Russia said."
)
OTHER_BODY = "The central bank held its main interest rate at 4.5 percent on Thursday."


def _claim(article_id: str, n: int, body: str, text: str) -> Claim:
    start = body.index(text)
    return Claim(f"{article_id}:{n}", n, start, start + len(text), text, "event", 0.9)


def _mention(body: str, text: str, kind: str, ident: str, **extra: object) -> Mention:
    start = body.index(text)
    return Mention(start, start + len(text), text, kind, ident, **extra)  # type: ignore[arg-type]


def _event(body: str, trigger: str, source: str, target: str, goldstein: float) -> Event:
    start = body.index(trigger)
    return Event(
        sentence=0, sentence_text=body, source=(source,), target=(target,), plover="CONSULT",
        mode=None, cameo="040", goldstein=goldstein, quad_class=1, trigger=trigger,
        trigger_start=start, trigger_end=start + len(trigger), place="geonames:598316",
        date="2026-10-14", date_precision="day",
    )  # fmt: skip


def _articles() -> list[Article]:
    wire_claims = (
        _claim(WIRE_ID, 0, WIRE_BODY, "Eleven warships from five navies began a joint exercise"),
        _claim(WIRE_ID, 1, WIRE_BODY, "About 1,800 sailors are taking part."),
        _claim(WIRE_ID, 2, WIRE_BODY, "The drills are routine"),
        # overlaps claim 0: listed, but the body can only mark one of the two
        _claim(WIRE_ID, 3, WIRE_BODY, "a joint exercise in the Baltic Sea"),
    )
    copy_claims = (
        _claim(COPY_ID, 0, COPY_BODY, "Eleven warships from five navies began a joint exercise"),
        _claim(COPY_ID, 1, COPY_BODY, "Only 900 sailors are taking part"),
    )
    klaipeda = _mention(WIRE_BODY, "Klaipeda", "place", "geonames:598316", country="LTU",
                        lat=55.7, lon=21.1)  # fmt: skip
    common = {"kind": DocumentKind.TEXT, "body_hash": "h"}
    return [
        Article(
            id=WIRE_ID, input="wire.txt", title="Five navies begin Baltic drills", body=WIRE_BODY,
            url="https://balticwire.example/drills", published="2026-10-14T09:00:00",
            site="balticwire.example", agency="BWS", dateline="Vilnius",
            notices=(Notice("agency-feed", "This post was auto-published from an agency feed."),),
            removed=(RemovedLine("Share on Facebook", "share-line"),
                     RemovedLine("Comments (2)", "comment-widget")),
            mentions=(_mention(WIRE_BODY, "Lithuania", "country", "LTU", code="LTU"), klaipeda),
            events=(_event(WIRE_BODY, "began", "LTU", "RUS", 4.0),),
            claims=wire_claims, **common,
        ),
        Article(
            id=COPY_ID, input="copy.txt", title=HOSTILE_TITLE, body=COPY_BODY,
            url="javascript:alert(3)", published="2026-10-14T11:00:00",
            site="northgate-herald.example",
            mentions=(_mention(COPY_BODY, "Russia", "country", "RUS", code="RUS"),),
            events=(_event(COPY_BODY, "began", "RUS", "LTU", -6.0),),
            claims=copy_claims, **common,
        ),
        Article(
            id=OTHER_ID, input="rates.txt", title="Central bank holds rates", body=OTHER_BODY,
            published="2026-10-15", site="eastline.example", **common,
        ),
    ]  # fmt: skip


def _verify(store: Store) -> None:
    wire_stories = Story("s" + WIRE_ID, "Baltic drills", "2026-10-14", "2026-10-14",
                         (WIRE_ID, COPY_ID), 2)  # fmt: skip
    rates = Story("s" + OTHER_ID, "Rates", "2026-10-15", "2026-10-15", (OTHER_ID,), 1)
    store.write_verification(
        stories=[wire_stories, rates],
        story_of={WIRE_ID: wire_stories.id, COPY_ID: wire_stories.id, OTHER_ID: rates.id},
        links=[
            ClaimLink(f"{WIRE_ID}:0", f"{COPY_ID}:0", "supports", 0.93, ("same event",)),
            ClaimLink(
                f"{WIRE_ID}:1",
                f"{COPY_ID}:1",
                "contradicts",
                0.81,
                ("number mismatch: 1,800 vs 900",),
            ),
        ],
        support=[
            ClaimSupport(f"{WIRE_ID}:0", 1, 0, 1, 0, "BWS", "2026-10-14"),
            ClaimSupport(f"{WIRE_ID}:1", 0, 1, 0, 1, "BWS", "2026-10-14"),
            ClaimSupport(f"{COPY_ID}:0", 1, 0, 1, 0, "BWS", "2026-10-14"),
            ClaimSupport(f"{COPY_ID}:1", 0, 1, 0, 1, "BWS", "2026-10-14"),
            ClaimSupport(f"{WIRE_ID}:2", 0, 0, 0, 0, "BWS", "2026-10-14"),
        ],
        assessments=[
            Assessment(
                WIRE_ID,
                82.0,
                "well supported",
                (
                    Signal("named sources", 1.0, 0.8, ("Lithuania's defence ministry said",)),
                    Signal("independent corroboration", 1.0, 0.6),
                ),
            ),
            Assessment(
                COPY_ID,
                31.0,
                "disputed",
                (Signal("contradicted claims", 1.0, -1.2, ("<b>Only 900</b> sailors",)),),
            ),
            Assessment(f"{WIRE_ID}:0", 70.0, "plausible"),
        ],
    )


@pytest.fixture
def verified(store: Store) -> Store:
    store.write_batch(
        articles=_articles(),
        analysis_version=1,
        actors=[
            ActorRow("LTU", "country", "Lithuania", "LTU"),
            ActorRow("RUS", "country", "Russia", "RUS"),
        ],
    )
    _verify(store)
    return store


def _text(page: str) -> str:
    """The page's visible text with tags dropped and entities decoded, whitespace collapsed."""
    no_scripts = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", no_scripts)))


def _element(page: str, ident: str) -> str:
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(ident)}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, ident
    return match.group(2)


# -- content ------------------------------------------------------------------------------------


def test_sections_and_counts_match_the_store(verified: Store, tmp_path: Path) -> None:
    out = write_report(verified, tmp_path / "r" / "report.html", title="Baltic watch")
    page = out.read_text(encoding="utf-8")
    for section in ("overview", "sources", "stories", "network", "actors", "timeline", "map",
                    "articles", "all-articles", "toc"):  # fmt: skip
        assert f'id="{section}"' in page, section
    counts = verified.counts()
    assert _element(page, "count-articles").strip() == str(counts["articles"]) == "3"
    assert _element(page, "count-stories").strip() == str(counts["stories"]) == "2"
    assert _element(page, "count-claims").strip() == str(counts["claims"]) == "6"
    assert _element(page, "count-events").strip() == str(len(verified.events())) == "2"
    assert _element(page, "count-sites").strip() == "3"
    bands = dict(re.findall(r'data-band="([^"]+)">(\d+)<', page))
    assert bands["well supported"] == "1" and bands["disputed"] == "1"
    assert bands["plausible"] == "0"  # the plausible assessment is a claim's, not an article's
    assert "<title>Baltic watch</title>" in page
    # anchors the table of contents and cross links use
    for anchor in (f"story-s{WIRE_ID}", f"article-{WIRE_ID}", f"article-{COPY_ID}", "actor-LTU",
                   "actor-RUS", f"claim-{WIRE_ID}-1"):  # fmt: skip
        assert f'id="{anchor}"' in page, anchor
        assert f'href="#{anchor}"' in page, anchor
    story = _text(_element(page, f"story-s{WIRE_ID}"))
    assert "2 independent sources" in story and "BWS (agency copy)" in story


def test_claims_are_marked_by_support_with_their_links(verified: Store) -> None:
    page = render_report(verified)
    marks = dict(re.findall(r'<mark id="claim-([^"]+)" class="claim ([a-z-]+)"', page))
    assert marks == {
        f"{WIRE_ID}-0": "supported",
        f"{WIRE_ID}-1": "contradicted",
        f"{WIRE_ID}-2": "single-source",
        f"{COPY_ID}-0": "supported",
        f"{COPY_ID}-1": "contradicted",
    }
    wire = _text(_element(page, f"article-{WIRE_ID}"))
    assert "4 claims" in wire and "a joint exercise in the Baltic Sea event" in wire
    assert '<li class="unchecked">' in page  # claim 3 has no support record
    assert f'href="#claim-{WIRE_ID}-3"' not in page  # not marked, so not linked
    assert "number mismatch: 1,800 vs 900" in wire
    assert "contradicted by 1 (1 independent)" in wire
    assert "plausible" in wire  # the claim's own assessment
    view = _element(page, f"article-{WIRE_ID}")
    assert f'href="#article-{COPY_ID}"' in view  # the contradicting article's full view
    assert 'href="#actor-LTU"' in view  # the actor mention in the body


def test_signals_evidence_and_furniture_are_shown(verified: Store) -> None:
    page = render_report(verified)
    wire = _text(_element(page, f"article-{WIRE_ID}"))
    assert "well supported 82 /100" in wire
    assert "named sources" in wire and "Lithuania's defence ministry said" in wire
    assert "+0.80" in wire
    assert "Cut as furniture: 2 lines, 1 notice" in wire
    assert "share-line Share on Facebook" in wire and "comment-widget Comments (2)" in wire
    assert "This post was auto-published from an agency feed." in wire
    copy = _text(_element(page, f"article-{COPY_ID}"))
    assert "disputed 31 /100" in copy and "-1.20" in copy


def test_every_input_string_is_escaped(verified: Store) -> None:
    page = render_report(verified)
    assert HOSTILE_TITLE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>Only 900</b>" not in page and "&lt;b&gt;Only 900&lt;/b&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page
    # only the report's own scripts: 4 JSON blocks, plotly.js and the navigation script
    assert len(re.findall(r"<script\b", page)) == 6


def test_the_file_loads_nothing_from_the_network(verified: Store) -> None:
    page = render_report(verified)
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?https?:""", page)
    assert "@import" not in page and "url(http" not in page
    assert re.search(r'topojsonURL:\s*"\./"', page)  # never plotly's CDN default
    assert 'id="wc-topojson" data-name="world_110m"' in page
    world = json.loads(htmllib.unescape(_element(page, "wc-topojson")))
    assert {"countries", "land", "ocean", "coastlines"} <= set(world["objects"])
    # the external link an article gives is a plain link, opened only on a click
    assert page.count('href="https://balticwire.example/drills"') == 1


def test_caps_keep_the_file_small_and_say_so(verified: Store, tmp_path: Path) -> None:
    page = render_report(verified, limits=ReportLimits(article_views=1, listed_articles=2))
    assert len(re.findall(r'<article class="article"', page)) == 1
    assert f'id="article-{WIRE_ID}"' in page  # the best-corroborated story's article comes first
    limits = _text(_element(page, "limits"))
    assert "1 of 3 articles have a full view" in limits
    assert "1 more are left out of this file" in limits
    assert len(re.findall(r"<tr>", _element(page, "listing"))) == 2 + 1  # with the header row


@pytest.mark.parametrize(
    "limits",
    [ReportLimits(), ReportLimits(article_views=1, stories=1, actors=1, listed_articles=1)],
)
def test_every_internal_link_has_its_target(verified: Store, limits: ReportLimits) -> None:
    page = render_report(verified, limits=limits)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]*)"', page))
    assert targets and targets <= ids, targets - ids


def test_an_empty_store_gives_a_report(store: Store, tmp_path: Path) -> None:
    page = write_report(store, tmp_path / "empty.html").read_text(encoding="utf-8")
    assert _element(page, "count-articles").strip() == "0"
    assert "No stories in this store." in page and "No events in this store." in page


def test_a_folder_is_not_a_report_path(verified: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_report(verified, tmp_path)


# -- helpers ------------------------------------------------------------------------------------


def test_mark_body_escapes_and_nests() -> None:
    body = "A <b> said Russia moved & left."
    claim = Span(0, len(body), "claim supported", 'x"y', anchor="claim-1")
    actor = Span(body.index("Russia"), body.index("Russia") + 6, "actor", "RUS", href="#actor-RUS")
    crossing = Span(len(body) - 3, len(body) + 5, "actor", "bad", href="#x")  # past the end
    out = str(mark_body(body, [claim], [actor, crossing]))
    assert out == (
        '<mark id="claim-1" class="claim supported" title="x&#34;y">A &lt;b&gt; said '
        '<a class="actor" href="#actor-RUS" title="RUS">Russia</a> moved &amp; left.</mark>'
    )
    overlapping = [Span(0, 5, "claim a", "a"), Span(3, 8, "claim b", "b")]
    assert str(mark_body("0123456789", overlapping, [])).count("<mark") == 1


def test_json_for_script_cannot_close_the_script() -> None:
    text = str(json_for_script({"t": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><!-- & \u2028"}


def test_goldstein_colours_run_from_conflict_to_cooperation() -> None:
    assert _charts.goldstein_colour(-10) == "#b2182b"
    assert _charts.goldstein_colour(0) == "#b0b0b0"
    assert _charts.goldstein_colour(10) == "#2166ac"
    assert _charts.goldstein_colour(-99) == "#b2182b"


def test_spring_layout_is_deterministic_and_bounded() -> None:
    edges = [_charts.Edge("A", "B", 3, 6.0), _charts.Edge("B", "C", 1, -4.0)]
    first = _charts.spring_layout(["A", "B", "C", "D"], edges)
    assert first == _charts.spring_layout(["A", "B", "C", "D"], edges)
    assert all(-1.0 <= v <= 1.0 for xy in first.values() for v in xy)

    # linked actors end up closer than an unlinked one
    def dist(a: str, b: str) -> float:
        return float(sum((p - q) ** 2 for p, q in zip(first[a], first[b], strict=True)) ** 0.5)

    assert dist("A", "B") < dist("A", "D")


def test_slug_makes_safe_ids() -> None:
    assert slug("a1b2:3") == "a1b2-3"
    assert slug('"><x') == "x"


# -- a pipeline-built store in a real browser --------------------------------------------------


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    """The demo corpus plus one record whose title is a script, through the whole pipeline."""
    from wirecheck.pipeline import analyze

    root = tmp_path_factory.mktemp("report")
    corpus = root / "corpus"
    shutil.copytree(DEMO_CORPUS, corpus)
    record = {
        "title": HOSTILE_TITLE,
        "text": "Lithuania's defence ministry said on Tuesday that eleven warships had begun a "
        "joint exercise in the Baltic Sea off Klaipeda, and that Russia had been notified.",
        "url": "https://hostile.example/x",
        "date": "2026-10-16",
    }
    (corpus / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    settings: Settings = load_settings(search_user_files=False, environ={})
    with open_store(root / "demo.duckdb") as store:
        analyze([str(corpus)], settings=settings, store=store)
        out = write_report(store, root / "report.html")
        yield out, store


def test_pipeline_report_counts_and_escaping(demo_report: tuple[Path, Store]) -> None:
    out, store = demo_report
    page = out.read_text(encoding="utf-8")
    counts = store.counts()
    rows = store.events()
    assert _element(page, "count-articles").strip() == str(counts["articles"])
    assert counts["articles"] >= 20
    assert _element(page, "count-stories").strip() == str(counts["stories"])
    assert _element(page, "count-claims").strip() == str(counts["claims"])
    assert _element(page, "count-events").strip() == str(len(rows)) != "0"
    assert _element(page, "count-sites").strip() == str(sum(1 for s in store.sources() if s.site))
    bands = Counter(a.band for a in store.assessments(kind="article"))
    for band, n in re.findall(r'data-band="([^"]+)">(\d+)<', page):
        assert bands.get(band, 0) == int(n), band
    titles = [a.title for a in store.articles() if a.title and "<script>" in a.title]
    assert titles, "the hostile record should be stored with its title"
    assert HOSTILE_TITLE not in page and htmllib.escape(titles[0], quote=False) in page
    assert len(re.findall(r'<article class="article"', page)) == counts["articles"]
    # every stored claim is listed under its article, with its support status
    listed = re.findall(r'<li class="(?:supported|contradicted|single-source|unchecked)">', page)
    assert len(listed) == counts["claims"]
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert set(re.findall(r'href="#([^"]*)"', page)) <= ids
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?https?:""", page)


# Skipped only where chromium is missing and the test script did not require it (it installs it).
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("WIRECHECK_REQUIRE_SYSTEM") != "1",
    reason="Debian chromium is not installed (scripts/setup.sh installs it)",
)


@contextmanager
def offline_page(report: Path) -> Iterator[tuple[Page, list[str], list[str]]]:
    """The report open in headless chromium with every request but file: and data: aborted;
    yields the page, the blocked URLs and the console errors (dialogs count as errors)."""
    from playwright.sync_api import Route, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", route)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: errors.append("dialog: " + d.message))
            page.goto(report.as_uri())
            for name in ("timeline", "map"):
                page.wait_for_selector(f"#fig-{name}[data-rendered=true]", timeout=60_000)
            yield page, blocked, errors
        finally:
            browser.close()


@needs_chromium
def test_claims_render_in_chromium(verified: Store, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    out = write_report(verified, tmp_path / "report.html")
    with offline_page(out) as (page, blocked, errors):
        colours = {
            status: page.locator(f"article.article mark.claim.{status}").first.evaluate(
                "el => getComputedStyle(el).backgroundColor"
            )
            for status in ("supported", "contradicted", "single-source")
        }
        assert len(set(colours.values())) == 3, colours
        # the hostile title shows as text, in the heading of its article
        heading = page.locator(f"#article-{COPY_ID} .article-title")
        heading.scroll_into_view_if_needed()  # off-screen views are laid out when scrolled to
        expect(heading).to_have_text(HOSTILE_TITLE, use_inner_text=True)  # retries until drawn
        # a link to a claim inside a closed list opens it; the claim's mark is the target
        page.locator(f"#article-{WIRE_ID}").screenshot(path=str(ARTIFACTS / "report-claims.png"))
        page.goto(out.as_uri() + f"#claim-{WIRE_ID}-1")
        assert page.evaluate("document.querySelector(':target').tagName") == "MARK"
    assert blocked == []
    assert errors == []


@needs_chromium
def test_report_renders_offline_in_chromium(demo_report: tuple[Path, Store]) -> None:
    out, store = demo_report
    with offline_page(out) as (page, blocked, errors):
        page.wait_for_selector("#fig-network[data-rendered=true]", timeout=60_000)
        # The map: plotly's geo layers drawn from the inlined base map, plus one marker per place.
        assert page.locator("#fig-map .geo .layer.countries path").count() >= 1
        assert page.locator("#fig-map .geo .layer.land path").count() >= 1
        country_d = page.locator("#fig-map .geo .layer.countries path").first.get_attribute("d")
        assert country_d and len(country_d) > 1000  # real borders, not an empty path
        places = {r.event.place for r in store.events() if r.event.place}
        located = {p for p in places if (row := store.places().get(p)) and row.lat is not None}
        assert page.locator("#fig-map .scattergeo .point").count() == len(located) > 0
        # The network and the timeline.
        assert page.locator("#fig-network .scatterlayer .trace").count() >= 3
        assert page.locator("#fig-network .scatterlayer .point").count() >= 2
        assert page.locator("#fig-timeline .barlayer .point").count() >= 1
        # Escaped title rendered as text; the script never ran.
        assert page.get_by_text(HOSTILE_TITLE).count() >= 1
        # A table-of-contents link and a click on a network node move to their anchors.
        page.click('#toc a[href="#map"]')
        page.wait_for_function("window.location.hash === '#map'")
        page.locator("#map").screenshot(path=str(ARTIFACTS / "report-map.png"))
        page.locator("#network").screenshot(path=str(ARTIFACTS / "report-network.png"))
        page.locator("#timeline").screenshot(path=str(ARTIFACTS / "report-timeline.png"))
        page.locator("#overview").screenshot(path=str(ARTIFACTS / "report-overview.png"))
        page.locator("article.article").first.screenshot(path=str(ARTIFACTS / "report-article.png"))
        node = page.locator("#fig-network .scatterlayer .trace:last-child .point").first
        node.scroll_into_view_if_needed()
        box = node.bounding_box()
        assert box is not None
        # plotly listens on the drag layer above the markers, so click where the node is drawn
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("window.location.hash.startsWith('#actor-')", timeout=10_000)
        target = page.evaluate("window.location.hash").lstrip("#")
        assert page.locator(f"[id='{target}']").count() == 1
        # The filter box narrows the article list.
        page.fill("#article-filter", "zzz-no-such-article")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('#listing tbody tr')).every(r => r.hidden)"
        )
        page.screenshot(path=str(ARTIFACTS / "report-top.png"))
    assert blocked == []
    assert errors == []
