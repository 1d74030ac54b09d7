"""Decide what a blob of bytes is by looking at it, not at its name.

Everything here works on bytes: decoding is the cleaner's job, and a Latin-1 or cp1252 file must
sniff as text just like a UTF-8 one. Only the head of the input is inspected for binary content
and markup, so sniffing a 20 MB file costs the same as sniffing a small one.
"""

from __future__ import annotations

import enum
import json
import re

from wirecheck.errors import BinaryInput, EmptyInput, UnsupportedFormat


class Format(enum.StrEnum):
    TEXT = "text"
    HTML = "html"
    JSON = "json"  # one JSON document: an array of records or a single record
    JSONL = "jsonl"  # one JSON object per line
    WARC = "warc"
    FEED = "feed"  # RSS or Atom


GZIP_MAGIC = b"\x1f\x8b"
GZIP_MEMBER = b"\x1f\x8b\x08"  # magic + deflate: where a gzip member can start

# How much of the input the binary and markup checks look at.
HEAD_BYTES = 65_536

# Share of control bytes (other than tab, newline, carriage return, form feed) above which a blob is
# binary. Not tuned on a corpus: real text, whatever its 8-bit encoding, has ~0% of them, while
# uniformly random bytes have 30/256 = 11.7%; 5% sits well clear of both.
CONTROL_SHARE_MAX = 0.05

_BOMS_WIDE = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

# Formats that are not text at all: a clearer message than "binary".
_MAGIC: tuple[tuple[bytes, str, bool], ...] = (
    # (prefix, name, is_archive: archives get UnsupportedFormat, documents get BinaryInput)
    (b"%PDF-", "PDF", False),
    (b"\x89PNG\r\n\x1a\n", "PNG image", False),
    (b"\xff\xd8\xff", "JPEG image", False),
    (b"GIF87a", "GIF image", False),
    (b"GIF89a", "GIF image", False),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)", True),
    (b"BZh", "bzip2 archive", True),
    (b"\xfd7zXZ\x00", "xz archive", True),
    (b"\x28\xb5\x2f\xfd", "zstd archive", True),
    (b"7z\xbc\xaf\x27\x1c", "7z archive", True),
    (b"\x7fELF", "executable", False),
)

_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"

# Leading XML declaration, comments, doctype and processing instructions before the root element.
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<![^>]*>|\s)*", re.DOTALL)
_ROOT_TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9:_.-]*)")
_HTML_TAGS = re.compile(
    rb"<\s*/?\s*(?:html|head|body|div|p|span|a|br|hr|h[1-6]|ul|ol|li|table|tr|td|article|"
    rb"section|header|footer|nav|main|aside|script|style|meta|link|img|title|strong|em|b|i|"
    rb"figure|figcaption|time|form|input|button|iframe|noscript)\b[^>]{0,2000}>",
    re.IGNORECASE,
)
_HTML_STRONG = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
# Markup-tag count (in the head) above which text with no <html>/<body> is an HTML fragment. Not
# tuned: scraped plain text has none at all, and even a bare fragment of two paragraphs has four.
MIN_HTML_TAGS = 4
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"rdf"}
_WARC_START = re.compile(rb"\s*WARC/1\.\d+\r?\n")
# A WARC whose first record is damaged still shows a record header further on.
_WARC_HEADER = re.compile(
    rb"(?:^|\n)WARC/1\.\d+\r\n(?:[^\r\n]{0,500}\r\n){0,30}?WARC-(?:Type|Record-ID):"
)
# How many leading lines of a `{`-initial file are tried as JSON objects before calling it text.
_JSONL_PROBE_LINES = 20


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def has_gzip_member(data: bytes) -> bool:
    """True when a gzip member header appears early: a .gz whose first bytes are damaged."""
    return GZIP_MEMBER in data[:HEAD_BYTES]


def strip_bom(data: bytes) -> bytes:
    return data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data


