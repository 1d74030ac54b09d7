"""RSS and Atom feeds (feedparser): each item becomes a RECORD Document.

An item's link is fetched as an HTML page only when fetching is enabled (the caller passes a
``fetch_page`` function then); if that fetch fails, the item itself is still kept.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

import feedparser

from wirecheck.errors import EmptyInput, MalformedRecord
from wirecheck.ingest.common import failure, make_document, url_host
from wirecheck.ingest.jsonl import clean_str
from wirecheck.models import Document, DocumentKind, Failure

FetchPage = Callable[[str, Mapping[str, Any]], Iterator[Document | Failure]]

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr",
}  # fmt: skip
_RSS_AUTHOR = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((.+)\)\s*$")
_SKIP_TAGS = {"script", "style", "template", "noscript"}


class _TextExtractor(HTMLParser):
    """Visible text of a feed item's HTML summary, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _text_of(detail: Any, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    mime = detail.get("type", "") if isinstance(detail, Mapping) else ""
    text = html_to_text(value) if "html" in mime or "<" in value else value.strip()
    return clean_str(text) if text else None


def _published(entry: Mapping[str, Any]) -> str | None:
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            # feedparser normalises dates to UTC
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            return clean_str(raw.strip())
    return None


def _authors(entry: Mapping[str, Any]) -> list[str]:
    author = entry.get("author")
    if isinstance(author, str) and "@" in author:
        # RSS writes "email (Name)"; feedparser 6.0 splits it wrongly ("ple (Mara Quill"), so
        # read the name ourselves. A bare address is not a byline.
        match = _RSS_AUTHOR.match(author)
        return [clean_str(match.group(1).strip())] if match else []
    names = [
        clean_str(a["name"].strip())
        for a in entry.get("authors") or []
        if isinstance(a, Mapping) and isinstance(a.get("name"), str) and a["name"].strip()
    ]
    if not names and isinstance(author, str) and author.strip():
        names = [clean_str(author.strip())]
    return names


def _item_fields(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> dict[str, Any]:
    text = None
    for content in entry.get("content") or []:
        if isinstance(content, Mapping):
            text = _text_of(content, content.get("value"))
            if text:
                break
    if not text:
        text = _text_of(entry.get("summary_detail"), entry.get("summary"))
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    title = entry.get("title")
    feed_link = feed.get("link") if isinstance(feed.get("link"), str) else None
    language = entry.get("language") or feed.get("language")
    return {
        "title": clean_str(title.strip()) if isinstance(title, str) and title.strip() else None,
        "text": text,
        "url": clean_str(link) if link else None,
        "published": _published(entry),
        "site": url_host(link) or url_host(feed_link),
        "authors": _authors(entry),
        "language": language if isinstance(language, str) and language else None,
    }


def iter_feed(
    data: bytes,
    *,
    locator: str,
    site_hint: str | None,
    max_records: int,
    fetch_page: FetchPage | None = None,
) -> Iterator[Document | Failure]:
    """One RECORD Document per feed item, located as ``path#<item id or link>``."""
    # A file object, never bytes or str: feedparser treats a string as a URL or file name to open.
    # feedparser is lenient (bozo flag) but a parser library can still raise on hostile input.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:
        yield failure(locator, MalformedRecord(f"not a readable RSS/Atom feed: {exc}"))
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            yield failure(locator, MalformedRecord(f"not a readable RSS/Atom feed: {reason}"))
        else:
            yield failure(locator, EmptyInput("the feed has no items"))
        return
    feed = parsed.get("feed") or {}
    count = 0
    for number, entry in enumerate(entries, start=1):
        fields = _item_fields(entry, feed)
        item_key = entry.get("id") or fields["url"] or f"item-{number}"
        item_locator = f"{locator}#{clean_str(str(item_key))}"
        if not fields["title"] and not fields["text"]:
            yield failure(item_locator, MalformedRecord("feed item has neither title nor text"))
            continue
        if fetch_page is not None and fields["url"]:
            # The page is the article now: the item's fields stay as metadata hints, not as text.
            results = list(fetch_page(fields["url"], {**fields, "text": None}))
            yield from results
            if any(isinstance(r, Document) for r in results):
                count += 1
                if max_records and count >= max_records:
                    return
                continue
        original = {k: v for k, v in entry.items() if not k.endswith("_parsed")}
        content = json.dumps(original, sort_keys=True, default=str).encode("utf-8", "replace")
        yield make_document(
            DocumentKind.RECORD,
            content,
            locator=item_locator,
            url=fields["url"],
            site_hint=fields["site"] or site_hint,
            fields=fields,
        )
        count += 1
        if max_records and count >= max_records:
            return
