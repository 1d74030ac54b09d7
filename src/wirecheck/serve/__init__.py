"""The REST API and web dashboard (FastAPI + Jinja2); reads through wirecheck.store only.

    app = create_app(store)                                   # read-only
    app = create_app(store, token=TOKEN, ingest=func)         # POST /ingest enabled
    run_server(store, host="127.0.0.1", port=8000)            # uvicorn, blocking

Safe by default: binds 127.0.0.1, read-only without a token, request size and time limits,
strict security headers, every user string escaped. See app.py (errors, middleware), api.py
(JSON API), pages.py (HTML), readers.py and ingest.py (how reading and ingesting share one
database).
"""

from __future__ import annotations

import ipaddress
import logging

from wirecheck.errors import UsageError
from wirecheck.serve.app import create_app
from wirecheck.serve.ingest import IngestFunc
from wirecheck.serve.state import ServeLimits
from wirecheck.store import Store

__all__ = ["IngestFunc", "ServeLimits", "create_app", "run_server"]

log = logging.getLogger("wirecheck.serve")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(
    store: Store,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    ingest: IngestFunc | None = None,
    limits: ServeLimits | None = None,
    access_log: bool = True,
    log_level: str = "info",
) -> None:
    """Serve ``store`` with uvicorn until interrupted (see :func:`create_app` for the rest).

    Binding to a non-loopback address is allowed but logged as a warning: the API has no
    authentication for reading, so only do it behind a proxy or on a trusted network.
    """
    import uvicorn

    if not 0 <= port <= 65535:
        raise UsageError(f"port {port} is out of range")
    if not _is_loopback(host):
        log.warning(
            "serving on %s: anyone who can reach it can read the store; prefer 127.0.0.1 "
            "behind a reverse proxy",
            host,
        )
    app = create_app(store, token=token, ingest=ingest, limits=limits)
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=access_log,
        log_level=log_level,
        # Bounds on what one client can make the server hold: headers, idle keep-alive.
        h11_max_incomplete_event_size=64 * 1024,
        timeout_keep_alive=5,
        limit_concurrency=200,
        server_header=False,
    )
