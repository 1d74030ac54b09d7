"""The JSON API under /api, and POST /ingest. Handlers are plain functions: FastAPI runs them in
worker threads, each borrowing one store session (see readers.py) for the length of the request.

Listings answer ``{"items": [...], "next": CURSOR}``; pass ``next`` back as ``?after=`` for the
next page (see paging.py). Every error answer is ``{"error": {"code", "message", "hint"}}``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wirecheck.errors import NotFound, UsageError
from wirecheck.serve import convert, paging, schemas
from wirecheck.serve.errors import AuthRequired, ReadOnlyServer, RequestTooLarge
from wirecheck.serve.state import ServeState, get_state

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorBody, "description": text}
    for status, text in (
        (400, "Bad request (WC001 and others)"),
        (404, "Not found (WC404)"),
        (422, "Invalid parameters (WC001)"),
        (500, "Server or store error (WC4xx, WC900)"),
        (503, "Busy: no reader free (WC505) or the store is locked (WC401)"),
        (504, "The request took too long (WC504)"),
    )
}

router = APIRouter(prefix="/api", responses=ERRORS)
ingest_router = APIRouter(responses=ERRORS)

State = Annotated[ServeState, Depends(get_state)]
Limit = Annotated[int, Query(ge=1, le=200, description="items per page")]
After = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Za-z0-9_-]{1,512}$",
        description="the `next` cursor of the previous page (opaque)",
    ),
]
ISODate = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive",
    ),
]
ActorParam = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Za-z0-9_.\-]{1,64}$",
        description="actor id (`lithuania`) or code prefix (`RUS` matches RUSGOV, RUSMIL)",
    ),
]
BandParam = Annotated[schemas.Band | None, Query(description="credibility band")]
ARTICLE_ID = r"^[0-9A-Za-z]{6,64}$"
STORY_ID = r"^[0-9A-Za-z_\-]{1,80}$"
CLAIM_ID = r"^[0-9A-Za-z]{6,64}:[0-9]{1,6}$"
ACTOR_ID = r"^[A-Za-z0-9_.\-]{1,64}$"


@router.get("/stats", response_model=schemas.Stats, summary="Counts of what the store holds")
def stats(state: State) -> schemas.Stats:
    return schemas.Stats(counts=state.counts(), read_only=state.read_only)


@router.get(
    "/articles",
    response_model=schemas.Page[schemas.ArticleSummary],
    summary="Articles by publication date",
)
def list_articles(
    state: State,
    site: Annotated[str | None, Query(max_length=200, description="source site")] = None,
    group: Annotated[str | None, Query(max_length=200, description="syndication group")] = None,
    after: After = None,
    limit: Limit = 50,
) -> schemas.Page[schemas.ArticleSummary]:
    offset = paging.offset_of(after)
    with state.pool.reader() as store:
        if site or group:
            rows = list(
                store.articles(
                    site=site, group=group, limit=limit + 1, offset=offset, analysis=False
                )
            )
        else:
            # The whole listing's order is cached (like the other corpus-wide tables): sorting
            # 100k articles for each page took 30-50 ms of the store's time per request.
            order: list[str] = state.cached("article_order", store.article_order)
            rows = store.articles_by_id(order[offset : offset + limit + 1])
    items, nxt = paging.from_offset(rows, convert.article_summary, offset, limit)
    return schemas.Page(items=items, next=nxt)


@router.get(
    "/articles/{article_id}",
    response_model=schemas.ArticleDetail,
    summary="One article: clean text, analysis, claims with their support, credibility",
)
def get_article(
    state: State, article_id: Annotated[str, PathParam(pattern=ARTICLE_ID)]
) -> schemas.ArticleDetail:
    return article_detail(state, article_id)


def article_detail(state: ServeState, article_id: str) -> schemas.ArticleDetail:
    with state.pool.reader() as store:
        article = store.article(article_id)
        return convert.article_detail(
            article,
            also_seen_at=store.sightings_of(article.id),
            story_id=store.story_of(article.id),
            claims=store.claims(article=article.id, limit=1000),
            credibility=store.assessment(article.id),
        )


@router.get("/stories", response_model=schemas.Page[schemas.Story], summary="Stories by id")
def list_stories(
    state: State,
    actor: ActorParam = None,
    since: ISODate = None,
    until: ISODate = None,
    after: After = None,
    limit: Limit = 50,
) -> schemas.Page[schemas.Story]:
    key = paging.key_of(after)
    with state.pool.reader() as store:
        rows = store.stories(limit=limit + 1, after=key, actor=actor, since=since, until=until)
    items, nxt = paging.by_key(rows, convert.story, lambda s: s.id, limit)
    return schemas.Page(items=items, next=nxt)


STORY_MEMBERS_SHOWN = 50  # read in one query (Store.articles_by_id), summaries only


@router.get(
    "/stories/{story_id}",
    response_model=schemas.StoryDetail,
    summary="One story: its articles and its independent sources",
)
def get_story(
    state: State, story_id: Annotated[str, PathParam(pattern=STORY_ID)]
) -> schemas.StoryDetail:
    return story_detail(state, story_id)


def story_detail(state: ServeState, story_id: str) -> schemas.StoryDetail:
    with state.pool.reader() as store:
        story = store.story(story_id)
        # Members removed since the story was computed are left out; the next verify run drops
        # them from the story.
        members = store.articles_by_id(story.articles[:STORY_MEMBERS_SHOWN])
    return schemas.StoryDetail(
        **convert.story(story).model_dump(),
        members=[convert.article_summary(a) for a in members],
        sources=convert.source_groups(members),
        more_articles=max(0, len(story.articles) - STORY_MEMBERS_SHOWN),
    )


@router.get(
    "/events",
    response_model=schemas.Page[schemas.EventItem],
    summary="Coded events by date",
)
def list_events(
    state: State,
    actor: ActorParam = None,
    type: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z_]{1,40}$", description="PLOVER event type (ASSAULT, CONSULT, ...)"
        ),
    ] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="1..4")] = None,
    since: ISODate = None,
    until: ISODate = None,
    after: After = None,
    limit: Limit = 50,
) -> schemas.Page[schemas.EventItem]:
    offset = paging.offset_of(after)
    with state.pool.reader() as store:
        items, nxt = paging.by_offset(
            lambda n: store.events(
                actor=actor, plover=type, quad_class=quad_class, since=since, until=until, limit=n
            ),
            convert.event_item,
            offset,
            limit,
        )
    return schemas.Page(items=items, next=nxt)


@router.get(
    "/claims",
    response_model=schemas.Page[schemas.ClaimItem],
    summary="Claims with attribution, support and credibility",
)
def list_claims(
    state: State,
    article: Annotated[str | None, Query(pattern=ARTICLE_ID)] = None,
    story: Annotated[str | None, Query(pattern=STORY_ID)] = None,
    attribution: Annotated[Literal["named", "unnamed", "document", "none"] | None, Query()] = None,
    band: BandParam = None,
    min_checkworthiness: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    after: After = None,
    limit: Limit = 50,
) -> schemas.Page[schemas.ClaimItem]:
    key = paging.key_of(after)
    if key is not None and not re.match(CLAIM_ID, key):
        raise UsageError("malformed cursor", hint="pass back a 'next' value")
    with state.pool.reader() as store:
        rows = store.claims(
            article=article,
            story=story,
            attribution=attribution,
            band=band,
            min_checkworthiness=min_checkworthiness,
            limit=limit + 1,
            after=key,
        )
    items, nxt = paging.by_key(rows, convert.claim_item, lambda r: r.claim.id, limit)
    return schemas.Page(items=items, next=nxt)


@router.get(
    "/claims/{claim_id}/links",
    response_model=list[schemas.ClaimLink],
    summary="Claims elsewhere that match this one, with their stance",
)
def claim_links(
    state: State, claim_id: Annotated[str, PathParam(pattern=CLAIM_ID)]
) -> list[schemas.ClaimLink]:
    with state.pool.reader() as store:
        return [convert.claim_link(k) for k in store.claim_links(claim_id)]


@router.get(
    "/actors", response_model=schemas.Page[schemas.Actor], summary="Actors, most mentioned first"
)
def list_actors(
    state: State,
    type: Annotated[Literal["country", "organisation", "person", "group"] | None, Query()] = None,
    after: After = None,
    limit: Limit = 50,
) -> schemas.Page[schemas.Actor]:
    offset = paging.offset_of(after)
    actors = [a for a in state.actors() if type is None or a.type == type]
    items, nxt = paging.by_offset(lambda n: actors[:n], convert.actor, offset, limit)
    return schemas.Page(items=items, next=nxt)


@router.get("/actors/{actor_id}", response_model=schemas.Actor, summary="One actor")
def get_actor(state: State, actor_id: Annotated[str, PathParam(pattern=ACTOR_ID)]) -> schemas.Actor:
    found = state.actor_index().get(actor_id)
    if found is None:
        raise NotFound(f"no actor {actor_id!r} is mentioned in the store", hint="see /api/actors")
    return convert.actor(found)


@router.get(
    "/sources",
    response_model=schemas.Page[schemas.Source],
    summary="Sites with their articles, mean credibility and claim corroboration",
)
def list_sources(
    state: State, after: After = None, limit: Limit = 50
) -> schemas.Page[schemas.Source]:
    offset = paging.offset_of(after)
    sources = state.sources()
    items, nxt = paging.by_offset(lambda n: sources[:n], convert.source, offset, limit)
    return schemas.Page(items=items, next=nxt)


@router.get("/places", response_model=list[schemas.Place], summary="Every place mentioned")
def list_places(state: State) -> list[schemas.Place]:
    return [convert.place(p) for p in state.places().values()]


@router.get(
    "/search",
    response_model=schemas.Page[schemas.SearchHit],
    summary="Full-text search over titles and bodies, best first",
)
def search(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to look for")],
    after: After = None,
    limit: Limit = 20,
) -> schemas.Page[schemas.SearchHit]:
    key = paging.key_of(after)
    with state.pool.reader() as store:
        rows = store.search(q, limit=limit + 1, after=key)
    items, nxt = paging.by_key(rows, convert.search_hit, lambda h: h.article_id, limit)
    return schemas.Page(items=items, next=nxt)


# -- ingest ------------------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="the token the server was started with")
INGEST_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.ErrorBody, "description": "Missing or wrong token (WC501)"},
    403: {"model": schemas.ErrorBody, "description": "The server is read-only (WC502)"},
    413: {"model": schemas.ErrorBody, "description": "Upload too large (WC503)"},
}


def require_token(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The ingest endpoints need the server's token. (The middleware checks it too, before a
    body is read; this keeps the check and the OpenAPI security scheme next to the routes.)"""
    from wirecheck.serve.middleware import token_matches

    if state.runner is None or state.token is None:
        raise ReadOnlyServer("this server is read-only")
    if credentials is None or not token_matches(credentials.credentials, state.token):
        raise AuthRequired("a valid bearer token is required to ingest")


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(name: str | None, fallback: str) -> str:
    """A file or folder name with no path and no odd characters (uploads name their files)."""
    base = _SAFE_NAME.sub("_", Path(name or "").name).strip("._")[:100]
    return base or fallback


