"""Helpers shared by the ingest modules: ids, locators, and turning errors into Failures."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from wirecheck.errors import WirecheckError
from wirecheck.models import Document, DocumentKind, Failure

STAGE = "ingest"


def content_id(content: bytes, url: str | None) -> str:
    """A stable, content-derived id: the first 16 hex chars of sha256(content NUL url).

    Re-ingesting the same bytes from the same URL gives the same id, so the store can skip it.
    """
    digest = hashlib.sha256()
    digest.update(content)
    digest.update(b"\0")
    digest.update((url or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def failure(locator: str, err: WirecheckError) -> Failure:
    return Failure(input=locator, stage=STAGE, code=err.code, message=str(err))


def url_host(url: str | None) -> str | None:
    """The lower-cased host of an http(s) URL, or None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def parent_name(path: str) -> str | None:
    """The name of a file's parent directory (the site hint for files without a URL)."""
    name = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return name or None


def make_document(
    kind: DocumentKind,
    content: bytes,
    *,
    locator: str,
    url: str | None = None,
    site_hint: str | None = None,
    fields: Mapping[str, Any] | None = None,
    charset: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> Document:
    return Document(
        id=content_id(content, url),
        input=locator,
        kind=kind,
        content=content,
        url=url,
        fields=dict(fields or {}),
        site_hint=site_hint,
        fetched_at=fetched_at,
        charset=charset,
    )


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(mime type, charset) of a Content-Type header value, lower-cased; None when absent."""
    if not value:
        return None, None
    head, *params = value.split(";")
    mime = head.strip().lower()
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return (mime if "/" in mime else None), charset
