"""The FastAPI application: routers, error answers, middleware, static files, lifecycle."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Scope

from wirecheck.errors import InternalError, UsageError, WirecheckError
from wirecheck.serve import api, pages
from wirecheck.serve.digest import DigestKeeper
from wirecheck.serve.errors import (
    InvalidParameters,
    MethodNotAllowed,
    RouteNotFound,
    error_body,
    status_of,
)
from wirecheck.serve.ingest import IngestFunc, IngestRunner
from wirecheck.serve.middleware import Guard, SecurityHeaders
from wirecheck.serve.readers import Cache, ReaderPool
from wirecheck.serve.state import ServeLimits, ServeState
from wirecheck.store import Store

log = logging.getLogger("wirecheck.serve")

STATIC = Path(__file__).parent / "static"
_JSON_PREFIXES = ("/api/", "/api", "/ingest", "/openapi.json", "/static/")


def _plotly_js() -> Path:
    """The Plotly bundle shipped inside the plotly Python package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise InternalError("the plotly package is not installed")
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


def _world_topojson() -> Path | None:
    """The world map vendored by the report package (Plotly would fetch it from a CDN)."""
    try:
        path = Path(str(resources.files("wirecheck.report").joinpath("static/world_110m.json")))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


def _version() -> str:
    # Not `wirecheck.__version__`: importing the package root would import the pipeline, which
    # the server may not depend on (import rule: serve reads through the store only).
    try:
        return importlib.metadata.version("wirecheck")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def _wants_html(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    if path.startswith(_JSON_PREFIXES):
        return False
    accept = dict(scope.get("headers", [])).get(b"accept", b"").decode("latin-1")
    return "text/html" in accept


def render_error(scope: Scope, exc: WirecheckError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body of the error answer for ``exc`` (HTML for browsers' page
    requests, the ErrorBody JSON otherwise)."""
    status = status_of(exc)
    headers: list[tuple[bytes, bytes]] = [(b"cache-control", b"no-store")]
    if status == 503:
        headers.append((b"retry-after", b"2"))
    if _wants_html(scope):
        body = pages.environment.get_template("error.html").render(
            title=f"Error {exc.code}", error=exc, status=status, read_only=True, path=""
        )
        data = body.encode("utf-8")
        headers.append((b"content-type", b"text/html; charset=utf-8"))
    else:
        data = json.dumps(error_body(exc), ensure_ascii=False).encode("utf-8")
        headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(data)).encode()))
    return status, headers, data


def _response(request: Request, exc: WirecheckError) -> Response:
    status, headers, body = render_error(request.scope, exc)
    out = Response(content=body, status_code=status)
    out.raw_headers = headers
    return out


class _App(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's own error middleware, so even a 500 carries the security headers.
        return SecurityHeaders(super().build_middleware_stack())


def create_app(
    store: Store,
    *,
    token: str | None = None,
    ingest: IngestFunc | None = None,
    limits: ServeLimits | None = None,
) -> FastAPI:
    """The wirecheck web app over an open ``store``.

    Read-only unless both ``token`` and ``ingest`` are given; then ``POST /ingest`` (with
    ``Authorization: Bearer TOKEN``) queues jobs that call ``ingest(writer, inputs)`` on a
    background thread (serve/ingest.py). wirecheck.serve does not import the pipeline: the caller
    passes it in, e.g. ``ingest=lambda writer, inputs: analyze(list(inputs), settings=settings,
    store=writer).to_dict()``. The app closes the sessions it opened when it shuts down; the
    caller closes ``store``.
    """
    if token is not None and len(token) < 16:
        raise UsageError("the ingest token must be at least 16 characters")
    if (token is None) != (ingest is None):
        raise UsageError("ingest needs both a token and an ingest function")
    limits = limits or ServeLimits()
    pool = ReaderPool(store, size=limits.readers, wait=limits.reader_wait)
    cache = Cache(ttl=limits.cache_ttl)
    digest = DigestKeeper(pool, wait=min(10.0, limits.request_timeout / 2))

    def changed() -> None:
        cache.bump()
        digest.refresh()

    runner = IngestRunner(store, ingest, on_done=changed) if ingest is not None else None
    state = ServeState(
        store=store,
        pool=pool,
        cache=cache,
        limits=limits,
        token=token,
        runner=runner,
        digest=digest,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        digest.refresh()
        yield
        if runner is not None:
            runner.close()
        pool.close()

    app = _App(
        title="wirecheck",
        version=_version(),
        description="Read-only JSON API over a wirecheck store (articles, stories, events, "
        "claims, actors, sources, search), plus token-protected ingest. Errors answer "
        '{"error": {"code": "WC...", "message": ..., "hint": ...}}.',
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; /openapi.json stays
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.wirecheck = state

    @app.exception_handler(WirecheckError)
    async def wirecheck_error(request: Request, exc: WirecheckError) -> Response:
        return _response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()[:5]
        )
        return _response(request, InvalidParameters(f"invalid request: {problems}"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error: WirecheckError
        if exc.status_code == 404:
            error = RouteNotFound(f"nothing at {request.url.path}")
        elif exc.status_code == 405:
            error = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
        elif exc.status_code < 500:
            error = UsageError(str(exc.detail))
        else:
            error = InternalError(str(exc.detail))
        return _response(request, error)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _response(request, InternalError(f"{type(exc).__name__} while serving the request"))

    app.include_router(api.router)
    app.include_router(api.ingest_router)
    app.include_router(pages.router)

    plotly_js = _plotly_js()
    world = _world_topojson()

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_bundle() -> FileResponse:
        return FileResponse(
            plotly_js,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    @app.get("/static/vendor/world_110m.json", include_in_schema=False)
    def world_map() -> FileResponse:
        if world is None:
            raise RouteNotFound(
                "no world map is installed (wirecheck/report/static/world_110m.json)"
            )
        return FileResponse(
            world, media_type="application/json", headers={"cache-control": "public, max-age=86400"}
        )

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, object]:
        return {"status": "ok", "read_only": state.read_only}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(Guard, state=lambda: state, render=render_error)
    return app
