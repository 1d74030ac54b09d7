"""The sniffer decides by content; a fuzz test checks it and iter_documents never crash."""

from __future__ import annotations

import contextlib
import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck.errors import BinaryInput, EmptyInput, UnsupportedFormat, WirecheckError
from wirecheck.ingest import iter_documents
from wirecheck.ingest.sniff import Format, sniff
from wirecheck.models import Document, Failure
from wirecheck.settings import Settings


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Harbour bridge reopens\nThe bridge reopened on Monday.\n", Format.TEXT),
        ("Café reopens\nThe café reopened, señor.\n".encode("latin-1"), Format.TEXT),
        ("Prices rose – again…\n".encode("cp1252"), Format.TEXT),
        (b"[Updated] Ministers meet\nThe ministers met on Friday.\n", Format.TEXT),
        (b"{{title}} placeholder left by a template\nBody text.\n", Format.TEXT),
        (b"Use <b> for bold.\nThat is all.\n", Format.TEXT),
        (b"<!DOCTYPE html><title>x</title>", Format.HTML),
        (b"\xef\xbb\xbf  <html><body>x</body></html>", Format.HTML),
        (b"<div><p>One paragraph.</p><p>Two.</p></div>", Format.HTML),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="x"><body/></html>', Format.HTML),
        (b'<?xml version="1.0"?>\n<!-- c -->\n<rss version="2.0"><channel/></rss>', Format.FEED),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', Format.FEED),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', Format.FEED),
        (b'{"title": "a", "text": "b"}\n{"title": "c"}\n', Format.JSONL),
        (b'{"title": broken\n{"title": "ok"}\n', Format.JSONL),
        (b'{\n  "title": "a",\n  "text": "b"\n}\n', Format.JSON),
        (b'[\n {"title": "a"}\n]', Format.JSON),
        (b"[]", Format.JSON),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", Format.WARC),
        (b"WARC/1.1\r\nWARC-Type: response\r\n\r\n\x00\x01binary payload", Format.WARC),
        ("UTF-16 text\nwith a BOM\n".encode("utf-16"), Format.TEXT),
        ("<html><body>UTF-16</body></html>".encode("utf-16"), Format.HTML),
    ],
)
def test_sniff(data: bytes, expected: Format) -> None:
    assert sniff(data) is expected


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInput),
        (b" \r\n\t", EmptyInput),
        (b"\x00\x00\x00\x00", BinaryInput),
        (b"text\x01\x02\x03\x04\x05\x06\x07\x08 more", BinaryInput),
        (b"%PDF-1.4\n", BinaryInput),
        (b"\x89PNG\r\n\x1a\n....", BinaryInput),
        (b"PK\x03\x04rest-of-zip", UnsupportedFormat),
        (b"BZh91AY&SY", UnsupportedFormat),
    ],
)
def test_sniff_rejects(data: bytes, error: type[WirecheckError]) -> None:
    with pytest.raises(error):
        sniff(data)


# Fragments that steer random input into every branch of the sniffer and the readers.
FRAGMENTS = st.sampled_from(
    [
        b"<html>", b"<body>", b"<p>", b"</p>", b"<?xml version='1.0'?>", b"<rss>", b"<item>",
        b"<title>", b"<link>http://x.example/</link>", b"<feed xmlns='http://www.w3.org/2005/Atom'>",
        b"<entry>", b"{", b"}", b"[", b"]", b'"title": ', b'"text": ', b'"url": ', b'"x"', b",",
        b"\n", b"\r\n", b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"Content-Length: 5\r\n",
        b"WARC-Target-URI: http://x.example/\r\n", b"HTTP/1.1 200 OK\r\n",
        b"Content-Type: text/html\r\n", b"\x1f\x8b\x08", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
        b"caf\xe9 ", b"plain words ", b"&amp;", b"\xe2\x80\x9c",
    ]
)  # fmt: skip
BLOBS = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(FRAGMENTS, st.binary(max_size=20)), max_size=60).map(b"".join),
)


@settings(max_examples=300, deadline=None)
@given(BLOBS)
def test_fuzz_sniffer_raises_only_wirecheck_errors(data: bytes) -> None:
    with contextlib.suppress(WirecheckError):
        assert isinstance(sniff(data), Format)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(BLOBS, st.booleans()), min_size=1, max_size=4))
def test_fuzz_iter_documents_yields_only_documents_and_failures(
    files: list[tuple[bytes, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n, (data, compress) in enumerate(files):
            name = f"f{n}.gz" if compress else f"f{n}.txt"
            Path(tmp, name).write_bytes(gzip.compress(data) if compress else data)
        items = list(iter_documents([tmp], settings=Settings()))
    assert items
    for item in items:
        assert isinstance(item, Document | Failure)
        if isinstance(item, Failure):
            assert item.stage == "ingest"
            # WC900 is the catch-all for an unexpected exception: the fuzz must never see it
            assert item.code != "WC900", item.message
            assert item.code.startswith("WC")
        else:
            assert item.content
            assert len(item.id) == 16
