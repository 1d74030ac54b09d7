"""WARC archives: each 2xx HTML response record becomes an HTML Document.

Records are parsed one at a time with warcio's record loader rather than its ArchiveIterator, so a
garbage record fails alone: parsing resumes at the next ``WARC/1.x`` line and the good records on
both sides still come through. Gzip (WARC.gz) is undone by the caller, which reports its damage.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecordLoader

from wirecheck.errors import CorruptArchive, EmptyInput, InputTooLarge, MalformedRecord
from wirecheck.ingest.common import failure, make_document, parse_content_type, url_host
from wirecheck.ingest.files import Segment
from wirecheck.ingest.sniff import looks_html
from wirecheck.models import Document, DocumentKind, Failure

_RECORD_START = re.compile(rb"(?:^|\n)(WARC/1\.\d+\r?\n)")
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_BLANK = b" \t\r\n"


def _skip_blank(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos] in _BLANK:
        pos += 1
    return pos


def _next_record_start(data: bytes, after: int) -> int:
    match = _RECORD_START.search(data, after)
    return match.start(1) if match else -1


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _record_document(
    record: Any, *, locator: str, site_hint: str | None, max_bytes: int
) -> Document | None:
    """The HTML Document in a response record, or None for records that hold no page."""
    if record.rec_type != "response" or not record.http_headers:
        return None
    try:
        status = int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        raise MalformedRecord("response record has no valid HTTP status line") from None
    if not 200 <= status < 300:
        return None  # redirects and error pages are not articles
    mime, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    if mime is not None and mime not in _HTML_TYPES:
        return None
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        raise InputTooLarge(f"record payload over the {max_bytes}-byte cap")
    if not payload.strip():
        raise EmptyInput("response record has an empty payload")
    if mime is None and not looks_html(payload):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    return make_document(
        DocumentKind.HTML,
        payload,
        locator=locator,
        url=url,
        site_hint=url_host(url) or site_hint,
        charset=charset,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )


def _iter_segment(
    segment: Segment, *, locator: str, site_hint: str | None, max_bytes: int
) -> Iterator[Document | Failure]:
    data = segment.data
    loader = ArcWarcRecordLoader()
    stream = io.BytesIO(data)
    pos = _skip_blank(data, 0)
    while pos < len(data):
        stream.seek(pos)
        record_locator = f"{locator}#offset={pos}"
        # warcio raises a zoo of exception types on bad input (ArchiveLoadFailed, ValueError,
        # EOFError, zlib.error from a bad Content-Encoding...); any of them means this record only.
        try:
            record = loader.parse_record_stream(stream, known_format="warc")
            record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ")
            if record_id:
                record_locator = f"{locator}#{record_id}"
            raw = record.raw_stream
            if not isinstance(raw, LimitReader):
                raise MalformedRecord(f"WARC record at offset {pos} has no Content-Length")
            end = stream.tell() + raw.limit
        except Exception as exc:
            err = exc if isinstance(exc, MalformedRecord) else None
            yield failure(
                record_locator,
                err or MalformedRecord(f"unreadable WARC record at offset {pos}: {exc}"),
            )
            pos = _next_record_start(data, pos + 1)
            if pos < 0:
                return
            continue
        if end > len(data):
            header_end = stream.tell()
            resume = _next_record_start(data, header_end)
            if resume >= 0:  # a lying Content-Length, not the end of the archive
                msg = f"WARC record's Content-Length runs past the next record (offset {pos})"
                yield failure(record_locator, MalformedRecord(msg))
                pos = resume
                continue
            if not segment.cut:  # damage the caller already reported needs no second Failure
                msg = f"archive ends inside the WARC record at offset {pos} (truncated)"
                yield failure(record_locator, CorruptArchive(msg))
            return
        try:
            doc = _record_document(
                record, locator=record_locator, site_hint=site_hint, max_bytes=max_bytes
            )
        except (EmptyInput, InputTooLarge, MalformedRecord) as err:
            yield failure(record_locator, err)
        except Exception as exc:
            yield failure(record_locator, MalformedRecord(f"unreadable WARC payload: {exc}"))
        else:
            if doc is not None:
                yield doc
        pos = _skip_blank(data, end)


def iter_warc(
    segments: Sequence[Segment],
    *,
    locator: str,
    site_hint: str | None,
    max_bytes: int,
    max_records: int,
) -> Iterator[Document | Failure]:
    """HTML Documents from the WARC records in ``segments``; a bad record yields a Failure."""
    count = 0
    for segment in segments:
        for item in _iter_segment(
            segment, locator=locator, site_hint=site_hint, max_bytes=max_bytes
        ):
            yield item
            if isinstance(item, Document):
                count += 1
                if max_records and count >= max_records:
                    return
