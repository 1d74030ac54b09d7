"""Ingest of URLs: timeouts, size cap, redirects checked hop by hop, robots.txt, a real server."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from typing import ClassVar

import httpx
import pytest

from wirecheck.ingest import iter_documents
from wirecheck.ingest.fetch import blocked_reason
from wirecheck.models import Document, DocumentKind, Failure
from wirecheck.settings import Settings

SETTINGS = Settings()
PUBLIC = "93.184.216.34"
HOSTS = {
    "news.example": [PUBLIC],
    "other.example": ["2606:2800:220:1:248:1893:25c8:1946"],
    "intranet.example": ["10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "sneaky.example": [PUBLIC, "127.0.0.1"],  # one bad answer is enough to refuse
}
PAGE = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Story.</p></body></html>"


def resolver(host: str) -> list[str]:
    if host not in HOSTS:
        raise OSError(f"unknown host {host}")
    return HOSTS[host]


Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, handler: Handler, robots: bytes | int = 404) -> None:
        self.handler = handler
        self.robots = robots
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/robots.txt":
            if isinstance(self.robots, int):
                return httpx.Response(self.robots)
            return httpx.Response(200, content=self.robots)
        return self.handler(request)

    @property
    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]


def fetch(url: str, recorder: Recorder, settings: Settings = SETTINGS) -> list[Document | Failure]:
    return list(
        iter_documents(
            [url], settings=settings, transport=httpx.MockTransport(recorder), resolver=resolver
        )
    )


def html_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=PAGE, headers={"content-type": "text/html; charset=UTF-8"})


def test_fetch_a_page() -> None:
    rec = Recorder(html_page)
    (doc,) = fetch("https://news.example/world/story-1", rec)
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.HTML
    assert doc.input == doc.url == "https://news.example/world/story-1"
    assert doc.content == PAGE
    assert doc.charset == "utf-8"
    assert doc.site_hint == "news.example"
    assert doc.fetched_at is not None
    assert rec.urls == ["https://news.example/robots.txt", "https://news.example/world/story-1"]
    agent = rec.requests[-1].headers["user-agent"]
    assert agent == SETTINGS.fetch.user_agent
    assert agent.startswith("wirecheck/")


def test_fetched_jsonl_records_are_located_by_url_and_line() -> None:
    body = b'{"title": "A", "text": "Body A."}\n{"title": "B", "text": "Body B."}\n'
    rec = Recorder(lambda r: httpx.Response(200, content=body))
    items = fetch("https://news.example/export", rec)
    assert [i.input for i in items] == [
        "https://news.example/export:1",
        "https://news.example/export:2",
    ]


@pytest.mark.parametrize(
    ("exc", "code"),
    [(httpx.ReadTimeout, "WC201"), (httpx.ConnectTimeout, "WC201"), (httpx.ConnectError, "WC200")],
)
def test_network_errors(exc: type[httpx.TransportError], code: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    (item,) = fetch("https://news.example/slow", Recorder(handler))
    assert isinstance(item, Failure)
    assert (item.input, item.stage, item.code) == ("https://news.example/slow", "ingest", code)


def test_redirect_to_a_private_address_is_refused_before_connecting() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"location": "http://intranet.example/admin"})
        return httpx.Response(200, content=b"internal secrets")

    rec = Recorder(handler)
    (item,) = fetch("https://news.example/story", rec)
    assert isinstance(item, Failure)
    assert item.code == "WC202"
    assert "10.1.2.3" in item.message
    assert all(r.url.host != "intranet.example" for r in rec.requests)


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:8080/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://metadata.example/latest/meta-data/",
        "http://sneaky.example/",
        "file:///etc/passwd",
    ],
)
def test_every_redirect_hop_is_checked(location: str) -> None:
    hops = iter(
        [
            httpx.Response(301, headers={"location": "https://other.example/moved"}),
            httpx.Response(307, headers={"location": location}),
        ]
    )
    rec = Recorder(lambda r: next(hops))
    (item,) = fetch("https://news.example/a", rec)
    assert isinstance(item, Failure)
    assert item.code == "WC202"
    assert [r.url.path for r in rec.requests if r.url.path != "/robots.txt"] == ["/a", "/moved"]


def test_private_target_allowed_when_the_setting_is_on() -> None:
    rec = Recorder(html_page)
    allow = SETTINGS.replace({"fetch": {"allow_private": True}})
    (doc,) = fetch("http://intranet.example/page", rec, allow)
    assert isinstance(doc, Document)


def test_redirects_are_followed_and_capped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        step = int(request.url.path.strip("/") or 0)
        if step < 3:
            return httpx.Response(302, headers={"location": f"/{step + 1}"})
        return html_page(request)

    (doc,) = fetch("https://news.example/0", Recorder(handler))
    assert isinstance(doc, Document)
    assert doc.input == "https://news.example/0"
    assert doc.url == "https://news.example/3"

    tight = SETTINGS.replace({"fetch": {"max_redirects": 2}})
    (item,) = fetch("https://news.example/0", Recorder(handler), tight)
    assert isinstance(item, Failure)
    assert item.code == "WC200"
    assert "redirects" in item.message


def test_http_error_status() -> None:
    (item,) = fetch("https://news.example/gone", Recorder(lambda r: httpx.Response(410)))
    assert isinstance(item, Failure)
    assert item.code == "WC204"
    assert "410" in item.message


GIB = 1024**3


def _endless(produced: list[int], total: int, chunk: int = 1024 * 1024) -> Iterator[bytes]:
    block = b"x" * chunk
    for _ in range(total // chunk):
        produced.append(chunk)
        yield block


def test_a_5gb_response_is_cut_at_the_cap() -> None:
    produced: list[int] = []
    rec = Recorder(lambda r: httpx.Response(200, content=_endless(produced, 5 * GIB)))
    started = time.monotonic()
    (item,) = fetch("https://news.example/huge", rec)
    assert isinstance(item, Failure)
    assert item.code == "WC103"
    assert "stopped reading" in item.message
    # read one chunk past the 10 MB cap and stopped: nowhere near 5 GB was produced
    assert sum(produced) <= SETTINGS.fetch.max_bytes + 2 * 1024 * 1024
    assert time.monotonic() - started < 10


def test_a_declared_5gb_response_is_refused_unread() -> None:
    produced: list[int] = []
    rec = Recorder(
        lambda r: httpx.Response(
            200, content=_endless(produced, 5 * GIB), headers={"content-length": str(5 * GIB)}
        )
    )
    (item,) = fetch("https://news.example/huge", rec)
    assert isinstance(item, Failure)
    assert item.code == "WC103"
    assert produced == []


ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: wirecheck\nDisallow: /no-bots/\n"


def test_robots_txt_disallow() -> None:
    rec = Recorder(html_page, robots=ROBOTS)
    transport = httpx.MockTransport(rec)
    urls = [
        "https://news.example/no-bots/story",
        "https://news.example/open/story",
        "https://news.example/private/story",
    ]
    items = list(iter_documents(urls, settings=SETTINGS, transport=transport, resolver=resolver))
    no_bots, open_page, private = items
    assert isinstance(no_bots, Failure)
    assert no_bots.code == "WC203"
    assert isinstance(open_page, Document)
    # the wirecheck group applies, so the "*" group's /private/ rule does not
    assert isinstance(private, Document)
    # robots.txt was fetched once for the origin, and the disallowed page never
    assert rec.urls.count("https://news.example/robots.txt") == 1
    assert "https://news.example/no-bots/story" not in rec.urls


def test_robots_can_be_ignored_by_setting() -> None:
    rec = Recorder(html_page, robots=b"User-agent: *\nDisallow: /\n")
    (item,) = fetch("https://news.example/a", rec)
    assert isinstance(item, Failure)
    assert item.code == "WC203"
    ignore = SETTINGS.replace({"fetch": {"respect_robots": False}})
    rec2 = Recorder(html_page, robots=b"User-agent: *\nDisallow: /\n")
    (doc,) = fetch("https://news.example/a", rec2, ignore)
    assert isinstance(doc, Document)
    assert rec2.urls == ["https://news.example/a"]


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (403, False), (503, False)]
)
def test_robots_status_rules(status: int, allowed: bool) -> None:
    (item,) = fetch("https://news.example/a", Recorder(html_page, robots=status))
    assert isinstance(item, Document) is allowed


def test_blocked_reason() -> None:
    assert blocked_reason("8.8.8.8") is None
    assert blocked_reason("2606:4700:4700::1111") is None
    assert blocked_reason("127.0.0.1") == "loopback"
    assert blocked_reason("10.0.0.1") == "private"
    assert blocked_reason("fe80::1%eth0") == "link-local"
    assert blocked_reason("::ffff:192.168.1.1") == "private"
    assert blocked_reason("0.0.0.0") is not None
    assert blocked_reason("100.64.0.1") is not None  # carrier-grade NAT
    assert blocked_reason("224.0.0.1") is not None


def test_unresolvable_host() -> None:
    (item,) = fetch("https://nowhere.example/", Recorder(html_page))
    assert isinstance(item, Failure)
    assert item.code == "WC200"


# --- a real local server ---------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes, str]]] = {
        "/robots.txt": (200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/article.html": (200, PAGE, "text/html; charset=iso-8859-1"),
        "/moved": (301, b"", "text/plain"),
    }

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        status, body, ctype = self.routes.get(self.path, (404, b"not found", "text/plain"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if status == 301:
            self.send_header("Location", "/article.html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture
def local_server() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_end_to_end_fetch_from_a_local_server(local_server: str) -> None:
    allow = SETTINGS.replace({"fetch": {"allow_private": True}})
    urls = [f"{local_server}/moved", f"{local_server}/private/x", f"{local_server}/missing"]
    page, private, missing = iter_documents(urls, settings=allow)
    assert isinstance(page, Document)
    assert page.kind is DocumentKind.HTML
    assert page.content == PAGE
    assert page.charset == "iso-8859-1"
    assert page.input == f"{local_server}/moved"
    assert page.url == f"{local_server}/article.html"
    assert page.site_hint == "127.0.0.1"
    assert isinstance(private, Failure)
    assert private.code == "WC203"
    assert isinstance(missing, Failure)
    assert missing.code == "WC204"


def test_local_server_refused_without_the_setting(local_server: str) -> None:
    (item,) = iter_documents([f"{local_server}/article.html"], settings=SETTINGS)
    assert isinstance(item, Failure)
    assert item.code == "WC202"


def test_real_read_timeout(local_server: str) -> None:
    fast = SETTINGS.replace({"fetch": {"allow_private": True, "read_timeout": 0.3}})
    started = time.monotonic()
    (item,) = iter_documents([f"{local_server}/slow"], settings=fast)
    assert isinstance(item, Failure)
    assert item.code == "WC201"
    assert time.monotonic() - started < 1.4
