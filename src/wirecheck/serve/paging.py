"""Opaque pagination cursors: ``?after=CURSOR&limit=N`` in, ``{"items": [...], "next": CURSOR}`` out.

A cursor is URL-safe base64 of a small JSON object. Clients must treat it as opaque: it holds a
keyset position (``{"a": last id}``) where the store pages by key, or an offset (``{"o": 40}``)
where it pages by position, and which one may change between versions.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from wirecheck.errors import UsageError

T = TypeVar("T")
U = TypeVar("U")

# Offset paging re-reads the rows before the offset; past this many the server refuses and asks
# for filters instead, so one deep page cannot cost a full scan.
MAX_OFFSET = 10_000


def encode(position: dict[str, str | int]) -> str:
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str | None) -> dict[str, str | int]:
    """The position in ``cursor`` ({} for none); UsageError (400) for anything malformed."""
    if not cursor:
        return {}
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"malformed cursor {cursor[:40]!r}", hint="pass back a 'next' value"
        ) from exc
    if not isinstance(value, dict) or not value:
        raise UsageError(f"malformed cursor {cursor[:40]!r}", hint="pass back a 'next' value")
    out: dict[str, str | int] = {}
    for key, item in value.items():
        offset = key == "o" and isinstance(item, int) and not isinstance(item, bool) and item >= 0
        if offset or (key == "a" and isinstance(item, str) and item):
            out[key] = item
        else:
            raise UsageError(f"malformed cursor {cursor[:40]!r}", hint="pass back a 'next' value")
    return out


def offset_of(cursor: str | None) -> int:
    """The offset in an offset cursor (0 for none)."""
    position = decode(cursor)
    if "a" in position:
        raise UsageError("this listing pages by offset; pass back its own 'next' value")
    offset = int(position.get("o", 0))
    if offset > MAX_OFFSET:
        raise UsageError(
            f"page offset {offset} is past {MAX_OFFSET}",
            hint="narrow the listing with filters (dates, actor, type) instead of paging so deep",
        )
    return offset


def key_of(cursor: str | None) -> str | None:
    """The last key in a keyset cursor (None for none)."""
    position = decode(cursor)
    if "o" in position:
        raise UsageError("this listing pages by key; pass back its own 'next' value")
    key = position.get("a")
    return None if key is None else str(key)


def by_offset(
    fetch: Callable[[int], Sequence[T]], convert: Callable[[T], U], offset: int, limit: int
) -> tuple[list[U], str | None]:
    """A page from ``fetch(n)`` (the first n rows, in a stable order): the rows from ``offset``,
    and the next cursor if there are more. Fetches one row more than needed to know."""
    rows = fetch(offset + limit + 1)
    page = rows[offset : offset + limit]
    more = len(rows) > offset + limit
    return [convert(r) for r in page], encode({"o": offset + limit}) if more else None


def from_offset(
    rows: Sequence[T], convert: Callable[[T], U], offset: int, limit: int
) -> tuple[list[U], str | None]:
    """A page from ``rows`` fetched with limit+1 starting at ``offset``."""
    more = len(rows) > limit
    return [convert(r) for r in rows[:limit]], encode({"o": offset + limit}) if more else None


def by_key(
    rows: Sequence[T], convert: Callable[[T], U], key: Callable[[T], str], limit: int
) -> tuple[list[U], str | None]:
    """A page from ``rows`` fetched with limit+1 after a key: the next cursor is the last key."""
    page = list(rows[:limit])
    more = len(rows) > limit
    return [convert(r) for r in page], encode({"a": key(page[-1])}) if more and page else None
