"""Route each input to the module for its kind: the body of ``iter_documents``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

from wirecheck.errors import BinaryInput, InternalError, WirecheckError
from wirecheck.ingest.common import failure, make_document, parent_name, url_host
from wirecheck.ingest.feeds import FetchPage, iter_feed
from wirecheck.ingest.fetch import Fetcher, Resolver
from wirecheck.ingest.files import Segment, gunzip, read_file, walk
from wirecheck.ingest.jsonl import iter_json, iter_jsonl
from wirecheck.ingest.sniff import Format, check_binary, has_gzip_member, is_gzip, sniff
from wirecheck.ingest.warc import iter_warc
from wirecheck.models import Document, DocumentKind, Failure
from wirecheck.settings import Settings

log = logging.getLogger(__name__)

Item = Document | Failure


def is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


class Ingestor:
    """Holds what a batch shares (settings, one HTTP client) while documents stream out."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._resolver = resolver
        self._fetcher: Fetcher | None = None

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(
                self.settings.fetch, transport=self._transport, resolver=self._resolver
            )
        return self._fetcher

    def run(self, inputs: Sequence[str]) -> Iterator[Item]:
        for value in inputs:
            if is_url(value):
                yield from self._guarded(value, self.from_url(value, follow_feed_links=True))
                continue
            for path, error in walk(value):
                if error is not None:
                    yield failure(path, error)
                else:
                    yield from self._guarded(path, self.from_path(path))

    def _guarded(self, locator: str, items: Iterator[Item]) -> Iterator[Item]:
        """Pass ``items`` through; a bug in one input's handling fails that input, not the batch."""
        try:
            yield from items
        except WirecheckError as err:
            yield failure(locator, err)
        except Exception as exc:
            log.exception("unexpected error while ingesting %s", locator)
            yield failure(locator, InternalError(f"{type(exc).__name__}: {exc}"))

    def from_path(self, path: str) -> Iterator[Item]:
        try:
            blob = read_file(path, self.settings.ingest.max_bytes)
        except WirecheckError as err:
            yield failure(path, err)
            return
        yield from self.from_bytes(
            blob, locator=path, site_hint=parent_name(path), fetch_page=self._fetch_item
        )

    def from_url(
        self, url: str, *, follow_feed_links: bool, hints: Mapping[str, Any] | None = None
    ) -> Iterator[Item]:
        try:
            page = self.fetcher.fetch(url)
        except WirecheckError as err:
            yield failure(url, err)
            return
        yield from self.from_bytes(
            page.content,
            locator=url,
            site_hint=url_host(page.url),
            url=page.url,
            charset=page.charset,
            fetched_at=page.fetched_at,
            content_type=page.content_type,
            fields=hints,
            fetch_page=self._fetch_item if follow_feed_links else None,
        )

    def _fetch_item(self, link: str, hints: Mapping[str, Any]) -> Iterator[Item]:
        # Depth one: a feed item's page is fetched, but feeds found there are not followed.
        return self.from_url(link, follow_feed_links=False, hints=hints)

    def from_bytes(
        self,
        blob: bytes,
        *,
        locator: str,
        site_hint: str | None,
        url: str | None = None,
        charset: str | None = None,
        fetched_at: dt.datetime | None = None,
        content_type: str | None = None,
        fields: Mapping[str, Any] | None = None,
        fetch_page: FetchPage | None = None,
    ) -> Iterator[Item]:
        """Documents and Failures from one input's bytes (a file's or a response's)."""
        limits = self.settings.ingest
        damage: list[WirecheckError] = []
        if is_gzip(blob) or (_is_binary(blob) and has_gzip_member(blob)):
            try:
                unzipped = gunzip(blob, limits.max_bytes)
            except WirecheckError as err:
                yield failure(locator, err)
                return
            segments, damage = unzipped.segments, list(unzipped.damage)
            data = unzipped.data
        else:
            segments, data = [Segment(blob)], blob
        try:
            fmt = sniff(data) if data or not damage else None
        except WirecheckError as err:
            yield failure(locator, err)
            fmt = None
        if fmt is Format.TEXT and content_type in ("text/html", "application/xhtml+xml"):
            fmt = Format.HTML  # a fragment too small to sniff, but the server says HTML
        if fmt is Format.WARC:
            yield from iter_warc(
                segments,
                locator=locator,
                site_hint=site_hint,
                max_bytes=limits.max_bytes,
                max_records=limits.max_records,
            )
        elif fmt is Format.JSONL:
            yield from iter_jsonl(
                segments, locator=locator, site_hint=site_hint, max_records=limits.max_records
            )
        elif fmt is None or damage:
            pass  # a damaged single document is not ingested in part; the damage is reported
        elif fmt is Format.JSON:
            yield from iter_json(
                data, locator=locator, site_hint=site_hint, max_records=limits.max_records
            )
        elif fmt is Format.FEED:
            follow = fetch_page if self.settings.fetch.enabled else None
            yield from iter_feed(
                data,
                locator=locator,
                site_hint=site_hint,
                max_records=limits.max_records,
                fetch_page=follow,
            )
        else:
            kind = DocumentKind.HTML if fmt is Format.HTML else DocumentKind.TEXT
            yield make_document(
                kind,
                data,
                locator=locator,
                url=url,
                site_hint=site_hint,
                fields=fields,
                charset=charset,
                fetched_at=fetched_at,
            )
        for problem in damage:
            yield failure(locator, problem)


def _is_binary(blob: bytes) -> bool:
    try:
        check_binary(blob)
    except BinaryInput:
        return True
    except WirecheckError:
        return False
    return False
