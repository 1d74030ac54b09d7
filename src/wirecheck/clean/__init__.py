"""The clean stage: Document (raw bytes) -> Article (title, body, metadata, what was cut and why)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from wirecheck.clean import metadata
from wirecheck.clean.decode import decode_bytes
from wirecheck.clean.furniture import filter_body
from wirecheck.clean.html import extract_html
from wirecheck.clean.sitelines import SiteLineStats, line_key
from wirecheck.clean.text import clean_scraped_text
from wirecheck.errors import NoArticleText
from wirecheck.models import Article, Document, DocumentKind, Notice, RemovedLine
from wirecheck.settings import CleanSettings

__all__ = [
    "SiteLineStats",
    "body_hash",
    "clean_document",
    "document_lines",
    "line_key",
    "page_url",
    "site_key",
]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_URL_LINE = re.compile(r"^https?://[^\s/]+\.[^\s/]+(?:/\S*)?$", re.I)
# Browsers' "copy link" and many scrapers drop the scheme: "site.example/world/2026/a-story". A
# host with a dot and a letter-only last label, then a path of at least one segment.
_BARE_URL_LINE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S+$", re.I)
_ASSET = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|ico|css|js|mp4|mp3)(?:\?\S*)?$|/avatars?/", re.I)


def page_url(lines: list[str]) -> str | None:
    """The page's own URL in a scraped text: a bare URL line near the top that is not an asset.

    Scrapers and "save page as text" put the address on a line of its own above the article.
    """
    for line in lines[:80]:
        candidate = line.strip()
        if _ASSET.search(candidate):
            continue
        if _URL_LINE.match(candidate):
            return candidate
        if _BARE_URL_LINE.match(candidate):
            return "https://" + candidate
    return None


def body_hash(body: str) -> str:
    """Hash of the normalised body: case, punctuation and spacing do not make a different text."""
    norm = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", body).lower()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def document_lines(doc: Document) -> list[str]:
    """The lines of a scraped-text document, for learning site furniture before cleaning."""
    if doc.kind is not DocumentKind.TEXT:
        return []
    text, _ = decode_bytes(doc.content, declared=doc.charset)
    return [line.strip() for line in text.splitlines() if line.strip()]


def site_key(doc: Document, lines: list[str]) -> str | None:
    """Which site a document belongs to, for learning furniture across that site's pages."""
    return metadata.site_of(doc.url) or metadata.site_of(page_url(lines)) or doc.site_hint


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _authors(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(str(a).strip() for a in value if str(a).strip())


def clean_document(
    doc: Document,
    *,
    settings: CleanSettings,
    site_furniture: frozenset[str] = frozenset(),
    ingested_at: str | None = None,
) -> Article:
    """Clean one document into an article. Raises a WirecheckError when it holds no article."""
    warnings: list[str] = []
    url = doc.url
    title: str | None
    published: str | None = None
    site: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    notices: tuple[Notice, ...]
    removed: tuple[RemovedLine, ...]
    tags: tuple[str, ...]

    if doc.kind is DocumentKind.HTML:
        text, warned = decode_bytes(doc.content, declared=doc.charset, html=True)
        warnings.extend(warned)
        page = extract_html(
            text, url=url, extractor=settings.html_extractor, site_furniture=site_furniture
        )
        title, body = page.title, page.body
        published, authors, site = page.published, page.authors, page.site_name
        url = url or page.url
        language = page.language
        notices, removed, tags = page.notices, page.removed, page.tags
    elif doc.kind is DocumentKind.TEXT:
        text, warned = decode_bytes(doc.content, declared=doc.charset)
        warnings.extend(warned)
        url = url or page_url(text.splitlines())
        cleaned = clean_scraped_text(text, site_furniture=site_furniture)
        title, body = cleaned.title, cleaned.body
        notices, removed, tags = cleaned.notices, cleaned.removed, cleaned.tags
        published = metadata.date_from_lines([r.text for r in removed[:40]])
    else:
        fields = doc.fields
        raw_text = _as_str(fields.get("text")) or ""
        normalised, _ = decode_bytes(raw_text.encode("utf-8"))
        lines = [line.strip() for line in normalised.splitlines() if line.strip()]
        title = _as_str(fields.get("title"))
        filtered = filter_body(lines, title=title, site_furniture=site_furniture)
        body = "\n\n".join(filtered.kept)
        notices, removed, tags = filtered.notices, filtered.removed, filtered.tags
        published = metadata.normalise_date(_as_str(fields.get("published")))
        site = _as_str(fields.get("site"))
        authors = _authors(fields.get("authors"))
        language = _as_str(fields.get("language"))
        if not body.strip():
            raise NoArticleText("the record has no article text")

    if title:
        title = decode_bytes(title.encode("utf-8"))[0].strip() or None
    dateline, dateline_agency = metadata.find_dateline(body)
    agency = metadata.find_agency(
        body,
        dateline_agency=dateline_agency,
        authors=authors,
        notices=notices,
        removed=[r.text for r in removed],
    )
    detected = metadata.detect_language(body)
    return Article(
        id=doc.id,
        input=doc.input,
        kind=doc.kind,
        title=title,
        body=body,
        url=url,
        published=metadata.normalise_date(published) if published else None,
        site=metadata.site_of(url) or site or doc.site_hint,
        authors=authors,
        dateline=dateline,
        agency=agency,
        # A detector beats a page's declared language, which is often a template default.
        language=detected or (language.split("-")[0].lower() if language else None),
        tags=tags,
        notices=notices,
        removed=removed,
        warnings=tuple(warnings),
        body_hash=body_hash(body),
        ingested_at=ingested_at,
    )
