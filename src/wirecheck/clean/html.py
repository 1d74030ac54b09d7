"""HTML page -> article body and metadata.

``extractor`` picks the engine:

* ``"resiliparse"``: resiliparse's fast DOM (lexbor), parsed once; metadata read from the head
  (Open Graph, ``article:*``, JSON-LD, canonical link, ``<html lang>``); the body from
  resiliparse's main-content heuristics, told to skip titles, captions, headers/footers and
  date/print/bio widgets; then a line filter for page furniture (cookie banners, adverts, share
  and subscribe prompts) and :func:`wirecheck.clean.furniture.filter_body`.
* ``"auto"``: the resiliparse path, plus, when its body looks fragmented (many short paragraphs),
  a second opinion from trafilatura (``fast=True``, no metadata): paragraphs trafilatura's text
  does not contain are cut.
* ``"trafilatura"``: one ``bare_extraction`` call (``favor_precision=True``) for body and
  metadata, then the same post-filter.

Measured with ``benchmarks/bench_html.py`` on the 120 Scrapinghub pages (token F1; split by sorted
id: every constant below was tuned on the first 80 only, the last 40 are held out), 2-core VM,
2026-11-22 (see benchmarks/RESULTS.md):

=============================  ======  =====  ========  ======
engine                         all     tune   held out  docs/s
=============================  ======  =====  ========  ======
trafilatura default alone      0.955   0.965  0.936     38
trafilatura favor_precision    0.955   0.971  0.924     40
resiliparse main_content alone 0.907   0.908  0.906     617
wirecheck "trafilatura"        0.958   0.975  0.923     38
wirecheck "resiliparse"        0.964   0.969  0.954     370
wirecheck "auto"               0.969   0.976  0.955     142
=============================  ======  =====  ========  ======

(docs/s per process-CPU second, where it is steadier than wall time.) "auto" is the most
accurate combination measured, at 3.7x trafilatura's default speed; it falls
just short of the issue's goal of F1 0.970 (on the held-out 40 it is 0.955, where trafilatura
scores 0.936).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml.etree import LxmlError  # type: ignore[import-untyped]
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import DOMException, HTMLParserException, HTMLTree

from wirecheck.clean.furniture import FilteredBody, filter_body
from wirecheck.errors import NoArticleText, UsageError
from wirecheck.models import Notice, RemovedLine

__all__ = ["EXTRACTORS", "ExtractedHTML", "extract_html"]

EXTRACTORS = ("auto", "trafilatura", "resiliparse")


@dataclass(frozen=True)
class ExtractedHTML:
    """What an HTML page yields: the body (paragraphs joined by a blank line) and metadata."""

    title: str | None
    body: str
    published: str | None  # ISO date/datetime as found in the page
    authors: tuple[str, ...]
    site_name: str | None
    url: str | None  # canonical URL, when the page declares one
    language: str | None  # declared (e.g. <html lang>), not detected
    tags: tuple[str, ...]
    removed: tuple[RemovedLine, ...]
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class _Meta:
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    site_name: str | None = None
    url: str | None = None
    language: str | None = None


# CSS selectors resiliparse skips while extracting the main content. Chosen by greedy forward
# selection on the 80 tuning pages (start: figure/figcaption/h1/header/footer, F1 0.949; each
# addition kept only if it raised mean F1 by > 0.0005; the set ends at 0.962). Substring class
# selectors that looked as plausible ("[class*=sidebar]", "[class*=ad-]", "[class*=header]",
# "[class*=read]", "[class*=author]") each cost 0.01-0.08: they match the containers of the
# article itself on some sites, so they are deliberately absent.
_SKIP_SELECTORS = [
    "figure",
    "figcaption",
    "h1",
    "header",
    "footer",
    "[class*=caption]",
    "[class*=media]",
    "[class*=title]",
    "[class*=print]",
    "[class*=bio]",
    "[class*=photo]",
    "[class*=date]",
]

# Kinds of furniture resiliparse keeps inside the main content. A line naming one of them is cut
# when it is short (<= 40 words: a real paragraph may mention "cookies" or "related" in passing,
# a banner is rarely longer). On the 80 tuning pages this filter took F1 from 0.962 to 0.968; a
# 20-word cap scored 0.966, 8 words 0.964. Dropping repeated lines, short lines without final
# punctuation, or short lines at the edges each lost recall and F1, so none is used.
_FURNITURE_LINE = re.compile(
    r"\b(?:cookies?|copyright|all rights reserved|advertisement|advert|subscribe|sign up|"
    r"newsletters?|share (?:it|this)|sharing is caring|follow us|click here|back to top|"
    r"skip to content|related|read more|bloggers like this|loading)\b|©|"
    r"^(?:comments?|tags?|shares?|close|x|polls?)\W*$",
    re.IGNORECASE,
)
_FURNITURE_MAX_WORDS = 40
# "auto" asks trafilatura for a second opinion when the fast path's body looks fragmented: at
# least _CONFIRM_GATE of its paragraphs are short (< _SHORT_WORDS words), which is what menus,
# teaser lists and widget text look like. A paragraph is then kept only if _CONFIRM_SHARE of its
# words occur in trafilatura's text, unless trafilatura returned less than _CONFIRM_MIN_RATIO of
# the fast path's words (it then missed part of the article; doc ids 15 and 100 of the sorted
# benchmark lose half their text in trafilatura). Grid-searched on the 80 tuning pages
# (share 0.5/0.7/0.9, ratio 0.4/0.5/0.6, gate 0-0.5, short 8/12): F1 0.9687 without confirmation,
# 0.9769 confirming every page, 0.9756 with gate 0.3 (40% of pages), 0.9742 with gate 0.4 (31%).
# The gate trades accuracy for speed; trafilatura costs about 12 ms a page, the fast path 3 ms.
_CONFIRM_GATE = 0.3
_SHORT_WORDS = 12
_CONFIRM_SHARE = 0.7
_CONFIRM_MIN_RATIO = 0.5
# Cuts of the shared furniture filter undone for HTML (see _post_filter).
_HTML_KEEP_REASONS = frozenset({"duplicate", "url"})
# What the parsers raise on input they cannot handle; anything else is a bug and propagates.
_PARSER_ERRORS = (HTMLParserException, DOMException, LxmlError, ValueError, LookupError)
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^(?:[•▪◦·*-]|\d{1,3}\.)\s+")
# A page holds an article when at least one line reads like prose: this many words.
_MIN_PROSE_WORDS = 6

_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _split_authors(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value.startswith(("http://", "https://", "@")):
            continue  # a profile URL or handle is not a name
        for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", value):
            name = part.strip()
            if name.lower().startswith("by "):
                name = name[3:].strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


def _json_ld(scripts: Iterable[str]) -> dict[str, Any]:
    """The first Article-like JSON-LD object (headline, datePublished, author, publisher)."""
    for raw in scripts:
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                if "datePublished" in item or "headline" in item:
                    return item
    return {}


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        text = _clean(name)
        if text:
            names.append(text)
    return names


def _head_metas(tree: Any) -> dict[str, list[str]]:
    """``<meta>`` values by lower-cased property/name/itemprop, from the head's children.

    Walked sibling by sibling: iterating a resiliparse NodeList (``query_selector_all``) costs
    about 0.1 ms per element, which made metadata 5x slower than the body extraction.
    """
    metas: dict[str, list[str]] = {}
    head = tree.head
    el = head.first_element_child if head is not None else None
    while el is not None:
        if el.tag == "meta":
            key = el.getattr("property") or el.getattr("name") or el.getattr("itemprop") or ""
            content = _clean(el.getattr("content"))
            if key and content:
                metas.setdefault(key.strip().lower(), []).append(content)
        el = el.next_element_sibling
    return metas


def _metadata(tree: Any) -> _Meta:
    """Metadata declared in the page (meta tags, JSON-LD, canonical link, ``<html lang>``)."""
    metas = _head_metas(tree)
    document = tree.document

    def first(keys: Iterable[str]) -> str | None:
        for key in keys:
            if key in metas:
                return metas[key][0]
        return None

    ld = _json_ld(
        el.text for el in document.query_selector_all('script[type="application/ld+json"]')
    )
    title = first(_TITLE_KEYS) or _clean(ld.get("headline")) or _clean(tree.title)
    if title is None:
        h1 = document.query_selector("h1")
        title = _clean(h1.text) if h1 is not None else None

    published = first(_DATE_KEYS) or _clean(ld.get("datePublished"))
    if published is None:
        time_el = document.query_selector("time[datetime]")
        published = _clean(time_el.getattr("datetime")) if time_el is not None else None

    author_values = [v for key in _AUTHOR_KEYS for v in metas.get(key, [])]
    if not author_values:
        author_values = _ld_names(ld.get("author"))
    if not author_values:
        byline = document.query_selector('[rel="author"], [itemprop="author"]')
        text = _clean(byline.text) if byline is not None else None
        # A long "author" element is a bio box, not a name.
        author_values = [text] if text and len(text) <= 80 else []

    site_name = first(_SITE_KEYS)
    if site_name is None:
        names = _ld_names(ld.get("publisher"))
        site_name = names[0] if names else None

    canonical = document.query_selector('link[rel="canonical"][href]')
    url = _clean(canonical.getattr("href")) if canonical is not None else None
    url = url or first(("og:url",))

    html_el = document.query_selector("html")
    language = _clean(html_el.getattr("lang")) if html_el is not None else None
    language = language or first(("og:locale", "content-language", "language", "dc.language"))
    return _Meta(
        title=title,
        published=published,
        authors=_split_authors(author_values),
        site_name=site_name,
        url=url,
        language=language,
    )


def _resiliparse(html: str) -> tuple[list[str], _Meta]:
    tree = HTMLTree.parse(html)
    meta = _metadata(tree)
    text = extract_plain_text(
        tree,
        preserve_formatting=True,
        main_content=True,
        comments=False,
        # Alt texts and post meta (bylines, dates) are not body text: F1 +0.018 and +0.009 on
        # the 80 tuning pages.
        alt_texts=False,
        post_meta=False,
        skip_elements=_SKIP_SELECTORS,
    )
    return [line.strip() for line in text.splitlines()], meta


def _trafilatura(html: str, url: str | None) -> tuple[list[str], _Meta]:
    import trafilatura  # imported on first use: it takes about half a second

    # favor_precision scored best of trafilatura's settings on the 80 tuning pages (0.971 vs
    # 0.965 default and fast=True).
    doc: Any = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True, favor_precision=True
    )
    # Declared language and canonical URL come from the same reader as the resiliparse path.
    declared = _metadata(HTMLTree.parse(html))
    if doc is None:
        return [], declared
    authors = _split_authors([doc.author]) if isinstance(doc.author, str) and doc.author else ()
    meta = _Meta(
        title=_clean(doc.title) or declared.title,
        published=_clean(doc.date) or declared.published,
        authors=authors or declared.authors,
        site_name=_clean(doc.sitename) or declared.site_name,
        url=declared.url or _clean(doc.url),
        language=declared.language or _clean(doc.language),
    )
    return [line.strip() for line in (doc.text or "").splitlines()], meta


def _html_furniture(lines: Iterable[str]) -> tuple[list[str], list[RemovedLine]]:
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in lines:
        if not line:
            continue
        text = _BULLET.sub("", line) if line.startswith(("•", "▪", "◦")) else line
        if _FURNITURE_LINE.search(text) and len(_WORD.findall(text)) <= _FURNITURE_MAX_WORDS:
            removed.append(RemovedLine(text, "html-furniture"))
            continue
        kept.append(text)
    return kept, removed


def _post_filter(
    lines: list[str], *, title: str | None, site_furniture: frozenset[str]
) -> tuple[list[str], tuple[RemovedLine, ...], FilteredBody]:
    """Run the shared furniture filter, but keep the cuts that do not suit extracted HTML.

    Lines cut for a reason in ``_HTML_KEEP_REASONS`` are put back in place: in an extractor's
    output a repeated line or a bare URL is mostly the author's (a recipe step, a cited link),
    not furniture as in whole-page text.
    """
    filtered = filter_body(lines, title=title, site_furniture=site_furniture)
    restore = Counter(r.text for r in filtered.removed if r.reason in _HTML_KEEP_REASONS)
    if not restore:
        return list(filtered.kept), filtered.removed, filtered
    headlines = {r.text for r in filtered.removed if r.reason == "title_repeat"}
    out: list[str] = []
    kept = filtered.kept
    j = 0
    for line in lines:
        text = line.strip()
        if (
            j < len(kept)
            and (
                text == kept[j]
                # a headline glued to the first paragraph was cut off it
                or (text.endswith(kept[j]) and text[: -len(kept[j])].strip() in headlines)
            )
        ):
            out.append(kept[j])
            j += 1
        elif restore[text] > 0:
            restore[text] -= 1
            out.append(text)
    out.extend(kept[j:])
    removed = tuple(r for r in filtered.removed if r.reason not in _HTML_KEEP_REASONS)
    return out, removed, filtered


def _needs_confirmation(lines: list[str]) -> bool:
    if not lines:
        return False
    short = sum(1 for line in lines if len(_WORD.findall(line)) < _SHORT_WORDS)
    return short >= _CONFIRM_GATE * len(lines)


def _confirm_with_trafilatura(
    html: str, url: str | None, lines: list[str]
) -> tuple[list[str], list[RemovedLine]]:
    """Keep the paragraphs trafilatura's extraction of the same page agrees with."""
    import trafilatura  # imported on first use: it takes about half a second

    doc: Any = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=False, fast=True
    )
    text = (doc.text or "") if doc is not None else ""
    second = _WORD.findall(text.lower())
    ours = sum(len(_WORD.findall(line)) for line in lines)
    if len(second) < _CONFIRM_MIN_RATIO * ours:
        return lines, []
    vocabulary = set(second)
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in lines:
        words = _WORD.findall(line.lower())
        if words and sum(w in vocabulary for w in words) >= _CONFIRM_SHARE * len(words):
            kept.append(line)
        else:
            removed.append(RemovedLine(line, "not-in-second-extractor"))
    return kept, removed