@ingest_router.post(
    "/ingest",
    status_code=202,
    response_model=schemas.Job,
    responses=INGEST_ERRORS,
    dependencies=[Depends(require_token)],
    summary="Queue URLs and/or uploaded files for ingest (needs the server's token)",
)
def ingest(
    request: Request,
    state: State,
    urls: Annotated[list[str], Form(description="http(s) URLs to fetch")] = [],  # noqa: B006
    files: Annotated[list[UploadFile], File(description="files to ingest")] = [],  # noqa: B006
    site: Annotated[
        str | None, Form(max_length=100, description="a name grouping the uploads (their site)")
    ] = None,
) -> schemas.Job:
    del request
    assert state.runner is not None  # require_token refused read-only servers
    limits = state.limits
    urls = [u.strip() for u in urls if u.strip()]
    if not urls and not files:
        raise UsageError("give at least one URL (urls) or one file (files)")
    if len(urls) > limits.max_urls:
        raise UsageError(f"at most {limits.max_urls} URLs per request")
    if len(files) > limits.max_upload_files:
        raise UsageError(f"at most {limits.max_upload_files} files per request")
    for url in urls:
        if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE) or len(url) > 2000:
            raise UsageError(f"not an http(s) URL: {url[:80]!r}")
    folder: Path | None = None
    inputs: list[str] = list(urls)
    if files:
        folder = Path(tempfile.mkdtemp(prefix="wirecheck-upload-"))
        target = folder / _safe_name(site, "upload")
        target.mkdir()
        total = 0
        try:
            for index, upload in enumerate(files):
                path = target / f"{index:03d}-{_safe_name(upload.filename, 'file')}"
                with path.open("wb") as out:
                    shutil.copyfileobj(upload.file, out)
                total += path.stat().st_size
                if total > limits.max_upload_bytes:
                    raise RequestTooLarge(f"uploads exceed {limits.max_upload_bytes} bytes")
            inputs.append(str(target))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    job = state.runner.submit(inputs, cleanup=folder)
    return schemas.Job(**job.to_dict())


@ingest_router.get(
    "/ingest",
    response_model=list[schemas.Job],
    responses=INGEST_ERRORS,
    dependencies=[Depends(require_token)],
    summary="Recent ingest jobs, newest first",
)
def ingest_jobs(state: State) -> list[schemas.Job]:
    assert state.runner is not None
    return [schemas.Job(**j.to_dict()) for j in state.runner.jobs()]


@ingest_router.get(
    "/ingest/{job_id}",
    response_model=schemas.Job,
    responses=INGEST_ERRORS,
    dependencies=[Depends(require_token)],
    summary="One ingest job",
)
def ingest_job(
    state: State, job_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")]
) -> schemas.Job:
    assert state.runner is not None
    return schemas.Job(**state.runner.get(job_id).to_dict())
