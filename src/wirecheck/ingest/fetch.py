"""Fetching URLs with httpx: timeouts, a size cap, robots.txt, and no private targets.

Redirects are followed by hand so that EVERY hop is checked: its scheme, the addresses its host
resolves to (no private, loopback, link-local or reserved target unless fetch.allow_private), and
robots.txt of its origin. The transport and the resolver are injectable, so tests need no network.

Known limit: the address check resolves the host itself and httpx resolves it again to connect,
so a DNS server that answers differently the second time (DNS rebinding) is not caught.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.robotparser import RobotFileParser

import httpx

from wirecheck.errors import (
    FetchBlocked,
    FetchDisallowed,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
    InputTooLarge,
)
from wirecheck.ingest.common import parse_content_type
from wirecheck.settings import FetchSettings

Resolver = Callable[[str], list[str]]

_REDIRECTS = {301, 302, 303, 307, 308}
# RFC 9309 asks crawlers to parse at least 500 KiB of robots.txt; bigger files are not robots
# files anyone wrote by hand, so we stop there and treat the site as having none.
_ROBOTS_MAX_BYTES = 512 * 1024
# A server may trickle bytes just often enough to never trip the read timeout. Whole responses
# must therefore finish within this many read timeouts (a guess, not tuned: 4 x 15 s by default
# is far more than a 10 MB page needs on any working link).
_TOTAL_READ_TIMEOUTS = 4


def system_resolver(host: str) -> list[str]:
    """The addresses ``host`` resolves to, through the system resolver."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def blocked_reason(address: str) -> str | None:
    """Why a connection to ``address`` is refused by default, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Most specific first: Python counts loopback and link-local as "private" too.
    for attr in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{attr}"):
            return attr.replace("_", "-")
    if not ip.is_global:
        return "non-public"
    return None


@dataclass(frozen=True)
class Page:
    """A fetched response body and what the server said about it."""

    requested: str
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    fetched_at: dt.datetime


class Fetcher:
    """One httpx client, its robots.txt cache and the target checks; close it when done."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._resolver = resolver or system_resolver
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.connect_timeout,
        )
        # trust_env=False: an HTTP(S)_PROXY from the environment would connect on our behalf
        # and so bypass the address checks below.
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
            trust_env=False,
        )
        self._robots: dict[str, RobotFileParser] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> Page:
        """The body of ``url`` (status 2xx), or a FetchError / InputTooLarge saying why not."""
        page = self._request(
            url, max_bytes=self.settings.max_bytes, robots=self.settings.respect_robots
        )
        if not 200 <= page.status < 300:
            raise FetchHTTPError(f"{url}: the server answered HTTP {page.status}")
        return page

    def check_target(self, url: str) -> httpx.URL:
        """Parse ``url`` and refuse it if its scheme or resolved addresses are not allowed."""
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL {url!r}: {exc}") from exc
        if target.scheme not in ("http", "https"):
            raise FetchBlocked(f"{url}: only http and https URLs are fetched")
        host = target.host
        if not host:
            raise FetchError(f"invalid URL {url!r}: no host")
        if self.settings.allow_private:
            return target
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = list(self._resolver(host))
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"{url}: cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise FetchError(f"{url}: {host} resolves to no address")
        for address in addresses:
            try:
                reason = blocked_reason(address)
            except ValueError:
                reason = "unparseable"
            if reason is not None:
                raise FetchBlocked(f"{url}: {host} resolves to {address}, a {reason} address")
        return target

    def _request(self, url: str, *, max_bytes: int, robots: bool) -> Page:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            target = self.check_target(current)
            if robots and not self._allowed(target):
                raise FetchDisallowed(f"robots.txt of {target.host} disallows {current}")
            try:
                location, page = self._one_hop(url, target, max_bytes)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"{current}: timed out ({type(exc).__name__})") from exc
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from exc
            if page is not None:
                return page
            try:
                current = str(target.join(location or ""))
            except httpx.InvalidURL as exc:
                raise FetchError(f"{current}: bad redirect location {location!r}") from exc
        raise FetchError(f"{url}: more than {self.settings.max_redirects} redirects")

    def _one_hop(
        self, requested: str, target: httpx.URL, max_bytes: int
    ) -> tuple[str | None, Page | None]:
        """(redirect location, None) for a redirect, else (None, the page)."""
        deadline = (
            time.monotonic()
            + self.settings.connect_timeout
            + (_TOTAL_READ_TIMEOUTS * self.settings.read_timeout)
        )
        with self._client.stream("GET", target) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                return location, None
            declared = response.headers.get("content-length", "")
            if declared.strip().isdigit() and int(declared) > max_bytes:
                raise InputTooLarge(
                    f"{target}: declares {int(declared)} bytes, over the {max_bytes}-byte cap"
                )
            body = bytearray()
            if 200 <= response.status_code < 300:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise InputTooLarge(
                            f"{target}: response over the {max_bytes}-byte cap; stopped reading"
                        )
                    if time.monotonic() > deadline:
                        raise FetchTimeout(f"{target}: the response took too long to arrive")
            mime, charset = parse_content_type(response.headers.get("content-type"))
            return None, Page(
                requested=requested,
                url=str(target),
                status=response.status_code,
                content=bytes(body),
                content_type=mime,
                charset=charset,
                fetched_at=dt.datetime.now(dt.UTC),
            )

    def _allowed(self, target: httpx.URL) -> bool:
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin)
            self._robots[origin] = parser
        return parser.can_fetch(self.settings.user_agent, str(target))

    def _load_robots(self, origin: str) -> RobotFileParser:
        """robots.txt of ``origin``, fetched through the same client and checks as pages."""
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            page = self._request(f"{origin}/robots.txt", max_bytes=_ROBOTS_MAX_BYTES, robots=False)
        except InputTooLarge:
            parser.parse([])  # no rules: everything allowed
            return parser
        # The rules of urllib.robotparser.read() and RFC 9309: 401/403 forbid everything, other
        # 4xx mean there is no robots.txt (allowed), a server error means "assume disallowed".
        if page.status in (401, 403) or page.status >= 500:
            parser.parse(["User-agent: *", "Disallow: /"])
        elif page.status >= 400:
            parser.parse([])
        else:
            parser.parse(page.content.decode("utf-8", errors="replace").splitlines())
        return parser
