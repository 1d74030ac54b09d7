"""Ingest of record containers: JSONL/JSON, WARC/WARC.gz and RSS/Atom feeds."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wirecheck.ingest import content_id, iter_documents
from wirecheck.models import Document, DocumentKind, Failure
from wirecheck.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
SETTINGS = Settings()
FIELD_KEYS = {"title", "text", "url", "published", "site", "authors", "language"}


def run(
    *inputs: str | Path,
    settings: Settings = SETTINGS,
    transport: httpx.BaseTransport | None = None,
    resolver: Callable[[str], list[str]] | None = None,
) -> list[Document | Failure]:
    paths = [str(i) for i in inputs]
    return list(iter_documents(paths, settings=settings, transport=transport, resolver=resolver))


def docs(items: Sequence[Document | Failure]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def fails(items: Sequence[Document | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


# --- JSONL / JSON ----------------------------------------------------------------------------


def test_newsplease_jsonl_with_a_malformed_line() -> None:
    path = FIXTURES / "newsplease.jsonl"
    items = run(path)
    (bad,) = fails(items)
    assert bad.input == f"{path}:3"
    assert bad.code == "WC108"
    assert "line 3" in bad.message
    first, second, fourth = docs(items)
    assert [d.input for d in (first, second, fourth)] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert all(d.kind is DocumentKind.RECORD for d in (first, second, fourth))
    assert set(first.fields) == FIELD_KEYS
    assert first.fields == {
        "title": "Ferry service to Ostrin resumes",
        "text": "The ferry service to Ostrin resumed on Friday after a two-day strike ended, "
        "the operator said.",
        "url": "https://portal.example/ferry-ostrin",
        "published": "2031-05-02 10:15:00",
        "site": "portal.example",
        "authors": ["Lena Varga"],
        "language": "en",
    }
    assert first.url == "https://portal.example/ferry-ostrin"
    assert first.site_hint == "portal.example"
    original = json.loads(path.read_text().splitlines()[0])
    assert first.content == json.dumps(original, sort_keys=True).encode()
    assert first.id == content_id(first.content, first.url)
    # plain title/text/url/date records
    assert second.fields["text"].startswith("Farmers in the Kessel valley")
    assert second.fields["published"] == "2031-05-03"
    assert second.fields["site"] == "valley.example"  # from the URL when no source_domain
    assert second.fields["authors"] == []
    assert fourth.fields["authors"] == ["Tomas Reyl"]


def test_jsonl_record_whose_body_is_html_becomes_html(tmp_path: Path) -> None:
    html = "<html><body><h1>Title</h1><p>One.</p><p>Two.</p></body></html>"
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        json.dumps({"title": "Title", "maintext": html, "url": "https://h.example/a"})
        + "\n"
        + json.dumps({"url": "https://h.example/b", "html": html})
        + "\n"
    )
    first, second = run(path)
    for doc in (first, second):
        assert isinstance(doc, Document)
        assert doc.kind is DocumentKind.HTML
        assert doc.content == html.encode()
        assert doc.charset == "utf-8"
        assert doc.site_hint == "h.example"
    assert isinstance(first, Document)
    assert first.fields["title"] == "Title"


def test_jsonl_bad_records_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"title": "No body here"}\n'
        "[1, 2, 3]\n"
        "\n"
        '{"title": "Good", "text": "A good body."}\n'
        '{"title": "Nested", "text": ' + "[" * 5000 + "\n"
    )
    items = run(path)
    assert [(i.input, type(i).__name__) for i in items] == [
        (f"{path}:1", "Failure"),
        (f"{path}:2", "Failure"),
        (f"{path}:4", "Document"),
        (f"{path}:5", "Failure"),
    ]
    assert {f.code for f in fails(items)} == {"WC108"}
    assert "no article text" in fails(items)[0].message


def test_jsonl_in_cp1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "win.jsonl"
    path.write_bytes('{"title": "Café crème", "text": "Prices rose – again."}\n'.encode("cp1252"))
    (doc,) = run(path)
    assert isinstance(doc, Document)
    assert doc.fields["title"] == "Café crème"
    assert doc.fields["text"] == "Prices rose – again."


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(
        json.dumps(
            [
                {"title": "A", "text": "Body A.", "url": "https://a.example/1"},
                "not a record",
                {"title": "B", "text": "Body B."},
            ],
            indent=2,
        )
    )
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"title": "C", "maintext": "Body C."}, indent=2))
    items = run(array, single)
    assert [(i.input, type(i).__name__) for i in items] == [
        (f"{array}#1", "Document"),
        (f"{array}#2", "Failure"),
        (f"{array}#3", "Document"),
        (str(single), "Document"),
    ]
    assert docs(items)[2].fields["text"] == "Body C."


def test_malformed_json_array_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"title": "A", "text": "x"},\n  {"title": oops}\n]\n')
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.input == f"{path}:3"
    assert item.code == "WC108"


def test_max_records_stops_reading(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"title": "T{n}", "text": "Body {n}."}}\n' for n in range(10)))
    capped = SETTINGS.replace({"ingest": {"max_records": 3}})
    assert len(run(path, settings=capped)) == 3


# --- WARC ------------------------------------------------------------------------------------


def _warc(pages: Sequence[tuple[str, bytes, str]], *, gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, body, ctype in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


PAGES = [
    ("https://one.example/a", b"<html><body><p>First page.</p></body></html>", "text/html"),
    (
        "https://two.example/b",
        b"<html><body><p>Second.</p></body></html>",
        "text/html; charset=ISO-8859-1",
    ),
    ("https://three.example/c", b"<html><body><p>Third.</p></body></html>", "text/html"),
]


def _record_ids(blob: bytes) -> list[str]:
    return [
        line.split(b":", 1)[1].strip().strip(b"<>").decode()
        for line in blob.split(b"\r\n")
        if line.startswith(b"WARC-Record-ID:")
    ]


def test_warc_html_responses(tmp_path: Path) -> None:
    blob = _warc(PAGES, gz=False)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    # records that hold no page: a PNG response, a 404 page and a request record
    png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://one.example/x.png",
            "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n\0\0"),
            http_headers=png,
        )
    )
    missing = StatusAndHeaders(
        "404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://one.example/gone",
            "response",
            payload=io.BytesIO(b"<html>gone</html>"),
            http_headers=missing,
        )
    )
    path = tmp_path / "crawl.warc"
    path.write_bytes(blob + buf.getvalue())
    items = run(path)
    assert not fails(items)
    ids = _record_ids(blob)
    assert [d.input for d in docs(items)] == [f"{path}#{rid}" for rid in ids]
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES]
    assert [d.charset for d in docs(items)] == [None, "iso-8859-1", None]
    assert [d.content for d in docs(items)] == [p[1] for p in PAGES]
    assert all(d.kind is DocumentKind.HTML for d in docs(items))
    assert docs(items)[0].site_hint == "one.example"
    assert docs(items)[0].fetched_at is not None


def test_warc_with_a_garbage_record_between_good_ones(tmp_path: Path) -> None:
    first = _warc(PAGES[:1], gz=False)
    rest = _warc(PAGES[1:], gz=False)
    garbage = b"this is not a WARC record at all\r\nX: y\r\n\r\n\x00\x01\x02 junk\r\n\r\n"
    path = tmp_path / "damaged.warc"
    path.write_bytes(first + garbage + rest)
    items = run(path)
    assert [type(i).__name__ for i in items] == ["Document", "Failure", "Document", "Document"]
    (bad,) = fails(items)
    assert bad.code == "WC108"
    assert bad.input == f"{path}#offset={len(first)}"
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES]


def test_warc_record_with_a_lying_content_length(tmp_path: Path) -> None:
    first = _warc(PAGES[:1], gz=False)
    rest = _warc(PAGES[1:], gz=False)
    liar = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nshort\r\n\r\n"
    path = tmp_path / "liar.warc"
    path.write_bytes(first + liar + rest)
    items = run(path)
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES]
    assert [f.code for f in fails(items)] == ["WC108"]


def test_warc_gz_with_a_garbage_member_between_good_ones(tmp_path: Path) -> None:
    first = _warc(PAGES[:1], gz=True)
    rest = _warc(PAGES[1:], gz=True)
    garbage_member = gzip.compress(b"garbage that is not a WARC record\r\n\r\n")
    broken_member = b"\x1f\x8b\x08\x00garbled-deflate-stream"
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(first + garbage_member + broken_member + rest)
    items = run(path)
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES]
    assert sorted(f.code for f in fails(items)) == ["WC107", "WC108"]


def test_truncated_warc_gz_keeps_records_before_the_damage(tmp_path: Path) -> None:
    blob = _warc(PAGES, gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(blob[:-25])  # inside the last record's gzip member
    items = run(path)
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES[:2]]
    (bad,) = fails(items)
    assert bad.code == "WC107"
    assert bad.input == str(path)


def test_truncated_plain_warc(tmp_path: Path) -> None:
    blob = _warc(PAGES, gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(blob[:-40])
    items = run(path)
    assert [d.url for d in docs(items)] == [p[0] for p in PAGES[:2]]
    assert [f.code for f in fails(items)] == ["WC107"]


def test_warc_ids_are_stable_across_archives(tmp_path: Path) -> None:
    (tmp_path / "a.warc").write_bytes(_warc(PAGES, gz=False))
    (tmp_path / "b.warc.gz").write_bytes(_warc(PAGES, gz=True))
    items = docs(run(tmp_path))
    assert [d.id for d in items[:3]] == [d.id for d in items[3:]]


# --- feeds -----------------------------------------------------------------------------------


def test_rss_feed_items_become_records() -> None:
    path = FIXTURES / "feed.rss"
    storm, marathon = run(path)
    assert isinstance(storm, Document)
    assert isinstance(marathon, Document)
    assert storm.kind is DocumentKind.RECORD
    assert storm.input == f"{path}#https://daily.example/?p=101"
    assert marathon.input == f"{path}#https://daily.example/marathon"
    assert storm.fields["title"] == "Storm closes Velmora port"
    assert (
        storm.fields["text"]
        == "A storm closed the Velmora port on Monday.\nShips were told to wait offshore."
    )
    assert storm.fields["url"] == "https://daily.example/storm-port"
    assert storm.fields["published"] == "2031-05-05T06:00:00Z"
    assert storm.fields["site"] == "daily.example"
    assert storm.fields["language"] == "en"
    assert storm.site_hint == "daily.example"
    assert set(storm.fields) == FIELD_KEYS
    assert json.loads(storm.content)["title"] == "Storm closes Velmora port"


def test_atom_feed_item() -> None:
    (item,) = run(FIXTURES / "feed.atom")
    assert isinstance(item, Document)
    assert item.fields["title"] == "Valley reservoir at lowest level in a decade"
    assert item.fields["text"] == "The Kessel reservoir fell to 31 percent of capacity."
    assert item.fields["authors"] == ["Iris Pell"]
    assert item.fields["published"] == "2031-05-06T09:00:00Z"


def test_feed_links_are_fetched_only_when_enabled() -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/storm-port":
            page = b"<html><body><h1>Storm</h1><p>Full story.</p></body></html>"
            return httpx.Response(200, content=page, headers={"content-type": "text/html"})
        return httpx.Response(500)

    transport = httpx.MockTransport(handler)

    def resolver(host: str) -> list[str]:
        return ["93.184.216.34"]  # a public address: no DNS in tests

    path = FIXTURES / "feed.rss"
    off = run(path, transport=transport, resolver=resolver)
    assert requested == []
    assert all(isinstance(i, Document) and i.kind is DocumentKind.RECORD for i in off)

    enabled = SETTINGS.replace({"fetch": {"enabled": True}})
    items = run(path, settings=enabled, transport=transport, resolver=resolver)
    page, failed, fallback = items
    assert isinstance(page, Document)
    assert page.kind is DocumentKind.HTML
    assert page.input == page.url == "https://daily.example/storm-port"
    assert page.fields["title"] == "Storm closes Velmora port"  # the item's fields as hints
    assert page.fields["text"] is None
    assert requested[0] == "https://daily.example/robots.txt"
    assert isinstance(failed, Failure)
    assert (failed.input, failed.code) == ("https://daily.example/marathon", "WC204")
    assert isinstance(fallback, Document)  # the item is kept when its page cannot be fetched
    assert fallback.kind is DocumentKind.RECORD
    assert fallback.fields["title"] == "Velmora marathon draws record field"


def test_feed_without_items(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.code == "WC104"


@hyp_settings(max_examples=150, deadline=None)
@given(
    gz=st.booleans(),
    cut=st.integers(min_value=0, max_value=5000),
    at=st.integers(min_value=0, max_value=5000),
    junk=st.binary(max_size=200),
)
def test_fuzz_damaged_warc(gz: bool, cut: int, at: int, junk: bytes) -> None:
    """Garbage spliced into and bytes cut from a real WARC: only Documents and Failures come out,
    and every page whose record is untouched is still found."""
    blob = _warc(PAGES, gz=gz)
    at = min(at, len(blob))
    damaged = blob[:at] + junk + blob[at:][cut % 64 :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "f.warc.gz" if gz else "f.warc")
        path.write_bytes(damaged)
        items = run(path)
    for item in items:
        assert isinstance(item, Document | Failure)
        if isinstance(item, Failure):
            assert item.code != "WC900", item.message
    if not junk and cut % 64 == 0:
        assert [d.url for d in docs(items)] == [p[0] for p in PAGES]
    elif at == 0 or at >= len(blob):
        # damage at either end leaves every record in the middle intact
        assert PAGES[1][0] in [d.url for d in docs(items)]
