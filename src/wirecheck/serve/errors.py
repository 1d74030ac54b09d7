"""Errors met while serving, and how every WirecheckError becomes an HTTP status and a body.

Every 4xx/5xx answer carries ``{"error": {"code": "WC...", "message": ..., "hint": ...}}`` (or an
HTML page with the same facts for a browser), so clients can branch on the stable code.

The WC5xx codes are the server's own. They live here rather than in wirecheck/errors.py because
only the server raises them; the codes are as stable as the others.
"""

from __future__ import annotations

from wirecheck.errors import (
    FetchError,
    InputError,
    InputTooLarge,
    InternalError,
    NotFound,
    SchemaTooNew,
    SettingsError,
    StoreError,
    StoreLocked,
    UsageError,
    WirecheckError,
)


class ServeError(WirecheckError):
    """A request the server refused for a reason of its own (auth, limits, load)."""

    code = "WC500"


class AuthRequired(ServeError):
    code = "WC501"
    hint = "send the server's token as 'Authorization: Bearer TOKEN'"


class ReadOnlyServer(ServeError):
    code = "WC502"
    hint = "start the server with --token to enable POST /ingest"


class RequestTooLarge(ServeError):
    code = "WC503"
    hint = "send a smaller request body; uploads are capped by ingest.max_bytes"


class RequestTimeout(ServeError):
    code = "WC504"
    hint = "narrow the query (filters, a smaller limit) or retry later"


class ServerBusy(ServeError):
    code = "WC505"
    hint = "every database reader is in use; retry in a moment"


class RouteNotFound(NotFound):
    """An address the server does not serve (not a missing record)."""

    hint = "see /openapi.json for the API, or / for the dashboard"


class InvalidParameters(UsageError):
    """A query, path or form value failed validation (422, like FastAPI's own)."""

    hint = "see /openapi.json for each parameter's type and range"


class MethodNotAllowed(UsageError):
    hint = "see /openapi.json for the methods each address accepts"


# Most specific first: the first matching class decides the status.
_STATUS: tuple[tuple[type[WirecheckError], int], ...] = (
    (AuthRequired, 401),
    (ReadOnlyServer, 403),
    (RequestTooLarge, 413),
    (RequestTimeout, 504),
    (ServerBusy, 503),
    (MethodNotAllowed, 405),
    (InvalidParameters, 422),
    (NotFound, 404),
    (InputTooLarge, 413),
    (FetchError, 502),
    (InputError, 400),
    (UsageError, 400),
    (StoreLocked, 503),
    (SchemaTooNew, 500),
    (StoreError, 500),
    (SettingsError, 500),
    (InternalError, 500),
)


def status_of(exc: WirecheckError) -> int:
    """The HTTP status for ``exc``."""
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_body(exc: WirecheckError) -> dict[str, dict[str, str | None]]:
    """The JSON body for ``exc`` (the ErrorBody schema)."""
    return {"error": {"code": exc.code, "message": exc.message, "hint": exc.hint or None}}
