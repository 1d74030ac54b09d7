"""JSON and JSONL records from crawlers (news-please and plain title/text/url/date records)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wirecheck.errors import MalformedRecord, WirecheckError
from wirecheck.ingest.common import failure, make_document, url_host
from wirecheck.ingest.files import Segment
from wirecheck.ingest.sniff import decode_json, looks_html, strip_bom
from wirecheck.models import Document, DocumentKind, Failure

# Field names, most specific first: news-please, then plain crawler records, then common variants.
_TITLE = ("title", "headline")
_TEXT = ("maintext", "text", "content", "body", "article_text", "description")
_HTML = ("html", "raw_html", "content_html")
_URL = ("url", "link", "canonical_url", "uri")
_PUBLISHED = ("date_publish", "date", "published", "date_published", "datePublished", "pubDate")
_SITE = ("source_domain", "site", "domain", "site_name", "source")
_AUTHORS = ("authors", "author", "byline")
_LANGUAGE = ("language", "lang")


def clean_str(value: str) -> str:
    """The string with lone surrogates (legal in JSON, illegal in UTF-8) replaced."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _first_str(record: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return clean_str(value.strip())
    return None


def _authors(record: Mapping[str, Any]) -> list[str]:
    for key in _AUTHORS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return [clean_str(value.strip())]
        if isinstance(value, list):
            names = [clean_str(v.strip()) for v in value if isinstance(v, str) and v.strip()]
            if names:
                return names
    return []


def record_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised fields of a crawler record: title, text, url, published, site, authors,
    language (missing ones are None, or [] for authors)."""
    url = _first_str(record, _URL)
    return {
        "title": _first_str(record, _TITLE),
        "text": _first_str(record, _TEXT),
        "url": url,
        "published": _first_str(record, _PUBLISHED),
        "site": _first_str(record, _SITE) or url_host(url),
        "authors": _authors(record),
        "language": _first_str(record, _LANGUAGE),
    }


def record_document(record: Any, *, locator: str, site_hint: str | None) -> Document:
    """One record as a Document: RECORD, or HTML when the record's body is an HTML page."""
    if not isinstance(record, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(record).__name__}")
    fields = record_fields(record)
    url = fields["url"]
    hint = url_host(url) or site_hint
    html = _first_str(record, _HTML)
    text = fields["text"]
    if html is None and text is not None and looks_html(text.encode("utf-8")):
        html = text
    if html is not None:
        fields["text"] = None
        return make_document(
            DocumentKind.HTML,
            html.encode("utf-8"),
            locator=locator,
            url=url,
            site_hint=hint,
            fields=fields,
            charset="utf-8",
        )
    if text is None:
        keys = "/".join(_TEXT + _HTML)
        raise MalformedRecord(f"record has no article text (none of {keys})")
    content = json.dumps(record, sort_keys=True).encode("utf-8")
    return make_document(
        DocumentKind.RECORD, content, locator=locator, url=url, site_hint=hint, fields=fields
    )


def iter_json(
    data: bytes, *, locator: str, site_hint: str | None, max_records: int
) -> Iterator[Document | Failure]:
    """A JSON document: an array of records (``path#N``, 1-based) or one record (``path``)."""
    try:
        parsed = json.loads(decode_json(strip_bom(data)))
    except json.JSONDecodeError as exc:
        err = MalformedRecord(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        yield failure(f"{locator}:{exc.lineno}", err)
        return
    except (ValueError, RecursionError) as exc:
        yield failure(locator, MalformedRecord(f"not valid JSON: {exc}"))
        return
    if not isinstance(parsed, list):
        try:
            yield record_document(parsed, locator=locator, site_hint=site_hint)
        except WirecheckError as err:
            yield failure(locator, err)
        return
    for index, item in enumerate(parsed, start=1):
        if max_records and index > max_records:
            return
        item_locator = f"{locator}#{index}"
        try:
            yield record_document(item, locator=item_locator, site_hint=site_hint)
        except WirecheckError as err:
            yield failure(item_locator, err)


def iter_jsonl(
    segments: Sequence[Segment], *, locator: str, site_hint: str | None, max_records: int
) -> Iterator[Document | Failure]:
    """One record per line, located as ``path:LINE`` (1-based); a bad line fails alone.

    A segment cut by archive damage loses its unfinished last line (reported by the caller).
    """
    lineno = 0
    count = 0
    for seg_index, segment in enumerate(segments):
        lines = segment.data.split(b"\n")
        if not lines[-1]:
            lines.pop()  # the empty tail after a final newline is not a line
        elif segment.cut:
            lines.pop()  # an unfinished line
        for raw in lines:
            lineno += 1
            if lineno == 1 and seg_index == 0:
                raw = strip_bom(raw)
            if not raw.strip():
                continue
            line_locator = f"{locator}:{lineno}"
            try:
                record = json.loads(decode_json(raw))
            except json.JSONDecodeError as exc:
                err = MalformedRecord(
                    f"line {lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
                )
                yield failure(line_locator, err)
                continue
            except (ValueError, RecursionError) as exc:
                err = MalformedRecord(f"line {lineno}: not valid JSON: {exc}")
                yield failure(line_locator, err)
                continue
            try:
                yield record_document(record, locator=line_locator, site_hint=site_hint)
            except WirecheckError as err:
                yield failure(line_locator, err)
                continue
            count += 1
            if max_records and count >= max_records:
                return
