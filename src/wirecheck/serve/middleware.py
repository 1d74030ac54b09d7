"""Plain ASGI middleware: security headers on every answer; the ingest token checked before any
body is read; request body size and request time limits.

Pure ASGI (not Starlette's BaseHTTPMiddleware) because it adds no task or buffering per request,
which matters at hundreds of requests a second on two cores.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirecheck.errors import WirecheckError
from wirecheck.serve.errors import AuthRequired, ReadOnlyServer, RequestTimeout, RequestTooLarge

# No source outside this server: scripts, styles, data and images all come from 'self'. Plotly
# sets element styles through the CSSOM and inserts one stylesheet of its own, which needs
# 'unsafe-inline' for styles only (measured with Chromium: without it the charts lose their
# layout); scripts stay strictly 'self' with no inline code and no eval.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)

Renderer = Callable[[Scope, WirecheckError], tuple[int, list[tuple[bytes, bytes]], bytes]]


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing does not leak the token."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def _respond(send: Send, scope: Scope, render: Renderer, exc: WirecheckError) -> None:
    status, headers, body = render(scope, exc)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Guard:
    """Per request: the ingest token (before the body is read), the body size cap (from
    Content-Length, and counted as it streams), and the time limit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        state: Callable[[], Any],
        render: Renderer,
    ) -> None:
        self.app = app
        self.state = state
        self.render = render

    def _refuse_ingest(self, scope: Scope) -> WirecheckError | None:
        state = self.state()
        if state.read_only or state.token is None:
            return ReadOnlyServer("this server is read-only")
        headers = dict(scope.get("headers", []))
        value = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, given = value.partition(" ")
        if scheme.lower() != "bearer" or not token_matches(given.strip(), state.token):
            return AuthRequired("a valid bearer token is required to ingest")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limits = self.state().limits
        if path == "/ingest" or path.startswith("/ingest/"):
            refused = self._refuse_ingest(scope)
            if refused is not None:
                await _respond(send, scope, self.render, refused)
                return
        # Multipart framing adds a little to the files' own bytes.
        upload = path == "/ingest" and scope["method"] == "POST"
        cap = limits.max_upload_bytes + 65_536 if upload else limits.max_body_bytes
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = cap + 1
                if declared > cap:
                    await _respond(
                        send, scope, self.render, RequestTooLarge(f"request body over {cap} bytes")
                    )
                    return
        received = 0
        too_large = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    too_large = True
                    raise RequestTooLarge(f"request body over {cap} bytes")
            return message

        swallowing = False

        async def guarded_send(message: Message) -> None:
            nonlocal started, swallowing
            if message["type"] == "http.response.start":
                if too_large:
                    # Whatever the app made of the cut-off body, the answer is 413.
                    swallowing = True
                    started = True
                    await _respond(
                        send, scope, self.render, RequestTooLarge(f"request body over {cap} bytes")
                    )
                    return
                started = True
            if swallowing:
                return
            await send(message)

        with anyio.move_on_after(limits.request_timeout) as deadline:
            await self.app(scope, counting_receive, guarded_send)
        if deadline.cancelled_caught and not started:
            await _respond(
                send,
                scope,
                self.render,
                RequestTimeout(f"the request took longer than {limits.request_timeout:g} s"),
            )