def extract_html(
    html: str,
    *,
    url: str | None = None,
    extractor: str = "auto",
    site_furniture: frozenset[str] = frozenset(),
) -> ExtractedHTML:
    """Extract the article body and metadata from decoded HTML.

    Raises :class:`~wirecheck.errors.NoArticleText` when the page holds no article text and
    :class:`~wirecheck.errors.UsageError` for an unknown ``extractor``.
    """
    if extractor not in EXTRACTORS:
        choices = ", ".join(EXTRACTORS)
        raise UsageError(f"unknown HTML extractor {extractor!r}; use one of {choices}")
    if not html or not html.strip():
        raise NoArticleText("the HTML page is empty")
    # lexbor and lxml reject NUL characters in places; they are never article text.
    html = html.replace("\x00", "")
    try:
        if extractor == "trafilatura":
            lines, meta = _trafilatura(html, url)
        else:
            lines, meta = _resiliparse(html)
    except _PARSER_ERRORS as exc:
        raise NoArticleText(f"the HTML could not be parsed: {type(exc).__name__}") from exc

    kept, html_removed = _html_furniture(lines)
    post_kept, post_removed, filtered = _post_filter(
        kept, title=meta.title, site_furniture=site_furniture
    )
    body_lines = [line for line in post_kept if line.strip()]
    confirm_removed: list[RemovedLine] = []
    if extractor == "auto" and _needs_confirmation(body_lines):
        # On a parser error there is no second opinion: the fast path's body stands.
        with contextlib.suppress(*_PARSER_ERRORS):
            body_lines, confirm_removed = _confirm_with_trafilatura(html, url, body_lines)
    if not any(len(_WORD.findall(line)) >= _MIN_PROSE_WORDS for line in body_lines):
        raise NoArticleText("no article text found in the HTML page")
    return ExtractedHTML(
        title=meta.title,
        body="\n\n".join(body_lines),
        published=meta.published,
        authors=meta.authors,
        site_name=meta.site_name,
        url=meta.url,
        language=meta.language,
        tags=filtered.tags,
        removed=(*html_removed, *post_removed, *confirm_removed),
        notices=filtered.notices,
    )
