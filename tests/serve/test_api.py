"""The JSON API in-process (no network): error bodies, pagination, escaping, auth, limits."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from serve.servekit import TOKEN, XSS_TITLE
from wirecheck.errors import UsageError
from wirecheck.serve import ServeLimits, create_app
from wirecheck.serve.paging import MAX_OFFSET, encode
from wirecheck.store import Store


@pytest.fixture(scope="module")
def client(read_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(read_store)) as c:
        yield c


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def test_stats_and_security_headers(client: TestClient, read_store: Store) -> None:
    response = client.get("/api/stats")
    assert response.status_code == 200
    assert response.json() == {"counts": read_store.counts(), "read_only": True}
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp
    assert "http" not in csp  # no external source of any kind
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_error_bodies(client: TestClient) -> None:
    _error(client.get("/api/articles/ffffffffffffffff"), 404, "WC404")
    _error(client.get("/no/such/page"), 404, "WC404")
    _error(client.get("/api/stories/sdoesnotexist"), 404, "WC404")
    _error(client.get("/api/actors/nobody_at_all"), 404, "WC404")
    _error(client.get("/api/articles?limit=0"), 422, "WC001")
    _error(client.get("/api/articles?limit=abc"), 422, "WC001")
    _error(client.get("/api/events?since=yesterday"), 422, "WC001")
    _error(client.get("/api/claims?band=great"), 422, "WC001")
    _error(client.get("/api/articles/short"), 422, "WC001")
    _error(client.delete("/api/stats"), 405, "WC001")
    _error(client.get("/api/articles?after=!!notacursor"), 422, "WC001")
    _error(client.get("/api/articles?after=WC106"), 400, "WC001")  # base64 of no position
    _error(client.get("/api/stories?after=" + encode({"o": 3})), 400, "WC001")
    _error(client.get("/api/events?after=" + encode({"o": MAX_OFFSET + 1})), 400, "WC001")
    # The prefix lookup of the store is ambiguous for a 6-character prefix shared by none: 404.
    _error(client.get("/api/articles/000000"), 404, "WC404")
    # Errors on pages a browser asks for come back as HTML, with the same code.
    page = client.get("/articles/ffffffffffffffff", headers={"accept": "text/html"})
    assert page.status_code == 404 and "WC404" in page.text
    assert page.headers["content-type"].startswith("text/html")


def _walk(client: TestClient, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url = f"{path}{'&' if '?' in path else '?'}limit={limit}"
    for _ in range(1000):
        page = client.get(url).json()
        assert len(page["items"]) <= limit
        items += page["items"]
        if page["next"] is None:
            return items
        url = f"{path}{'&' if '?' in path else '?'}limit={limit}&after={page['next']}"
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/articles", "id"),
        ("/api/stories", "id"),
        ("/api/events", None),
        ("/api/actors", "id"),
        ("/api/sources", "site"),
        ("/api/claims", None),
        ("/api/search?q=drills+baltic", "article_id"),
    ],
)
def test_pages_cover_the_listing_once(client: TestClient, path: str, key: str | None) -> None:
    everything = client.get(f"{path}{'&' if '?' in path else '?'}limit=200").json()
    assert everything["next"] is None
    for limit in (1, 2, 5):
        walked = _walk(client, path, limit)
        assert walked == everything["items"]
        if key is not None:
            assert len({i[key] for i in walked}) == len(walked)
    assert len(everything["items"]) >= 2  # the corpus gives every listing more than one page


def test_filters(client: TestClient, read_store: Store) -> None:
    events = client.get("/api/events?actor=RUS&limit=200").json()["items"]
    assert events and all(
        any(c.startswith("RUS") for c in e["source"] + e["target"]) for e in events
    )
    window = client.get("/api/events?since=2026-10-20&until=2026-10-22&limit=200").json()["items"]
    assert all("2026-10-20" <= (e["date"] or e["published"])[:10] <= "2026-10-22" for e in window)
    first = events[0]["plover"]
    typed = client.get(f"/api/events?type={first}&limit=200").json()["items"]
    assert typed and {e["plover"] for e in typed} == {first}
    site = client.get("/api/articles?site=balticwire.example").json()["items"]
    assert site and {a["site"] for a in site} == {"balticwire.example"}
    bands = {a.band for a in read_store.assessments(kind="claim")} | {"disputed"}
    for band in bands:
        claims = client.get(f"/api/claims?band={band}").json()["items"]
        assert all(c["assessment"]["band"] == band for c in claims)
    stories = client.get("/api/stories?actor=RUS").json()["items"]
    assert stories and all(s["articles"] for s in stories)


def test_hostile_strings_are_escaped(client: TestClient) -> None:
    (hit,) = [
        a for a in client.get("/api/articles?limit=200").json()["items"] if a["title"] == XSS_TITLE
    ]
    html = client.get(f"/articles/{hit['id']}", headers={"accept": "text/html"}).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<i>no named source</i>" not in html
    # No inline script anywhere: the only scripts are files and JSON data blocks.
    for page in ("/", "/events", "/map", f"/articles/{hit['id']}", "/search?q=%3Cscript%3E"):
        text = client.get(page, headers={"accept": "text/html"}).text
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    # JSON data blocks cannot be closed early by a title: tojson escapes "<".
    overview = client.get("/", headers={"accept": "text/html"}).text
    assert "</script><script>" not in overview
    story = client.get("/api/articles/" + hit["id"]).json()["story_id"]
    story_html = client.get(f"/stories/{story}", headers={"accept": "text/html"}).text
    assert XSS_TITLE not in story_html and "&lt;script&gt;" in story_html


def test_article_detail_matches_the_store(client: TestClient, read_store: Store) -> None:
    article = next(a for a in read_store.articles() if a.claims)
    body = client.get(f"/api/articles/{article.id}").json()
    assert body["body"] == article.body
    assert [c["claim"]["id"] for c in body["claims"]] == [c.id for c in article.claims]
    assert len(body["events"]) == len(article.events)
    assert body["story_id"] == read_store.story_of(article.id)
    for claim in body["claims"]:
        start, end = claim["claim"]["start"], claim["claim"]["end"]
        assert body["body"][start:end] == claim["claim"]["text"]
    links = client.get(f"/api/claims/{article.claims[0].id}/links").json()
    assert links == [
        {**k.__dict__, "reasons": list(k.reasons)}
        for k in read_store.claim_links(article.claims[0].id)
    ]


def test_read_only_server_refuses_ingest(client: TestClient) -> None:
    _error(client.post("/ingest", data={"urls": "https://example.org/a"}), 403, "WC502")
    _error(client.get("/ingest"), 403, "WC502")


def _never(writer: Store, inputs: Sequence[str]) -> Mapping[str, Any]:
    raise AssertionError("the ingest function must not run in this test")


@pytest.fixture
def guarded(read_store: Store) -> Iterator[TestClient]:
    app = create_app(
        read_store,
        token=TOKEN,
        ingest=_never,
        limits=ServeLimits(max_body_bytes=10_000, max_upload_bytes=50_000),
    )
    with TestClient(app) as c:
        yield c


def test_token_is_required_and_checked(guarded: TestClient) -> None:
    _error(guarded.post("/ingest", data={"urls": "https://example.org/a"}), 401, "WC501")
    wrong = {"Authorization": "Bearer " + "x" * len(TOKEN)}
    _error(
        guarded.post("/ingest", data={"urls": "https://example.org/a"}, headers=wrong), 401, "WC501"
    )
    basic = {"Authorization": "Basic " + base64.b64encode(TOKEN.encode()).decode()}
    _error(
        guarded.post("/ingest", data={"urls": "https://example.org/a"}, headers=basic), 401, "WC501"
    )
    _error(guarded.get("/ingest/0123456789abcdef"), 401, "WC501")
    ok = {"Authorization": f"Bearer {TOKEN}"}
    _error(guarded.get("/ingest/0123456789abcdef", headers=ok), 404, "WC404")
    assert guarded.get("/ingest", headers=ok).json() == []
    _error(guarded.post("/ingest", data={"urls": "ftp://example.org/a"}, headers=ok), 400, "WC001")
    _error(guarded.post("/ingest", data={}, headers=ok), 400, "WC001")


def test_size_limits(guarded: TestClient) -> None:
    ok = {"Authorization": f"Bearer {TOKEN}"}
    # Declared too large: refused before the body is read.
    big = b"x" * 60_000
    _error(
        guarded.post("/ingest", files={"files": ("a.txt", big, "text/plain")}, headers=ok),
        413,
        "WC503",
    )
    # Any other request has a smaller cap.
    _error(guarded.post("/api/stats", content=b"y" * 20_000), 413, "WC503")

    # Streamed without a length: counted as it arrives and cut off (the upload cap plus the
    # allowance for multipart framing is 50_000 + 65_536 bytes here).
    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
        for _ in range(200):
            yield b"z" * 1000

    multipart = {**ok, "content-type": "multipart/form-data; boundary=b"}
    _error(guarded.post("/ingest", content=chunks(), headers=multipart), 413, "WC503")
    # Too large without auth is refused for the auth first (nothing is read).
    _error(guarded.post("/ingest", content=big), 401, "WC501")


def test_token_rules() -> None:
    with pytest.raises(UsageError):
        create_app(None, token="short", ingest=_never)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        create_app(None, token=TOKEN)  # type: ignore[arg-type]


def test_openapi_describes_typed_pages(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/articles",
        "/api/stories",
        "/api/events",
        "/api/claims",
        "/api/actors",
        "/api/sources",
        "/api/search",
        "/ingest",
    ):
        assert path in paths
    listing = paths["/api/articles"]["get"]
    ref = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"items", "next"}
    assert listing["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorBody"
    )
    assert "/" not in paths and "/articles/{article_id}" not in paths  # HTML pages stay out
    assert json.dumps(schema).count("HTTPValidationError") == 0  # our error body everywhere


def test_story_detail_lists_members_in_story_order(client: TestClient, read_store: Store) -> None:
    stories = read_store.stories(limit=20)
    assert stories
    for story in stories:
        body = client.get(f"/api/stories/{story.id}").json()
        assert [m["id"] for m in body["members"]] == list(story.articles[:50])
        for member in body["members"]:
            article = read_store.article(member["id"])
            assert (member["title"], member["site"]) == (article.title, article.site)
        grouped = sorted(a for g in body["sources"] for a in g["articles"])
        assert grouped == sorted(story.articles[:50])


def test_events_by_actor_match_the_store(client: TestClient, read_store: Store) -> None:
    codes = {c for r in read_store.events() for c in (*r.event.source, *r.event.target) if c}
    assert codes
    for code in sorted(codes)[:5]:
        prefix = code[:3]
        items = client.get(f"/api/events?actor={prefix}&limit=200").json()["items"]
        expected = [
            r
            for r in read_store.events()
            if any(c.startswith(prefix) for c in (*r.event.source, *r.event.target))
        ][:200]
        assert [(i["article_id"], i["sentence"], i["trigger_start"]) for i in items] == [
            (r.article_id, r.event.sentence, r.event.trigger_start) for r in expected
        ]
