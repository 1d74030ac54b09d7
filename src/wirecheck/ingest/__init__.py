"""Ingest: files, directories and URLs in, Documents (raw bytes + where they came from) out.

One module per input kind, all reached through :func:`iter_documents`:

- ``sniff``: what the bytes are (text, HTML, JSON/JSONL, WARC, feed), by content, not by name
- ``files``: walking directories, reading under a size cap, gzip with damage reports
- ``jsonl``: crawler records (news-please and plain title/text/url/date)
- ``warc``: WARC / WARC.gz response records (warcio)
- ``feeds``: RSS/Atom items (feedparser)
- ``fetch``: URLs (httpx) with timeouts, a size cap, robots.txt and no private targets
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import httpx

from wirecheck.ingest.common import content_id
from wirecheck.ingest.dispatch import Ingestor
from wirecheck.models import Document, Failure
from wirecheck.settings import Settings

__all__ = ["content_id", "iter_documents"]


def iter_documents(
    inputs: Sequence[str],
    *,
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    resolver: Callable[[str], list[str]] | None = None,
) -> Iterator[Document | Failure]:
    """Every Document found in ``inputs`` and a Failure for every input or record that failed.

    ``inputs`` are paths (files, or directories walked recursively in sorted order, hidden
    entries skipped) or http(s) URLs. A failure never stops the batch: a bad JSONL line or WARC
    record fails alone and the rest of its file still comes through. ``transport`` and
    ``resolver`` replace the network and DNS (tests); by default httpx's and the system's.
    """
    ingestor = Ingestor(settings, transport=transport, resolver=resolver)
    try:
        yield from ingestor.run(inputs)
    finally:
        ingestor.close()