def _wide_text_head(data: bytes) -> str | None:
    """The decoded head of a UTF-16/32 file with a BOM (whose NUL bytes are not binary)."""
    for bom, codec in zip(_BOMS_WIDE, ("utf-32", "utf-32", "utf-16", "utf-16"), strict=True):
        if data.startswith(bom):
            return data[:HEAD_BYTES].decode(codec, errors="replace")
    return None


def check_binary(data: bytes) -> None:
    """Raise BinaryInput/UnsupportedFormat if the head of ``data`` is not text of any encoding."""
    for prefix, name, is_archive in _MAGIC:
        if data.startswith(prefix):
            if is_archive:
                raise UnsupportedFormat(f"input is a {name}; decompress it first")
            raise BinaryInput(f"input is a {name}, not text")
    head = data[:HEAD_BYTES]
    if b"\0" in head:
        raise BinaryInput("input contains NUL bytes: it is binary, not text")
    controls = len(head) - len(head.translate(None, _CONTROL))
    if head and controls / len(head) > CONTROL_SHARE_MAX:
        share = 100 * controls / len(head)
        raise BinaryInput(f"{share:.0f}% of the input's first bytes are control characters")


def looks_html(data: bytes) -> bool:
    """True when the head of ``data`` is an HTML page or a fragment with enough markup."""
    head = data[:HEAD_BYTES]
    if _HTML_STRONG.search(head):
        return True
    return len(_HTML_TAGS.findall(head, 0, HEAD_BYTES)) >= MIN_HTML_TAGS


def _root_tag(head: bytes) -> bytes | None:
    match = _PROLOGUE.match(head)
    start = match.end() if match else 0
    root = _ROOT_TAG.match(head, start)
    return root.group(1).lower() if root else None


def decode_json(raw: bytes) -> str:
    """JSON text from bytes: UTF-8 as the standard says, else cp1252 (Windows crawlers write it).

    A record is never failed for its encoding alone; cp1252 can stand in for Latin-1 here.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(decode_json(line)), dict)
    except (ValueError, RecursionError):
        return False


def _sniff_json(body: bytes) -> Format | None:
    if body.startswith(b"["):
        # "[Updated] Ministers meet..." is scraped text; an array of records opens "[{" or "[]".
        rest = body[1:].lstrip()
        return Format.JSON if rest[:1] in (b"{", b"]") else None
    if not body.startswith(b"{"):
        return None
    lines = [ln for ln in body.split(b"\n", _JSONL_PROBE_LINES)[:_JSONL_PROBE_LINES] if ln.strip()]
    if any(_is_json_object(ln) for ln in lines):
        return Format.JSONL
    if _is_json_object(body):  # one pretty-printed object
        return Format.JSON
    return None


def sniff(data: bytes) -> Format:
    """The format of ``data`` (already decompressed).

    Raises EmptyInput for nothing but whitespace, BinaryInput/UnsupportedFormat for non-text.
    """
    if not data[:HEAD_BYTES].strip() and not data.strip():  # head first: no 20 MB copy
        raise EmptyInput("input is empty")
    if _WARC_START.match(data[:64]) or _WARC_HEADER.search(data, 0, HEAD_BYTES):
        return Format.WARC  # WARC payloads may be binary: check before the binary test
    wide = _wide_text_head(data)
    if wide is not None:
        if not wide.lstrip("\ufeff").strip():
            raise EmptyInput("input is empty")
        return Format.HTML if looks_html(wide.encode("utf-8")) else Format.TEXT
    check_binary(data)
    body = strip_bom(data).lstrip()
    if not body:
        raise EmptyInput("input is empty")
    as_json = _sniff_json(body)
    if as_json is not None:
        return as_json
    if body.startswith(b"<"):
        root = _root_tag(body[:HEAD_BYTES])
        if root in _FEED_ROOTS:
            return Format.FEED
        if root == b"html":
            return Format.HTML
    return Format.HTML if looks_html(body) else Format.TEXT
